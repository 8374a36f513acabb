"""Markdown (``--format markdown``): a summary for a pull request or ``$GITHUB_STEP_SUMMARY``.

A headline with the outcome, a table of verdict counts, then a table of
every finding (static errors, failing facts, conflicts, warnings) with its
code and place. Text from facts and sources is escaped for Markdown tables.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, Final

from factlang.diagnostics import Diagnostic
from factlang.render.issues import (
    Issue,
    Lines,
    conflict_issues,
    diagnostic_issues,
    fact_issues,
    file_runs,
    write_by_file,
)
from factlang.render.text import failing_files, found_line, plural, summary_text
from factlang.report import FACT_VERDICTS, Report

__all__ = ["JOINS", "file_parts", "render_markdown", "write_markdown", "write_parts"]


def _cell(text: str) -> str:
    # A table cell is one line; pipes, backticks and HTML would break out of it.
    out = " ".join(text.split())
    for ch in "\\|`*_[]<>":
        out = out.replace(ch, "\\" + ch)
    return out


def _where(issue: Issue) -> str:
    place = issue.place
    if place is None:
        return ""
    return f"`{place.path}:{place.line}:{place.column}`" if place.line > 0 else f"`{place.path}`"


#: How a file's shares (:func:`file_parts`) join when one file yields several.
JOINS: Final = ("",)

_TABLE_HEAD: Final = "| | code | where | finding |\n|---|---|---|---|\n"


def _row(issue: Issue) -> str:
    icon = {"error": "❌", "warning": "⚠️", "note": "ℹ️"}[issue.severity]
    return f"| {icon} | {issue.code} | {_where(issue)} | {_cell(issue.message)} |\n"


def file_parts(report: Report, **_: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The fact files' shares of the findings table, in order: (the file as shown, (rows,)), fact by fact."""
    lines = Lines(report)
    for path, ns in file_runs(report):
        for n in ns:
            yield path, ("".join(_row(issue) for issue in fact_issues(report, n, lines)),)


def _head(summary: Mapping[str, int], where: Collection[str]) -> str:
    """The headline, the table of counts and the summary line."""
    s = summary
    ok = not s["failed"] and not s["conflicts"]
    mark = "✅" if ok else "❌"
    outcome = "all facts hold" if ok else f"{plural(s['failed'] + s['conflicts'], 'error')}"
    lines = [f"## {mark} factlang: {plural(s['facts'], 'fact')}, {outcome}", ""]
    lines += ["| verdict | facts |", "|---|---:|"]
    lines += [f"| {v} | {s[v]} |" for v in FACT_VERDICTS if s[v]]
    for name, key in (
        ("known errors reproduced", "expected_failures"),
        ("conflicts", "conflicts"),
        ("warnings", "warnings"),
        ("suppressed", "suppressed"),
    ):
        if s[key]:
            lines.append(f"| {name} | {s[key]} |")
    return "\n".join([*lines, "", summary_text(s, where), ""])


def write_parts(
    out: IO[str],
    parts: Iterable[tuple[str, ...]],
    tail: Report,
    summary: Mapping[str, int],
    where: Collection[str] = (),
    diagnostics: Sequence[Diagnostic] = (),
    **_: object,
) -> None:
    """Write the summary from the files' shares (:func:`file_parts`); ``tail`` holds the conflicts.

    ``where`` is the files that fail (the summary line names them).
    """
    if diagnostics:
        out.write("\n".join(["## factlang: errors, nothing verified", "", found_line(diagnostics), ""]))
    else:
        out.write(_head(summary, where))
    # The findings: static errors, then each file's facts', then the conflicts.
    rows = itertools.chain(
        ("".join(map(_row, diagnostic_issues(diagnostics))),),
        (share for (share,) in parts),
        ("".join(map(_row, conflict_issues(tail))),),
    )
    opened = False
    for text in rows:
        if text:
            if not opened:
                out.write("\n" + _TABLE_HEAD)  # a blank line, then the table: only if it has a row
                opened = True
            out.write(text)


def write_markdown(report: Report, out: IO[str], diagnostics: Sequence[Diagnostic] = ()) -> None:
    """Write the summary to ``out``, a fact's rows at a time; the same text as :func:`render_markdown`."""
    write_by_file(report, out, file_parts, write_parts, diagnostics, failing_files(report))


def render_markdown(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """The report as a Markdown summary."""
    out = io.StringIO()
    write_markdown(report, out, diagnostics)
    return out.getvalue()
