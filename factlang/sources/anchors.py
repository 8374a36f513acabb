"""Re-anchoring a citation in a source that changed since it was locked (SPEC §2.1).

The lock keeps, per quote, the span it was found at and up to 32 characters
of the text before and after it, the way Web Annotation's TextQuoteSelector
does. When the source's text changed, the verifier's own match of the quote
in the new text is compared with that anchor:

- the anchored passage is found again with its context: the citation is
  **moved** (a warning giving the old and new place) unless it is still at
  the same place;
- the quote is found, but not with the anchored context, or only fuzzily:
  **changed**, a warning that shows the old and the new wording (a look-alike
  in another passage is never taken silently);
- the quote is no longer found: ``not-found``, with the message that the
  source changed since it was locked.
"""

from __future__ import annotations

from typing import Final, Literal

import attrs

from factlang.sources.lock import Anchor

__all__ = ["Reanchored", "reanchor"]

# A context is taken as agreeing when this much of it, next to the span, is the same.
_CONTEXT_AGREES: Final = 0.75
# Occurrences of the anchored passage looked at, at most (a linear bound on the search).
_MAX_OCCURRENCES: Final = 1000
_CHANGED: Final = "the source changed since it was locked"


@attrs.frozen
class Reanchored:
    """What became of one anchored citation: ``same``, ``moved``, ``changed`` or ``gone``."""

    outcome: Literal["same", "moved", "changed", "gone"]
    message: str | None = None
    start: int | None = None  # where the anchored passage is now, when found with its context


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _agrees(anchor: Anchor, text: str, start: int) -> bool:
    """Whether the text around an occurrence at ``start`` is the anchor's context."""
    end = start + len(anchor.exact)
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    ok_before = _common_suffix(anchor.prefix, before) >= len(anchor.prefix) * _CONTEXT_AGREES
    ok_after = _common_prefix(anchor.suffix, after) >= len(anchor.suffix) * _CONTEXT_AGREES
    return ok_before and ok_after


def _find_with_context(anchor: Anchor, text: str) -> int | None:
    """The occurrence of the anchored passage whose context agrees, nearest its old place."""
    if not anchor.exact:
        return None
    found: list[int] = []
    at = text.find(anchor.exact)
    while at != -1 and len(found) < _MAX_OCCURRENCES:
        if _agrees(anchor, text, at):
            found.append(at)
        at = text.find(anchor.exact, at + 1)
    return min(found, key=lambda p: abs(p - anchor.start)) if found else None


def _clip(s: str, n: int = 120) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def reanchor(anchor: Anchor, text: str, span: tuple[int, int] | None) -> Reanchored:
    """Compare the verifier's match ``span`` in the new ``text`` with the locked ``anchor``."""
    place = _find_with_context(anchor, text)
    if span is None:
        return Reanchored(
            "gone",
            f"{_CHANGED}: the quote is no longer found "
            f"(it read «{_clip(anchor.exact)}» at offset {anchor.start})",
        )
    now = text[span[0] : span[1]]
    if place is not None and span[0] == place and now == anchor.exact:
        if place == anchor.start:
            return Reanchored("same", start=place)
        return Reanchored(
            "moved",
            f"{_CHANGED}: the quote moved from offset {anchor.start} to {place}",
            place,
        )
    if place is not None:
        # The verifier matched a look-alike; the anchored passage is elsewhere.
        return Reanchored(
            "changed",
            f"{_CHANGED}: the quote now matches «{_clip(now)}» at offset {span[0]}, "
            f"but its locked passage, with its context, is at offset {place}",
            place,
        )
    if now == anchor.exact:
        before, after = text[max(0, span[0] - 32) : span[0]], text[span[1] : span[1] + 32]
        return Reanchored(
            "changed",
            f"{_CHANGED}: the quote is found, but its context changed: "
            f"was «…{_clip(anchor.prefix, 40)}|{_clip(anchor.suffix, 40)}…», "
            f"now «…{_clip(before, 40)}|{_clip(after, 40)}…»",
        )
    return Reanchored(
        "changed",
        f"{_CHANGED}: its wording was «{_clip(anchor.exact)}», now «{_clip(now)}»",
    )
