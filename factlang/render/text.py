"""Human output for a terminal: the failures, the warnings and a summary.

Quiet by default, like ruff or pytest: a failing fact is shown as a
diagnostic (``file:line:col: error: ...``, the line and a caret under the
value or the quote) followed by its evidence; a warning as one line with its
code; passing facts are not listed. ``verbosity`` 1 (``-v``) lists every
fact with its evidence, -1 (``-q``) only the summary line.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Final

from factlang.diagnostics import Diagnostic
from factlang.render.explain import STYLES, citation_lines, style
from factlang.render.issues import Issue, Lines, conflict_issues, fact_issues, file_runs
from factlang.report import FactResult, Report

__all__ = [
    "JOINS",
    "failing_files",
    "file_blocks",
    "file_parts",
    "found_line",
    "plural",
    "render_text",
    "summary_line",
    "summary_text",
    "tail_text",
    "write_parts",
]


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 fact``, ``2 facts`` (``words`` for irregular plurals)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


class _FileLines:
    """The lines of fact files, read once each, for the line under a caret."""

    def __init__(self) -> None:
        self.files: dict[str, list[str] | None] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self.files:
            try:
                self.files[path] = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self.files[path] = None
        lines = self.files[path]
        return lines[number - 1] if lines is not None and 0 < number <= len(lines) else None


def _diagnostic(issue: Issue, files: _FileLines) -> Diagnostic:
    """An issue as a diagnostic, to render with the same header, line and caret as a static error."""
    place = issue.place
    if place is None:
        return Diagnostic(issue.message, severity=issue.severity, hint=issue.hint, code=issue.code)
    width = place.end_column - place.column if place.end_line == place.line else 1
    return Diagnostic(
        f"{issue.headline or issue.message} [{issue.code}]",
        place.path,
        place.line,
        place.column,
        max(width, 1),
        issue.severity,
        issue.hint,
        files.line(place.path, place.line) if place.line > 0 else None,
        issue.code,
    )


def _fact_line(r: FactResult, strict: bool, color: bool) -> str:
    loc = r.fact.location
    label = r.label(strict)
    shown = style(label, label if label in STYLES else "refuted", color)
    if r.is_suppressed(strict):
        shown += f" (suppressed: {', '.join(r.suppressed)})"
    return f"{loc if loc is not None else '<unknown>'}: {shown}: {r.fact.claim}"


def _evidence(r: FactResult, color: bool) -> list[str]:
    lines: list[str] = []
    for c in r.citations:
        lines.extend(citation_lines(c, color))
    lines.extend(f"    {m}" for m in r.messages if m.severity != "warning")
    return lines


def render_text(report: Report, *, color: bool = False, verbose: bool = False, verbosity: int = 0) -> str:
    """Human output: failures (and warnings) as diagnostics with evidence, then a summary line.

    ``verbose`` is ``verbosity=1``. The output is each fact file's block
    (:func:`file_blocks`), then :func:`tail_text` and the summary line.
    """
    level = 1 if verbose else verbosity
    if level < 0:
        return summary_line(report) + "\n"
    blocks = "".join(block for _, block in file_blocks(report, color=color, verbosity=level))
    return blocks + tail_text(report, color=color) + summary_line(report) + "\n"


def file_blocks(report: Report, *, color: bool = False, verbosity: int = 0) -> Iterator[tuple[str, str]]:
    """Each fact file's share of the text report, in order: (its path as shown, its lines, each ended).

    A block depends only on its facts' results and the file's lines, so an
    unchanged file's block can be kept and replayed (:mod:`factlang.blockcache`).
    Nothing is shown for a passing fact unless ``verbosity`` is 1.
    """
    files = _FileLines()
    strict = report.strict
    lines = Lines(report)
    for path, ns in file_runs(report):
        out: list[str] = []
        for n in ns:
            r = report.facts[n]
            mine = fact_issues(report, n, lines)
            failing = [i for i in mine if i.severity == "error"]
            if failing:
                out.append(_diagnostic(failing[0], files).render(color=color) + "\n")
                out.extend(line + "\n" for line in _evidence(r, color))
            elif verbosity > 0 or r.is_suppressed(strict):
                out.append(_fact_line(r, strict, color) + "\n")
                if verbosity > 0:
                    out.extend(line + "\n" for line in _evidence(r, color))
            if not failing and verbosity == 0:
                out.extend(_diagnostic(w, files).render(color=color) + "\n" for w in mine)
        yield path, "".join(out)


#: How a file's shares (:func:`file_parts`) join when one file yields several.
JOINS: Final = ("",)


def file_parts(
    report: Report, *, color: bool = False, verbosity: int = 0, **_: object
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """:func:`file_blocks` as the other formats give their shares: (the file as shown, (its block,))."""
    if verbosity < 0:
        return
    for path, block in file_blocks(report, color=color, verbosity=verbosity):
        yield path, (block,)


def write_parts(
    out: IO[str],
    parts: Iterable[tuple[str, ...]],
    tail: Report,
    summary: Mapping[str, int],
    where: Collection[str] = (),
    *,
    color: bool = False,
    verbosity: int = 0,
    **_: object,
) -> None:
    """Write the text report from the files' blocks (:func:`file_parts`): :func:`render_text`'s text."""
    if verbosity >= 0:
        for (block,) in parts:
            out.write(block)
        out.write(tail_text(tail, color=color))
    out.write(summary_text(summary, where) + "\n")


def tail_text(report: Report, *, color: bool = False) -> str:
    """What follows the facts' blocks: the conflicts, and the sources that changed since pinned."""
    files = _FileLines()
    lines: list[str] = []
    for issue in conflict_issues(report):
        lines.append(_diagnostic(issue, files).render(color=color))
        lines.extend(f"    {part}" for part in (issue.detail or "").splitlines()[1:])
    for origin in report.origins.values():
        if origin.changed is not None:
            lines.append(f"source '{origin.id}': {style('changed', 'not-found', color)}: {origin.changed}")
    return "".join(line + "\n" for line in lines)


def failing_files(report: Report) -> set[str]:
    """The files of the failing facts and of the conflicts' first facts (the summary line names them)."""
    where = {str(r.fact.location.path) for r in report.failed if r.fact.location is not None}
    where |= {f.location.path for c in report.conflicts for f in c.facts[:1] if f.location is not None}
    return where


def summary_line(report: Report) -> str:
    """``62 facts: 60 supported, 2 refuted; 4 known errors reproduced; ...``."""
    return summary_text(report.summary(), failing_files(report))


def summary_text(s: Mapping[str, int], where: Collection[str]) -> str:
    """The summary line of counts ``s`` (as :meth:`Report.summary` gives them); failures are in ``where``."""
    verdicts = ", ".join(
        f"{s[k]} {k}"
        for k in ("supported", "refuted", "disputed", "unverified", "not-found", "uncited")
        if s[k]
    )
    parts = [f"{plural(s['facts'], 'fact')}: {verdicts or 'none'}"]
    if s["expected_failures"]:
        parts.append(f"{plural(s['expected_failures'], 'known error')} reproduced")
    if s["unexpected_passes"]:
        parts.append(f"{plural(s['unexpected_passes'], 'known error')} no longer reproduced")
    parts.append(plural(s["conflicts"], "conflict"))
    parts.append(plural(s["warnings"], "warning"))
    if s["suppressed"]:
        parts.append(f"{s['suppressed']} suppressed")
    if not s["failed"] and not s["conflicts"]:
        parts.append("OK")
    else:
        errors = s["failed"] + s["conflicts"]
        parts.append(f"FAILED: found {plural(errors, 'error')} in {plural(len(where), 'file')}")
    return "; ".join(parts)


def found_line(diagnostics: Sequence[Diagnostic]) -> str:
    """``Found 3 errors in 2 files.`` (and the warnings), the last line of a static error report."""
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = len(diagnostics) - len(errors)
    files = {d.path for d in errors if d.path}
    line = f"Found {plural(len(errors), 'error')}"
    if files:
        line += f" in {plural(len(files), 'file')}"
    if warnings:
        line += f" and {plural(warnings, 'warning')}"
    return line + "."
