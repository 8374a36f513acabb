"""The words that state a direction of change, as one table (issue 15 item 2).

A change is stated by a verb ("rose 9.2%", "sinking 4.7%"), a noun ("an
increase of 5%", "a 3% drop"), an adjective or adverb ("7.8% higher",
"up 3%") or a comparative ("12% more than", "5% below"). :data:`DIRECTIONS`
maps every such word, in every form the text may use, to its direction
(+1 or -1) and where it stands: ``before`` the number ("fell 11%"),
``after`` it ("7.8% higher", "an 11% decrease"), or ``both``.

The table is generated from :data:`VERBS`, :data:`NOUNS` and
:data:`MODIFIERS` below, so adding a word means adding it once here.
"""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["DIRECTIONS", "MODIFIERS", "NOUNS", "VERBS", "Direction", "after_words", "before_words"]

Place = Literal["before", "after", "both"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Verbs: base form and its irregular past forms (regular forms are derived).
VERBS: Final[dict[int, dict[str, tuple[str, ...]]]] = {
    +1: {
        "rise": ("rose", "risen"),
        "climb": (),
        "gain": (),
        "jump": (),
        "soar": (),
        "surge": (),
        "advance": (),
        "grow": ("grew", "grown"),
        "improve": (),
        "add": (),
        "rebound": (),
        "increase": (),
        "rally": (),
        "spike": (),
        "expand": (),
        "boost": (),
        "accelerate": (),
        "swell": (),
        "leap": ("leapt",),
        "rocket": (),
        "double": (),
        "triple": (),
        "recover": (),
    },
    -1: {
        "fall": ("fell", "fallen"),
        "drop": (),
        "decline": (),
        "slip": (),
        "slide": ("slid",),
        "sink": ("sank", "sunk"),
        "plunge": (),
        "tumble": (),
        "shed": ("shed",),
        "lose": ("lost",),
        "shrink": ("shrank", "shrunk"),
        "slump": (),
        "ease": (),
        "retreat": (),
        "decrease": (),
        "dip": (),
        "contract": (),
        "reduce": (),
        "cut": ("cut",),
        "plummet": (),
        "crash": (),
        "dive": ("dove",),
        "sag": (),
        "weaken": (),
        "slow": (),
        "halve": (),
        "erode": (),
    },
}

#: Nouns that state a change; they stand before ("a drop of 5%") or after ("a 5% drop") the number.
NOUNS: Final[dict[int, frozenset[str]]] = {
    +1: _words(
        """
        increase increases rise rises gain gains growth jump jumps surge surges climb advance advances
        rebound improvement improvements upturn uptick hike hikes boost rally expansion
        """
    ),
    -1: _words(
        """
        decrease decreases fall falls drop drops decline declines dip dips loss losses slump plunge
        reduction reductions cut cuts contraction downturn slide slowdown shrinkage
        """
    ),
}

#: Adjectives, adverbs and comparatives: "7.8% higher", "up 3%", "12% more than", "5% below".
MODIFIERS: Final[dict[int, dict[Place, tuple[str, ...]]]] = {
    +1: {
        "before": ("up", "higher"),
        "after": ("higher", "up", "more", "above", "stronger", "greater", "better"),
    },
    -1: {
        "before": ("down", "lower"),
        "after": ("lower", "down", "less", "fewer", "below", "weaker", "smaller"),
    },
}

_VOWELS: Final = frozenset("aeiou")


def verb_forms(base: str, irregular: tuple[str, ...] = ()) -> set[str]:
    """Every form of a regular verb (and its irregular ones): rise, rises, rising, rised..."""
    forms = {base, *irregular}
    if base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and base[-2] not in _VOWELS:
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    else:
        double = len(base) >= 3 and base[-1] not in _VOWELS | {"w", "x", "y"} and base[-2] in _VOWELS
        double = double and base[-3] not in _VOWELS and base not in {"rocket", "plummet"}
        stem = base + base[-1] if double else base
        forms |= {base + ("es" if base.endswith(("sh", "ch", "ss", "x")) else "s"), stem + "ed", stem + "ing"}
    return forms


def _table() -> tuple[dict[str, int], dict[str, int]]:
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    for direction, verbs in VERBS.items():
        for base, irregular in verbs.items():
            for form in verb_forms(base, irregular):
                before[form] = direction
    for direction, nouns in NOUNS.items():
        for noun in nouns:
            before.setdefault(noun, direction)
            after[noun] = direction
    for direction, places in MODIFIERS.items():
        for word in places["before"]:
            before[word] = direction
        for word in places["after"]:
            after[word] = direction
    return before, after


_BEFORE, _AFTER = _table()
#: word -> direction, for words that state a change before the number ("fell 11%").
DIRECTIONS: Final[dict[str, int]] = _BEFORE


def before_words() -> dict[str, int]:
    """Words that state the direction of a number after them ("fell", "an increase of", "up")."""
    return dict(_BEFORE)


def after_words() -> dict[str, int]:
    """Words that state the direction of a number before them ("higher", "decrease", "more than")."""
    return dict(_AFTER)


Direction = int
