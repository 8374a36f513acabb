"""The parser's fast path against Lark: the same nodes, positions and diagnostics.

:func:`factlang.parser.parse` reads a file with the hand-written scan of
:mod:`factlang.fastparse` when it can, and with Lark otherwise. Here every
file is parsed both ways, by ``parse`` and by Lark alone, and the results
are compared field by field, positions, raw spellings and comments
included (which ``==`` on syntax nodes ignores).
"""

from __future__ import annotations

import decimal
import itertools
from collections.abc import Callable

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factlang import fastparse
from factlang.diagnostics import ParseError
from factlang.larkparse import lark_parser as _lark
from factlang.larkparse import parse_with_lark as _parse_with_lark
from factlang.parser import parse
from factlang.syntax import RESERVED, ParsedFile
from tests.strategies import fact_files, literals, names, source_ids, strings

_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dump(node: object) -> object:
    """Everything a syntax node holds, positions and uncompared fields included, as nested tuples."""
    if attrs.has(type(node)):
        fields = attrs.fields(type(node))  # type: ignore[arg-type]
        return (type(node).__name__, *((f.name, dump(getattr(node, f.name))) for f in fields))
    if isinstance(node, tuple | list):
        return (type(node).__name__, *(dump(x) for x in node))
    if isinstance(node, decimal.Decimal):
        return ("Decimal", str(node))  # 1.0 == 1.00, but not as written
    return (type(node).__name__, repr(node))


def outcome(parser: Callable[[str, str], ParsedFile], text: str) -> tuple[object, ...]:
    """What parsing ``text`` gives: the dumped file, or the dumped diagnostics of its error."""
    try:
        return ("parsed", dump(parser(text, "t.fact")))
    except ParseError as err:
        return ("error", dump(err.diagnostics))


def assert_same(text: str) -> None:
    """``parse`` (fast path or fallback) and Lark alone agree on ``text``."""
    assert outcome(parse, text) == outcome(_parse_with_lark, text.removeprefix("\ufeff"))
    fast = fastparse.statements(text.removeprefix("\ufeff"))
    if fast is not None:  # the fast path only ever takes a file Lark accepts
        assert outcome(_parse_with_lark, text.removeprefix("\ufeff"))[0] == "parsed"


# --- the scan uses the grammar's own terminals, in Lark's order -------------------------------


@pytest.mark.parametrize("name", sorted(fastparse.TERMINALS))
def test_terminals_are_the_grammars(name: str) -> None:
    # Lark's grammar loader turns the escapes `\t` and `\n` into the characters themselves.
    larks = _lark().get_terminal(name).pattern.to_regexp().replace("\t", "\\t").replace("\n", "\\n")
    assert fastparse.TERMINALS[name] == larks


def test_values_are_tried_in_larks_order() -> None:
    # The contextual lexer of the states where a value goes: its terminals in the order it tries them.
    lexers = _lark().parser.lexer.lexers.values()
    value_lexers = [lx for lx in lexers if {"DATE", "NAME", "STRING"} <= {t.name for t in lx.terminals}]
    assert value_lexers
    for lexer in value_lexers:
        tried = [t.name for t in lexer.terminals if t.name in fastparse.VALUE_ORDER]
        assert tried == list(fastparse.VALUE_ORDER)


# --- equivalence on generated files -----------------------------------------------------------


@_settings
@given(fact_files())
def test_valid_files_take_the_fast_path_and_agree(text: str) -> None:
    assert fastparse.statements(text) is not None, "a valid generated file fell back to Lark"
    assert_same(text)


# Pieces that are easy to get wrong: keywords where names go, literals that
# are names or look like them, spacing Lark does not count as space.
_ODD = [
    *sorted(RESERVED),
    "FY2024",
    "FY2024x",
    "US$5",
    "A$",
    "USD 5",
    "USD",
    "usd 5",
    "5 million",
    "5million",
    "5 millionaire",
    "2024-13",
    "2024-02-30",
    "2024-Q5",
    "2024-01-011",
    "-0%",
    "1,000,00",
    "trueish",
    "true",
    "->",
    "-",
    "@",
    "(",
    ")",
    ",",
    ":",
    "=",
    "==",
    "!",
    "{",
    "}",
    '"',
    '"a\\"b"',
    '"\\',
    "#",
    "# c\n",
    "\n",
    "\r\n",
    "\v",
    "\u00a0",
    "\u2028",
    "é",
    "名",
    "٣",
    "\ufeff",
    "\t",
    "\f",
]
_piece = st.one_of(st.sampled_from(_ODD), literals, names, source_ids, strings)


@st.composite
def damaged_files(draw: st.DrawFn) -> str:
    """A generated file with odd pieces put in, replacing or at random places."""
    text = draw(fact_files())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(_piece) + text[at + cut :]
    return text


@st.composite
def token_soup(draw: st.DrawFn) -> str:
    """Statement-like runs of tokens, most of them well formed, joined by odd spacing."""
    heads = st.sampled_from(
        ["f(", "not g(", "entity E: K", "kind K", 'use "a"', "predicate p(", "source s ="]
    )
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        parts.append(draw(heads))
        parts += draw(st.lists(_piece, max_size=8))
    seps = st.sampled_from(["", " ", "\n", "  ", "\t", "\n  # c\n", ", ", ") ", "(", " @ s ", ' "q" '])
    return "".join(itertools.chain.from_iterable((p, draw(seps)) for p in parts))


@_settings
@given(damaged_files())
def test_damaged_files_agree(text: str) -> None:
    assert_same(text)


@_settings
@given(token_soup())
def test_token_soup_agrees(text: str) -> None:
    assert_same(text)


@_settings
@given(st.text(st.sampled_from(list('f(x)=5%@s"q" ,\n#:{}-<>~!aknotUSD$.Q2024'))))
def test_character_soup_agrees(text: str) -> None:
    assert_same(text)


# --- cases worth naming -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Lark reads `true` then a field `ish`: left to Lark.
        'source s = "x" { title: trueish: 5 }',
        'source s = "x" { title: true year: 2024 n: -5 bn d: 2024-02-13 q: 2024-Q1 fy: FY2024 p: US$5k }',
        "f(x) = USD\n  5 @ s",
        "f(x) = USD\nnext(y)",
        "f(USD 5, EUR\t-1.5 million, true, false, FY2024, 2024-02, 2024-02-13, 5%, £3bn)",
        'f(x) @ s contradicts @ t "q" contradicts\ng(y) @ s\ncontradictsX(z)',
        "f(x) @ s\ncontradicts(z)",
        'not f(x) != 5\n# a # comment\n  @ 003_de8af479a19a1395 "quote" # trailing\n',
        'predicate p(a: A, b: B) -> Percent "{a} in {b}" aka "x", "y"\npredicate q()\nentity E: K aka "e"',
        "f(use)",
        "f(x) = use",
        "entity kind: K",
        "f() >= 5.0",
        "f(x) = 5 , g(y)",
        "f(x)\r\n  @ s\r\n",
        "\ufefff(x)",
        "f(x)\v",
        "f(5 millionaire)",
        "f(2024-01-011)",
        "f(x) @ s.",
        "f(x) @ a-b.c",
        "",
        "# only a comment",
    ],
)
def test_named_cases_agree(text: str) -> None:
    assert_same(text)


def test_the_fast_path_takes_the_common_shapes() -> None:
    text = (
        'use "common.fact"\nsource src = "a.txt" {\n  title: "T"\n}\nkind Company\n'
        'entity C1: Company aka "Company 1"\npredicate share(c: Company, y: Year) -> Percent\n'
        'share(C1, 2024) = 16% @ src "a share of 16%"  # note\nnot share(C1, 2023) = 5%\n'
    )
    fast = fastparse.statements(text)

    assert fast is not None
    assert len(fast[0]) == 7
    assert [c.text for c in fast[1]] == ["# note"]


def test_a_keyword_as_a_name_is_left_to_lark() -> None:
    assert fastparse.statements("f(use)") is None
    assert fastparse.statements("f(x) @ s\ncontradicts(z)") is None
