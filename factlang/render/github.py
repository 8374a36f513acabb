"""GitHub Actions workflow commands: annotations on the fact files.

One ``::error`` per static error, failing fact and conflict, one
``::warning`` per warning; the title is the finding code (``FL301``), the
region the offending place (a refuted fact's value, a quote not found).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO

from factlang._gc import paused_gc
from factlang.diagnostics import Diagnostic
from factlang.render.issues import Issue, diagnostic_issues, iter_issues
from factlang.render.text import found_line, summary_line
from factlang.report import Report

__all__ = ["render_github", "write_github"]

_KIND = {"error": "error", "warning": "warning", "note": "notice"}


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _annotation(issue: Issue) -> str:
    props = []
    place = issue.place
    if place is not None:
        props.append(f"file={_gh_escape(place.path, prop=True)}")
        if place.line > 0:
            props += [f"line={place.line}", f"col={place.column}"]
            props += [f"endLine={place.end_line}", f"endColumn={place.end_column}"]
    props.append(f"title={_gh_escape(issue.code, prop=True)}")
    message = issue.detail or issue.message
    if issue.hint:
        message += f"\nhint: {issue.hint}"
    return f"::{_KIND[issue.severity]} {','.join(props)}::{_gh_escape(message)}"


def write_github(report: Report, out: IO[str], diagnostics: Sequence[Diagnostic] = ()) -> None:
    """Write the annotations to ``out`` one at a time; the same text as :func:`render_github`."""
    with paused_gc():  # only short-lived, acyclic garbage (see render.json)
        for issue in diagnostic_issues(diagnostics):
            out.write(_annotation(issue) + "\n")
        for issue in iter_issues(report):
            out.write(_annotation(issue) + "\n")
    out.write((found_line(diagnostics) if diagnostics else summary_line(report)) + "\n")


def render_github(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """GitHub Actions annotations for every finding, then the summary line."""
    out = io.StringIO()
    write_github(report, out, diagnostics)
    return out.getvalue()
