"""Comparators on stated quantities (SPEC §2): signed changes, levels, ranges and ``~``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from factlang.values import Money, Percent
from factlang.verify.compare import compare
from factlang.verify.quantities import Quantity, extract


def stated(text: str) -> Quantity:
    (q,) = extract(text)
    return q


def pct(text: str) -> Percent:
    signed = text[0] in "+-"
    return Percent(Decimal(text.rstrip("%")), signed=signed)


@pytest.mark.parametrize(
    ("comparator", "value", "text", "holds"),
    [
        # SPEC §2: every comparator works on the signed numbers.
        ("!=", "+4.7%", "shares fell 4.7%", True),
        ("<", "+1%", "shares fell 4.7%", True),
        ("=", "+4.7%", "shares fell 4.7%", False),
        ("=", "-4.7%", "shares fell 4.7%", True),
        (">", "-1%", "an increase of over 1%", True),
        ("<", "-1%", "an increase of over 1%", False),
        (">=", "-5%", "shares fell 4.7%", True),
        ("<=", "-5%", "shares fell 4.7%", False),
        ("~", "-4.7%", "shares fell 4.72%", True),
        # An unsigned value is a level, compared with the stated magnitude.
        ("=", "4.7%", "shares fell 4.7%", True),
        ("=", "16%", "a market share of 16%", True),
        ("~", "16%", "a market share of 16.4%", True),
        ("=", "16%", "a market share of 16.4%", False),
    ],
)
def test_signed_and_level_comparisons(comparator: str, value: str, text: str, holds: bool) -> None:
    assert compare(comparator, pct(value), stated(text)).matches is holds


def test_no_stated_direction_leaves_a_signed_value_undecided() -> None:
    outcome = compare("=", pct("+4.7%"), stated("shares were 4.7% on the day"))
    assert not outcome.matches
    assert outcome.undecided


def test_opposite_direction_is_the_reason() -> None:
    outcome = compare("=", pct("+4.7%"), stated("shares fell 4.7%"))
    assert outcome.reason == "states a decrease, the fact an increase"
    assert not outcome.undecided


@pytest.mark.parametrize(
    ("value", "text", "holds"),
    [
        ("$18.5 billion", "$18.51 billion", True),
        ("$37 billion", "$37.4 billion", True),
        ("$18.5 billion", "$18.7 billion", False),
        ("$37 billion", "$37.6 billion", False),
    ],
)
def test_approximately_is_half_a_unit_of_the_coarser_number(value: str, text: str, holds: bool) -> None:
    amount, scale = value.lstrip("$").split()
    assert compare("~", Money(Decimal(amount), scale), stated(f"revenue of {text}")).matches is holds


# A direction word gives a change its sign, and a qualifier bounds its size:
# "fell more than 4%" is below -4% (it was read as above -4%, so `> -4%` held).
@pytest.mark.parametrize(
    ("comparator", "value", "text", "outcome"),
    [
        ("<", "-4%", "Sales fell more than 4 percent.", "holds"),
        (">", "-4%", "Sales fell more than 4 percent.", "refuted"),
        ("<", "-4%", "a drop of more than 4 per cent", "holds"),
        (">", "-4%", "Sales fell by less than 4 percent.", "holds"),
        ("<", "-4%", "Sales fell by less than 4 percent.", "refuted"),
        # a size is never below zero: a fall of under 4% is no rise
        (">", "+1%", "Sales fell by less than 4 percent.", "refuted"),
        ("<=", "+4%", "Sales rose by at most 4 percent.", "holds"),
        (">", "-1%", "Sales rose by at most 4 percent.", "holds"),
        (">", "+4%", "Sales rose more than 4 percent.", "holds"),
        ("<", "-10%", "Sales fell at least 10 percent.", "unsettled"),
        ("<=", "-10%", "Sales fell at least 10 percent.", "holds"),
        # a written sign is the number itself: "more than -4%" is above -4%
        (">", "-4%", "a change of more than -4%", "holds"),
    ],
)
def test_a_qualifier_bounds_the_size_of_a_change(
    comparator: str, value: str, text: str, outcome: str
) -> None:
    got = compare(comparator, pct(value), stated(text))
    assert (got.matches, got.undecided) == {
        "holds": (True, False),
        "refuted": (False, False),
        "unsettled": (False, True),
    }[outcome]


# "about 3%" is 2.5% to 3.5% and "almost 3%" 2.5% up to 3%: an ordering inside
# that reach is not settled by the text (it was refuted), one outside it is.
@pytest.mark.parametrize(
    ("comparator", "value", "text", "outcome"),
    [
        ("<", "3%", "about 3 percent of voters", "unsettled"),
        (">", "3%", "about 3 percent of voters", "unsettled"),
        (">", "2%", "about 3 percent of voters", "holds"),
        ("<", "2%", "about 3 percent of voters", "refuted"),
        ("<", "3%", "almost 3 percent of voters", "holds"),
        (">=", "3%", "almost 3 percent of voters", "refuted"),
        ("<", "+3%", "a vote increase of almost 3 percent", "holds"),
        (">", "+3%", "a vote increase of almost 3 percent", "refuted"),
        (">", "-3%", "Sales fell almost 3 percent.", "holds"),
        ("<", "-3%", "Sales fell almost 3 percent.", "refuted"),
        ("~", "3%", "almost 3 percent of voters", "holds"),
        # a bound that reaches both sides of the value: compatible, not stated
        ("<", "50%", "more than 40 percent of voters", "unsettled"),
        ("<", "30%", "more than 40 percent of voters", "refuted"),
        (">", "30%", "more than 40 percent of voters", "holds"),
    ],
)
def test_an_ordering_inside_what_the_text_allows_is_not_settled(
    comparator: str, value: str, text: str, outcome: str
) -> None:
    got = compare(comparator, pct(value), stated(text))
    assert (got.matches, got.undecided) == {
        "holds": (True, False),
        "refuted": (False, False),
        "unsettled": (False, True),
    }[outcome]
