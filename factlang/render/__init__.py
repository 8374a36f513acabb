"""Renderers: a :class:`~factlang.report.Report` to text, JSON, JUnit, GitHub annotations or a site.

Renderers only read the report. One module per format; :mod:`factlang.render.explain`
holds the human explanation they share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from factlang.render.explain import citation_lines, explain, mark_evidence
from factlang.render.github import render_github
from factlang.render.json import JSON_VERSION, render_json, to_data
from factlang.render.junit import render_junit
from factlang.render.text import render_text, summary_line
from factlang.report import Report

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "citation_lines",
    "explain",
    "mark_evidence",
    "render_github",
    "render_json",
    "render_junit",
    "render_text",
    "summary_line",
    "to_data",
]

FORMATS: Final[dict[str, Callable[[Report], str]]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}
