"""The language server's incremental parser says exactly what the parser says, positions included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factlang import syntax as s
from factlang.diagnostics import ParseError
from factlang.lsp import incremental
from factlang.lsp.incremental import IncrementalParser, chunks
from factlang.parser import parse
from tests.strategies import fact_files

FACTS = sorted((Path(__file__).resolve().parent.parent / "facts").glob("*.fact"))


def positions(node: Any, out: list[tuple[int, ...]] | None = None) -> list[tuple[int, ...]]:
    """Every position in a syntax tree, in order (equality of nodes ignores them)."""
    out = [] if out is None else out
    if isinstance(node, s.Pos):
        out.append(tuple(node))
    elif isinstance(node, tuple):
        for item in node:
            positions(item, out)
    elif attrs.has(type(node)) and type(node).__module__ == s.__name__:
        for field in attrs.fields(type(node)):
            positions(getattr(node, field.name), out)
    return out


def outcome(parser: IncrementalParser | None, text: str) -> tuple[str, Any, Any, Any]:
    try:
        tree = parser.parse(text) if parser is not None else parse(text, "x.fact")
    except ParseError:
        return ("error", None, None, None)
    return ("ok", tree, positions(tree), tree.comments)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of a few lines, so that the seed files are cut many times.
    monkeypatch.setattr(incremental, "CHUNK_LINES", 3)


@pytest.mark.parametrize("path", FACTS, ids=lambda p: p.name)
def test_each_seed_file_parses_the_same_in_chunks(path: Path) -> None:
    text = path.read_text("utf-8")
    assert len(list(chunks(text))) > 1
    assert outcome(IncrementalParser("x.fact"), text) == outcome(None, text)


def test_chunks_cover_the_text_and_start_at_statements() -> None:
    text = FACTS[0].read_text("utf-8")
    parts = list(chunks(text))
    assert "".join(p for _, _, p in parts) == text
    for line, offset, part in parts[1:]:
        assert text.count("\n", 0, offset) == line
        assert part[:1].isalpha()


def test_an_edit_reparses_one_chunk_and_moves_the_rest() -> None:
    text = next(p for p in FACTS if p.name == "common.fact").read_text("utf-8")
    parser = IncrementalParser("x.fact")
    parser.parse(text)
    # A line added near the top moves every later statement by one line.
    edited = text.replace("\n", "\n# a new comment\n", 1)
    assert outcome(parser, edited) == outcome(None, edited)


def test_a_statement_cut_by_a_chunk_is_parsed_whole() -> None:
    # A layout fmt never writes: the value type on the next line, in column 1.
    text = "kind K\npredicate p(a: K) ->\nNumber\nentity E: K\np(E) = 1\n"
    assert outcome(IncrementalParser("x.fact"), text)[0] == "ok"
    assert outcome(IncrementalParser("x.fact"), text) == outcome(None, text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_files(), st.data())
def test_any_file_and_any_line_edit_parse_as_the_parser_says(text: str, data: st.DataObject) -> None:
    parser = IncrementalParser("x.fact")
    assert outcome(parser, text) == outcome(None, text)
    lines = text.split("\n")
    at = data.draw(st.integers(0, len(lines)))
    new = data.draw(st.sampled_from(["", "# note", "kind Extra", "share(", ")", "entity E: K", '"']))
    edited = "\n".join([*lines[:at], new, *lines[at:]])
    got, want = outcome(parser, edited), outcome(None, edited)
    assert got[0] == want[0]
    assert got == want
