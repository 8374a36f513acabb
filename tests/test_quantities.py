"""Tests for factlang.verify.quantities: the case table, spans, the seed articles, properties."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factlang.values import Money, Number, Percent, Quarter, Year
from factlang.verify.quantities import Quantity, extract

ROOT = Path(__file__).resolve().parent.parent
TABLE = Path(__file__).resolve().parent / "data" / "quantities.txt"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PUBLISHED = datetime.date(2025, 2, 13)  # all five seed articles appeared around this day


class Case(NamedTuple):
    line: int
    text: str
    reference: datetime.date | None
    expected: str


def load_table(path: Path) -> list[Case]:
    """Parse the case table: ``[@YYYY-MM-DD ]text => expected`` per line."""
    cases: list[Case] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        reference = None
        line = raw
        if line.startswith("@"):
            stamp, line = line.split(" ", 1)
            reference = datetime.date.fromisoformat(stamp[1:])
        text, separator, expected = line.rpartition(" => ")
        assert separator, f"{path.name}:{number}: no ' => ' in {raw!r}"
        cases.append(Case(number, text.replace("\\n", "\n"), reference, expected.strip()))
    return cases


def case_id(case: Case) -> str:
    slug = re.sub(r"[^A-Za-z0-9%$]+", "-", case.text).strip("-")[:48]
    return f"L{case.line}-{slug}"


CASES = load_table(TABLE)


def describe_all(quantities: list[Quantity]) -> str:
    return " | ".join(q.describe() for q in quantities) or "(none)"


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_table(case: Case) -> None:
    quantities = extract(case.text, reference=case.reference)
    assert describe_all(quantities) == case.expected
    for q in quantities:
        span = case.text[q.start : q.end]
        assert span, q
        assert span == span.strip(), q


# --- spans: exactly the number with its unit, never the qualifier or verb ---------

SPANS: list[tuple[str, list[str]]] = [
    ("a total of $185.1 billion in sales", ["$185.1 billion"]),
    ("a market share of 16 per cent", ["16 per cent"]),
    ("shares 7.8% higher to 113.10 Hong Kong dollars", ["7.8%", "113.10 Hong Kong dollars"]),
    ("surged by more than 40% since", ["40%"]),
    ("a loss of ($99.99) per share", ["($99.99)"]),
    ("an aside (16%) in brackets", ["16%"]),
    ("prices range from $350 to $680", ["$350 to $680"]),
    ("between 5% and 7%", ["5% and 7%"]),
    ("in one to two weeks", ["one to two"]),
    ("they paid USD 14.53 or 14.53 USD", ["USD 14.53", "14.53 USD"]),
    ("declines of 7.7% in fiscal year 2024", ["7.7%", "fiscal year 2024"]),
    ("growth in the fourth quarter of 2024", ["fourth quarter of 2024"]),
    ("fell 11% in the quarter ended December", ["11%", "quarter ended December"]),
    ("as of the quarter ending last December", ["quarter ending last December"]),
    ("market last DecemberYet, prominent", ["last December"]),
    ("Just recently, on January 29, the team", ["January 29"]),
    ("Last year, Huawei posted", ["Last year"]),
    ("a change of -11% and +$3", ["-11%", "+$3"]),
    ("a wage of $15.4/hour", ["$15.4"]),
    ("the 2023-24 season", ["2023-24"]),
]


@pytest.mark.parametrize(("text", "spans"), SPANS, ids=[text for text, _ in SPANS])
def test_spans(text: str, spans: list[str]) -> None:
    quantities = extract(text, reference=PUBLISHED)
    assert [text[q.start : q.end] for q in quantities] == spans


# --- fields ------------------------------------------------------------------------------


def only(text: str, reference: datetime.date | None = PUBLISHED) -> Quantity:
    quantities = extract(text, reference=reference)
    assert len(quantities) == 1, quantities
    return quantities[0]


def test_qualifier_fields() -> None:
    q = only("Its shares has surged by more than 40% since")
    assert q.value == Percent(Decimal(40))
    assert (q.direction, q.comparator, q.qualifier) == (1, ">", "more than")
    assert q.describe() == ">+40%"


@pytest.mark.parametrize(
    ("text", "comparator", "qualifier"),
    [
        ("at least 7% of users", ">=", "at least"),
        ("up to 10% of users", "<=", "up to"),
        ("less than 3% of users", "<", "less than"),
        ("almost two years", "~", "almost"),
        ("More Than 5 stores", ">", "More Than"),
    ],
)
def test_qualifier_is_kept_as_written(text: str, comparator: str, qualifier: str) -> None:
    q = only(text)
    assert (q.comparator, q.qualifier) == (comparator, qualifier)


def test_levels_and_changes_in_one_sentence() -> None:
    quantities = extract("Apple’s stock climbed 2.2% to $232.62, while Baidu fell 4.7% to $89.44.")
    assert [q.direction for q in quantities] == [1, 0, -1, 0]
    assert isinstance(quantities[1].value, Money)
    assert quantities[1].value.currency == "USD"


def test_garbled_translation_keeps_all_three() -> None:
    text = "Alibaba’s Hong Kong listed stocks rose 9.2% to 9.2%, to HK$124.3, the highest"
    quantities = extract(text)
    assert [(text[q.start : q.end], q.direction) for q in quantities] == [
        ("9.2%", 1),
        ("9.2%", 0),
        ("HK$124.3", 0),
    ]
    money = quantities[2].value
    assert isinstance(money, Money)
    assert money.currency == "HKD"


def test_signed_percent_value() -> None:
    q = only("a figure of -11% for the quarter")
    assert isinstance(q.value, Percent)
    assert q.value.signed
    assert q.value.amount == -11
    assert q.direction == -1


def test_range_has_upper() -> None:
    q = only("prices range from $350 to $680")
    assert isinstance(q.value, Money)
    assert isinstance(q.upper, Money)
    assert (q.value.amount, q.upper.amount) == (Decimal(350), Decimal(680))


def test_number_word_range() -> None:
    q = only("would be released in one to two weeks")
    assert (q.value, q.upper) == (Number(Decimal(1)), Number(Decimal(2)))


def test_money_keeps_scale_and_meaning() -> None:
    q = only("sales of $185.1bn")
    assert isinstance(q.value, Money)
    assert q.value.scale == "billion"
    assert q.value == only("sales of $185100 million").value


def test_relative_times_need_a_reference() -> None:
    text = "last year, on January 29, in January, the quarter ended December"
    assert extract(text) == []
    values = [q.value for q in extract(text, reference=PUBLISHED)]
    assert values[0] == Year(2024)
    assert values[-1] == Quarter(2024, 4)


def test_date_after_reference_moves_to_previous_year() -> None:
    q = only("on December 28th", reference=datetime.date(2024, 12, 1))
    assert q.describe() == "Date 2023-12-28"


def test_quantity_is_frozen() -> None:
    q = only("16%")
    with pytest.raises(AttributeError):
        q.start = 3  # type: ignore[misc]


# --- the seed articles ------------------------------------------------------------------


def test_seeds_are_present() -> None:
    assert len(SEEDS) == 5


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
@pytest.mark.parametrize("reference", [None, PUBLISHED], ids=["no-reference", "published"])
def test_seed_spans_are_inside_the_text(path: Path, reference: datetime.date | None) -> None:
    text = path.read_text(encoding="utf-8")
    quantities = extract(text, reference=reference)
    assert quantities
    start = 0
    for q in quantities:
        # In order of position; overlapping readings (a Quarter and its Date) are kept.
        assert start <= q.start < q.end <= len(text), q
        span = text[q.start : q.end]
        assert span.strip() == span != "", q
        assert q.direction in (-1, 0, 1)
        start = q.start


def test_seed_000_in_full() -> None:
    text = (ROOT / "seeds" / "000_c068dfba5a7ee47a.txt").read_text(encoding="utf-8")
    assert [q.describe() for q in extract(text, reference=PUBLISHED)] == [
        "+7.8%",
        "HK$113.10",
        "$14.53",
        "~2",
        "Year 2024",
        "Year 2024",
        "2",
        "-11%",
        "Quarter 2024-Q4",
    ]


def test_seed_002_changes() -> None:
    text = (ROOT / "seeds" / "002_37c9d46621587dce.txt").read_text(encoding="utf-8")
    changes = [q.describe() for q in extract(text, reference=PUBLISHED) if q.direction]
    assert changes == [">+1%", "-4.5%", ">+2%", "+1.3%", "-4.7%", "-11%", "-7.7%", "-2.2%"]


# --- properties ---------------------------------------------------------------------------

# fmt: off
NUMBERISH_TOKENS = [
    "$", "US$", "HK$", "(", ")", "-", "+", "%", " ", "\n", ",", ".", "/", ":", "’",
    "5", "12", "2024", "2025-02-13", "1,000", "3.5", "bn", "B", "T", "k", "million",
    "percent", "per cent", "dollars", "Hong Kong dollars", "yuan", "USD", "RMB",
    "January", "May", "Dec.", "28th", "last", "this", "year", "quarter", "ended",
    "which", "fiscal", "FY", "Q4", "first", "one", "two", "to", "and", "between",
    "from", "rose", "fell", "by", "more than", "up to", "almost", "in", "Grok", "-Max",
]
# fmt: on
NUMBERISH = st.lists(st.sampled_from(NUMBERISH_TOKENS), max_size=30).map("".join)


def assert_well_formed(text: str, quantities: list[Quantity]) -> None:
    start = 0
    for q in quantities:
        assert start <= q.start < q.end <= len(text)
        assert q.direction in (-1, 0, 1)
        assert q.comparator in (None, ">", ">=", "<", "<=", "~")
        assert q.describe()
        start = q.start


@given(st.text(), st.none() | st.dates())
def test_any_text_never_raises(text: str, reference: datetime.date | None) -> None:
    assert_well_formed(text, extract(text, reference=reference))


@given(NUMBERISH, st.none() | st.dates())
def test_numberish_text_never_raises(text: str, reference: datetime.date | None) -> None:
    assert_well_formed(text, extract(text, reference=reference))
