"""Which count a number is: "32 points, 10 rebounds and eight assists" (SPEC §3 step 2).

A count names what it counts with the noun right after it. When the fact's
predicate's name names that noun (``nba_assists``), a number that counts
something else cannot state the value: 10 counts rebounds, so it neither
supports nor refutes ``nba_assists(Maxey) = 10``, and "eight assists"
refutes it. Only a number followed by another noun is set aside: one with
no noun after it ("Liverpool have 30 and Chelsea 28") may have its noun
left out, and one whose noun is the next number's ("48 of the 150 seats",
"seven out of nine members") shares it. When no number counts a noun the
name gives, every number is compared, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from factlang.verify.quantities import Quantity
from factlang.verify.vocabulary import word_set

__all__ = ["counted", "counted_noun", "predicate_nouns"]

_OUT_OF: Final = re.compile(r"\b(?:out\s+of|of\s+(?:the\s+)?(?:total\s+)?)\s*$", re.IGNORECASE)
_WORD: Final = re.compile(r"[ \t\r\n\u00a0]+([A-Za-z][A-Za-z'’]*)")
# Between a number and the next one that carries the noun for both.
_SHARED: Final = frozenset({"of", "and", "or", "to", "out"})
_DETERMINERS: Final = frozenset({"the", "its", "their", "his", "her", "our", "a", "an", "all", "of", "total"})
# Words after a number that are not what it counts: it may count a noun left out.
_NOT_NOUNS: Final = word_set(
    "in on at by for from with per than as into over under since until during after before "
    "while when where which who that this these those is are was were be been has have had "
    "will would could should may might can said says also more less fewer each apiece a an "
    "the its their his her our percent per cent times year years"
)
# Words of a predicate's name that are not what it counts.
_GENERIC: Final = word_set("the and for with from number count total amount share rate value level new per")


def _singular(word: str) -> str:
    w = word.lower().rstrip("'’")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def predicate_nouns(name: str) -> frozenset[str]:
    """The words a predicate's name may count, singular (``nba_assists``: assist)."""
    return frozenset(_singular(w) for w in name.split("_") if len(w) >= 3 and w.lower() not in _GENERIC)


def counted_noun(text: str, q: Quantity, others: Sequence[Quantity]) -> str | None:
    """The noun the number ``q`` counts in ``text`` (singular), or None when none follows it."""
    if _OUT_OF.search(text, max(0, q.start - 12), q.start):
        return None  # "50 seats out of 75 available": the whole, of the same noun
    for _ in range(3):  # "48 of the 150 seats": at most a couple of hops
        after = _WORD.match(text, q.end)
        if after is None:
            return None
        word = after.group(1).lower()
        if word not in _SHARED:
            return None if word in _NOT_NOUNS else _singular(word)
        # The next number, a few words on, may carry the noun for this one too.
        gap = after.end()
        while (nxt := _WORD.match(text, gap)) is not None and nxt.group(1).lower() in _DETERMINERS:
            gap = nxt.end()
        following = next((o for o in others if gap <= o.start <= gap + 2), None)
        if following is None:
            return None
        q = following
    return None


def counted(text: str, candidates: Sequence[Quantity], nouns: frozenset[str]) -> list[Quantity]:
    """Without the candidates that count another noun, when one counts a noun of ``nouns``."""
    found = [counted_noun(text, q, candidates) for q in candidates]
    if not any(noun in nouns for noun in found):
        return list(candidates)
    return [q for q, noun in zip(candidates, found, strict=True) if noun is None or noun in nouns]
