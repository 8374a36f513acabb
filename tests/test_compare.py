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
