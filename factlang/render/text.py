"""Human output for a terminal: one line per fact, evidence for failures, a summary."""

from __future__ import annotations

from factlang.render.explain import STYLES, citation_lines, style
from factlang.report import FactResult, Report

__all__ = ["plural", "render_text", "summary_line"]


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 fact``, ``2 facts`` (``words`` for irregular plurals)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _loc(result: FactResult) -> str:
    loc = result.fact.location
    return str(loc) if loc is not None else "<unknown>"


def render_text(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    """Human output: one line per fact, evidence for failures and warnings, a summary."""
    lines: list[str] = []
    for r in report.facts:
        passed = r.passes(strict=report.strict)
        label = r.label(report.strict)
        lines.append(
            f"{_loc(r)}: {style(label, label if label in STYLES else 'refuted', color)}: {r.fact.claim}"
        )
        if passed and not verbose and not r.warnings and not any(c.citation.contradicts for c in r.citations):
            continue
        for c in r.citations:
            lines.extend(citation_lines(c, color))
        for m in r.messages:
            lines.append(f"    {m}")
    for conflict in report.conflicts:
        first = conflict.facts[0].location
        where = f"{first}: " if first is not None else ""
        lines.append(f"{where}{style('conflict', 'refuted', color)}: {conflict.key}: {conflict.message}")
        for f in conflict.facts:
            sources = ", ".join(c.source for c in f.citations) or "no citation"
            lines.append(f"    {f.location}: {f.claim} (@ {sources})")
    for origin in report.origins.values():
        if origin.changed is not None:
            lines.append(f"source '{origin.id}': {style('changed', 'not-found', color)}: {origin.changed}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    """``62 facts: 60 supported, 2 refuted; 4 known errors reproduced; ...``."""
    s = report.summary()
    verdicts = ", ".join(
        f"{s[k]} {k}"
        for k in ("supported", "refuted", "disputed", "unverified", "not-found", "uncited")
        if s[k]
    )
    parts = [f"{s['facts']} facts: {verdicts or 'none'}"]
    if s["expected_failures"]:
        parts.append(f"{s['expected_failures']} known errors reproduced")
    if s["unexpected_passes"]:
        parts.append(f"{s['unexpected_passes']} known errors no longer reproduced")
    parts.append(f"{s['conflicts']} conflicts")
    parts.append(f"{s['warnings']} warnings")
    parts.append("OK" if report.ok else f"FAILED ({s['failed']} facts failed)")
    return "; ".join(parts)
