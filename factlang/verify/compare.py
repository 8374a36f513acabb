"""Does a stated quantity bear out a fact's value? (SPEC §3 step 2).

The rules: the types must agree (and for money the currency: ``$`` is US
dollars, so ``HK$113.10`` is not ``$113.10``); ``=`` is equality of the
written numbers (``16%`` is not ``16.4%``, ``$185.1 billion`` is
``$185,100 million``); ``~`` is equality within the coarser of the two
precisions (``~ $18.5 billion`` holds for "$18.51 billion"); ordering
comparators hold when everything the text states is on the right side
("more than 40%" bears out ``> 40%`` and ``> 30%``); a signed change needs
the direction the text states ("fell 11%" for ``-11%``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, NamedTuple

import attrs

from factlang import values as v
from factlang.verify.quantities import Quantity

__all__ = ["NO_DIRECTION", "Interval", "Outcome", "bounds", "compare", "same_type"]

_INF: Final = Decimal("Infinity")
#: Why a signed fact is not settled by a number with no direction ("Shares were 4.7%").
NO_DIRECTION: Final = "states no direction of change"


@attrs.frozen
class Outcome:
    """Whether one quantity matches, and why not when it does not."""

    matches: bool
    reason: str | None = None
    #: The text states this number but not what the value needs to decide
    #: (a signed fact and no direction): it neither supports nor refutes.
    undecided: bool = False


def same_type(value: v.Value, q: Quantity) -> bool:
    """Whether the text's quantity is of the fact value's type."""
    return type(value) is type(q.value)


def _signed_total(q_value: v.Value, direction: int) -> Decimal:
    assert isinstance(q_value, v.Percent | v.Money | v.Number)
    total = q_value.total
    if direction:
        return abs(total) * direction
    return total


def _is_signed(value: v.Value) -> bool:
    return isinstance(value, v.Percent | v.Money | v.Number) and value.signed


def _precision(value: v.Value) -> Decimal:
    assert isinstance(value, v.Percent | v.Money | v.Number)
    return value.precision


class Interval(NamedTuple):
    """The values a bound allows: low, high, and whether each end is open."""

    low: Decimal
    high: Decimal
    low_open: bool = False
    high_open: bool = False


def bounds(comparator: str | None, total: Decimal, half: Decimal = Decimal(0)) -> Interval:
    """The interval ``comparator total`` allows (``~`` widens a point by ``half``).

    Shared by the value check (what a text states: "more than 40%") and the
    conflict check (what a fact claims: ``> 40%``).
    """
    match comparator:
        case ">":
            return Interval(total, _INF, low_open=True)
        case ">=":
            return Interval(total, _INF)
        case "<":
            return Interval(-_INF, total, high_open=True)
        case "<=":
            return Interval(-_INF, total)
        case "~":
            return Interval(total - half, total + half)
        case _:
            return Interval(total, total)


def _interval(q: Quantity, total: Decimal) -> Interval:
    """What the text states as an interval (a range, a bound, or a point)."""
    if q.upper is not None and isinstance(q.upper, v.Percent | v.Money | v.Number):
        return Interval(total, _signed_total(q.upper, q.direction))
    return bounds(q.comparator, total)


#: Qualifiers that put the number just above what the text states ("almost 3%" is under 3%).
_JUST_UNDER: Final = frozenset({"almost", "nearly", "just under", "close to"})


def _change_interval(q: Quantity, half: Decimal) -> Interval:
    """What a change stated by a direction word allows, as signed numbers.

    The qualifier bounds the size of the change, and a size is never below
    zero: "fell more than 4%" is below -4%, "fell by less than 4%" between
    -4% and 0, "rose almost 3%" just under +3%. ``half`` is how far "about" reaches.
    """
    assert isinstance(q.value, v.Percent | v.Money | v.Number)
    size = abs(q.value.total)
    if q.upper is not None and isinstance(q.upper, v.Percent | v.Money | v.Number):
        low, high = sorted((size, abs(q.upper.total)))
        magnitude = Interval(low, high)
    elif q.comparator == "~":
        under = (q.qualifier or "").lower() in _JUST_UNDER
        magnitude = Interval(max(size - half, Decimal(0)), size if under else size + half, high_open=under)
    else:
        magnitude = bounds(q.comparator, size)
        if magnitude.low < 0:
            magnitude = Interval(Decimal(0), magnitude.high, high_open=magnitude.high_open)
    if q.direction > 0:
        return magnitude
    return Interval(-magnitude.high, -magnitude.low, magnitude.high_open, magnitude.low_open)


def compare(comparator: str, value: v.Value, q: Quantity) -> Outcome:
    """Whether quantity ``q`` stated by the text bears out ``comparator value``."""
    if not same_type(value, q):
        return Outcome(False, f"states a {q.value.type_name}, not a {value.type_name}")
    if isinstance(value, v.Money):
        assert isinstance(q.value, v.Money)
        if not v.currencies_compatible(value.currency, q.value.currency):
            return Outcome(False, f"is in {q.value.currency}, not {value.currency}")
    if isinstance(value, v.Percent | v.Money | v.Number):
        return _compare_numeric(comparator, value, q)
    # Times, text, booleans: equality of meaning; ordering for times.
    return _compare_plain(comparator, value, q.value)


def _compare_numeric(comparator: str, value: v.Percent | v.Money | v.Number, q: Quantity) -> Outcome:
    want = value.total
    direction = q.direction
    opposite = False
    # "< 0%", "> 0%" ask for a direction: zero compared in order is a signed change.
    signed = _is_signed(value) or (want == 0 and comparator in (">", ">=", "<", "<="))
    if signed:
        if direction == 0 and q.value.total >= 0 and not _is_signed(q.value):  # type: ignore[union-attr]
            # "Shares were 4.7%": no direction stated, so nothing to say of +4.7% or -4.7%.
            return Outcome(False, NO_DIRECTION, undecided=True)
        # Every comparator works on the signed numbers: "fell 4.7%" is -4.7%.
        stated = _signed_total(q.value, direction)
        opposite = (stated < 0) != (want < 0) and stated != 0 and want != 0
    else:
        # An unsigned fact value is a magnitude: "fell 11%" is 11 in size.
        stated = abs(q.value.total) if direction else q.value.total  # type: ignore[union-attr]
    approx = q.comparator == "~"

    def tolerance() -> Decimal:
        # Decimal arithmetic is slow and most facts state the number exactly: only when asked.
        return max(_precision(value), _precision(q.value))

    if signed and direction and not _is_signed(q.value) and (q.comparator or q.upper is not None):
        # A direction word, not a written sign, gives the change its sign: a qualifier
        # then bounds its size ("fell more than 4%" is below -4%, not above it).
        low, high, low_open, high_open = _change_interval(q, tolerance() if approx else Decimal(0))
    elif approx and q.upper is None and comparator in _ORDERED:
        low, high, low_open, high_open = _approx_interval(q, stated, tolerance())
    else:
        low, high, low_open, high_open = _interval(q, stated)
    point = low == high or approx

    match comparator:
        case "=":
            ok = point and (stated == want or (approx and abs(stated - want) <= tolerance()))
            if not ok and q.upper is not None:
                ok = want in (low, high)
        case "~":
            ok = point and abs(stated - want) <= tolerance()
            if not ok and q.upper is not None:
                ok = low - tolerance() <= want <= high + tolerance()
        case "!=":
            ok = point and stated != want
        case ">" | ">=" | "<" | "<=":
            ok, against = _ordered(comparator, want, Interval(low, high, low_open, high_open))
            if not (ok or against):
                # "more than 40%" for < 50%, "about 3%" for < 3%: true or not, the text does not say.
                return Outcome(False, f"does not settle {comparator} {value.spelling()}", undecided=True)
        case _:  # pragma: no cover - the grammar has no other comparator
            ok = False
    if ok:
        return Outcome(True)
    if opposite:
        said, claimed = ("a decrease", "an increase") if stated < 0 else ("an increase", "a decrease")
        return Outcome(False, f"states {said}, the fact {claimed}")
    return Outcome(
        False, _mismatch(comparator, stated, want, tolerance(), q.upper is not None, value.spelling())
    )


_ORDERED: Final = frozenset({">", ">=", "<", "<="})


def _ordered(comparator: str, want: Decimal, stated: Interval) -> tuple[bool, bool]:
    """Whether every number the text allows is on the fact's side of ``want``, or every one is not."""
    low, high, low_open, high_open = stated
    match comparator:
        case ">":
            return low > want or (low == want and low_open), high <= want
        case ">=":
            return low >= want, high < want or (high == want and high_open)
        case "<":
            return high < want or (high == want and high_open), low >= want
        case _:  # "<="
            return high <= want, low > want or (low == want and low_open)


def _approx_interval(q: Quantity, stated: Decimal, half: Decimal) -> Interval:
    """What "about 3%" allows (2.5% to 3.5%: half a unit of the coarser digit); "almost 3%" is under 3%."""
    if (q.qualifier or "").lower() not in _JUST_UNDER:
        return Interval(stated - half, stated + half)
    if stated >= 0:
        return Interval(stated - half, stated, high_open=True)
    return Interval(stated, stated + half, low_open=True)  # "almost -3%": just above -3%


def _mismatch(
    comparator: str, stated: Decimal, want: Decimal, tolerance: Decimal, is_range: bool, spelled: str
) -> str:
    """Why a stated number does not bear out ``comparator want``, in words."""
    if is_range:
        return {
            "=": "is a range whose ends are not the value",
            "~": "is a range that does not take in the value",
            "!=": "is a range (no single number to differ)",
        }.get(comparator, "is a range not wholly on that side of the value")
    if comparator == "=":
        if abs(stated - want) <= tolerance:
            return "agrees only when rounded (= needs the number as written; ~ allows rounding)"
        return f"is higher than {spelled}" if stated > want else f"is lower than {spelled}"
    if comparator == "~":
        return "is further off than half a unit of the last stated digit"
    if comparator == "!=":
        return f"is {spelled} itself"
    if comparator in (">", ">="):
        return f"is not above {spelled}" if stated < want else f"is {spelled} itself, not above it"
    return f"is not below {spelled}" if stated > want else f"is {spelled} itself, not below it"


def _time_key(value: v.Value) -> tuple[int, ...] | None:
    match value:
        case v.Year(year=y) | v.FiscalYear(year=y):
            return (y,)
        case v.Quarter(year=y, quarter=q):
            return (y, q)
        case v.Month(year=y, month=mo):
            return (y, mo)
        case v.Date(date=d):
            return (d.year, d.month, d.day)
    return None


def _compare_plain(comparator: str, value: v.Value, stated: v.Value) -> Outcome:
    if comparator == "=":
        ok = value == stated
    elif comparator == "!=":
        ok = value != stated
    else:
        a, b = _time_key(stated), _time_key(value)
        if a is None or b is None:
            return Outcome(False, "cannot be ordered")
        ok = {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}.get(comparator, False)
    return Outcome(ok, None if ok else "does not match")
