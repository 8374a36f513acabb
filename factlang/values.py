"""Typed values: what a fact states and what a source text states.

Every value keeps what was written (the digits, the currency symbol, the
scale word) and compares by meaning: ``$185.1 billion`` equals
``$185100 million``. Numeric values also know their *precision* (the
place of their last written digit), which the verifier needs for ``~``
and for "16% does not match 16.4%".

This module knows nothing of Lark, the CLI or the verifier.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from typing import ClassVar, Final

import attrs

__all__ = [
    "CURRENCY_PREFIXES",
    "CURRENCY_PREFIX_PATTERN",
    "SCALES",
    "SCALE_SUFFIXES",
    "SCALE_SUFFIX_PATTERN",
    "SCALE_WORD_PATTERN",
    "Bool",
    "Date",
    "EntityRef",
    "FiscalYear",
    "Money",
    "Month",
    "Number",
    "Percent",
    "Quarter",
    "Text",
    "Value",
    "Year",
    "alternation",
    "canonical_scale",
    "currencies_compatible",
    "format_decimal",
    "time_period",
]

#: Canonical scale words and their multipliers.
SCALES: Final[dict[str, Decimal]] = {
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}

# Every accepted spelling of a scale, lower-cased, to its canonical word.
# "T" is only a suffix in upper case (handled by callers that see case).
_SCALE_SPELLINGS: Final[dict[str, str]] = {
    "thousand": "thousand",
    "k": "thousand",
    "million": "million",
    "m": "million",
    "mn": "million",
    "mln": "million",
    "billion": "billion",
    "b": "billion",
    "bn": "billion",
    "trillion": "trillion",
    "t": "trillion",
    "tn": "trillion",
}

#: Scale suffixes a literal may carry right after its digits (``$185.1bn``), as
#: written: "T" only in capitals (a lower "t" reads as tonnes). The grammar's
#: terminals, the Pygments lexer and the quantity extractor all take this
#: table (a test holds the grammar to it).
SCALE_SUFFIXES: Final[dict[str, str]] = {
    "k": "thousand",
    "K": "thousand",
    "m": "million",
    "M": "million",
    "mn": "million",
    "Mn": "million",
    "MN": "million",
    "b": "billion",
    "B": "billion",
    "bn": "billion",
    "Bn": "billion",
    "BN": "billion",
    "T": "trillion",
    "tn": "trillion",
    "Tn": "trillion",
    "TN": "trillion",
}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so none shadows another."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


#: Currency prefixes (as written before the amount) to ISO 4217 codes.
#: ``¥`` is both yen and yuan; it keeps its own code ``¥`` and is
#: compatible with either (see :func:`currencies_compatible`).
CURRENCY_PREFIXES: Final[dict[str, str]] = {
    "$": "USD",
    "US$": "USD",
    "HK$": "HKD",
    "NT$": "TWD",
    "A$": "AUD",
    "C$": "CAD",
    "S$": "SGD",
    "€": "EUR",
    "£": "GBP",
    "¥": "¥",
}

# The spelling `fmt` writes for a currency; codes without one stay ISO.
_CANONICAL_PREFIX: Final[dict[str, str]] = {
    "USD": "$",
    "HKD": "HK$",
    "TWD": "NT$",
    "AUD": "A$",
    "CAD": "C$",
    "SGD": "S$",
    "EUR": "€",
    "GBP": "£",
    "¥": "¥",
}

_YEN_OR_YUAN: Final = frozenset({"¥", "JPY", "CNY", "RMB"})

#: Regex fragments of the literal vocabulary, made from the tables above.
CURRENCY_PREFIX_PATTERN: Final = f"(?:{alternation(CURRENCY_PREFIXES)})"
SCALE_WORD_PATTERN: Final = f"(?:{alternation(SCALES)})"
SCALE_SUFFIX_PATTERN: Final = f"(?:{alternation(SCALE_SUFFIXES)})"


# Amounts are exact: the scaled total and the key two amounts compare by are
# computed with as many digits as they need, not the default 28, so amounts
# that differ in their 29th digit never compare equal. Only multiplication
# by powers of ten and normalisation run in it (both exact and linear).
_EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def canonical_scale(word: str | None) -> str | None:
    """Return the canonical scale word for a spelling (``bn`` -> ``billion``).

    Returns ``None`` for ``None``; raises ``KeyError`` for an unknown word.
    """
    if word is None:
        return None
    return _SCALE_SPELLINGS[word.lower()]


def currencies_compatible(a: str, b: str) -> bool:
    """Whether two currency codes can denote the same currency.

    Equal codes are compatible; ``¥`` is compatible with JPY and CNY (and
    ``RMB``, a common spelling of CNY), since the sign serves both.
    """
    a, b = _alias_code(a), _alias_code(b)
    if a == b:
        return True
    return (a == "¥" and b in _YEN_OR_YUAN) or (b == "¥" and a in _YEN_OR_YUAN)


def _alias_code(code: str) -> str:
    return "CNY" if code == "RMB" else code


def format_decimal(amount: Decimal) -> str:
    """Write a decimal the way a person would: no exponent, digits kept."""
    text = format(amount, "f")
    return text


def _unit(amount: Decimal) -> Decimal:
    """The value of one unit in the last written place of ``amount``."""
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite decimals only
    return Decimal(1).scaleb(exponent)


@attrs.frozen(eq=False)
class _Quantity:
    """Shared behaviour of numeric values: total, precision, meaning-equality."""

    amount: Decimal
    scale: str | None = None

    @property
    def multiplier(self) -> Decimal:
        """The factor of the scale word (1 without one)."""
        return SCALES[self.scale] if self.scale else Decimal(1)

    @property
    def total(self) -> Decimal:
        """The amount in units (``$185.1 billion`` -> 185100000000)."""
        return _EXACT.multiply(self.amount, self.multiplier)

    @property
    def precision(self) -> Decimal:
        """Half-width of the interval the written digits stand for, in units.

        ``18.5 billion`` stands for anything in [18.45, 18.55) billion.
        """
        return _EXACT.multiply(_unit(self.amount), self.multiplier) / 2

    def _key(self) -> tuple[object, ...]:
        return (type(self).__name__, _EXACT.normalize(self.total))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Quantity):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@attrs.frozen(eq=False)
class Number(_Quantity):
    """A plain count or amount: ``42``, ``3,000``, ``1.5 million``.

    ``signed`` marks a change written with ``+`` or ``-`` (``-72,000`` jobs,
    a downward revision), compared with the change a text states (SPEC §2).
    """

    signed: bool = False
    type_name: ClassVar[str] = "Number"

    def _key(self) -> tuple[object, ...]:
        return ("Number", _EXACT.normalize(self.total), self.signed)

    def spelling(self) -> str:
        """Canonical source spelling."""
        digits = _group(self.amount)
        sign = "+" if self.signed and self.amount >= 0 else ""
        return f"{sign}{digits} {self.scale}" if self.scale else f"{sign}{digits}"


@attrs.frozen(eq=False)
class Percent(_Quantity):
    """A percentage. ``signed`` marks a change written with ``+`` or ``-``.

    ``amount`` carries the sign (``-11%`` has amount -11). Percentages have
    no scale word.
    """

    signed: bool = False
    type_name: ClassVar[str] = "Percent"

    def _key(self) -> tuple[object, ...]:
        return ("Percent", _EXACT.normalize(self.total), self.signed)

    def spelling(self) -> str:
        """Canonical source spelling (``+7.8%``, ``16%``)."""
        sign = "+" if self.signed and self.amount >= 0 else ""
        return f"{sign}{format_decimal(self.amount)}%"


@attrs.frozen(eq=False)
class Money(_Quantity):
    """An amount of money: ``$14.53``, ``HK$113.10``, ``CNY 5 billion``.

    ``currency`` is an ISO 4217 code (``¥`` for the sign that serves yen and
    yuan); ``amount`` is exact and signed; ``scale`` is the canonical scale
    word as written; ``signed`` marks an explicit ``+``/``-`` change.
    """

    currency: str = "USD"
    signed: bool = False
    type_name: ClassVar[str] = "Money"

    def _key(self) -> tuple[object, ...]:
        return ("Money", _alias_code(self.currency), _EXACT.normalize(self.total), self.signed)

    def spelling(self) -> str:
        """Canonical source spelling: prefix symbol where one exists, else ISO code."""
        sign = ""
        if self.amount < 0:
            sign = "-"
        elif self.signed:
            sign = "+"
        digits = _group(self.amount.copy_abs())  # exact: abs() would round to 28 digits
        scale = f" {self.scale}" if self.scale else ""
        prefix = _CANONICAL_PREFIX.get(self.currency)
        if prefix is not None:
            return f"{sign}{prefix}{digits}{scale}"
        return f"{self.currency} {sign}{digits}{scale}"  # the sign is the number's: `USD -5`


def _group(amount: Decimal) -> str:
    """Digits with thousands separators from 10,000 up (``3000`` stays)."""
    text = format_decimal(amount)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, dot, frac = text.partition(".")
    if len(whole) > 4:
        # By slicing, not int(): Python refuses int() on more than 4,300 digits.
        head = len(whole) % 3 or 3
        whole = ",".join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])
    return f"{sign}{whole}{dot}{frac}"


@attrs.frozen
class Year:
    """A calendar year: ``2024``."""

    year: int
    type_name: ClassVar[str] = "Year"

    def spelling(self) -> str:
        """Canonical source spelling."""
        return str(self.year)

    def period(self) -> tuple[_dt.date, _dt.date]:
        """The first and last day it covers."""
        return _dt.date(self.year, 1, 1), _dt.date(self.year, 12, 31)


@attrs.frozen
class FiscalYear:
    """A fiscal year: ``FY2024``."""

    year: int
    type_name: ClassVar[str] = "FiscalYear"

    def spelling(self) -> str:
        """Canonical source spelling."""
        return f"FY{self.year}"

    def period(self) -> tuple[_dt.date, _dt.date]:
        """The days it covers, taken as its calendar year (a company's fiscal calendar is not known)."""
        return _dt.date(self.year, 1, 1), _dt.date(self.year, 12, 31)


@attrs.frozen
class Quarter:
    """A calendar quarter: ``2024-Q4``."""

    year: int
    quarter: int
    type_name: ClassVar[str] = "Quarter"

    def spelling(self) -> str:
        """Canonical source spelling."""
        return f"{self.year}-Q{self.quarter}"

    def period(self) -> tuple[_dt.date, _dt.date]:
        """The first and last day it covers."""
        first = _dt.date(self.year, 3 * self.quarter - 2, 1)
        return first, Month(self.year, 3 * self.quarter).period()[1]


@attrs.frozen
class Month:
    """A calendar month: ``2025-01``."""

    year: int
    month: int
    type_name: ClassVar[str] = "Month"

    def spelling(self) -> str:
        """Canonical source spelling."""
        return f"{self.year}-{self.month:02d}"

    def period(self) -> tuple[_dt.date, _dt.date]:
        """The first and last day it covers."""
        first = _dt.date(self.year, self.month, 1)
        following = _dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return first, following - _dt.timedelta(days=1)


@attrs.frozen
class Date:
    """A calendar day: ``2025-02-13``."""

    date: _dt.date
    type_name: ClassVar[str] = "Date"

    def spelling(self) -> str:
        """Canonical source spelling."""
        return self.date.isoformat()

    def period(self) -> tuple[_dt.date, _dt.date]:
        """The day, as a period of one day."""
        return self.date, self.date


@attrs.frozen
class Text:
    """A quoted string value: ``"Qwen 2.5-Max"``."""

    text: str
    type_name: ClassVar[str] = "Text"

    def spelling(self) -> str:
        """Canonical source spelling, quoted and escaped."""
        return quote_string(self.text)


@attrs.frozen
class Bool:
    """``true`` or ``false``."""

    value: bool
    type_name: ClassVar[str] = "Bool"

    def spelling(self) -> str:
        """Canonical source spelling."""
        return "true" if self.value else "false"


@attrs.frozen
class EntityRef:
    """A value that names an entity; its type is the entity's kind."""

    name: str
    type_name: ClassVar[str] = "Entity"

    def spelling(self) -> str:
        """Canonical source spelling."""
        return self.name


#: Any value a fact can state or an argument can take.
Value = Percent | Money | Number | Year | FiscalYear | Quarter | Month | Date | Text | Bool | EntityRef

#: Names of the built-in value types, in the order the docs list them.
BUILTIN_TYPES: Final[tuple[str, ...]] = (
    "Percent",
    "Money",
    "Number",
    "Year",
    "FiscalYear",
    "Quarter",
    "Month",
    "Date",
    "Text",
    "Bool",
)

#: Types that denote a time; the verifier checks them against the text and
#: the source's publication date.
TIME_TYPES: Final = frozenset({"Year", "FiscalYear", "Quarter", "Month", "Date"})


def quote_string(text: str) -> str:
    r"""Quote ``text`` as a factlang string literal (``\\`` and ``"`` escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def time_period(value: object) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day a time value covers, or None for any other value.

    Every time value covers a period of days (its ``period()``): the one way
    times are ordered, placed on an axis and compared for containment.
    """
    if isinstance(value, Year | FiscalYear | Quarter | Month | Date):
        return value.period()
    return None
