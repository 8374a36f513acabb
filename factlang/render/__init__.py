"""Renderers: a :class:`~factlang.report.Report` to text, JSON, JUnit, GitHub, SARIF, Markdown or a site.

Renderers only read the report. One module per format; :mod:`factlang.render.explain`
holds the human explanation they share.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol

from factlang.diagnostics import Diagnostic
from factlang.render.explain import citation_lines, explain, mark_evidence
from factlang.render.github import render_github
from factlang.render.json import JSON_VERSION, render_json, to_data
from factlang.render.junit import render_junit
from factlang.render.markdown import render_markdown
from factlang.render.sarif import render_sarif
from factlang.render.text import render_text, summary_line
from factlang.report import Report

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "Renderer",
    "citation_lines",
    "explain",
    "mark_evidence",
    "render_github",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_text",
    "summary_line",
    "to_data",
]


class Renderer(Protocol):
    """A machine format: the report, and the static errors of a run that could not verify."""

    def __call__(self, report: Report, diagnostics: Sequence[Diagnostic] = ..., /) -> str:
        """The report in this format."""
        ...


#: The machine formats of ``factlang check --format`` (text has its own options).
FORMATS: Final[dict[str, Renderer]] = {
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
    "sarif": render_sarif,
    "markdown": render_markdown,
}
