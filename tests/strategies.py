"""Hypothesis strategies: random valid fact files, laid out at random.

A file is built as statements of tokens; :func:`fact_files` joins the
tokens with random whitespace, line breaks and comments, and spells every
literal in one of the ways SPEC §2 allows (``$185.1bn``, ``USD 14.53``,
``3,000``, ``+7.8%``...). The files are valid syntax; they need not check
(names are random, so most are unknown).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from hypothesis import strategies as st

from factlang.syntax import RESERVED
from factlang.values import quote_string

__all__ = ["fact_files", "literals", "names", "source_ids"]

# A number's scale word may follow it after a space: `5 million(...)` would
# read as a number, so scale words are not generated as names.
_SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion"})
_FISCAL_YEAR = re.compile(r"FY[0-9]{4}")

#: Names: ``[A-Za-z_][A-Za-z0-9_]*``, not a keyword, not a fiscal year.
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,11}", fullmatch=True).filter(
    lambda n: n not in RESERVED and n not in _SCALE_WORDS and not _FISCAL_YEAR.fullmatch(n)
)

#: Source ids: may start with a digit and hold ``-`` and ``.`` inside.
source_ids = st.from_regex(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,14}[A-Za-z0-9_])?", fullmatch=True).filter(
    lambda n: n not in RESERVED
)

# Any text but NUL (which makes a file binary) and, in comments, a newline.
_text = st.text(st.characters(exclude_characters="\x00"), max_size=20)
_comment_text = st.text(st.characters(exclude_characters="\x00\n"), max_size=20)
strings = _text.map(quote_string)


@st.composite
def _digits(draw: st.DrawFn) -> str:
    whole = draw(st.integers(0, 10**9))
    grouped = draw(st.booleans()) and whole >= 1000
    text = f"{whole:,}" if grouped else str(whole)
    if draw(st.booleans()):
        text += "." + draw(st.from_regex(r"[0-9]{1,4}", fullmatch=True))
    return text


_sign = st.sampled_from(["", "+", "-"])
_scale = st.sampled_from(
    [
        "",
        " thousand",
        " million",
        " billion",
        " trillion",
        "\tbillion",
        "k",
        "K",
        "m",
        "M",
        "mn",
        "bn",
        "B",
        "BN",
        "T",
        "tn",
    ]
)
_prefix = st.sampled_from(["$", "US$", "HK$", "NT$", "A$", "C$", "S$", "¥", "€", "£"])
_iso_code = st.from_regex(r"[A-Z]{3}", fullmatch=True)

percents = st.builds(lambda s, d: f"{s}{d}%", _sign, _digits())
moneys = st.builds(lambda s, p, d, sc: f"{s}{p}{d}{sc}", _sign, _prefix, _digits(), _scale)
iso_moneys = st.builds(lambda c, s, d, sc: f"{c} {s}{d}{sc}", _iso_code, _sign, _digits(), _scale)
numbers = st.builds(lambda s, d, sc: f"{s}{d}{sc}", _sign, _digits(), _scale)
_dates = st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31))
dates = _dates.map(dt.date.isoformat)
months = _dates.map(lambda d: f"{d.year:04d}-{d.month:02d}")
quarters = st.builds(lambda y, q: f"{y:04d}-Q{q}", st.integers(1000, 9999), st.integers(1, 4))
fiscal_years = st.integers(1000, 9999).map(lambda y: f"FY{y}")
bools = st.sampled_from(["true", "false"])

#: Literals a source field may hold (no entity names, no ISO amounts).
field_literals = st.one_of(percents, moneys, numbers, dates, months, quarters, fiscal_years, strings, bools)

#: Every literal a fact's argument or value may be.
literals = st.one_of(field_literals, iso_moneys, names)

_COMPARATORS = ["=", "!=", ">", ">=", "<", "<=", "~"]
# Tokens that can touch their neighbours with no space between. Not ',':
# `5,100` is one number (SPEC: `3,000`), so a comma before a number needs a space.
_PUNCTUATION = frozenset("():={}@") | {"->"}


def _list(draw: st.DrawFn, items: st.SearchStrategy[str], *, min_size: int = 0) -> list[str]:
    values = draw(st.lists(items, min_size=min_size, max_size=4))
    out: list[str] = []
    for i, item in enumerate(values):
        if i:
            out.append(",")
        out.append(item)
    return out


@st.composite
def _statement(draw: st.DrawFn) -> list[str]:
    form = draw(st.sampled_from(["use", "source", "kind", "entity", "predicate", "fact", "fact"]))
    if form == "use":
        return ["use", draw(strings)]
    if form == "source":
        tokens = ["source", draw(source_ids), "=", draw(strings)]
        if draw(st.booleans()):
            tokens.append("{")
            for _ in range(draw(st.integers(0, 3))):
                tokens += [draw(names), ":", draw(field_literals)]
            tokens.append("}")
        return tokens
    if form == "kind":
        return ["kind", draw(names)]
    if form == "entity":
        tokens = ["entity", draw(names), ":", draw(names)]
        if draw(st.booleans()):
            tokens += ["aka", *_list(draw, strings, min_size=1)]
        return tokens
    if form == "predicate":
        params = st.builds(lambda n, t: [n, ":", t], names, names)
        tokens = ["predicate", draw(names), "("]
        for i, param in enumerate(draw(st.lists(params, max_size=3))):
            tokens += [",", *param] if i else param
        tokens.append(")")
        if draw(st.booleans()):
            tokens += ["->", draw(names)]
        if draw(st.booleans()):
            tokens.append(draw(strings))
        return tokens
    tokens = ["not"] if draw(st.booleans()) else []
    tokens += [draw(names), "(", *_list(draw, literals), ")"]
    if draw(st.booleans()):
        tokens += [draw(st.sampled_from(_COMPARATORS)), draw(literals)]
    for _ in range(draw(st.integers(0, 3))):
        tokens += ["@", draw(source_ids)]
        if draw(st.booleans()):
            tokens.append(draw(strings))
        if draw(st.booleans()):
            tokens.append("contradicts")
    return tokens


_spaces = st.sampled_from([" ", "  ", "\t", "\n", "\n    ", "\n\n", " \r\n", "\f"])
_comment = _comment_text.map(lambda t: f"  #{t}\n")


@st.composite
def _separator(draw: st.DrawFn, left: str, right: str) -> str:
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(_comment) + draw(st.sampled_from(["", "    ", "\n"]))
    if choice == 1 and (left in _PUNCTUATION or right in _PUNCTUATION):
        return ""
    return draw(_spaces)


@st.composite
def fact_files(draw: st.DrawFn) -> str:
    """A syntactically valid fact file, laid out at random."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(draw(_comment).lstrip())
    for tokens in draw(st.lists(_statement(), max_size=6)):
        parts.append(tokens[0])
        for left, right in itertools.pairwise(tokens):
            parts += [draw(_separator(left, right)), right]
        parts.append(draw(st.sampled_from(["\n", "\n\n", " ", "\n  "])))
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(_comment).lstrip() + draw(st.sampled_from(["", "\n"])))
    return "".join(parts)
