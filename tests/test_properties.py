"""Properties of the parser and the formatter, on generated input (Hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factlang import FactlangError, ParseError, parse
from factlang.formatter import format_text
from tests.strategies import fact_files

_settings = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_error(source: str | bytes) -> ParseError | None:
    """The error parsing ``source`` raises; any exception but ParseError escapes."""
    try:
        parse(source)
    except ParseError as err:
        return err
    return None


@_settings
@given(st.text())
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    err = parse_error(text)

    if err is not None:
        assert isinstance(err, FactlangError)
        assert err.diagnostics
        assert str(err)


@_settings
@given(st.binary())
def test_any_bytes_parse_or_raise_parse_error(data: bytes) -> None:
    err = parse_error(data)

    if err is not None:
        assert err.diagnostics
        assert str(err)


@_settings
@given(
    fact_files(), st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(list('"#\n(),:=@{}-+%$0Q \\'))))
)
def test_damaged_files_parse_or_raise_parse_error(text: str, damage: list[tuple[int, str]]) -> None:
    for at, char in damage:
        at %= len(text) + 1
        text = text[:at] + char + text[at + 1 :]

    err = parse_error(text)

    if err is not None:
        assert all(d.line > 0 for d in err.diagnostics)


@_settings
@given(fact_files())
def test_generated_files_are_valid(text: str) -> None:
    assert parse_error(text) is None


@_settings
@given(fact_files())
def test_formatting_never_changes_meaning(text: str) -> None:
    assert parse(format_text(text)) == parse(text)


@_settings
@given(fact_files())
def test_formatting_is_idempotent(text: str) -> None:
    once = format_text(text)

    assert format_text(once) == once
