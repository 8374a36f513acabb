"""Mentions: entity names as whole words, and times that contain each other."""

from __future__ import annotations

import datetime as dt

import pytest

from factlang import values as v
from factlang.model import Entity
from factlang.verify.mentions import mentions_entity, mentions_time
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
