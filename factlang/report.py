"""The report: what the verifier found, for every fact and citation.

Produced by :func:`factlang.verify.verify`; read by every renderer (text,
JSON, JUnit, GitHub annotations, the pytest plugin, the site). Renderers
never re-verify: everything they show is here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Literal

import attrs

from factlang.codes import CITATION_VERDICTS, FACT_VERDICTS, code_for
from factlang.findings import Finding
from factlang.model import Citation, Fact, FactBase
from factlang.sources.resolve import Origin

__all__ = [
    "CITATION_VERDICTS",
    "FACT_VERDICTS",
    "CitationResult",
    "CitationVerdict",
    "Conflict",
    "FactResult",
    "FactVerdict",
    "Report",
    "Stated",
]

CitationVerdict = Literal["supported", "refuted", "unverified", "not-found"]
FactVerdict = Literal["supported", "refuted", "unverified", "not-found", "disputed", "uncited"]


@attrs.frozen
class Stated:
    """A quantity the evidence states: how it reads, and where it is in the source."""

    text: str  # the describe() form, e.g. "-11%" or "HK$113.10"
    start: int
    end: int
    type: str  # the value type name, e.g. "Percent"


@attrs.frozen
class CitationResult:
    """The verdict on one citation, with the evidence behind it.

    ``span`` is the quote's place in the source (character offsets, or None
    when not found), and ``spans`` every part's place for a quote that elides
    words (``span`` is the first); ``evidence`` the sentence(s) around it, starting at
    ``evidence_start`` in the source. ``stated`` lists the quantities the
    evidence states; ``matched`` the one that bears out the value.
    ``expected_refutation`` is set for ``contradicts`` citations, which pass
    only when refuted.
    """

    citation: Citation
    verdict: CitationVerdict
    span: tuple[int, int] | None = None
    similarity: float | None = None
    evidence: str | None = None
    evidence_start: int | None = None
    stated: tuple[Stated, ...] = ()
    matched: Stated | None = None
    messages: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    auto: bool = False  # evidence found by searching the source (no quote given)
    page: int | None = None  # the page the span starts on, for sources with pages (PDF)
    #: Every located part of a quote with elisions ("A … B"); ``span`` is the first.
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def expected_refutation(self) -> bool:
        """Whether this is a ``contradicts`` citation (a known error in the source)."""
        return self.citation.contradicts

    @property
    def ok(self) -> bool:
        """Whether this citation is as the writer says: supports, or refutes if marked so."""
        if self.citation.contradicts:
            return self.verdict == "refuted"
        return self.verdict == "supported"

    @property
    def source_text(self) -> str | None:
        """The source's own words at the span (the quote as it really reads)."""
        if self.span is None or self.evidence is None or self.evidence_start is None:
            return None
        start = self.span[0] - self.evidence_start
        return self.evidence[start : start + self.span[1] - self.span[0]]


@attrs.frozen
class FactResult:
    """The verdict on one fact: from its citations, per SPEC §3."""

    fact: Fact
    verdict: FactVerdict
    citations: tuple[CitationResult, ...] = ()
    messages: tuple[Finding, ...] = ()
    #: Failure codes suppressed by an inline ``# factlang: ignore[...]`` on the fact.
    suppressed: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Every warning of every citation (each knows its source: ``w.text`` is ``@src: ...``).

        Warnings about the fact itself (an unused suppression) come last.
        """
        cited = tuple(w for c in self.citations for w in c.warnings)
        own = tuple(m for m in self.messages if m.severity == "warning")
        return cited + own if own else cited

    @property
    def unexpected(self) -> tuple[CitationResult, ...]:
        """``contradicts`` citations that no longer refute the fact."""
        return tuple(c for c in self.citations if c.citation.contradicts and c.verdict != "refuted")

    @property
    def passed(self) -> bool:
        """Supported, and every known error in a source still reproduces."""
        return self.verdict == "supported" and not self.unexpected

    def failure(self, strict: bool = False) -> str | None:
        """The code of why the fact fails (``FL301`` ... ``FL308``), or None when it holds.

        A failing verdict gives its own code; a supported fact fails with
        ``FL306`` when a known error no longer reproduces, and with ``FL308``
        on warnings under ``strict``.
        """
        if self.verdict != "supported":
            return code_for(self.verdict).code
        if self.unexpected:
            return "FL306"
        if strict and self.warnings:
            return "FL308"
        return None

    def passes(self, *, strict: bool = False) -> bool:
        """Whether the fact passes; ``strict`` also fails it on warnings.

        A failure suppressed inline on the fact (``# factlang: ignore[FL301]``)
        passes, and is counted as suppressed in the summary.
        """
        code = self.failure(strict)
        return code is None or code in self.suppressed

    def is_suppressed(self, strict: bool = False) -> bool:
        """Whether the fact fails but its failure is suppressed inline."""
        code = self.failure(strict)
        return code is not None and code in self.suppressed

    def label(self, strict: bool = False) -> str:
        """What to call the outcome: the verdict, or ``failed`` for a supported fact that fails.

        A supported fact fails when a known error no longer reproduces, or on
        warnings under ``--strict``.
        """
        if self.verdict != "supported" or self.passes(strict=strict):
            return self.verdict
        return "failed"


@attrs.frozen
class Conflict:
    """Facts with the same key whose values cannot all hold."""

    key: str
    facts: tuple[Fact, ...]
    message: str

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source cited by the facts involved."""
        return tuple(dict.fromkeys(c.source for f in self.facts for c in f.citations))


@attrs.frozen
class Report:
    """The outcome of a run: every fact's result, every conflict, and what was read.

    ``texts`` holds the text of every source the verifier read, by source
    id, so that renderers (the site, the language server) never read a
    source again.
    """

    base: FactBase
    facts: tuple[FactResult, ...]
    conflicts: tuple[Conflict, ...] = ()
    strict: bool = False
    texts: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    origins: Mapping[str, Origin] = attrs.field(factory=dict)  # where each cited source's text came from

    @property
    def warnings(self) -> int:
        """How many warnings the run has."""
        return sum(len(f.warnings) for f in self.facts)

    @property
    def failed(self) -> tuple[FactResult, ...]:
        """Facts that fail the run."""
        return tuple(f for f in self.facts if not f.passes(strict=self.strict))

    @property
    def ok(self) -> bool:
        """Whether the run passes: every fact passes and there is no conflict."""
        return not self.failed and not self.conflicts

    def summary(self) -> dict[str, int]:
        """Counts: facts, each verdict, failed, expected failures, conflicts, warnings, suppressed."""
        counts: Counter[str] = Counter(f.verdict for f in self.facts)
        out = {"facts": len(self.facts)}
        out.update({verdict: counts.get(verdict, 0) for verdict in FACT_VERDICTS})
        out["failed"] = len(self.failed)
        out["expected_failures"] = sum(
            1 for f in self.facts for c in f.citations if c.citation.contradicts and c.verdict == "refuted"
        )
        out["unexpected_passes"] = sum(len(f.unexpected) for f in self.facts)
        out["conflicts"] = len(self.conflicts)
        out["warnings"] = self.warnings
        out["suppressed"] = sum(1 for f in self.facts if f.is_suppressed(self.strict))
        return out
