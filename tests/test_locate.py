"""factlang.verify.locate: finding a quote in a source, exactly or with drift."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from factlang.verify import locate as locate_module
from factlang.verify.locate import FOUND_THRESHOLD, QuoteMatch, locate
from factlang.verify.text import Document, WordBlocks, fold

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@cache
def seed(stem_prefix: str) -> Document:
    (path,) = SEEDS.glob(f"{stem_prefix}_*.txt")
    return Document(path.read_text(encoding="utf-8"))


def found(quote: str, doc: Document) -> QuoteMatch:
    match = locate(quote, doc)
    assert match is not None, quote
    return match


# --- exact ---------------------------------------------------------------------


def test_exact_quote_gives_original_span() -> None:
    doc = seed("003")
    match = found("Huawei, posted a market share of 16% in China", doc)
    assert match.exact
    assert match.similarity == 1.0
    assert match.text == "Huawei, posted a market share of 16% in China"
    assert doc.text[match.start : match.end] == match.text


def test_straight_apostrophe_finds_curly_one() -> None:
    match = found("Apple's revenue from the Greater China region fell 11%", seed("000"))
    assert match.exact
    assert match.text == "Apple’s revenue from the Greater China region fell 11%"


def test_straight_quotes_find_curly_ones() -> None:
    match = found('"It allows Alibaba to lay down the marker', seed("000"))
    assert match.exact
    assert match.text == "“It allows Alibaba to lay down the marker"


def test_whitespace_and_newlines_in_source_do_not_matter() -> None:
    match = found("Damond Isiaka 5 Min Read", seed("003"))
    assert match.exact
    assert match.text == "Damond Isiaka\n5 Min Read"


def test_whitespace_and_newlines_in_quote_do_not_matter() -> None:
    match = found("  The review process\n   could take  months ", seed("000"))
    assert match.exact
    assert match.text == "The review process could take months"


def test_case_does_not_matter() -> None:
    match = found("APPLE PICKS ALIBABA TO LAUNCH AI FEATURES", seed("003"))
    assert match.exact
    assert match.text == "Apple picks Alibaba to launch AI features"


def test_hyphen_in_quote_finds_em_dash_in_source() -> None:
    match = found("consumers-particularly regarding their shopping", seed("002"))
    assert match.exact
    assert match.text == "consumers—particularly regarding their shopping"


def test_hyphen_in_quote_finds_en_dash_in_source() -> None:
    match = found("SHANGHAI (Reuters) - Alibaba will partner with Apple", seed("001"))
    assert match.exact
    assert match.text == "SHANGHAI (Reuters) – Alibaba will partner with Apple"


def test_ligature_and_fullwidth_digits_in_source() -> None:
    doc = Document("Alibaba’s ﬁscal ２０２４ revenue rose.")
    match = found("alibaba's fiscal 2024 revenue", doc)
    assert match.exact
    assert match.text == "Alibaba’s ﬁscal ２０２４ revenue"


def test_first_of_several_exact_occurrences() -> None:
    doc = seed("000")
    match = found("Apple Intelligence", doc)
    assert match.start == doc.text.index("Apple Intelligence")


def test_match_inside_a_ligature_prefers_a_clean_occurrence() -> None:
    # "fi" occurs first inside the "ffi" that "ﬃ" folds to (and would map
    # back to the whole ligature), then as plain letters.
    doc = Document("oﬃce, then fi")
    match = found("fi", doc)
    assert (match.start, match.end, match.text) == (11, 13, "fi")


def test_whole_ligature_matches_its_letters() -> None:
    match = found("fi", Document("ﬁxed"))
    assert (match.start, match.end, match.text, match.exact) == (0, 1, "ﬁ", True)


# --- drift and not found ---------------------------------------------------------


def test_one_changed_word_is_found_with_drift() -> None:
    doc = seed("000")
    match = found(
        "Apple’s revenue from the Greater China region dropped 11% in the quarter ended December", doc
    )
    assert not match.exact
    assert FOUND_THRESHOLD <= match.similarity < 1
    assert (
        match.text == "Apple’s revenue from the Greater China region fell 11% in the quarter ended December"
    )


def test_changed_number_is_still_found() -> None:
    # The value check, not the locator, notices that 61% is not 16%.
    match = found("Huawei, posted a market share of 61% in China", seed("003"))
    assert not match.exact
    assert FOUND_THRESHOLD <= match.similarity < 1
    assert match.text == "Huawei, posted a market share of 16% in China"


def test_drifted_match_snaps_to_whole_words() -> None:
    match = found(
        "In 2023, Apple was the top smartphone seller in the country with 19% of market share", seed("003")
    )
    assert not match.exact
    assert (
        match.text == "In 2023, Apple was the top mobile phone seller in the country with 19% of market share"
    )


def test_dropped_word_is_found_with_drift() -> None:
    match = found(
        "By the closing bell, Apple had gained 2%, while Alibaba's shares rose by 1.3%", seed("002")
    )
    assert not match.exact
    assert (
        match.text
        == "By the closing bell, Apple had gained more than 2%, while Alibaba's shares rose by 1.3%"
    )


def test_invented_sentence_is_not_found() -> None:
    assert (
        locate("Apple will acquire Alibaba for $500 billion next spring, Tim Cook said", seed("003")) is None
    )


def test_reported_similarity_is_honest() -> None:
    quote = "Huawei, posted a market share of 61% in China"
    match = found(quote, seed("003"))
    assert match.similarity == pytest.approx(0.9777, abs=1e-3)


@pytest.mark.parametrize("quote", ["", "   ", "\n\t", "\u200b"])
def test_empty_quote_is_not_found(quote: str) -> None:
    assert locate(quote, seed("003")) is None


def test_quote_longer_than_document_does_not_raise() -> None:
    doc = Document("Apple rose 2%.")
    assert locate("Apple rose 2% on Tuesday while Alibaba shares fell 4% in Hong Kong trading", doc) is None


def test_quote_slightly_longer_than_document_is_found_with_drift() -> None:
    doc = Document("Apple shares rose 2.2% to $232.62 on Tuesday")
    match = found("Apple shares rose 2.2% to $232.62 on Tuesday.", doc)
    assert match.exact is False
    assert match.text == doc.text


def test_empty_document_finds_nothing() -> None:
    assert locate("Apple", Document("")) is None


def test_quote_match_is_frozen() -> None:
    match = found("Apple", seed("003"))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        match.start = 0  # type: ignore[misc]


# --- properties -----------------------------------------------------------------

# No combining marks: a substring may cut a letter from its accent, and the
# letter alone is not in the (composed) source.
TEXT = st.text(
    st.one_of(
        st.characters(max_codepoint=0x24F, blacklist_categories=("Cs", "Mn", "Mc", "Me")),
        st.sampled_from(list("’‘“”—–\u00a0\n ﬁﬃ２Ａ…İΣς中\u00ad.")),
    ),
    min_size=1,
)


@settings(deadline=None)
@given(TEXT, st.data())
def test_any_substring_is_found_exactly(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    quote = text[i:j]
    assume(fold(quote))
    match = locate(quote, Document(text))
    assert match is not None
    assert match.exact
    assert match.text == text[match.start : match.end]
    assert fold(match.text) == fold(quote)


@settings(deadline=None)
@given(st.text(), st.text())
def test_locate_never_raises(quote: str, text: str) -> None:
    match = locate(quote, Document(text))
    if match is not None:
        assert 0 <= match.start <= match.end <= len(text)
        assert FOUND_THRESHOLD <= match.similarity <= 1


# --- quotes that elide words (SPEC §2, citation row) -----------------------------------

ELIDED = Document(
    "Sales fell 20% to $1.65 billion in fiscal 2021, the company said.\n"
    "Margins improved.\n\nA new paragraph starts here and says more."
)


@pytest.mark.parametrize("quote", ["Sales fell 20% … in fiscal 2021", "Sales fell 20% ... in fiscal 2021"])
def test_each_part_of_an_elided_quote_is_located_in_order(quote: str) -> None:
    match = locate(quote, ELIDED)
    assert match is not None
    assert [ELIDED.text[a:b] for a, b in match.spans] == ["Sales fell 20%", "in fiscal 2021"]
    assert (match.start, match.end) == (match.spans[0][0], match.spans[-1][1])
    assert match.exact


def test_bracketed_elisions_and_line_breaks_between_parts() -> None:
    match = locate("Sales fell [...] the company said. [\u2026] Margins improved", ELIDED)
    assert match is not None
    assert [ELIDED.text[a:b] for a, b in match.spans] == [
        "Sales fell",
        "the company said.",
        "Margins improved",
    ]


@pytest.mark.parametrize(
    "quote",
    [
        "in fiscal 2021 … Sales fell 20%",  # out of order
        "Margins improved … A new paragraph",  # across a paragraph break
        "Sales fell 20% … nowhere in the text",
    ],
)
def test_an_elided_quote_whose_parts_are_not_in_order_in_one_paragraph_is_not_found(quote: str) -> None:
    assert locate(quote, ELIDED) is None


def test_an_ellipsis_the_source_itself_has_is_matched_as_text() -> None:
    doc = Document("He paused... then spoke.")
    match = locate("paused... then", doc)
    assert match is not None
    assert match.spans == ((3, 17),)


# --- long quotes in long documents (issue 10 item 6, issue 14 item 5) ---------------------


def _long_document() -> tuple[str, int]:
    import random

    rng = random.Random(7)
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(5000)
    ]
    text = " ".join(rng.choice(vocab) for _ in range(60_000))
    return text, len(text) // 2


def test_a_long_drifted_quote_in_a_long_document_is_found_through_anchors() -> None:
    text, middle = _long_document()
    start = text.index(" ", middle) + 1
    passage = text[start : start + 1500]
    drifted = "".join(
        "x" if i % 23 == 0 and c != " " else c for i, c in enumerate(passage)
    )  # about 4% changed
    match = locate(drifted, Document(text))
    assert match is not None
    assert not match.exact
    assert abs(match.start - start) < 20
    assert match.similarity >= FOUND_THRESHOLD


def test_a_quote_over_the_length_limit_is_never_searched() -> None:
    from factlang.verify.locate import MAX_QUOTE_LENGTH, too_long

    text, _ = _long_document()
    quote = text[: MAX_QUOTE_LENGTH + 100]
    assert locate(quote, Document(text)) is None
    assert too_long(quote) == len(fold(quote))
    assert too_long(quote[:100]) is None


# --- the word index of long texts (Document.blocks) ------------------------------

_VOCAB = [
    "apple",
    "alibaba",
    "shares",
    "rose",
    "fell",
    "the",
    "in",
    "of",
    "market",
    "baidu",
    "xiaomi",
    "huawei",
]
_VOCAB += [f"w{i}" for i in range(40)]


@contextlib.contextmanager
def _indexed(on: bool) -> Iterator[None]:
    """Search every text through its word index (tiny blocks), or none."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(locate_module, "_INDEX_ABOVE", -1 if on else 1 << 62)
        mp.setattr(WordBlocks, "size", 40)
        yield


def _both(quote: str, text: str) -> tuple[QuoteMatch | None, QuoteMatch | None]:
    with _indexed(False):
        plain = locate(quote, Document(text))
    with _indexed(True):
        indexed = locate(quote, Document(text))
    return plain, indexed


_texts = st.lists(st.sampled_from(_VOCAB), min_size=5, max_size=300).map(" ".join)


@given(text=_texts, data=st.data())
@settings(max_examples=150, deadline=None)
def test_the_index_finds_exact_quotes_where_a_scan_does(text: str, data: st.DataObject) -> None:
    words = text.split()
    a = data.draw(st.integers(0, len(words) - 1))
    b = data.draw(st.integers(a + 1, len(words)))
    quote = " ".join(words[a:b])
    plain, indexed = _both(quote, text)
    assert plain is not None
    assert plain.exact
    assert indexed == plain


@given(text=_texts, data=st.data())
@settings(max_examples=150, deadline=None)
def test_the_index_finds_drifted_quotes_where_the_whole_text_alignment_does(
    text: str, data: st.DataObject
) -> None:
    words = text.split()
    a = data.draw(st.integers(0, max(len(words) - 8, 0)))
    passage = words[a : a + data.draw(st.integers(6, 20))]
    i = data.draw(st.integers(0, len(passage) - 1))
    passage[i] = passage[i] + "x"  # one word drifted
    quote = " ".join(passage)
    plain, indexed = _both(quote, text)
    assert (plain is None) == (indexed is None)
    if plain is not None and indexed is not None:
        assert indexed.similarity == plain.similarity
        if text.count(" ".join(words[a : a + len(passage)])) == 1:
            assert (indexed.start, indexed.end) == (plain.start, plain.end)


@given(text=_texts, quote=st.lists(st.sampled_from(_VOCAB), min_size=3, max_size=12).map(" ".join))
@settings(max_examples=100, deadline=None)
def test_the_index_says_not_found_where_a_scan_does(text: str, quote: str) -> None:
    plain, indexed = _both(quote, text)
    assert (plain is None) == (indexed is None)
    if plain is not None and indexed is not None and plain.exact:
        assert indexed == plain


def test_word_blocks_cut_at_spaces_and_hold_whole_words() -> None:
    text = " ".join(f"word{i}" for i in range(100))
    with _indexed(True):
        blocks = WordBlocks(text)
    assert blocks.spans[0][0] == 0
    assert blocks.spans[-1][1] == len(text)
    assert all(text[b] == " " for _, b in blocks.spans[:-1])
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(blocks.spans))
    assert blocks.holding("word42") == [
        k for k, (a, b) in enumerate(blocks.spans) if "word42" in text[a:b].split()
    ]
    assert blocks.holding("word4") == [
        k for k, (a, b) in enumerate(blocks.spans) if "word4" in text[a:b].split()
    ]
    assert blocks.holding("nothing") == []
