"""The extractor's vocabulary: the words of quantities and of changes, as tables.

The direction table comes first: the words that state a direction of
change (issue 15 item 2). The words of quantities follow (numbers in words,
months, scale suffixes, currencies, qualifiers, and the small word sets the
scanner reads around a number); the literal vocabulary they extend
(currency prefixes, scale words) is :mod:`factlang.values`'.

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

import re
from typing import Final, Literal

from factlang.values import SCALE_SUFFIXES

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
        "before": ("down", "lower", "off"),  # "off $2.56 to close at": market copy for a fall
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


# --------------------------------------------------------------------------
# The words of quantities: numbers, months, scales, currencies, qualifiers,
# and the words the scanner reads around a number.
# --------------------------------------------------------------------------


def word_set(words: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``words`` as a set."""
    return frozenset(words.split())


MONTH_NUMBERS: Final[dict[str, int]] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
FULL_MONTHS: Final = word_set(
    "january february march april may june july august september october november december"
)

WORD_NUMBERS: Final[dict[str, int]] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: Final[dict[str, int]] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Denominators of fractions in words ("two-thirds of", "a fifth of", "half of").
DENOMINATORS: Final[dict[str, int]] = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}

ORDINALS: Final[dict[str, int]] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}

# Ordinal numbers in words, read as ranks ("remain eighth", "the third largest city",
# "their twenty-first win"). "first" and "second" stand alone only inside a
# compound: alone they are mostly not ranks ("at first", "a second time").
ORDINAL_UNITS: Final[dict[str, int]] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
ORDINAL_WORDS: Final[dict[str, int]] = {
    **{w: n for w, n in ORDINAL_UNITS.items() if n > 2},
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
}
# Words after (or before) "one" that make it a pronoun or a phrase, not a count ("one of",
# "one day", "no one", "the one"); before any other noun it counts ("one win", "one seat").
ONE_NOT_COUNTING: Final = word_set(
    "of another who whom that which day time way thing hand side another's more less or and "
    "in on at to for is was has had will would can could may might must should does did "
    "no any every each the this that which"
)

# What an ordinal names when it is a time, not a rank ("the third quarter", "the 21st century").
ORDINAL_TIMES: Final = word_set(
    "quarter quarters half halves week weeks month months year years day days time times century "
    "centuries round rounds minute minutes hour hours"
)

# Scale suffixes glued to the number; "T" only in upper case (a lower "t"
# is more often tonnes than trillions).
# The literal suffixes (values.SCALE_SUFFIXES) and the wire's "mln"/"bln".
SUFFIX_SCALES: Final[dict[str, str]] = {**SCALE_SUFFIXES, "mln": "million", "bln": "billion"}
# Scale suffixes in capitals or title case ("£1.5BN", "$3Bn") mean the same.
SUFFIX_SCALES.update({k.upper(): v for k, v in SUFFIX_SCALES.items() if len(k) > 1})
SUFFIX_SCALES.update({k.title(): v for k, v in SUFFIX_SCALES.items() if len(k) > 1})

# Prefix signs the values module does not know; everything else comes
# from CURRENCY_PREFIXES so that the two never disagree.
EXTRA_PREFIXES: Final[dict[str, str]] = {"R$": "BRL", "₹": "INR", "₩": "KRW", "Rs.": "INR", "Rs": "INR"}

# Indian scale words ("Rs 295 crore", "₹29,500 lakh", "₹2.95 lakh crore"): each is
# read as the power of ten to shift the amount by, and the scale word it becomes
# (295 crore is 2950 million, and stands, as written, for the nearest half crore).
INDIAN_SCALES: Final[dict[str, tuple[int, str]]] = {
    "lakh crore": (0, "trillion"),
    "lakh crores": (0, "trillion"),
    "crore": (1, "million"),
    "crores": (1, "million"),
    "lakh": (-1, "million"),
    "lakhs": (-1, "million"),
    "lac": (-1, "million"),
    "lacs": (-1, "million"),
}

ISO_CODES: Final = (
    "USD",
    "HKD",
    "CNY",
    "RMB",
    "EUR",
    "GBP",
    "JPY",
    "TWD",
    "AUD",
    "CAD",
    "SGD",
    "CHF",
    "INR",
    "KRW",
)

CURRENCY_WORDS: Final[dict[str, str]] = {
    "dollar": "USD",
    "us dollar": "USD",
    "u.s. dollar": "USD",
    "american dollar": "USD",
    "hong kong dollar": "HKD",
    "hk dollar": "HKD",
    "taiwan dollar": "TWD",
    "taiwanese dollar": "TWD",
    "new taiwan dollar": "TWD",
    "australian dollar": "AUD",
    "canadian dollar": "CAD",
    "singapore dollar": "SGD",
    "singaporean dollar": "SGD",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "yen": "JPY",
    "euro": "EUR",
    "pound": "GBP",
    "pounds sterling": "GBP",
    "pound sterling": "GBP",
    "rupee": "INR",
}

QUALIFIERS: Final[dict[str, str]] = {
    "more than": ">",
    "greater than": ">",
    "higher than": ">",
    "over": ">",
    "above": ">",
    "exceeding": ">",
    # verbs that state a bound: "the average price exceeds £200,000"
    "exceeds": ">",
    "exceeded": ">",
    "exceed": ">",
    "surpassed": ">",
    "surpasses": ">",
    "topped": ">",
    "tops": ">",
    "in excess of": ">",
    "upwards of": ">",
    "north of": ">",
    "at least": ">=",
    "no less than": ">=",
    "not less than": ">=",
    "no fewer than": ">=",
    "a minimum of": ">=",
    "less than": "<",
    "fewer than": "<",
    "lower than": "<",
    "under": "<",
    "below": "<",
    "at most": "<=",
    "up to": "<=",
    "no more than": "<=",
    "not more than": "<=",
    "as much as": "<=",
    "as many as": "<=",
    "as high as": "<=",
    "a maximum of": "<=",
    "about": "~",
    "around": "~",
    "approximately": "~",
    "approx.": "~",
    "nearly": "~",
    "almost": "~",
    "roughly": "~",
    "some": "~",
    "close to": "~",
    "an estimated": "~",
    "circa": "~",
    "~": "~",
    "≈": "~",
    ">": ">",
    "<": "<",
    "≥": ">=",
    "≤": "<=",
}

# Directions come from one vocabulary table (verify/vocabulary.py).
DIRECTION_WORDS: Final[dict[str, int]] = before_words()

# Words that make "from X to Y" a change rather than a range.
CHANGE_WORDS: Final = frozenset(DIRECTION_WORDS) | word_set(
    "went moved changed shifted raised lifted lowered revised swung doubled tripled halved narrowed "
    "widened expanded"
)

# Words that may follow the quantity and state its direction ("7.8% higher",
# "an 11% decrease", "12% more than"). Verbs are left out: "11% fell" is not English.
POSTFIX_WORDS: Final[dict[str, int]] = after_words()
POSTFIX_NOUNS: Final = frozenset(w for w in POSTFIX_WORDS if w not in ("more", "less", "fewer", "up", "down"))

# Words that may stand between a direction word and its number
# ("surged by more than 40%", "a drop of 5%"); anything else ends the
# search, so a verb never reaches a number in another phrase.
FILLER: Final = word_set(
    "by of a an as much another further additional just only some between nearly almost about "
    "around roughly approximately on average"
)

# Words a coordinated list may hold between two changes
# ("declines of 7.7% in fiscal year 2024 and 2.2% in fiscal year 2023").
COORDINATION: Final = word_set("and or , in for during the respectively as well by")

NEXT_WORD_RE: Final = re.compile(r"\s*([A-Za-z]+)")
AFTER_ELIDED_UNIT: Final = word_set(
    "in at for on compared from to over and or while versus vs as by against year quarter month points"
)
AND_RE: Final = re.compile(r"\band\b", re.IGNORECASE)
CLAUSE_STOP_RE: Final = re.compile(r"[.;:!?]\s")
APPOSITION: Final = re.compile(
    r"(?:\s+(?:points?|cents?|pence|basis\s+points|bps))?\s*,?\s*or\s+(?:about\s+|nearly\s+|almost\s+|roughly\s+|some\s+)?",
    re.IGNORECASE,
)

# Words that end an elliptical list: a verb or a word that starts a new statement
# ("A fell 3%, B 2%" continues the list; "A fell 3%, B was 2%" does not).
ELLIPSIS_STOP: Final = word_set(
    "to from at is are was were be been being has have had will would could should may might said says "
    "say while but whereas although though than after before compared versus vs against with without "
    "since until which who that when where if because reached hit stood totalled totaled remained "
    "stayed held traded closed opened ended finished valued worth cost costs priced"
)

# Capitalised words after which a number is not part of a name ("In 2023").
NAME_STOP: Final = word_set(
    "in on at by since from to for of and or but nor between until till through throughout "
    "during after before about around over under above below nearly almost some up down the "
    "a an only just than with without as per roughly approximately more less fewer least most "
    "all top every each last first next another if when while where so yet both its their his "
    "her our your my these those this that there here it we they he she i also then now still "
    "even across within among against into onto toward towards via vs versus plus minus circa "
    "fiscal fy year years q1 q2 q3 q4 h1 h2 monday tuesday wednesday thursday friday saturday "
    "sunday spring summer autumn fall winter early mid late end remaining other additional further "
    "extra total including excluding"
) | frozenset(MONTH_NUMBERS)

# Glued prefixes that keep a number a number ("pre-2020", "mid-2024").
HYPHEN_OK: Final = word_set(
    "pre post mid late early end full half year fiscal calendar first second third fourth top"
)
