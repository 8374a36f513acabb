"""The parse cache's rows: a parsed file through them and back is the same, positions and all."""

from __future__ import annotations

import pickle

from hypothesis import HealthCheck, given, settings

from factlang._rows import CHUNK, from_entry, from_rows, to_entry, to_rows
from factlang.parser import parse
from tests.strategies import fact_files
from tests.test_fastparse import dump


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_files())
def test_a_parsed_file_survives_its_rows(text: str) -> None:
    parsed = parse(text, "t.fact")

    again = from_rows(pickle.loads(pickle.dumps(to_rows(parsed), protocol=pickle.HIGHEST_PROTOCOL)))

    assert dump(again) == dump(parsed)
    assert again.path == parsed.path


def test_rows_are_plain_tuples_for_facts() -> None:
    parsed = parse('f(x, 5%) = USD 3 @ s "q" contradicts\n', "t.fact")

    (fact,) = to_rows(parsed)[6]

    def plain(row: object) -> bool:
        if isinstance(row, tuple):
            return type(row) is tuple and all(plain(x) for x in row)
        return isinstance(row, str | bool | int | type(None)) or type(row).__module__ == "factlang.values"

    assert plain(fact)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_files())
def test_a_parsed_file_survives_its_cache_entry(text: str) -> None:
    parsed = parse(text, "t.fact")

    again = from_entry(pickle.loads(pickle.dumps(to_entry(parsed), protocol=pickle.HIGHEST_PROTOCOL)))

    assert dump(again) == dump(parsed)


def test_an_entry_pickles_its_facts_a_chunk_at_a_time() -> None:
    text = "".join(f'f(x{i}) = {i}% @ s "q{i}"\n' for i in range(2 * CHUNK + 5))
    parsed = parse(text, "t.fact")

    entry = to_entry(parsed)

    assert [len(pickle.loads(c)) for c in entry[6]] == [CHUNK, CHUNK, 5]
    assert dump(from_entry(entry)) == dump(parsed)
