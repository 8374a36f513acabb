"""GitHub Actions workflow commands: annotations on the fact files.

One ``::error`` per static error, failing fact and conflict, one
``::warning`` per warning; the title is the finding code (``FL301``), the
region the offending place (a refuted fact's value, a quote not found).
"""

from __future__ import annotations

import io
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
from factlang.render.text import failing_files, found_line, summary_text
from factlang.report import Report

__all__ = ["JOINS", "file_parts", "render_github", "write_github", "write_parts"]

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


#: How a file's shares (:func:`file_parts`) join when one file yields several.
JOINS: Final = ("",)


def file_parts(report: Report, **_: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The fact files' shares of the annotations, in order: (the file as shown, (lines,)), fact by fact."""
    lines = Lines(report)
    for path, ns in file_runs(report):
        for n in ns:
            yield path, ("".join(_annotation(issue) + "\n" for issue in fact_issues(report, n, lines)),)


def write_parts(
    out: IO[str],
    parts: Iterable[tuple[str, ...]],
    tail: Report,
    summary: Mapping[str, int],
    where: Collection[str] = (),
    diagnostics: Sequence[Diagnostic] = (),
    **_: object,
) -> None:
    """Write the annotations of the files' shares (:func:`file_parts`), the conflicts', the summary."""
    for issue in diagnostic_issues(diagnostics):
        out.write(_annotation(issue) + "\n")
    for (text,) in parts:
        out.write(text)
    for issue in conflict_issues(tail):
        out.write(_annotation(issue) + "\n")
    out.write((found_line(diagnostics) if diagnostics else summary_text(summary, where)) + "\n")


def write_github(report: Report, out: IO[str], diagnostics: Sequence[Diagnostic] = ()) -> None:
    """Write the annotations to ``out`` one at a time; the same text as :func:`render_github`."""
    write_by_file(report, out, file_parts, write_parts, diagnostics, failing_files(report))


def render_github(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """GitHub Actions annotations for every finding, then the summary line."""
    out = io.StringIO()
    write_github(report, out, diagnostics)
    return out.getvalue()
