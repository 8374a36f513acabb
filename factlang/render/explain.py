"""The explainer: the human account of a fact and its citations, shared by every renderer."""

from __future__ import annotations

from typing import Final

from factlang.report import CitationResult, FactResult

__all__ = ["STYLES", "citation_lines", "explain", "headline", "mark_evidence", "style"]

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
    spans = result.spans or ((result.span,) if result.span is not None else ())
    for span in () if result.auto else spans:
        a, b = span[0] - base, span[1] - base
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


def citation_lines(c: CitationResult, color: bool = False, *, detail: bool = False) -> list[str]:
    """The lines that explain one citation: its verdict, the marked evidence, its findings.

    The compact form is the CLI's (indented under the fact's line); ``detail``
    adds the quote and the stated quantities, as test failures show them.
    """
    pad, sub = ("  ", "    ") if detail else ("    ", "      ")
    head = f"{pad}@ {c.citation.source}"
    if c.citation.contradicts:
        outcome = "known error, reproduced" if c.verdict == "refuted" else "known error NO LONGER reproduced"
        head += f" (contradicts): {c.verdict} — {outcome}"
    else:
        head += f": {c.verdict}"
    if c.page is not None:
        head += f" (p. {c.page})"
    if c.auto:
        head += (
            " (no quote: evidence found by searching the source)"
            if detail
            else " (found by searching the source)"
        )
    out = [head]
    if detail and c.citation.quote is not None:
        out.append(f'{sub}quote:    "{c.citation.quote}"')
    marked = mark_evidence(c, color=color)
    if marked:
        out.append(f"{sub}evidence: {marked}" if detail else f"{sub}> {marked}")
    if detail and c.stated:
        out.append(f"{sub}states:   {', '.join(q.text for q in c.stated)}")
    out.extend(f"{sub}{m.message}" for m in c.messages if m.code != "FL200")
    out.extend(f"{sub}warning: {w.message}" for w in c.warnings)
    return out


def headline(result: FactResult, strict: bool = False) -> str:
    """The first line of a failing fact's explanation: what is wrong, and the claim."""
    claim = result.fact.claim
    if result.verdict != "supported":
        return f"{result.verdict}: {claim}"
    if result.unexpected:
        return f"known error no longer reproduces: {claim}"
    if strict and result.warnings:
        return f"warnings (strict mode): {claim}"
    return f"{result.verdict}: {claim}"


def explain(result: FactResult, *, strict: bool = False, color: bool = False, brief: bool = False) -> str:
    """Why a fact fails (or holds): verdict, each citation's quote and evidence, findings.

    The one human explanation of a fact: test failures (pytest), JUnit and
    GitHub annotations, the MkDocs build log and the site use it. ``brief``
    gives one line per failing citation (a build log's form).
    """
    loc = result.fact.location
    if brief:
        lines = [f"{loc}: {result.label(strict)}: {result.fact.claim}"]
        for cite in result.citations:
            if cite.ok and not (strict and cite.warnings):
                continue
            tag = f"@{cite.citation.source}" + (" (contradicts)" if cite.citation.contradicts else "")
            why = "; ".join(f.message for f in (*cite.messages, *cite.warnings)) or cite.verdict
            lines.append(f"  {tag}: {cite.verdict}: {why}")
        lines += [f"  {m.message}" for m in result.messages]
        return "\n".join(lines)
    lines = [headline(result, strict)]
    if loc is not None:
        lines.append(f"  at {loc}")
    for c in result.citations:
        lines.extend(citation_lines(c, color, detail=True))
    lines.extend(f"  {m.message}" for m in result.messages)
    if strict and result.warnings and result.verdict == "supported" and not result.unexpected:
        lines.append("  strict mode: warnings fail the fact")
    return "\n".join(lines)
