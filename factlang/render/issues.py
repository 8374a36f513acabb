"""Every finding of a run as one flat list of positioned, coded issues.

The machine formats (GitHub annotations, SARIF, JUnit, Markdown) and the
text report's failures all read this list, so that a static error, a
failing verdict, a conflict and a warning are reported the same way
everywhere: a code, a severity, a one-line message, a place in the fact
file and, for citation findings, the span in the source it concerns.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

import attrs

from factlang._gc import paused_gc
from factlang.codes import CODES, Severity
from factlang.diagnostics import Diagnostic
from factlang.findings import Finding
from factlang.model import Citation, Fact, Location
from factlang.render.explain import explain
from factlang.report import CitationResult, FactResult, Report

__all__ = [
    "Issue",
    "Lines",
    "Place",
    "conflict_issues",
    "diagnostic_issues",
    "fact_issue",
    "fact_issues",
    "iter_issues",
    "report_issues",
    "write_by_file",
]


@attrs.frozen
class Place:
    """A region of a file: 1-based line and column, the end just past the last character."""

    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    @classmethod
    def of(cls, loc: Location | None) -> Place | None:
        """The region of a model location (one character wide when its end is unknown)."""
        if loc is None:
            return None
        end_line = loc.end_line or loc.line
        end_column = loc.end_column or loc.column + 1
        return cls(loc.path, loc.line, loc.column, end_line, end_column)


@attrs.frozen
class Issue:
    """One finding, ready for any format.

    ``place`` is in the fact file; ``related`` in the source file a citation
    finding concerns (``related_source`` its id), when known.
    """

    code: str
    severity: Severity
    message: str
    place: Place | None
    hint: str | None = None
    detail: str | None = None  # the multi-line explanation, for formats that show one
    key: str | None = None  # the fact's key, for a verdict or a warning
    related: Place | None = None
    related_source: str | None = None
    fact: int | None = None  # the index of the fact's result in ``report.facts``
    headline: str | None = None  # the message without its reason, where the evidence follows (text)

    @property
    def title(self) -> str:
        """``FL301 refuted``: the code and its name."""
        known = CODES.get(self.code)
        return f"{self.code} {known.name}" if known else self.code


def diagnostic_issues(diagnostics: Iterable[Diagnostic]) -> list[Issue]:
    """Static diagnostics (syntax, names, types, configuration) as issues."""
    out = []
    for d in diagnostics:
        place = None
        if d.path:
            place = Place(d.path, d.line, d.column, d.end_line, d.end_column) if d.line > 0 else Place(d.path)
        out.append(Issue(d.code, d.severity, d.message, place, d.hint))
    return out


class Lines:
    """Line starts of the source texts, found once per source, for spans as lines and columns."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.starts: dict[str, list[int]] = {}
        # Each source's path as shown, resolved once: resolving costs a few
        # system calls, and a large report places thousands of quotes per source.
        self.shown: dict[str, str] = {}

    def place(self, source: str, span: tuple[int, int] | None) -> Place | None:
        """Where ``span`` of a source is, as lines and columns of its file (its path alone if unknown)."""
        src = self.report.base.sources.get(source)
        if src is None:
            return None
        path = self.shown.get(source)
        if path is None:
            path = self.shown[source] = _shown(Path(self.report.base.root) / src.path)
        text = self.report.texts.get(source)
        if span is None or text is None:
            return Place(path)
        starts = self.starts.get(source)
        if starts is None:
            starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
            self.starts[source] = starts
        return Place(path, *self._at(starts, span[0]), *self._at(starts, span[1]))

    @staticmethod
    def _at(starts: Sequence[int], offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def _quote_place(c: Citation, fact: Fact) -> Place | None:
    return Place.of(c.quote_location or c.location or fact.location)


def _culprit(r: FactResult, code: str) -> CitationResult | None:
    """The citation that explains a failure: the first with the failing verdict, or the unexpected one."""
    if code == "FL306":
        return next(iter(r.unexpected), None)
    if code == "FL308":
        return next((c for c in r.citations if c.warnings), None)
    wanted = "refuted" if r.verdict == "disputed" else r.verdict
    return next((c for c in r.citations if not c.citation.contradicts and c.verdict == wanted), None)


def fact_issue(r: FactResult, report: Report, lines: Lines | None = None) -> Issue | None:
    """The error for a failing fact, or None when it passes.

    A refuted or disputed fact points at its value in the fact file; a quote
    not found, unverified or no longer contradicting points at the quote; the
    related place is the quote's span in the source.
    """
    strict = report.strict
    code = r.failure(strict)
    if code is None or r.passes(strict=strict):
        return None
    fact = r.fact
    culprit = _culprit(r, code)
    if code in ("FL301", "FL304") and fact.value_location is not None:
        place = Place.of(fact.value_location)
    elif culprit is not None:
        place = _quote_place(culprit.citation, fact)
    else:
        place = Place.of(fact.location)
    why = _why(r, code, culprit)
    related = source = None
    if culprit is not None:
        source = culprit.citation.source
        related = (lines or Lines(report)).place(source, culprit.span)
    return Issue(
        code,
        "error",
        f"{r.label(strict)}: {fact.claim}" + (f" — {why}" if why else ""),
        place,
        detail=explain(r, strict=strict),
        key=fact.key,
        related=related,
        related_source=source,
        headline=f"{r.label(strict)}: {fact.claim}",
    )


def _why(r: FactResult, code: str, culprit: CitationResult | None) -> str:
    if culprit is None:
        own = [m.message for m in r.messages if m.code == code]
        return own[0] if own else ""
    if code == "FL306":
        return f"@{culprit.citation.source} is marked 'contradicts' but is now {culprit.verdict}"
    if code == "FL308":
        return "strict mode: " + "; ".join(w.message for w in culprit.warnings)
    found = [m.message for m in culprit.messages if m.severity != "note"] or [
        m.message for m in culprit.messages
    ]
    return f"@{culprit.citation.source}: " + (found[0] if found else culprit.verdict)


def _warning_issue(w: Finding, r: FactResult, c: CitationResult | None, lines: Lines) -> Issue:
    place = _quote_place(c.citation, r.fact) if c is not None else Place.of(w.location or r.fact.location)
    related = lines.place(w.source, w.span or (c.span if c else None)) if w.source else None
    return Issue(
        w.code,
        w.severity,
        w.text,
        place,
        w.hint,
        key=r.fact.key,
        related=related,
        related_source=w.source,
    )


def report_issues(report: Report, *, notes: bool = False) -> list[Issue]:
    """Every failing fact, conflict and warning of a report (and the notes, if asked), in file order."""
    return list(iter_issues(report, notes=notes))


def file_runs(report: Report) -> Iterator[tuple[str, list[int]]]:
    """The report's facts file by file, in order: (the file as shown, its facts' indices).

    A file's share of any report format is made from these facts alone, so
    an unchanged file's share can be kept and replayed (:mod:`factlang.blockcache`).
    """
    current: str | None = None
    run: list[int] = []
    for n, r in enumerate(report.facts):
        path = r.fact.location.path if r.fact.location is not None else ""
        if path != current:
            if current is not None:
                yield current, run
            current, run = path, []
        run.append(n)
    if current is not None:
        yield current, run


def write_by_file(
    report: Report,
    out: IO[str],
    file_parts: Callable[[Report], Iterator[tuple[str, tuple[str, ...]]]],
    write_parts: Callable[..., None],
    diagnostics: Sequence[Diagnostic] = (),
    where: Collection[str] = (),
) -> None:
    """Write a format of ``report`` from the report's own shares, file by file (a format's writer).

    ``file_parts`` and ``write_parts`` are the format's (:data:`~factlang.render.PARTS`);
    ``where`` is the files that fail, for a format whose summary names them.
    The cyclic collector is paused meanwhile: rendering makes only
    short-lived, acyclic garbage (see :func:`~factlang.render.json.write_json`).
    """
    with paused_gc():
        shares = (share for _, share in file_parts(report))
        write_parts(out, shares, report, report.summary(), where, diagnostics)


def iter_issues(report: Report, *, notes: bool = False) -> Iterator[Issue]:
    """The issues of :func:`report_issues`, one at a time (a writer need not hold them all)."""
    lines = Lines(report)
    for n in range(len(report.facts)):
        yield from fact_issues(report, n, lines, notes=notes)
    yield from conflict_issues(report)


def fact_issues(report: Report, n: int, lines: Lines | None = None, *, notes: bool = False) -> list[Issue]:
    """The issues of the ``n``-th fact of a report: its failure, then its warnings (and notes, if asked).

    They depend on that fact's result alone, so a fact file's share of a
    report can be rendered, and kept, apart from the rest.
    """
    lines = lines or Lines(report)
    r = report.facts[n]
    mine: list[Issue] = []
    failing = fact_issue(r, report, lines)
    if failing is not None:
        mine.append(failing)
    for c in r.citations:
        mine.extend(_warning_issue(w, r, c, lines) for w in c.warnings)
        if notes:
            mine.extend(_warning_issue(m, r, c, lines) for m in c.messages if m.severity == "note")
    mine.extend(_warning_issue(m, r, None, lines) for m in r.messages if m.severity == "warning")
    return [attrs.evolve(i, fact=n) for i in mine]


def conflict_issues(report: Report) -> Iterator[Issue]:
    """An ``FL307`` issue for each conflict of a report, in order."""
    for conflict in report.conflicts:
        first = conflict.facts[0]
        facts = [
            f"{f.location}: {f.claim} (@ {', '.join(c.source for c in f.citations) or 'no citation'})"
            for f in conflict.facts
        ]
        yield Issue(
            "FL307",
            "error",
            f"conflict: {conflict.key}: {conflict.message}",
            Place.of(first.value_location or first.location),
            detail="\n".join([conflict.message, *facts]),
            key=conflict.key,
        )
