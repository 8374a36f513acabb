"""Markdown (``--format markdown``): a summary for a pull request or ``$GITHUB_STEP_SUMMARY``.

A headline with the outcome, a table of verdict counts, then a table of
every finding (static errors, failing facts, conflicts, warnings) with its
code and place. Text from facts and sources is escaped for Markdown tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from factlang.diagnostics import Diagnostic
from factlang.render.issues import Issue, diagnostic_issues, report_issues
from factlang.render.text import found_line, plural, summary_line
from factlang.report import FACT_VERDICTS, Report

__all__ = ["render_markdown"]


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


def render_markdown(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """The report as a Markdown summary."""
    issues = [*diagnostic_issues(diagnostics), *report_issues(report)]
    lines: list[str] = []
    if diagnostics:
        lines += ["## factlang: errors, nothing verified", "", found_line(diagnostics), ""]
    else:
        s = report.summary()
        mark = "✅" if report.ok else "❌"
        outcome = "all facts hold" if report.ok else f"{plural(s['failed'] + s['conflicts'], 'error')}"
        lines += [f"## {mark} factlang: {plural(s['facts'], 'fact')}, {outcome}", ""]
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
        lines += ["", summary_line(report), ""]
    if issues:
        lines += ["| | code | where | finding |", "|---|---|---|---|"]
        for i in issues:
            icon = {"error": "❌", "warning": "⚠️", "note": "ℹ️"}[i.severity]
            lines.append(f"| {icon} | {i.code} | {_where(i)} | {_cell(i.message)} |")
        lines.append("")
    return "\n".join(lines)
