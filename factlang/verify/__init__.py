"""The verifier: a checked fact base against its sources, to a Report.

``verify`` reads every cited source once, checks every citation of every
fact (:mod:`factlang.verify.citations`), gives each fact its verdict by the
rules of SPEC §3, and finds conflicts between facts
(:mod:`factlang.verify.conflicts`). It knows nothing of output formats.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import attrs

from factlang import suppress
from factlang._gc import paused_gc
from factlang.findings import Finding, finding
from factlang.model import Fact, FactBase
from factlang.report import CitationResult, FactResult, FactVerdict, Report
from factlang.sources.citing import enrich, settle
from factlang.verify.citations import Checker
from factlang.verify.conflicts import find_conflicts
from factlang.verify.corpus import Corpus

__all__ = ["fact_verdict", "verify"]


def fact_verdict(citations: Sequence[CitationResult]) -> FactVerdict:
    """A fact's verdict from its citations' (SPEC §3).

    ``contradicts`` citations are expected failures: they never count
    towards the verdict (whether they still refute is checked apart).
    """
    own = [c.verdict for c in citations if not c.citation.contradicts]
    if not own:
        return "uncited"
    supported = "supported" in own
    refuted = "refuted" in own
    if supported and refuted:
        return "disputed"
    if supported:
        return "supported"
    if refuted:
        return "refuted"
    if "unverified" in own:
        return "unverified"
    return "not-found"


def _fact_result(fact: Fact, results: tuple[CitationResult, ...]) -> FactResult:
    verdict = fact_verdict(results)
    messages: list[Finding] = []
    where = fact.location
    if not fact.citations:
        messages.append(finding("FL305", "the fact has no citation", location=where))
    elif verdict == "uncited":
        messages.append(
            finding("FL305", "only 'contradicts' citations: nothing supports the fact", location=where)
        )
    for c in results:
        source = c.citation.source
        if c.citation.contradicts and c.verdict != "refuted":
            message = (
                f"@{source} is marked 'contradicts' but is now {c.verdict}: "
                "the known error no longer reproduces"
            )
            messages.append(finding("FL306", message, location=c.citation.location or where))
        elif not c.citation.contradicts and c.verdict != "supported" and verdict == "supported":
            messages.append(
                finding("FL205", f"@{source} is {c.verdict}", location=c.citation.location or where)
            )
    return FactResult(fact, verdict, results, tuple(messages))


def verify(
    base: FactBase,
    *,
    strict: bool = False,
    root: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
) -> Report:
    """Check every fact of ``base`` against its sources.

    Raises :class:`~factlang.diagnostics.LoadError` if a cited source cannot
    be read. ``progress(done, total)`` is called as facts are checked.
    ``select`` and ``ignore`` filter warning codes, and inline
    ``# factlang: ignore[...]`` comments are honoured (:mod:`factlang.suppress`).
    """
    with paused_gc():
        report = _verify(base, strict=strict, root=root, progress=progress)
    return suppress.apply(report, select=select, ignore=ignore)


def _verify(
    base: FactBase,
    *,
    strict: bool,
    root: Path | None,
    progress: Callable[[int, int], None] | None,
) -> Report:
    corpus = Corpus(root or Path(base.root), dict(base.sources))
    cited = {c.source for f in base.facts for c in f.citations}
    corpus.preload(cited)
    # A page's own metadata (title, published, ...) fills what its declaration leaves out.
    base = attrs.evolve(base, sources=enrich(base.sources, corpus.loaded))
    checker = Checker(base, {sid: corpus.document(sid) for sid in cited})
    results: list[FactResult] = []
    total = len(base.facts)
    for n, fact in enumerate(base.facts, 1):
        cites = tuple(settle(checker.check(fact, c), corpus.loaded.get(c.source)) for c in fact.citations)
        results.append(_fact_result(fact, cites))
        if progress is not None:
            progress(n, total)
    texts = {sid: corpus.document(sid).text for sid in cited}
    origins = {sid: corpus.loaded[sid].origin for sid in sorted(corpus.loaded)}
    return Report(
        base, tuple(results), tuple(find_conflicts(base.facts)), strict=strict, texts=texts, origins=origins
    )
