"""Properties of the parser and the formatter, on generated input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factlang import FactlangError, ParseError, parse
from factlang.formatter import format_text

from tests.strategies import fact_files

_settings = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(st.text())
def test_parsing_any_text_raises_only_parse_error(text: str) -> None:
    try:
        parse(text)
    except ParseError as err:
        assert isinstance(err, FactlangError)
        assert err.diagnostics


@_settings
@given(st.binary())
def test_parsing_any_bytes_raises_only_parse_error(data: bytes) -> None:
    try:
        parse(data)
    except ParseError as err:
        assert err.diagnostics


@_settings
@given(fact_files())
def test_generated_files_parse(text: str) -> None:
    parse(text)


@_settings
@given(fact_files())
def test_formatting_never_changes_meaning(text: str) -> None:
    assert parse(format_text(text)) == parse(text)


@_settings
@given(fact_files())
def test_formatting_is_idempotent(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once
