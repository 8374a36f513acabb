"""GitHub Actions workflow commands: annotations on the fact files."""

from __future__ import annotations

from factlang.render.explain import explain
from factlang.render.text import summary_line
from factlang.report import FactResult, Report

__all__ = ["render_github"]


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _annotation(kind: str, r: FactResult, title: str, message: str) -> str:
    loc = r.fact.location
    props = []
    if loc is not None:
        props = [f"file={_gh_escape(loc.path, prop=True)}", f"line={loc.line}", f"col={loc.column}"]
    props.append(f"title={_gh_escape(title, prop=True)}")
    return f"::{kind} {','.join(props)}::{_gh_escape(message)}"


def render_github(report: Report) -> str:
    """GitHub Actions annotations: an error per failing fact and conflict, a warning per warning."""
    lines = []
    for r in report.facts:
        if not r.passes(strict=report.strict):
            label = r.label(report.strict)
            lines.append(
                _annotation("error", r, f"factlang {label}: {r.fact.key}", explain(r, strict=report.strict))
            )
        for w in r.warnings:
            lines.append(_annotation("warning", r, f"factlang warning: {r.fact.key}", w.text))
    for c in report.conflicts:
        first = c.facts[0]
        fake = FactResult(first, "refuted")
        lines.append(_annotation("error", fake, f"factlang conflict: {c.key}", c.message))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
