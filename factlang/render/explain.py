"""The explainer: the human account of a fact and its citations, shared by every renderer."""

from __future__ import annotations

from typing import Final

from factlang.report import CitationResult, FactResult

__all__ = ["STYLES", "citation_lines", "explain", "mark_evidence", "style"]

# ANSI styles for a terminal; the plain markers are used everywhere else.
STYLES: Final = {
    "supported": "\x1b[32m",
    "refuted": "\x1b[31m",
    "disputed": "\x1b[31m",
    "not-found": "\x1b[33m",
    "unverified": "\x1b[33m",
    "uncited": "\x1b[33m",
    "span": "\x1b[1;4m",
    "quantity": "\x1b[7m",
    "dim": "\x1b[2m",
    "bold": "\x1b[1m",
}
_RESET: Final = "\x1b[0m"


def style(text: str, name: str, color: bool) -> str:
    """``text`` in an ANSI style when ``color``, else as it is."""
    return f"{STYLES[name]}{text}{_RESET}" if color else text


def mark_evidence(result: CitationResult, *, color: bool = False) -> str | None:
    """The evidence sentence with the quote's span and the stated quantities marked.

    Plain text marks the quote with ``«…»`` and quantities with ``[…]``; on a
    terminal they are underlined and highlighted instead.
    """
    if result.evidence is None or result.evidence_start is None:
        return None
    base = result.evidence_start
    text = result.evidence
    marks: list[tuple[int, int, str]] = []  # (offset, order, marker)
    if result.span is not None and not result.auto:
        a, b = result.span[0] - base, result.span[1] - base
        if 0 <= a <= b <= len(text):
            marks += [(a, 0, STYLES["span"] if color else "«"), (b, 3, _RESET if color else "»")]
    for q in result.stated:
        a, b = q.start - base, q.end - base
        if 0 <= a <= b <= len(text):
            marks += [(a, 1, STYLES["quantity"] if color else "["), (b, 2, _RESET if color else "]")]
    out: list[str] = []
    last = 0
    active_span = False
    for offset, order, marker in sorted(marks):
        out.append(text[last:offset])
        out.append(marker)
        if color and order == 0:
            active_span = True
        if color and order == 3:
            active_span = False
        if color and order == 2 and active_span:
            out.append(STYLES["span"])  # resume the span's style after a quantity
        last = offset
    out.append(text[last:])
    return " ".join("".join(out).split())


def citation_lines(c: CitationResult, color: bool) -> list[str]:
    """The lines that explain one citation: its verdict, the marked evidence, its messages."""
    tag = f"@ {c.citation.source}"
    if c.citation.contradicts:
        outcome = "known error, reproduced" if c.verdict == "refuted" else "known error NO LONGER reproduced"
        head = f"    {tag} (contradicts): {c.verdict} — {outcome}"
    else:
        head = f"    {tag}: {c.verdict}"
    if c.page is not None:
        head += f" (p. {c.page})"
    if c.auto:
        head += " (found by searching the source)"
    out = [head]
    marked = mark_evidence(c, color=color)
    if marked:
        out.append(f"      > {marked}")
    out.extend(f"      {m}" for m in c.messages if not m.startswith("evidence found by searching"))
    out.extend(f"      warning: {w}" for w in c.warnings)
    return out


def explain(r: FactResult) -> str:
    """The human explanation of a fact: its verdict, each citation, its messages."""
    lines = [f"{r.verdict}: {r.fact.claim}"]
    for c in r.citations:
        lines.extend(citation_lines(c, False))
    lines.extend(f"    {m}" for m in r.messages)
    return "\n".join(lines)
