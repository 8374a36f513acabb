"""Bidirectional control characters: text that displays otherwise than it reads.

U+202A-U+202E (embeddings and overrides) and U+2066-U+2069 (isolates)
reorder how a line is shown without changing what a program compares, so a
quote or an alias can look like one thing in an editor or a review and be
checked as another (the "Trojan Source" attack, CVE-2021-42574). factlang
accepts them, since real text uses them, but says where they are.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["BIDI_CONTROLS", "bidi_positions", "bidi_warning", "has_bidi", "visible"]

#: The characters warned about.
BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_BIDI_RE: Final = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SHOWN: Final = 3
_ESCAPED: Final = {ord(c): f"<U+{ord(c):04X}>" for c in BIDI_CONTROLS}


def visible(text: str) -> str:
    """``text`` with each control character written as ``<U+202E>``, so a message shows it."""
    return text.translate(_ESCAPED)


def bidi_positions(text: str) -> list[int]:
    """Offsets of the bidirectional control characters in ``text`` (one linear scan)."""
    return [m.start() for m in _BIDI_RE.finditer(text)]


def has_bidi(text: str) -> bool:
    """Whether ``text`` holds a bidirectional control character."""
    # The controls are not ASCII, and whether a str is ASCII is a flag it carries:
    # most texts (an entity's 30 aliases) need no scan at all.
    return not text.isascii() and _BIDI_RE.search(text) is not None


def bidi_warning(what: str, text: str) -> str | None:
    """A warning naming each control character of ``text`` and its place, or None.

    ``what`` says whose text it is ("the quote", "alias 'X' of Apple"); places
    are 1-based characters within that text.
    """
    found = bidi_positions(text)
    if not found:
        return None
    listed = ", ".join(f"U+{ord(text[i]):04X} at character {i + 1}" for i in found[:_SHOWN])
    if len(found) > _SHOWN:
        listed += f" and {len(found) - _SHOWN} more"
    return (
        f"{what} contains bidirectional control characters ({listed}): "
        "it may display differently from what is checked"
    )
