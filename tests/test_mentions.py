"""Mentions: entity names as whole words, and times that contain each other."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factlang import values as v
from factlang.model import Entity
from factlang.verify.mentions import Mentions, _fold, mentions_entity, mentions_time, name_pattern
from factlang.verify.quantities import Quantity

APPLE = Entity("Apple", "Company", ("iPhone maker",))
GREATER_CHINA = Entity("GreaterChina", "Region")
TIM_COOK = Entity("Tim_Cook", "Person")
BAIDU_UNIT = Entity("BaiduUnit", "Company", ("Baidu's AI unit",))


@pytest.mark.parametrize(
    ("entity", "text", "expected"),
    [
        (APPLE, "Apple’s stock climbed 2.2% to $232.62", True),
        (APPLE, "APPLE shares rose", True),
        (APPLE, "Applesauce sales fell", False),
        (APPLE, "a pineapple farm", False),
        (APPLE, "The iPhone maker was primarily working with Baidu", True),
        (APPLE, "the iPhone makers met", False),
        (GREATER_CHINA, "revenue from the Greater China region fell 11%", True),
        (GREATER_CHINA, "revenue from China fell", False),
        (TIM_COOK, "Chief Executive Tim Cook said", True),
        (TIM_COOK, "Chief Executive Tim\nCook said", True),
        (BAIDU_UNIT, "Baidu’s AI unit declined to comment", True),
        (Entity("DeepSeek", "Company", ("Deepseek",)), "and DeepseekUltimately, Apple decided", True),
        (Entity("DeepSeek", "Company"), "the deepseekers", False),
    ],
)
def test_entity_mentions(entity: Entity, text: str, expected: bool) -> None:
    assert mentions_entity(entity, text) is expected


def q(value: v.Value) -> Quantity:
    return Quantity(value, 0, 1)


@pytest.mark.parametrize(
    ("arg", "stated", "expected"),
    [
        (v.Year(2024), v.Year(2024), True),
        (v.Year(2024), v.Year(2023), False),
        (v.Quarter(2024, 4), v.Month(2024, 12), True),
        (v.Quarter(2024, 4), v.Month(2024, 9), False),
        (v.Month(2025, 1), v.Date(dt.date(2025, 1, 29)), True),
        (v.Date(dt.date(2025, 1, 29)), v.Month(2025, 1), True),
        (v.Year(2024), v.Quarter(2024, 4), True),
        (v.FiscalYear(2024), v.Year(2024), True),
        (v.Date(dt.date(2025, 2, 13)), v.Date(dt.date(2025, 2, 12)), False),
    ],
)
def test_time_mentions(arg: v.Value, stated: v.Value, expected: bool) -> None:
    assert mentions_time(arg, [q(stated)]) is expected


def test_every_time_value_covers_a_period_of_days() -> None:
    assert v.Year(2024).period() == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert v.Quarter(2024, 4).period() == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert v.Quarter(2025, 1).period() == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert v.Month(2024, 2).period() == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))  # a leap year
    assert v.Month(2024, 12).period() == (dt.date(2024, 12, 1), dt.date(2024, 12, 31))
    assert v.Date(dt.date(2025, 2, 13)).period() == (dt.date(2025, 2, 13), dt.date(2025, 2, 13))
    assert v.time_period(v.Text("2024")) is None


# -- Mentions against the regex it replaces -------------------------------------


def regex_mentions(entity: Entity, text: str) -> bool:
    """The rule as it was checked before Mentions: name_pattern, then the run-on check."""
    for m in name_pattern(entity.names).finditer(text):
        end = m.end()
        if end < len(text) and text[end].isalpha() and not (text[end].isupper() and text[end - 1].islower()):
            continue
        return True
    return False


# Letters the case-insensitive comparison treats specially (dotless ı, dotted İ,
# long ſ, the Kelvin sign, the sigmas), apostrophes, word glue and whitespace.
_ALPHABET = "aAbBiIıİsSſkKK ΣσςµμxX'’_-.,\n\t\u00a0\u2029ß1"
_words = st.text(st.sampled_from(_ALPHABET), min_size=1, max_size=6)
_names = st.lists(_words, min_size=1, max_size=3).map(" ".join)


@given(
    name=st.sampled_from(["Ab", "Big_Apple", "AbIs", "xKs"]),
    aliases=st.lists(_names, max_size=5),
    text=st.text(st.sampled_from(_ALPHABET), max_size=40),
    plant=st.booleans(),
)
def test_mentions_find_what_the_regex_finds(name: str, aliases: list[str], text: str, plant: bool) -> None:
    entity = Entity(name, "Company", tuple(aliases))
    if plant and aliases:
        # Often put a name in the text, so matches (and near misses) are common.
        text = text[: len(text) // 2] + aliases[0].swapcase() + text[len(text) // 2 :]
    assert Mentions().entity(entity, text) is regex_mentions(entity, text)


@pytest.mark.parametrize(
    ("entity", "text"),
    [
        # The regex takes the longest name first, and finditer goes on after a
        # match the run-on check rejects: "Apple" inside is never tried.
        (Entity("Apple", "Company", ("Big Apple Co",)), "the Big Apple Cox fund"),
        (Entity("Apple", "Company", ("Big Apple Co",)), "the Big Apple Co fund"),
        (Entity("Istanbul", "City"), "İSTANBUL"),
        (Entity("Kelvin", "Unit"), "\u212aelvin"),
        (Entity("Sigma", "Letter", ("ΟΔΟΣ",)), "η οδος"),
        (Entity("Tim_Cook", "Person"), "Tim \u00a0\n Cook said"),
        (Entity("Apple", "Company", ("  ",)), "Apple"),
    ],
)
def test_mentions_edge_cases_match_the_regex(entity: Entity, text: str) -> None:
    assert Mentions().entity(entity, text) is regex_mentions(entity, text)


def test_one_mentions_object_answers_for_many_entities_and_texts() -> None:
    mentions = Mentions()
    texts = ["Apple’s stock climbed", "the iPhone maker", "revenue from Greater China", "nothing"]
    for entity in (APPLE, GREATER_CHINA, TIM_COOK, BAIDU_UNIT):
        for text in texts * 2:
            assert mentions.entity(entity, text) is regex_mentions(entity, text)


def test_folding_equates_exactly_the_characters_re_ignorecase_does() -> None:
    # Every character with a case, and what its case mappings give.
    cased = {
        chr(c) for c in range(sys.maxunicode + 1) if chr(c).lower() != chr(c) or chr(c).upper() != chr(c)
    }
    alphabet = sorted(cased | {m for c in cased for m in (c.lower(), c.upper()) if len(m) == 1})
    haystack = "".join(alphabet)
    by_fold: dict[str, set[str]] = {}
    for t in alphabet:
        by_fold.setdefault(_fold(t), set()).add(t)
    for c in alphabet:
        matched = set(re.findall(re.escape(c), haystack, re.IGNORECASE))
        assert matched == by_fold[_fold(c)], c
    # A character without case matches only itself, and nothing folds to it;
    # but the curly apostrophe is the straight one (name_pattern's ['’]).
    uncased = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c) not in cased)
    assert _fold(uncased) == uncased.replace("’", "'")
    assert all(_fold(c) in cased for c in alphabet)


# -- an entity of many names: the filters that drop aliases ----------------------------


@given(
    name=st.sampled_from(["Ab", "Big_Apple", "AbIs", "xKs"]),
    aliases=st.lists(st.lists(_words, min_size=1, max_size=4).map(" ".join), min_size=3, max_size=8),
    texts=st.lists(st.text(st.sampled_from(_ALPHABET), max_size=40), min_size=6, max_size=6),
    plant=st.lists(st.integers(0, 7), max_size=6),
)
def test_an_entity_asked_about_many_times_still_finds_what_the_regex_finds(
    name: str, aliases: list[str], texts: list[str], plant: list[int]
) -> None:
    # One Mentions for every text: after a few questions the entity's names are
    # filtered (its long names by their inner words, the rest by their first characters).
    entity = Entity(name, "Company", tuple(aliases))
    mentions = Mentions()
    for n, text in enumerate(texts):
        if n < len(plant):
            alias = aliases[plant[n] % len(aliases)]
            text = text[: len(text) // 2] + alias.swapcase() + text[len(text) // 2 :]
        assert mentions.entity(entity, text) is regex_mentions(entity, text), text


MANY = Entity(
    "Apple",
    "Company",
    (
        *(f"Apple Holdings Unit {k}" for k in range(30)),
        "Big Apple Co",
        "the iPhone maker",
        "Cupertino firm",
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apple said on Monday", True),  # no inner word of a long name: the short names
        ("the Apple Holdings Unit 7 said", True),  # a long name, its inner words there
        ("the Apple Holdings Unit said", True),  # its inner words, but Apple alone matches
        ("the iPhone maker said", True),
        ("the Cupertino firms said", False),
        ("the Big Apple Cox fund", False),  # the longest name first, then the search goes on
        ("a pineapple holdings unit", False),
        ("nothing here", False),
    ],
)
def test_an_entity_of_many_names_is_found_by_any(text: str, expected: bool) -> None:
    mentions = Mentions()
    for _ in range(5):  # the first questions unfiltered, the later ones filtered
        assert mentions.entity(MANY, text) is expected
        assert regex_mentions(MANY, text) is expected
