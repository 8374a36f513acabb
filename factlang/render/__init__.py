"""Renderers: a :class:`~factlang.report.Report` to text, JSON, JUnit, GitHub, SARIF, Markdown or a site.

Renderers only read the report. One module per format; :mod:`factlang.render.explain`
holds the human explanation they share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import IO, Final, NamedTuple, Protocol

from factlang.diagnostics import Diagnostic
from factlang.render import github, json, junit, markdown, sarif, text
from factlang.render.explain import citation_lines, explain, mark_evidence
from factlang.render.github import render_github, write_github
from factlang.render.json import JSON_VERSION, render_json, to_data, write_json
from factlang.render.junit import render_junit, write_junit
from factlang.render.markdown import render_markdown, write_markdown
from factlang.render.sarif import render_sarif, write_sarif
from factlang.render.text import render_text, summary_line
from factlang.report import Report

__all__ = [
    "FORMATS",
    "JSON_VERSION",
    "PARTS",
    "WRITERS",
    "Parts",
    "Renderer",
    "Writer",
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
    "write_github",
    "write_json",
    "write_junit",
    "write_markdown",
    "write_sarif",
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


class Writer(Protocol):
    """A machine format written to a stream as it is made (large reports are never one string)."""

    def __call__(self, report: Report, out: IO[str], diagnostics: Sequence[Diagnostic] = ..., /) -> None:
        """Write the report in this format to ``out``."""
        ...


#: The machine formats as writers, each giving the same text as its renderer in :data:`FORMATS`.
WRITERS: Final[dict[str, Writer]] = {
    "json": write_json,
    "junit": write_junit,
    "github": write_github,
    "sarif": write_sarif,
    "markdown": write_markdown,
}


class Parts(NamedTuple):
    """A format written file by file: each fact file's share depends on its facts alone.

    ``shares(report, color=, verbosity=)`` gives (file, share) in order, a
    file perhaps several times (its shares then join part by part with
    ``joins``); ``write(out, shares, tail, summary, where, color=,
    verbosity=)`` writes the whole output from the shares, ``tail`` holding
    the conflicts and every cited source's origin. Writing a report's own
    shares gives its writer's text (:data:`WRITERS`, :func:`render_text`),
    so an unchanged file's shares can be kept and replayed (:mod:`factlang.blockcache`).
    """

    shares: Callable[..., Iterator[tuple[str, tuple[str, ...]]]]
    write: Callable[..., None]
    joins: tuple[str, ...]
    #: Whether ``tail`` must hold every cited source's origin (else only those that changed since pinned).
    origins: bool = False


#: The formats written file by file.
PARTS: Final[dict[str, Parts]] = {
    "text": Parts(text.file_parts, text.write_parts, text.JOINS),
    "json": Parts(json.file_parts, json.write_parts, json.JOINS, origins=True),
    "junit": Parts(junit.file_parts, junit.write_parts, junit.JOINS),
    "github": Parts(github.file_parts, github.write_parts, github.JOINS),
    "sarif": Parts(sarif.file_parts, sarif.write_parts, sarif.JOINS),
    "markdown": Parts(markdown.file_parts, markdown.write_parts, markdown.JOINS),
}
