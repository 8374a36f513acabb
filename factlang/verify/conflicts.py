"""Conflicts: facts with the same key whose values cannot all hold (SPEC §3).

Each numeric fact is read as an interval of the values it allows (``= 16%``
allows exactly 16, ``> 40%`` everything above 40, ``~ 18.5`` anything that
rounds to it); a group of facts with the same key conflicts when some two
of its intervals do not meet. Other values conflict when ``=`` states two
different values, or ``=`` and ``!=`` the same one; a relation conflicts
with its negation.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from factlang import values as v
from factlang.model import Fact
from factlang.report import Conflict
from factlang.verify.compare import Interval, bounds

__all__ = ["Claim", "conflicting", "find_conflicts"]


class Claim(Protocol):
    """What deciding a conflict looks at: a :class:`~factlang.model.Fact`, or a stand-in for one.

    ``claim`` is read only to word the reason of a conflict found.
    """

    @property
    def value(self) -> v.Value | None: ...  # noqa: D102 - as the Fact's fields
    @property
    def comparator(self) -> str | None: ...  # noqa: D102
    @property
    def negated(self) -> bool: ...  # noqa: D102
    @property
    def claim(self) -> str: ...  # noqa: D102


def conflicting(group: Sequence[Claim]) -> bool:
    """Whether some two facts of a same-key group cannot both hold."""
    return any(_pair_conflicts(a, b) is not None for a, b in itertools.combinations(group, 2))


def _interval(fact: Claim) -> Interval | None:
    value = fact.value
    if not isinstance(value, v.Percent | v.Money | v.Number) or fact.comparator == "!=":
        return None
    return bounds(fact.comparator, value.total, value.precision)


def _meet(a: Interval, b: Interval) -> bool:
    """Whether two intervals share a value."""
    if a.low != b.low:
        low, low_open = (a.low, a.low_open) if a.low > b.low else (b.low, b.low_open)
    else:
        low, low_open = a.low, a.low_open or b.low_open
    if a.high != b.high:
        high, high_open = (a.high, a.high_open) if a.high < b.high else (b.high, b.high_open)
    else:
        high, high_open = a.high, a.high_open or b.high_open
    return low < high or (low == high and not low_open and not high_open)


def _currency(fact: Claim) -> str | None:
    return fact.value.currency if isinstance(fact.value, v.Money) else None


def _pair_conflicts(a: Claim, b: Claim) -> str | None:
    """Why two facts of one key cannot both hold, or None if they can."""
    if a.value is None and b.value is None:
        if a.negated != b.negated:
            return f"{a.claim} and {b.claim} contradict each other"
        return None
    if a.value is None or b.value is None or a.comparator is None or b.comparator is None:
        return None
    if type(a.value) is not type(b.value):
        return None
    ca, cb = _currency(a), _currency(b)
    if ca is not None and cb is not None and not v.currencies_compatible(ca, cb):
        return None  # amounts in different currencies cannot be compared here
    if "!=" in (a.comparator, b.comparator):
        eq, ne = (a, b) if b.comparator == "!=" else (b, a)
        if eq.comparator == "=" and eq.value == ne.value:
            return f"{eq.claim} and {ne.claim} cannot both hold"
        return None
    ia, ib = _interval(a), _interval(b)
    if ia is not None and ib is not None:
        return None if _meet(ia, ib) else f"{a.claim} and {b.claim} cannot both hold"
    if a.comparator == "=" and b.comparator == "=" and a.value != b.value:
        return f"{a.claim} and {b.claim} cannot both hold"
    return None


def find_conflicts(facts: Sequence[Fact], keys: Sequence[str] | None = None) -> list[Conflict]:
    """Every group of same-key facts with values that cannot all hold.

    ``keys`` are the facts' keys when already known (the results cache keeps
    them per fact file), so they are not spelled out again.
    """
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact, key in zip(facts, keys if keys is not None else (f.key for f in facts), strict=True):
        groups[key].append(fact)
    out: list[Conflict] = []
    for key, group in groups.items():
        if len(group) < 2:
            continue
        involved: list[Fact] = []
        reasons: list[str] = []
        for a, b in itertools.combinations(group, 2):
            why = _pair_conflicts(a, b)
            if why is not None:
                reasons.append(why)
                involved.extend(f for f in (a, b) if f not in involved)
        if reasons:
            out.append(Conflict(key, tuple(involved), "; ".join(dict.fromkeys(reasons))))
    return out
