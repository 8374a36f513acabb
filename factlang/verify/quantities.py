"""Quantities stated in real article text: percentages, money, counts and times.

:func:`extract` finds every quantity a text states, with its exact
character span, its typed value (the classes of :mod:`factlang.values`),
whether the text states it as a change (``fell 11%``) or a level
(``rose to 16%``), a qualifier (``more than 40%``) and, for ranges, the
upper end. The verifier compares facts with these.

The scanner is one precompiled regular expression over the whole text,
followed by cheap work per match (qualifier, direction, names, ranges)
on small windows around it. It uses only :mod:`re` and :mod:`decimal`:
no NLP library, and no per-character Python loop over the text.

Relative and partial times ("last year", "in January", "January 29",
"the quarter ended December") are resolved against the publication date
given as ``reference``; without one they are not extracted.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise
from typing import Final

import attrs

from factlang.values import (
    CURRENCY_PREFIXES,
    SCALES,
    Date,
    FiscalYear,
    Money,
    Month,
    Number,
    Percent,
    Quarter,
    Value,
    Year,
    alternation,
    currencies_compatible,
)
from factlang.verify.relative_time import (
    future_context,
    make_date,
    month_year,
    quarter_of,
    relative_date,
)
from factlang.verify.vocabulary import (
    AFTER_ELIDED_UNIT,
    AND_RE,
    APPOSITION,
    CHANGE_WORDS,
    CLAUSE_STOP_RE,
    COORDINATION,
    CURRENCY_WORDS,
    DENOMINATORS,
    DIRECTION_WORDS,
    ELLIPSIS_STOP,
    EXTRA_PREFIXES,
    FILLER,
    FULL_MONTHS,
    HYPHEN_OK,
    INDIAN_SCALES,
    ISO_CODES,
    MONTH_NUMBERS,
    NAME_STOP,
    NEXT_WORD_RE,
    ONE_NOT_COUNTING,
    ORDINAL_TIMES,
    ORDINAL_UNITS,
    ORDINAL_WORDS,
    ORDINALS,
    POSTFIX_NOUNS,
    POSTFIX_WORDS,
    QUALIFIERS,
    SUFFIX_SCALES,
    TENS,
    WORD_NUMBERS,
    word_set,
)

__all__ = ["Quantity", "extract"]


@attrs.frozen
class Quantity:
    """One quantity stated in a text.

    ``start``/``end`` are offsets in the text given to :func:`extract`;
    the span covers the number with its currency, scale and percent sign
    (never the qualifier or the verb). ``direction`` is +1 when the text
    states an increase by this amount, -1 a decrease, 0 a level.
    ``comparator`` is one of ``>``, ``>=``, ``<``, ``<=``, ``~`` when a
    qualifier (``qualifier``, as written) precedes the number. For a range
    (``$350 to $680``) ``value`` is the low end and ``upper`` the high end.
    """

    value: Value
    start: int
    end: int
    direction: int = 0
    comparator: str | None = None
    qualifier: str | None = None
    upper: Value | None = None

    def describe(self) -> str:
        """Compact human-readable form: ``+9.2%``, ``>40%``, ``Year 2024``, ``$350..$680``."""
        value = self.value
        if isinstance(value, Percent | Money | Number):
            text = _signed_spelling(value, self.direction)
            if self.upper is not None:
                text += ".." + _signed_spelling(self.upper, self.direction)
            comparator = self.comparator or ""
            if self.direction < 0 and not (isinstance(value, Percent | Money) and value.signed):
                # The qualifier bounds the size of a fall: "fell more than 4%" is <-4%.
                comparator = _FALL_BOUND.get(comparator, comparator)
            return comparator + text
        text = f"{value.type_name} {value.spelling()}"
        if self.upper is not None:
            text += ".." + self.upper.spelling()
        return text


_FALL_BOUND: Final = {">": "<", ">=": "<=", "<": ">", "<=": ">="}


def _signed_spelling(value: Value, direction: int) -> str:
    """Spelling with the sign of a stated change (``fell 11%`` -> ``-11%``)."""
    spelling = value.spelling()
    if not direction or not isinstance(value, Percent | Money | Number):
        return spelling
    if isinstance(value, Percent | Money) and value.signed:
        return spelling  # the written sign already says it
    if value.amount < 0:
        return spelling
    return ("+" if direction > 0 else "-") + spelling


# --------------------------------------------------------------------------
# The scanner
# --------------------------------------------------------------------------


_PREFIX = alternation([*CURRENCY_PREFIXES, *EXTRA_PREFIXES])
_ISO = alternation(ISO_CODES)


# Month names in Title case or in capitals ("MARCH 3, 2019"); the month builder
# asks for context before it takes a bare name ("May" is also a verb).
def _any_case(words: str) -> str:
    """An alternation of words in Title case and in capitals (faster than ``(?i:...)``)."""
    forms = [f for w in words.split() for f in dict.fromkeys((w, w.upper()))]
    return "|".join(sorted(forms, key=len, reverse=True))


_FULL_MONTHS_WORDS = "January February March April May June July August September October November December"
_SHORT_MONTHS_WORDS = "Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec"
_MONTH = rf"(?:{_any_case(_FULL_MONTHS_WORDS)}|(?:{_any_case(_SHORT_MONTHS_WORDS)})\.?)"
_FULL_MONTH = rf"(?:{_any_case(_FULL_MONTHS_WORDS)})"
_WEEKDAY_WORDS = rf"(?:{_any_case('Monday Tuesday Wednesday Thursday Friday Saturday Sunday')})"
_YEAR4 = r"(?:19|20|21)[0-9]{2}"
# A year written with its month is a year whatever its century ("January 18, 1535").
_DATE_YEAR = r"(?:1[0-9]|20|21)[0-9]{2}"
# A word ends here: no lower-case letter, digit or underscore follows. An
# upper-case letter may follow when it starts a word, because the seeds run
# sentences together ("last DecemberHowever"), but not alone ("5G").
_END = r"(?![^\WA-Z])(?![A-Z](?![a-z]))"
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?(?![0-9%]|[.,][0-9])"
_CURRENCY_NAME = (
    r"(?i:(?:(?:U\.S\.|US|American|Hong\s+Kong|HK|New\s+Taiwan|Taiwan(?:ese)?|Australian|Canadian"
    r"|Singapore(?:an)?)\s+)?dollars?|yuan|renminbi|yen|euros?|pounds?(?:\s+sterling)?|rupees?)"
)
_UNIT_AHEAD = (
    r"%|(?i:percent|per[\s-]?cent|thousand|million|billion|trillion|dollars?|yuan|yen|euros?|pounds?"
    rf"|renminbi)|{_ISO}"
)
_GROUP_SEP = r"[ \u00a0\u202f\u2009]"
_FRACTIONS = r"(?i:thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)"  # "two-thirds"
# "[Tt]wo" rather than (?i:two): a branch that starts with a plain character
# class is rejected at C speed, and this one is tried at every word start.
_UNITS_WORDS = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in WORD_NUMBERS)
_TENS_WORDS = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in TENS)
# "twenty-five", "forty", "seven", "dozen" ("a dozen" takes its article in the builder).
_DIGIT_WORDS = "|".join(w for w in WORD_NUMBERS if WORD_NUMBERS[w] < 10)
_WORDS = rf"(?:{_TENS_WORDS})(?:[-\s](?:{_DIGIT_WORDS}))?|{_UNITS_WORDS}|[Dd]ozen"
_DENOMINATOR = "|".join(sorted(DENOMINATORS, key=len, reverse=True))
# Title case or lower case, each branch starting with a character class (as _UNITS_WORDS).
_ORDINAL_UNITS = "|".join(ORDINAL_UNITS)
_ORDINAL = (
    rf"(?:{_TENS_WORDS})-(?:{_ORDINAL_UNITS})"
    rf"|{'|'.join(f'[{w[0].upper()}{w[0]}]{w[1:]}' for w in sorted(ORDINAL_WORDS, key=len, reverse=True))}"
)


def _starts() -> str:
    """Lookahead body: the ways a quantity can begin, as cheap first-character branches.

    The scanner tries its alternatives at every word start; this filter
    rejects ordinary words after a character or two, which keeps the scan
    fast (each branch starts with a character class, which ``re`` tests
    without entering the branch).
    """
    words = word_set(
        "fiscal first fourth four five three third this two ten twelve last next nine quarter second "
        "six seven one eight eleven"
    )
    # Four letters for the rarer words: "for" (forty) would let every "for" through.
    more = word_set("twenty thirty forty fifty sixty seventy eighty ninety dozen half fifth")
    prefixes = sorted({w[:3] for w in words} | {w[:4] for w in more})
    branches = [f"[{p[0].upper()}{p[0]}]{p[1:]}" for p in prefixes]
    # Months and weekdays in any case, as character classes: a branch that starts
    # with a plain class is rejected at C speed ("(?i:...)" is several times slower).
    # Title case or capitals only: lower-case "mar", "dec", "mon" would let "market",
    # "decline" and "money" through, and lower-case month names are rare in text.
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    branches += [f"{w[0]}(?:{w[1:]}|{w[1:].upper()})" for w in months + days]
    branches += ["[Tt]od", "[Yy]es", "TOD", "YES"]
    branches += ["FY", "Q[1-4]", "Rmb", *(re.escape(code) for code in ISO_CODES)]
    branches += [re.escape(p) for p in sorted({*CURRENCY_PREFIXES, *EXTRA_PREFIXES}) if len(p) > 1]
    return "(?:[-+\\u2212(0-9$€£¥₹₩]|" + "|".join(branches) + ")"


_STARTS = _starts()
_SCAN_PATTERN = rf"""
    (?<![\w.])(?<![0-9][,:/])  # a quantity starts a word (not in "1,5", "9:30", "24/7"); cheap
    (?={_STARTS})  # and with one of few beginnings; most words fail here, cheaply
    (?:
        (?P<K_iso>(?P<iso_y>{_YEAR4})-(?P<iso_m>[0-9]{{2}})-(?P<iso_d>[0-9]{{2}})(?![\w-]))
      | (?P<K_q1>(?P<q1_y>{_YEAR4})[-\s]?Q(?P<q1_q>[1-4])(?!\w))
      | (?P<K_yr>(?P<yr_a>(?:19|20)[0-9]{{2}})[-–/](?P<yr_b>(?:19|20)[0-9]{{2}}|[0-9]{{2}})
            (?![\w%]|[.,-][0-9]|\s?(?i:percent|per\s?cent)))
      | (?P<K_fy>
            (?:FY\s?(?P<fy_a>{_YEAR4}|[0-9]{{2}})
              |[Ff]iscal(?:[-\s]+(?i:year))?(?:\s+of)?\s+(?P<fy_b>{_YEAR4})
              |(?P<fy_c>{_YEAR4})\s+(?i:fiscal)\s+(?i:year))
            (?:[-–/](?P<fy_t>{_YEAR4}|[0-9]{{2}}))?(?!\w))
      | (?P<K_dmy>(?P<dmy_d>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmy_m>{_MONTH})
            (?:,?\s+(?:of\s+)?(?P<dmy_y>{_DATE_YEAR})(?!\w))?{_END})
      | (?P<K_q2>Q(?P<q2_q>[1-4])[-\s]+(?:of\s+)?(?P<q2_y>{_YEAR4})(?!\w))
      | (?P<K_q3>(?P<q3_n>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)[-\s]+(?i:quarter)
            (?:\s+of|,)?\s+(?P<q3_y>{_YEAR4})(?!\w))
      | (?P<K_qe>(?:[Qq]uarter|[Tt]hree[-\s]months|3[-\s]months),?\s+(?:(?i:which|that)\s+)?
            (?i:ended|ending|ends)\s+(?:(?i:on|in)\s+)?(?:(?P<qe_rel>(?i:last|this))\s+)?
            (?P<qe_m>{_MONTH})(?:\s+(?P<qe_d>{_DAY}))?(?:,?\s+(?P<qe_y>{_YEAR4})(?!\w))?{_END})
      | (?P<K_mq>(?P<mq_m>{_FULL_MONTH})(?:\s+(?P<mq_y>{_YEAR4}))?[-\s](?i:quarter)(?!\w))
      | (?P<K_month>(?P<mo_m>{_MONTH})(?:\s+(?P<mo_d>{_DAY}))?
            (?:,?\s+(?:of\s+)?(?P<mo_y>{_DATE_YEAR})(?!\w))?{_END})
      | (?P<K_ry>(?P<ry_w>[Ll]ast|[Tt]his|[Nn]ext)\s+(?i:year)(?![a-z]))
      | (?P<K_rm>(?P<rm_w>[Ll]ast|[Tt]his|[Nn]ext)\s+(?i:month)(?![a-z]))
      | (?P<K_wd>(?:(?P<wd_rel>[Ll]ast|[Tt]his|[Nn]ext)\s+)?
            (?P<wd_d>{_WEEKDAY_WORDS}|[Tt]oday|[Yy]esterday|TODAY|YESTERDAY)(?![a-z]))
      | (?P<K_frac>(?:(?P<fr_n>{_UNITS_WORDS})[-\s])?(?P<fr_d>(?i:{_DENOMINATOR}))(?=\s+of\b)
            | (?<=\bby\s)(?P<fr_bn>{_UNITS_WORDS})[-\s](?P<fr_bd>(?i:{_DENOMINATOR}))(?![\w-])
            | (?:(?<=\ba\s)|(?<=\bby\s)|(?<=\bone\s))(?P<fr_a>(?i:{_DENOMINATOR}))(?![\w-]))
      | (?P<K_ord>(?:(?P<ord_d>[0-9]{{1,3}})(?:st|nd|rd|th)|(?P<ord_w>{_ORDINAL}))
            (?:(?![\w-])|(?=-[a-z]+est\b)))  # "third-wettest": a rank too
      | (?P<K_num>
            (?P<acc>\((?![0-9]{{4}}-[0-9]{{2}}))?
            (?P<sign>[-+\u2212](?=[0-9]|{_PREFIX}))?
            (?:(?P<pre>{_PREFIX})[ \u00a0]?|(?P<iso>{_ISO}|Rmb)[ \u00a0]?)?
            (?:
                (?P<digits>
                    [0-9]{{1,3}},[0-9]{{1,2}}(?=\s?%)
                  | [0-9]{{1,3}}(?:,[0-9]{{3}}){{1,8}}(?:\.[0-9]+)?
                  | (?(pre)[0-9]{{1,3}}(?:{_GROUP_SEP}[0-9]{{3}}){{1,6}}(?![0-9])
                          |[0-9]{{1,3}}(?:{_GROUP_SEP}[0-9]{{3}}){{1,6}}(?![0-9])(?=\s?(?:{_UNIT_AHEAD})))
                  | [0-9]+(?:\.[0-9]+)?
                )(?![0-9]|[.,:/][0-9])
              | (?P<word>{_WORDS})(?![-\s]{_FRACTIONS}\s+of\b)(?!-{_FRACTIONS})
            )
            (?:(?P<sfx>MLN|BLN|Mln|Bln|mln|bln|MN|BN|TN|Mn|Bn|Tn|mn|bn|tn|[kKmMbBT])
              |(?:\s{{0,2}}|-)(?P<scale>(?i:thousand|million|billion|trillion|lakh\s+crores?|crores?|lakhs?|lacs?)))?
            (?:[\s-]?(?P<pct>%|(?i:percent|per[\s-]?cent|pct)(?![^\WA-Z]))
              |[ \u00a0]?(?P<cur>{_CURRENCY_NAME}|RMB|{_ISO}|(?<![^\W\d_])(?i:cents?|pence)(?![^\W\d_])))?
            (?(acc)(?P<acc_close>\))?)
            # a bare number ends a word, and is not in "Qwen 2.5-Max" or "(0700.HK)"
            (?(pct)|(?(acc_close)|{_END}(?!-[A-Z])(?!\.[A-Z]{{1,2}}(?![A-Za-z])))))
    )
"""
_SCAN: Final = re.compile(_SCAN_PATTERN, re.VERBOSE)

# Qualifier words just before a number ("more than 40%").
_QUALIFIER_RE: Final = re.compile(
    r"(?:^|(?<=[\s(\"“]))(?P<q>(?:(?:just|well|slightly|far|much|significantly)\s+)?(?P<core>"
    + "|".join(
        r"\s+".join(re.escape(part) for part in q.split())
        for q in sorted((q for q in QUALIFIERS if q[0].isalpha()), key=len, reverse=True)
    )
    + r"))\s+$"
    + r"|(?P<sym>[~≈<>≤≥])\s*$",
    re.IGNORECASE,
)
_QUALIFIER_SIGNS: Final = frozenset("~≈<>≤≥")
_QUALIFIER_ENDS: Final = frozenset(q.split()[-1] for q in QUALIFIERS if q[0].isalpha())
_TOKEN_RE: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\S")
_POSTFIX_RE: Final = re.compile(
    r"\s*(?:(?:year[-\s](?:on|over)[-\s]year|y/y|yoy|annual|yearly|quarterly|sequential)\s+)?"
    r"(?P<w>[A-Za-z][a-z]*)"
)
_MARGIN_RE: Final = re.compile(r"\s*\([^()]{1,24}\)")
_NAME_BEFORE_RE: Final = re.compile(
    r"(?:^|(?<=[\s(\[\"“‘'&]))(?P<tok>[A-Za-z][A-Za-z0-9]*)(?P<poss>['’]s)?[ \u00a0]$"
)
# Words that end a verb's object before "by": a preposition starts another phrase.
_NOT_IN_OBJECT: Final = frozenset({"in", "on", "at", "for", "of", "and", "or", "during", "over", "by"})
# What may follow "nine seats down": the clause ends, or says against what.
_UPDOWN_ENDS_RE: Final = re.compile(
    r"\s*(?:[.,;:)\]!?]|$|(?:on|from|in|compared|versus|vs|and|but|while|after)\b)"
)
_LIST_JOIN_RE: Final = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")
_OF_A_UNIT_RE: Final = re.compile(r"\s+of\s+an?\s+[A-Za-z]+(?=\s)")
_LABEL_BEFORE_RE: Final = re.compile(r"([A-Za-z]+):[ \t]*$")
_WORD_BEFORE_RE: Final = re.compile(r"([A-Za-z]+)\s+$")
_GROUPED_RE: Final = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])")
_YEAR_AHEAD_RE: Final = re.compile(r"(?:19|20|21)[0-9]{2}(?![0-9])")
_HYPHEN_BEFORE_RE: Final = re.compile(r"(?P<tok>[A-Za-z]+)-$")
_RANGE_GAP_RE: Final = re.compile(
    r"\s*(?:(?P<to>to|through)|(?P<and>and)|(?P<or>or))\s+|\s?[-–—]\s?", re.IGNORECASE
)
_BETWEEN_RE: Final = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_FROM_RE: Final = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_MONTH_CONTEXT_RE: Final = re.compile(
    r"(?:\b(?P<ctx>in|on|since|by|until|till|through|throughout|during|from|before|after|early|mid|late"
    r"|of|end|start|beginning)[-\s]+)?(?:\b(?P<rel>last|this|next)\s+)?$",
    re.IGNORECASE,
)
_SEPARATORS_RE: Final = re.compile(r"[,\s]")
_DECIMAL_COMMA_RE: Final = re.compile(r"[0-9]{1,3},[0-9]{1,2}")


# --------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------


@attrs.define
class _Candidate:
    """A quantity while it is being annotated (mutable, unlike :class:`Quantity`)."""

    value: Value
    start: int
    end: int
    numeric: bool = False  # Percent, Money or Number: may carry a qualifier and a direction
    sign_direction: int = 0  # direction stated by a written + or -
    lone_one: bool = False  # the word "one" with no unit: kept only inside a range
    plain: Value | None = None  # an accounting negative's value as written, in case it is a conversion
    qstart: int = -1  # where the qualifier begins (the start when there is none)
    direction: int = 0
    comparator: str | None = None
    qualifier: str | None = None
    upper: Value | None = None
    after_word: bool = False  # the direction comes from a word after it ("11.8% and 13.8% rises")


def extract(text: str, *, reference: _dt.date | None = None) -> list[Quantity]:
    """All quantities stated in ``text``, in order of position.

    ``reference`` is the source's publication date; relative and partial
    times ("last year", "in January", "January 29") need it and are
    skipped without it. Never raises for any input text.
    """
    # A line break inside a sentence is a space (SPEC §3): "4.1\nbillion" is one
    # quantity. Same-length replacement keeps every offset; blank lines stay.
    if "\n" in text or "\r" in text:
        text = _SINGLE_BREAK.sub(_spaces, text)
    if len(text) >= 2 * _RUN_LENGTH and sum(map(text.count, "0123456789")) >= _RUN_LENGTH:
        # A long run of bare numbers ("1-1-1-...", a data dump) states no claim a
        # person would read; blanking it keeps hostile text as cheap as prose.
        # (Counting digits first is one C pass, so prose pays almost nothing.)
        text = _NUMBER_RUN.sub(_spaces, text)
    candidates: list[_Candidate] = []
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind is None:  # pragma: no cover - every alternative is a named group
            continue
        built = _BUILDERS[kind](match, text, reference)
        if isinstance(built, list):
            candidates.extend(built)  # overlapping readings: a Quarter and a Date
        elif built is not None:
            candidates.append(built)
    if not candidates:
        return []
    _conversions(text, candidates)
    _annotate(text, candidates)
    candidates = _merge_ranges(text, candidates)
    return [
        Quantity(
            value=c.value,
            start=c.start,
            end=c.end,
            direction=c.direction,
            comparator=c.comparator,
            qualifier=c.qualifier,
            upper=c.upper,
        )
        for c in candidates
        if not (c.lone_one and c.upper is None)
    ]


_SINGLE_BREAK: Final = re.compile(r"(?<![\n\r])(?:\r\n|\n|\r)(?![\n\r])")


# At least this many numbers in a row with only punctuation, spaces or "to"/"and"
# between them are a number run, not statements. Possessive quantifiers keep the
# scan linear.
_RUN_LENGTH: Final = 32
_NUMBER_RUN: Final = re.compile(
    r"(?<![0-9.,])(?:[-+(\u2212]?+[$€£¥]?+[0-9]{1,12}+(?:[.,][0-9]{1,12}+){0,6}+[%)]?+"
    r"(?:[\s\u00ad\-–—/,;:()]{1,3}+|\s(?:to|and|or)\s))" + f"{{{_RUN_LENGTH},}}"
)


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _conversions(text: str, candidates: list[_Candidate]) -> None:
    """A bracketed amount right after another amount is its conversion, not an accounting negative.

    "£12.4 billion ($15.8 billion)" states $15.8 billion; only a bare
    parenthesised amount elsewhere ("net loss (1.2)") is negative.
    """
    for previous, cand in pairwise(candidates):
        if cand.plain is None or not previous.numeric or text[previous.end : cand.start].strip():
            continue
        cand.value, cand.plain = cand.plain, None
        cand.start += 1
        cand.end -= 1


# --------------------------------------------------------------------------
# Builders: one per alternative of the scanner
# --------------------------------------------------------------------------


def _time(value: Value, match: re.Match[str], start: int | None = None) -> _Candidate:
    return _Candidate(value=value, start=match.start() if start is None else start, end=match.end())


def _build_iso(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    value = make_date(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]))
    return None if value is None else _time(value, m)


def _build_q1(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    return _time(Quarter(int(m["q1_y"]), int(m["q1_q"])), m)


def _build_q2(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    return _time(Quarter(int(m["q2_y"]), int(m["q2_q"])), m)


def _build_q3(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    return _time(Quarter(int(m["q3_y"]), ORDINALS[m["q3_n"].lower()]), m)


def _build_year_range(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    low = int(m["yr_a"])
    tail = m["yr_b"]
    high = int(tail) if len(tail) == 4 else low - low % 100 + int(tail)
    if high > low:  # "2020-2024", "2023-24"
        return _Candidate(value=Year(low), start=m.start(), end=m.end(), upper=Year(high))
    if len(tail) == 2 and 1 <= int(tail) <= 12 and text[m.end("yr_a")] == "-":  # "2024-05"
        return _time(Month(low, int(tail)), m)
    return _Candidate(value=Year(low), start=m.start(), end=m.end("yr_a"))


def _build_fiscal(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    digits = m["fy_a"] or m["fy_b"] or m["fy_c"]
    year = int(digits) if len(digits) == 4 else 2000 + int(digits)
    tail = m["fy_t"]
    if tail:  # "FY2023-24" is the fiscal year that ends in 2024
        end_year = int(tail) if len(tail) == 4 else year - year % 100 + int(tail)
        if end_year == year + 1:
            year = end_year
    return _time(FiscalYear(year), m)


def _month_number(name: str) -> int:
    return MONTH_NUMBERS[name.rstrip(".").lower()]


def _build_month(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    name = m["mo_m"]
    month = _month_number(name)
    day = int(m["mo_d"].rstrip("stndrh")) if m["mo_d"] else None
    value: Value | None
    if m["mo_y"]:
        year = int(m["mo_y"])
        value = Month(year, month) if day is None else make_date(year, month, day)
        return None if value is None else _time(value, m)
    if ref is None:
        return None
    # The words before the month: "last December" (part of the time, so in
    # the span), "in May" (a preposition that makes "May" a month at all).
    context = _MONTH_CONTEXT_RE.search(text, max(0, m.start() - 24), m.start())
    rel = context["rel"] if context is not None else None
    start = context.start("rel") if context is not None and rel else m.start()
    mode = rel.lower() if rel else ("future" if future_context(text, m.start()) else "past")
    if day is not None:
        value = relative_date(month, day, ref, mode)
        return None if value is None else _time(value, m, start)
    # A bare month name needs such a word; "May" and "March" are also verbs.
    if name.rstrip(".").lower() not in FULL_MONTHS or context is None or not (rel or context["ctx"]):
        return None
    return _time(Month(month_year(month, ref, mode), month), m, start)


def _build_day_month(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    month = _month_number(m["dmy_m"])
    day = int(m["dmy_d"])
    if m["dmy_y"]:
        value = make_date(int(m["dmy_y"]), month, day)
    elif ref is None:
        return None
    else:
        mode = "future" if future_context(text, m.start()) else "past"
        value = relative_date(month, day, ref, mode)
    return None if value is None else _time(value, m)


def _build_quarter_ended(
    m: re.Match[str], text: str, ref: _dt.date | None
) -> _Candidate | list[_Candidate] | None:
    month = _month_number(m["qe_m"])
    day = int(m["qe_d"].rstrip("stndrh")) if m["qe_d"] else None
    date: Date | None = None
    if m["qe_y"]:
        quarter = _time(Quarter(int(m["qe_y"]), (month - 1) // 3 + 1), m)
        if day is not None:
            date = make_date(int(m["qe_y"]), month, day)
    elif ref is None:
        return None
    else:
        rel = m["qe_rel"]
        quarter = _time(quarter_of(month, ref, rel.lower() if rel else "past"), m)
        if day is not None:
            date = relative_date(month, day, ref, rel.lower() if rel else "past")
    if date is None:
        return quarter
    # Both readings are kept: "the quarter ended December 28" states a Quarter and a Date.
    return [quarter, _Candidate(value=date, start=m.start("qe_m"), end=m.end())]


def _build_month_quarter(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    month = _month_number(m["mq_m"])
    if m["mq_y"]:
        return _time(Quarter(int(m["mq_y"]), (month - 1) // 3 + 1), m)
    if ref is None:
        return None
    return _time(quarter_of(month, ref, "past"), m)


def _build_relative_year(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    if ref is None:
        return None
    # "over the last year" is a period of twelve months, not a calendar year.
    if text[max(0, m.start() - 4) : m.start()].lower().endswith("the "):
        return None
    offset = {"last": -1, "this": 0, "next": 1}[m["ry_w"].lower()]
    return _time(Year(ref.year + offset), m)


def _build_relative_month(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    """Resolve "last month" against the publication date (in a story of February 2016, January)."""
    if ref is None or text[max(0, m.start() - 4) : m.start()].lower().endswith("the "):
        return None  # "over the last month" is a period of about thirty days
    offset = {"last": -1, "this": 0, "next": 1}[m["rm_w"].lower()]
    index = ref.year * 12 + ref.month - 1 + offset
    return _time(Month(index // 12, index % 12 + 1), m)


_NAME_AFTER_RE: Final = re.compile(r"[ \u00a0]+[A-Z][a-z]")
_ON_BEFORE_RE: Final = re.compile(r"\b(?:[Oo]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Bb]efore|[Aa]fter)\s+$")
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _build_weekday(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    """A day named relative to the publication date: "on Thursday", "yesterday".

    News reports name days of the past week: a bare weekday is the latest
    such day on or before the reference ("on Thursday" in a Thursday
    article is that day), "last Thursday" the one before that, "next
    Thursday" and a weekday in a clause about the future the next one after.
    """
    if ref is None:
        return None
    word = m["wd_d"].lower()
    rel = (m["wd_rel"] or "").lower()
    # "Sunday Times", "Monday Night Football": a weekday opening a name.
    if not rel and _NAME_AFTER_RE.match(text, m.end()) and not _ON_BEFORE_RE.search(text, 0, m.start()):
        return None
    if word in ("today", "yesterday"):
        if rel:
            return None
        return _time(Date(ref - _dt.timedelta(days=int(word == "yesterday"))), m)
    back = (ref.weekday() - _WEEKDAYS.index(word)) % 7
    if rel == "next" or (not rel and future_context(text, m.start())):
        day = ref + _dt.timedelta(days=(7 - back) % 7 or 7)
    else:
        day = ref - _dt.timedelta(days=back + (7 if rel == "last" and back == 0 else 0))
    return _time(Date(day), m)


def _is_name_part(text: str, start: int) -> bool:
    """Whether the number at ``start`` belongs to a name ("Grok 3", "GPT-4", "Mate 60 Pro")."""
    previous = text[start - 1 : start]
    if previous == "-":
        hyphen = _HYPHEN_BEFORE_RE.search(text, max(0, start - 20), start)
        return hyphen is not None and hyphen["tok"].lower() not in HYPHEN_OK
    if previous not in (" ", "\u00a0"):
        return False
    if _GROUPED_RE.match(text, start):
        return False  # "Population 9,752,000", "Area 2,672.3 km2": a label, never a model number
    name = _NAME_BEFORE_RE.search(text, max(0, start - 40), start)
    if name is None:
        return False
    token = name["tok"]
    # "Standard & Poor's 500" is a name; "Apple's 2024 revenue" is a year.
    if name["poss"] and _YEAR_AHEAD_RE.match(text, start):
        return False
    return not token.islower() and token.lower() not in NAME_STOP


def _counts_one(text: str, m: re.Match[str]) -> bool:
    """Whether "one" counts the noun after it ("one win", "one seat"), not "one of", "no one", "one day"."""
    end = m.end()
    after = NEXT_WORD_RE.match(text, end)
    if after is None or text[end : end + 1] != " ":
        return False
    before = _WORD_BEFORE_RE.search(text, max(0, m.start() - 12), m.start())
    if before is not None and before.group(1).lower() in ONE_NOT_COUNTING:
        return False  # "no one", "the one thing", "which one"
    noun = after.group(1)
    return noun.islower() and noun not in ONE_NOT_COUNTING


def _build_ordinal(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    """A rank: "remain eighth", "the 12th straight win", "the twenty-first" (not "the third quarter")."""
    after = NEXT_WORD_RE.match(text, m.end())
    if after is not None and after.group(1).lower() in ORDINAL_TIMES:
        return None
    if m["ord_w"] and m["ord_w"][0].isupper() and after is not None and after.group(1)[0].isupper():
        return None  # "Fifth Avenue", "Third Reich": a name
    if m["ord_d"]:
        rank = int(m["ord_d"])
    else:
        word = m["ord_w"].lower()
        tens, _, unit = word.partition("-")
        rank = TENS[tens] + ORDINAL_UNITS[unit] if unit else ORDINAL_WORDS[word]
    return _Candidate(value=Number(Decimal(rank)), start=m.start(), end=m.end())


def _build_number(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | list[_Candidate] | None:
    word, digits = m["word"], m["digits"]
    pre, iso, cur, pct = m["pre"], m["iso"], m["cur"], m["pct"]
    money = bool(pre or iso or cur)
    cents = bool(cur) and cur.lower().startswith(("cent", "pence"))
    if word and (pre or iso):
        return None
    start, end = m.start(), m.end()
    if text[start - 1 : start] == "[" and text[end : end + 1] == "]" and not (money or pct):
        return None  # a reference mark ("[6]"), not a number the text states
    if digits and len(digits) == 2 and text[start - 1 : start] in ("'", "’") and not (money or pct):
        return None  # a year cut short ("'13", a chart's label): not a count, and of no sure century
    accounting = bool(m["acc"] and m["acc_close"] and money)
    if m["acc"] and not accounting:
        start = m.end("acc")
        if m["acc_close"]:
            end = m.start("acc_close")
    if not (pre or iso) and _is_name_part(text, start):
        glued = text[start - 1 : start] == "-"  # "GPT-4", "twenty-two"
        # "Apple 48 million": a scale word makes it an amount ("Grok 3" has none).
        if glued or not (money or pct or m["scale"] or m["sfx"]):
            return None
    if word and word.lower() == "dozen":
        article = re.search(r"(?:^|(?<=\W))an?\s+$", text[max(0, start - 4) : start], re.IGNORECASE)
        if article is None and not (pct or cur):
            return None  # "dozens", "a few dozen": only "a dozen" is twelve
        if article is not None:
            start -= len(article.group())
    if digits and pct and "," in digits and _DECIMAL_COMMA_RE.fullmatch(digits):
        amount = Decimal(digits.replace(",", "."))  # "0,1%": a decimal comma, as in much of Europe
    else:
        amount = _word_amount(word) if word else Decimal(_SEPARATORS_RE.sub("", digits))
    sign = m["sign"]
    negative = sign is not None and sign != "+"
    if negative:
        amount = -amount
    sfx = m["sfx"]
    scale = (SUFFIX_SCALES.get(sfx) or SUFFIX_SCALES[sfx.lower()]) if sfx else None
    if m["scale"]:
        scale = " ".join(m["scale"].lower().split())
        indian = INDIAN_SCALES.get(scale)
        if indian is not None:
            amount, scale = amount.scaleb(indian[0]), indian[1]
    sign_direction = 0 if sign is None else (-1 if negative else 1)
    value: Value
    if pct:
        # A percentage has no scale word; fold a stray one into the amount.
        value = Percent(amount * SCALES[scale] if scale else amount, signed=sign is not None)
    elif money:
        currency = _currency(pre, iso, cur)
        if cents:
            # "76 cents" is $0.76, "57 pence" £0.57: hundredths, no scale word.
            currency = "GBP" if cur.lower() == "pence" else "USD"
            amount = amount / 100
            scale = None
        plain: Value | None = None
        if accounting and amount > 0:
            plain = Money(amount, scale, currency=currency, signed=sign is not None)
            amount = -amount
        value = Money(amount, scale, currency=currency, signed=sign is not None)
        return _Candidate(
            value=value, start=start, end=end, numeric=True, sign_direction=sign_direction, plain=plain
        )
    elif (
        digits
        and len(digits) == 4
        and digits.isdigit()
        and 1900 <= int(digits) <= 2100
        and sign is None
        and scale is None
    ):
        return _Candidate(value=Year(int(digits)), start=start, end=end)
    elif (
        digits
        and len(digits) == 4
        and digits.isdigit()
        and 1000 <= int(digits) < 1900
        and not (sign or scale)
    ):
        # "founded in 1535" is a year, "1535 people" a count: both readings, as for a quarter's end.
        count = _Candidate(value=Number(amount), start=start, end=end, numeric=True)
        return [_Candidate(value=Year(int(digits)), start=start, end=end), count]
    else:
        value = Number(amount, scale, signed=sign is not None)
        sign_direction = 0  # a negative count is a level ("-5 degrees")
    return _Candidate(
        value=value,
        start=start,
        end=end,
        numeric=True,
        sign_direction=sign_direction,
        lone_one=bool(word) and word.lower() == "one" and not (pct or money or scale or _counts_one(text, m)),
    )


def _word_amount(word: str) -> Decimal:
    """Return the amount of a number in words: seven -> 7, twenty-five -> 25, dozen -> 12."""
    total = 0
    for part in re.split(r"[-\s]+", word.lower()):
        total += 12 if part == "dozen" else TENS.get(part) or WORD_NUMBERS[part]
    return Decimal(total)


def _currency(pre: str | None, iso: str | None, cur: str | None) -> str:
    """Return the ISO code (or ``¥``) for the currency as written."""
    if pre:
        return CURRENCY_PREFIXES.get(pre) or EXTRA_PREFIXES[pre]
    code = iso or cur or "USD"
    if code.upper() in ISO_CODES and code[0].isupper():
        return "CNY" if code.upper() == "RMB" else code.upper()
    key = " ".join(code.lower().split())
    if key not in CURRENCY_WORDS and key.endswith("s"):
        key = key[:-1]
    return CURRENCY_WORDS.get(key, "USD")


# "fell by a third", "cut by almost half", "rose by two-thirds": a change by a share.
_BY_BEFORE_RE: Final = re.compile(
    r"\bby\s+(?:(?:almost|nearly|about|around|roughly|some|more\s+than|less\s+than|over|under|"
    r"just\s+over|just\s+under|close\s+to)\s+)?(?:(?:a|one)\s+)?$",
    re.IGNORECASE,
)


def _build_fraction(m: re.Match[str], text: str, ref: _dt.date | None) -> _Candidate | None:
    """Return a share in words ("two-thirds of", "a fifth of", "half of") as a Percent."""
    denominator = DENOMINATORS[(m["fr_d"] or m["fr_bd"] or m["fr_a"]).lower()]
    written = m["fr_n"] or m["fr_bn"]
    numerator = WORD_NUMBERS[written.lower()] if written else 1
    start = m.start()
    if m["fr_a"] and not _BY_BEFORE_RE.search(text, max(0, start - 40), start):
        return None  # a share is "a third of" something, or a change "by a third"
    if not written:
        before = text[max(0, start - 8) : start].lower()
        if denominator == 2 and re.search(r"(?:first|second|latter|other|back|front)\s+$", before):
            return None  # "the second half of 2024" is a time
        if denominator != 2 and not re.search(r"(?:^|\W)(?:a|one)\s+$", before):
            return None  # "the third of March", "quarter of": a share needs "a" ("a fifth of")
        article = re.search(r"(?:^|(?<=\W))(?:a|one)\s+$", text[max(0, start - 5) : start], re.IGNORECASE)
        if article is not None:
            start -= len(article.group())
    if numerator >= denominator:
        return None
    amount = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))
    return _Candidate(value=Percent(amount.normalize()), start=start, end=m.end(), numeric=True)


_Builder = Callable[[re.Match[str], str, _dt.date | None], "_Candidate | list[_Candidate] | None"]
_BUILDERS: Final[dict[str, _Builder]] = {
    "K_iso": _build_iso,
    "K_q1": _build_q1,
    "K_yr": _build_year_range,
    "K_fy": _build_fiscal,
    "K_dmy": _build_day_month,
    "K_q2": _build_q2,
    "K_q3": _build_q3,
    "K_qe": _build_quarter_ended,
    "K_mq": _build_month_quarter,
    "K_month": _build_month,
    "K_ry": _build_relative_year,
    "K_rm": _build_relative_month,
    "K_wd": _build_weekday,
    "K_frac": _build_fraction,
    "K_ord": _build_ordinal,
    "K_num": _build_number,
}


# --------------------------------------------------------------------------
# Qualifiers, directions, ranges
# --------------------------------------------------------------------------


def _annotate(text: str, candidates: list[_Candidate]) -> None:
    """Set qualifier, comparator and direction of every numeric candidate, in order."""
    previous: int | None = None
    for index, cand in enumerate(candidates):
        cand.qstart = cand.start
        if not cand.numeric:
            continue
        qualifier = _find_qualifier(text, cand.start)
        if qualifier is not None:
            if qualifier["sym"]:
                cand.qualifier = qualifier["sym"]
                cand.qstart = qualifier.start("sym")
            else:
                cand.qualifier = " ".join(qualifier["q"].split())
                cand.qstart = qualifier.start("q")
            core = qualifier["sym"] or " ".join(qualifier["core"].lower().split())
            cand.comparator = QUALIFIERS[core]
        if cand.sign_direction:
            cand.direction = cand.sign_direction
        else:
            cand.direction = _prefix_direction(text, cand.qstart)
            if not cand.direction:
                cand.direction = _postfix_direction(text, cand.end)
                cand.after_word = cand.direction != 0
            if not cand.direction and previous is not None:
                cand.direction = _coordinated(text, candidates, previous, index)
        if previous is not None and cand.direction:
            _carry_unit(text, candidates[previous], cand)
        previous = index
    # "11.8% and 13.8% rises", "a 2.7% and 12.2% decrease": the word after a list is every number's.
    for cand, later in reversed(list(pairwise(candidates))):
        if (
            later.after_word
            and cand.numeric
            and not cand.direction
            and type(cand.value) is type(later.value)
            and _LIST_JOIN_RE.fullmatch(text, cand.end, later.qstart)
        ):
            cand.direction, cand.after_word = later.direction, True


def _carry_unit(text: str, prev: _Candidate, cand: _Candidate) -> None:
    """A unit elided in a coordinated clause: "rose by 2.0 percent ... and was up by 0.5" is 0.5%.

    Only a bare number (no unit, no scale) that states a change, after a
    percentage change in the same sentence, joined to it by "and".
    """
    value = cand.value
    if not (isinstance(value, Number) and value.scale is None and isinstance(prev.value, Percent)):
        return
    between = text[prev.end : cand.qstart]
    if (
        not prev.direction
        or len(between) > 80
        or not AND_RE.search(between)
        or CLAUSE_STOP_RE.search(between)
    ):
        return
    after = NEXT_WORD_RE.match(text, cand.end)
    if after is not None and after.group(1).lower() not in AFTER_ELIDED_UNIT:
        return  # "added 300 stores": a count of something, not an elided percent
    cand.value = Percent(value.amount, signed=value.signed)


def _find_qualifier(text: str, start: int) -> re.Match[str] | None:
    """Return the qualifier just before ``start`` ("more than", "~"), if any."""
    if start == 0:
        return None
    previous = text[start - 1]
    if previous in _QUALIFIER_SIGNS:
        return _QUALIFIER_RE.search(text, start - 1, start)
    if not previous.isspace():
        return None
    words = text[max(0, start - 16) : start].split()
    if words and words[-1][-1] in _QUALIFIER_SIGNS:  # "> $100 million", "Endowment> $100 million"
        return _QUALIFIER_RE.search(text, max(0, start - 4), start)
    if not words or words[-1].lower() not in _QUALIFIER_ENDS:  # the common case: no search
        return None
    return _QUALIFIER_RE.search(text, max(0, start - 40), start)


def _governing_word(text: str, position: int) -> str | None:
    """Return the word that governs the number starting at ``position``, lower-cased, if any.

    Walks back over at most four filler words ("by", "of", adverbs); any
    other word is the answer, and punctuation or a number ends the search
    with none. Stays within the clause by construction.
    """
    # Fast path: a number right after punctuation or another number has no governing word.
    i = position - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i < 0 or not text[i].isalpha():
        return None
    tokens: list[str] = _TOKEN_RE.findall(text, max(0, position - 60), position)
    skipped = 0
    for n, token in enumerate(reversed(tokens)):
        low = token.lower()
        if low in DIRECTION_WORDS:
            return low
        # "grew revenues by 2 percent", "reducing TB mortality by 75 percent": the
        # verb's object (up to three words) stands between.
        if n == 1 and tokens[-1].lower() == "by" and low.isalpha():
            for k in range(3, min(len(tokens), 5) + 1):
                verb = tokens[-k].lower()
                if verb in DIRECTION_WORDS:
                    return verb
                if not verb.isalpha() or verb in ELLIPSIS_STOP or verb in _NOT_IN_OBJECT:
                    break
        if low in FILLER or (len(low) > 3 and low.endswith("ly") and low.isalpha()):
            skipped += 1
            if skipped > 4:
                return None
            continue
        return low if low.isalpha() else None
    return None


def _prefix_direction(text: str, position: int) -> int:
    """Direction of a verb or noun governing the number that starts at ``position``.

    "fell 11%", "surged by more than 40%", "a drop of 5%"; but "rose to
    16%" and "a downturn for two years" are levels: "to" and "for" are
    not filler, so the search stops at them.
    """
    word = _governing_word(text, position)
    if word is None:
        # A label: "Annual percentage increase: 9.5%".
        label = _LABEL_BEFORE_RE.search(text, max(0, position - 30), position)
        return POSTFIX_WORDS.get(label.group(1).lower(), 0) if label is not None else 0
    return DIRECTION_WORDS.get(word, 0)


def _postfix_direction(text: str, end: int) -> int:
    """Direction of a word right after the number ("7.8% higher", "an 11% decrease").

    A bracketed margin of error between them is skipped: "3.4 percent (±0.7%) above".
    """
    if "(" in text[end : end + 2]:
        margin = _MARGIN_RE.match(text, end)
        if margin is not None:
            end = margin.end()
    unit = _OF_A_UNIT_RE.match(text, end)
    if unit is not None:
        end = unit.end()  # "0.5 of a degree below average", "0.37 of an inch above"
    match = _POSTFIX_RE.match(text, end)
    if match is None:
        return 0
    direction = POSTFIX_WORDS.get(match["w"].lower(), 0)
    if not direction and match["w"].islower():
        # "3 percent revenue growth", "a 5% sales decline": one noun may come first.
        second = _POSTFIX_RE.match(text, match.end())
        if second is not None and second["w"].lower() in POSTFIX_NOUNS:
            direction = POSTFIX_WORDS[second["w"].lower()]
        elif (
            second is not None
            and match["w"].endswith("s")
            and second["w"] in ("up", "down")
            and _UPDOWN_ENDS_RE.match(text, second.end())
        ):
            # "nine seats down", "12 points up": a count of something, then its direction.
            direction = POSTFIX_WORDS[second["w"]]
    return direction


def _coordinated(text: str, candidates: list[_Candidate], previous: int, index: int) -> int:
    """Return the direction a number shares with the change it is listed with ("7.7% in 2024 and 2.2%")."""
    prev, cand = candidates[previous], candidates[index]
    if not prev.direction or cand.qstart - prev.end > 80:
        return 0
    # An apposition restates the change in another unit: "fell 13 points, or 0.7 percent".
    if APPOSITION.fullmatch(text, prev.end, cand.qstart):
        return prev.direction
    if type(prev.value) is not type(cand.value):
        return 0
    pieces: list[str] = []
    position = prev.end
    for between in candidates[previous + 1 : index]:  # time expressions in between
        pieces.append(text[position : between.start])
        position = between.end
    pieces.append(text[position : cand.qstart])
    tokens: list[str] = _TOKEN_RE.findall(" ".join(pieces))
    words = [token.lower() for token in tokens]
    if not words:
        return 0
    if all(word in COORDINATION for word in words):
        return prev.direction if ("and" in words or "or" in words) else 0
    # "increased by 0.3 percent in the euro area and by 0.5 percent in the EU";
    # "fell 10 percent in 2023, but by less than 4 percent in 2024" (the verb is not repeated).
    if (
        len(words) >= 2
        and words[-1] == "by"
        and words[-2] in ("and", "but")
        and len(words) <= 8
        and not any(
            w in ELLIPSIS_STOP or w in DIRECTION_WORDS
            for w in words[:-2]
            # "from 2000 to 2023": the words of a time between them
            if w != "by" and not (index - previous > 1 and w in ("from", "to", "between"))
        )
    ):
        return prev.direction
    # An elliptical list repeats the subject but not the verb: "A fell 3%, B 2% and C 1%".
    # Only a comma or "and"/"or" first, a few words, none a verb or a word that starts a new statement.
    if words[0] not in (",", "and", "or") or len(words) > 5:
        return 0
    if any(w in ELLIPSIS_STOP or w in DIRECTION_WORDS or w in POSTFIX_WORDS for w in words):
        return 0
    if not all(w in COORDINATION or w.isalpha() or w in ("'", "’", "&", "-") for w in words):
        return 0
    return prev.direction


def _merge_ranges(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Join "X to Y", "X-Y", "between X and Y", "X or Y" (counts) into one candidate with an upper end."""
    merged: list[_Candidate] = []
    index = 0
    while index < len(candidates):
        cand = candidates[index]
        if index + 1 < len(candidates):
            joined = _join_range(text, cand, candidates[index + 1])
            if joined is not None:
                merged.append(joined)
                index += 2
                continue
        merged.append(cand)
        index += 1
    return merged


def _join_range(text: str, low: _Candidate, high: _Candidate) -> _Candidate | None:
    if not (low.numeric and high.numeric) or high.qualifier is not None:
        return None
    gap = _RANGE_GAP_RE.fullmatch(text, low.end, high.start)
    if gap is None:
        return None
    if gap["and"]:
        if _BETWEEN_RE.search(text, max(0, low.qstart - 12), low.qstart) is None:
            return None
    elif gap["or"]:
        # "one or two weeks"; but "5% or $2 billion" are two statements.
        if low.direction or not (isinstance(low.value, Number) and isinstance(high.value, Number)):
            return None
    elif gap["to"]:
        # After a change, "to" introduces the resulting level: "rose 9.2% to
        # HK$124.3", "grew from 10% to 16%"; but "range from $350 to $680".
        if low.direction:
            return None
        from_ = _FROM_RE.search(text, max(0, low.qstart - 12), low.qstart)
        if from_ is not None and _governing_word(text, from_.start()) in CHANGE_WORDS:
            return None
    values = _unify(low.value, high.value)
    if values is None:
        return None
    direction = low.direction or high.direction  # "5-7% growth"
    # Direct construction: attrs.evolve introspects the class on every call.
    return _Candidate(
        value=values[0],
        start=low.start,
        end=high.end,
        numeric=low.numeric,
        sign_direction=low.sign_direction,
        qstart=low.qstart,
        direction=direction,
        comparator=low.comparator,
        qualifier=low.qualifier,
        upper=values[1],
    )


def _unify(low: Value, high: Value) -> tuple[Value, Value] | None:
    """Return the two ends of a range with shared unit and scale ("5 to 7%", "$5 to $7 billion")."""
    if isinstance(low, Money) and isinstance(high, Number):
        # "£1.2-1.5bn", "$3-4 million": the currency is written once, before the first number.
        high = Money(high.amount, high.scale, currency=low.currency)
    if isinstance(low, Percent) and isinstance(high, Number) and high.scale is None:
        high = Percent(high.amount)  # "5%-7"
    if isinstance(low, Number) and not isinstance(high, Number):
        if low.scale is not None:
            return None
        if isinstance(high, Percent):
            low = Percent(low.amount)
        elif isinstance(high, Money):
            low = Money(low.amount, currency=high.currency)
        else:
            return None
    if isinstance(low, Percent) and isinstance(high, Percent):
        return (low, high) if low.total <= high.total else None
    if isinstance(low, Money) and isinstance(high, Money):
        if not currencies_compatible(low.currency, high.currency):
            return None
        if low.scale is None and high.scale is not None and low.amount <= high.amount:
            low = attrs.evolve(low, scale=high.scale)
        return (low, high) if low.total <= high.total else None
    if isinstance(low, Number) and isinstance(high, Number):
        if low.scale is None and high.scale is not None and low.amount <= high.amount:
            low = attrs.evolve(low, scale=high.scale)
        return (low, high) if low.total <= high.total else None
    return None
