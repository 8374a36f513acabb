"""Relative and partial times, resolved against the date a source was published.

What "last year", "in January", "January 29" or "the quarter ended
December" mean depends on when the text was written.

The scanner (:mod:`factlang.verify.quantities`) finds the words; these
functions turn a month (and day) stated without a year into a full time,
relative to the publication date (``ref``) and to how the text speaks of it
(``past``, ``future``, ``last``, ``next``, ``this``).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Final

from factlang.values import Date, Quarter

__all__ = ["future_context", "make_date", "month_year", "quarter_of", "relative_date"]


CLAUSE_END_RE: Final = re.compile(r".*[.;!?]\s", re.DOTALL)


FUTURE_RE: Final = re.compile(
    r"\b(?:will|shall|plans?|planned|planning|expects?|expected|scheduled|set\s+to|aims?|intends?"
    r"|upcoming|later\s+this)\b",
    re.IGNORECASE,
)


def make_date(year: int, month: int, day: int) -> Date | None:
    """The date, or None for one that does not exist (February 30)."""
    try:
        return Date(_dt.date(year, month, day))
    except ValueError:
        return None


def month_year(month: int, ref: _dt.date, mode: str) -> int:
    """Return the year of the named month relative to ``ref``.

    ``past``: the most recent one that has begun by ``ref``; ``future``:
    the next one not before ``ref``'s month; ``last``/``next``: strictly
    before/after ``ref``'s month; ``this``: ``ref``'s year.
    """
    if mode == "this":
        return ref.year
    if mode == "last":
        return ref.year if month < ref.month else ref.year - 1
    if mode == "next":
        return ref.year if month > ref.month else ref.year + 1
    if mode == "future":
        return ref.year if month >= ref.month else ref.year + 1
    return ref.year if month <= ref.month else ref.year - 1


def relative_date(month: int, day: int, ref: _dt.date, mode: str) -> Date | None:
    """Date a day stated without a year: the most recent one not after ``ref`` (or per ``mode``)."""
    if mode in ("past", "future"):
        year = ref.year
        try:
            stated = _dt.date(year, month, day)
        except ValueError:
            return None
        if mode == "past" and stated > ref:
            year -= 1
        elif mode == "future" and stated < ref:
            year += 1
        return make_date(year, month, day)
    return make_date(month_year(month, ref, mode), month, day)


def quarter_of(month: int, ref: _dt.date, mode: str) -> Quarter:
    """Return the quarter containing ``month``: the latest begun by ``ref`` unless ``mode`` says."""
    quarter = (month - 1) // 3 + 1
    if mode == "past":
        first_month = 3 * quarter - 2
        year = ref.year if (first_month, 1) <= (ref.month, ref.day) else ref.year - 1
        return Quarter(year, quarter)
    return Quarter(month_year(month, ref, mode), quarter)


def future_context(text: str, start: int) -> bool:
    """Whether the clause before ``start`` speaks of the future ("plans to debut ... in April")."""
    window = text[max(0, start - 80) : start]
    clause_end = CLAUSE_END_RE.match(window)
    if clause_end is not None:
        window = window[clause_end.end() :]
    return FUTURE_RE.search(window) is not None
