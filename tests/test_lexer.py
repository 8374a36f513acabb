"""The Pygments lexer for factlang (factlang.lexer)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    String,
    _TokenType,
)

from factlang.lexer import FactlangLexer

# Python-Markdown has no type information (and no stubs are installed): use it as Any.
markdown: Any = importlib.import_module("markdown")

REPO = Path(__file__).resolve().parent.parent

# SPEC §2's example (a data file shared with the parser tests) and §3's.
SPEC_EXAMPLE = (Path(__file__).parent / "fixtures" / "spec_example.fact").read_text(encoding="utf-8") + (
    "\nrevenue_change(Apple, GreaterChina, 2024-Q4) = -11%\n"
    '    @ wsj "Apple\'s revenue from the Greater China region fell 11%"\n'
    '    @ reuters "Apple\'s Greater China Sales rose 11%" contradicts\n'
)


def tokens(text: str) -> list[tuple[_TokenType, str]]:
    return [(t, v) for t, v in FactlangLexer().get_tokens(text) if v.strip()]


def test_is_registered_by_name_and_file_name() -> None:
    assert isinstance(get_lexer_by_name("factlang"), FactlangLexer)
    assert isinstance(get_lexer_for_filename("market_share.fact"), FactlangLexer)


def test_spec_example_has_no_error_tokens() -> None:
    assert [v for t, v in tokens(SPEC_EXAMPLE) if t is Error] == []


def test_tokens_cover_the_input_exactly() -> None:
    text = "".join(v for _, v in FactlangLexer().get_tokens(SPEC_EXAMPLE))
    assert text == SPEC_EXAMPLE


def fact_files() -> list[Path]:
    """Fact files that are meant to be valid (other fixtures are broken on purpose)."""
    folders = [REPO / "facts", REPO / "docs" / "examples", REPO / "tests" / "fixtures" / "site"]
    return [p for folder in folders for p in sorted(folder.rglob("*.fact"))]


@pytest.mark.parametrize("path", fact_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_project_fact_files_have_no_error_tokens(path: Path) -> None:
    assert [v for t, v in tokens(path.read_text(encoding="utf-8")) if t is Error] == []


@pytest.mark.parametrize(
    ("source", "text", "token"),
    [
        ('use "common.fact"', "use", Keyword.Namespace),
        ('source cnn = "a.txt"', "source", Keyword.Declaration),
        ('source cnn = "a.txt"', "cnn", Name.Label),
        ('source 003_de8af479a19a1395 = "a.txt"', "003_de8af479a19a1395", Name.Label),
        ("kind Company", "Company", Name.Class),
        ("entity Apple: Company", "Apple", Name.Entity),
        ("entity Apple: Company", "Company", Name.Class),
        ('entity Apple: Company aka "iPhone maker"', "aka", Keyword),
        ('predicate partner(a: Company, b: Company) aka "work with"', "aka", Keyword),
        ('predicate partner(a: Company, b: Company) aka "work with"', "work with", String.Double),
        ('predicate p(c: Company) -> Percent "{c} moved {value}"', "{value}", String.Interpol),
        ("predicate share(c: Company, y: Year) -> Percent", "share", Name.Function),
        ("predicate share(c: Company, y: Year) -> Percent", "Year", Keyword.Type),
        ("predicate share(c: Company, y: Year) -> Percent", "Percent", Keyword.Type),
        ("predicate share(c: Company, y: Year) -> Percent", "->", Operator),
        ("predicate leader(r: Region) -> Company", "Company", Name.Class),
        ('predicate p(c: Company) "{c} grew"', "{c}", String.Interpol),
        ("share(Huawei, China, 2024) = 16%", "share", Name.Function),
        ("share(Huawei, China, 2024) = 16%", "Huawei", Name),
        ("share(Huawei, China, 2024) = 16%", "2024", Number),
        ("share(Huawei, China, 2024) = 16%", "16%", Number.Float),
        ("change(Apple, 2024-Q4) = -11%", "2024-Q4", Number.Date),
        ("change(Apple, 2024-Q4) = -11%", "-11%", Number.Float),
        ("change(Apple, 2024-Q4) = +7.8%", "+7.8%", Number.Float),
        ("revenue(Apple, FY2024) ~ $185.1 billion", "FY2024", Number.Date),
        ("revenue(Apple, FY2024) ~ $185.1 billion", "$185.1 billion", Number.Float),
        ("revenue(Apple, FY2024) ~ $185.1 billion", "~", Operator),
        ("price(Alibaba, 2025-02-13) = HK$113.10", "2025-02-13", Number.Date),
        ("price(Alibaba, 2025-02-13) = HK$113.10", "HK$113.10", Number.Float),
        ("sales(Apple, 2025-01) >= USD 14.53", "2025-01", Number.Date),
        ("sales(Apple, 2025-01) >= USD 14.53", "USD 14.53", Number.Float),
        ("sales(Apple, 2025-01) >= USD 14.53", ">=", Operator),
        ("n(Apple) != 1,500", "1,500", Number),
        ("n(Apple) < 1.5 million", "1.5 million", Number),
        ("n(Apple) = $185.1bn", "$185.1bn", Number.Float),
        ("n(Apple) = €5", "€5", Number.Float),
        ('model(Alibaba) = "Qwen 2.5-Max"', "Qwen 2.5-Max", String.Double),
        ("exclusive(Alibaba) = true", "true", Keyword.Constant),
        ("not partner(Apple, Baidu) @ cnn", "not", Keyword),
        ('p(A) = 1% @ cnn "quote"', "@", Name.Decorator),
        ('p(A) = 1% @ cnn "quote"', "cnn", Name.Label),
        ("p(A) = 1% @ 003_de8af479a19a1395", "003_de8af479a19a1395", Name.Label),
        ('p(A) = 1% @ reuters "q" contradicts', "contradicts", Keyword.Pseudo),
        ("p(A) = 1%  # a comment", "# a comment", Comment.Single),
        (r'p(A) = 1% @ x "say \"hi\""', r"\"", String.Escape),
        ('source s = "a.txt" { published: 2025-02-13 }', "published", Name.Attribute),
        ('source s = "a.txt" { published: 2025-02-13 }', "2025-02-13", Number.Date),
    ],
)
def test_token(source: str, text: str, token: _TokenType) -> None:
    found = [t for t, v in tokens(source) if v == text]
    assert found, f"{text!r} is not one token of {source!r}: {tokens(source)}"
    assert found[0] is token


@pytest.mark.parametrize("name", ["user_count", "kindness", "sourced", "notable", "contradiction", "Years"])
def test_keywords_are_whole_words(name: str) -> None:
    assert (Name.Function, name) in tokens(f"{name}(Apple) = 1%")


def test_bad_input_is_an_error_token_not_a_failure() -> None:
    result = tokens('share(Huawei) = 16% § @ cnn "unterminated\nshare(Apple) = 1%')
    assert (Error, "§") in result
    assert (Name.Function, "share") in result[result.index((Error, "§")) :]


def test_highlights_fenced_blocks_in_markdown() -> None:
    html = markdown.markdown(
        "```factlang\n" + SPEC_EXAMPLE + "```\n",
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
    )
    assert '<span class="kd">source</span>' in html
    assert '<span class="kp">contradicts</span>' in html


def test_pygments_highlight() -> None:
    out = highlight("share(Huawei, China, 2024) = 16%\n", FactlangLexer(), HtmlFormatter())
    assert '<span class="nf">share</span>' in out
    assert '<span class="mf">16%</span>' in out
