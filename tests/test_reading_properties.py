"""Properties of reading source text (SPEC §3, issue 15, issue 10 item 2).

- extraction never raises and never returns a span outside the text, for any text;
- a line break inside a sentence is a space: adding or removing one never
  changes a verdict of the seed fact base;
- every pass over text does work linear in its length: counted in executed
  Python lines (a per-character budget far above ordinary prose), not timed.
  (Regular-expression backtracking runs in C and is not counted here:
  ``benchmarks/bench_hostile.py`` measures it as seconds per MB.)
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factlang.config import load_config
from factlang.loader import load_project
from factlang.model import FactBase
from factlang.verify.citations import Checker
from factlang.verify.quantities import extract
from factlang.verify.text import Document, split_sentences
from tests.conftest import REPO

# Pieces real and hostile text is made of: numbers with units and scales,
# direction words, qualifiers, dates, brackets, dots, line breaks, glued words.
PIECES = [
    "1", "23", "4.5", "1,000", "1 000", "$", "£", "€", "HK$", "%", " percent", " per cent", "bn", " billion",
    "m", " million", "(", ")", "-", "–", ".", "...", "…", "[…]", ",", ";", " ", "  ", "\n", "\n\n", "\u00a0",
    "\u00ad", "rose ", "fell ", "up ", "down ", "more than ", "between ", " and ", " to ", " or ", "cents",
    "January", "MARCH", "Q3", "2024", "FY2023", "the quarter ended June 30", "last year", "Apple", "usersThe",
    "aA", "U.S.", "Inc.", "two-thirds of", "a dozen", "half of", "twenty-five", "±0.7", "- ", "# ", "1. ",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join) | st.text(max_size=300)


@given(TEXTS)
@settings(max_examples=300, deadline=None)
def test_extraction_never_raises_and_spans_stay_inside_the_text(text: str) -> None:
    for start, end in split_sentences(text):
        assert 0 <= start < end <= len(text)
        for q in extract(text[start:end]):
            assert 0 <= q.start < q.end <= end - start
    start = 0
    for q in extract(text):
        assert start <= q.start < q.end <= len(text)
        start = q.start


# --- line breaks inside a sentence ---------------------------------------------------


@functools.cache
def _seed_base() -> FactBase:
    return load_project(load_config(REPO))


def _verdicts(base: FactBase, source: str, text: str) -> list[tuple[str, str]]:
    checker = Checker(base, {source: Document(text)})
    return [
        (f.key, checker.check(f, c).verdict) for f in base.facts for c in f.citations if c.source == source
    ]


_SPACE_IN_SENTENCE = re.compile(r"(?<=[a-z,]) (?=[a-z])")


@given(st.data())
@settings(max_examples=12, deadline=None)
def test_a_line_break_inside_a_sentence_changes_no_verdict(data: st.DataObject) -> None:
    base = _seed_base()
    source = data.draw(st.sampled_from(sorted({c.source for f in base.facts for c in f.citations})))
    text = (REPO / base.sources[source].path).read_text(encoding="utf-8")
    # Spaces between lower-case words: inside a sentence, never before a list marker.
    spaces = [m.start() for m in _SPACE_IN_SENTENCE.finditer(text)]
    chosen = set(data.draw(st.lists(st.sampled_from(spaces), min_size=1, max_size=40)))
    wrapped = "".join("\n" if i in chosen else c for i, c in enumerate(text))
    assert _verdicts(base, source, wrapped) == _verdicts(base, source, text)


def test_a_hard_wrapped_seed_article_gives_the_same_verdicts() -> None:
    base = _seed_base()
    path = Path(REPO / base.sources["cnn"].path)
    text = path.read_text(encoding="utf-8")
    # Wrap every paragraph at about 60 characters, as a press release or PDF would.
    wrapped = re.sub(r"(.{50,70}?)(?<=[a-z,]) (?=[a-z])", lambda m: m.group(1) + "\n", text)
    assert wrapped.count("\n") > text.count("\n") + 20
    assert _verdicts(base, "cnn", wrapped) == _verdicts(base, "cnn", text)


# --- linear work -----------------------------------------------------------------------


def _lines_executed(run: Callable[[], Any]) -> int:
    """Python lines executed in factlang's modules while ``run`` runs."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Callable[..., Any] | None:
        nonlocal count
        if "factlang" not in frame.f_code.co_filename:
            return None
        if event == "line":
            count += 1
        return tracer

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(old)
    return count


def _passes(text: str) -> None:
    doc = Document(text)
    _ = doc.folded
    for start, end in doc.sentences:
        extract(text[start:end])
    extract(text)


#: Executed lines allowed per character: prose needs under 2, and a text that is
#: all numbers about 60 per extraction (each quantity is annotated in Python).
BUDGET_PER_CHAR = 200


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join), st.integers(300, 1500))
@settings(max_examples=40, deadline=None)
def test_reading_does_work_linear_in_the_length_of_the_text(unit: str, size: int) -> None:
    def text(n: int) -> str:
        return (unit * (n // len(unit) + 1))[:n]

    once = _lines_executed(lambda: _passes(text(size)))
    twice = _lines_executed(lambda: _passes(text(2 * size)))
    assert twice <= BUDGET_PER_CHAR * 2 * size + 20_000
    # Twice the text, about twice the work: a quadratic pass would give four times.
    assert twice <= 2.5 * once + 5_000
