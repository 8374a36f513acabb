"""factlang.verify.text: folding, the offset map back to the original, sentences."""

from __future__ import annotations

import sys
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factlang.verify.text import _UNICODE_SPACES, Document, fold, split_sentences

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@cache
def seed(stem_prefix: str) -> Document:
    (path,) = SEEDS.glob(f"{stem_prefix}_*.txt")
    return Document(path.read_text(encoding="utf-8"))


def original_of(doc: Document, folded_words: str) -> str:
    """The original text that a folded phrase of ``doc`` comes from."""
    i = doc.folded.find(folded_words)
    assert i >= 0, folded_words
    start, end = doc.to_original(i, i + len(folded_words))
    return doc.text[start:end]


def sentence_texts(doc: Document) -> list[str]:
    return [doc.text[s:e] for s, e in doc.sentences]


# --- fold -----------------------------------------------------------------


def test_fold_straightens_curly_apostrophes_and_quotes() -> None:
    assert fold("Alibaba’s “AI” ‘deal’") == "alibaba's \"ai\" 'deal'"


def test_fold_turns_every_dash_into_a_hyphen() -> None:
    assert fold("a‐b‑c‒d–e—f―g−h") == "a-b-c-d-e-f-g-h"


def test_fold_collapses_whitespace_runs_including_nbsp_and_newlines() -> None:
    assert fold("  Hong\u00a0Kong\n\nCNN\t —\u2009x  ") == "hong kong cnn - x"


def test_fold_is_case_insensitive() -> None:
    assert fold("APPLE Picks ALIBABA") == fold("apple picks alibaba") == "apple picks alibaba"


def test_fold_applies_nfkc_to_ligatures_and_fullwidth_forms() -> None:
    assert fold("ﬁnancial ２０２４ ＡＩ") == "financial 2024 ai"


def test_fold_keeps_double_prime_a_double_quote() -> None:
    # NFKC alone would make "″" two primes.
    assert fold("12″ screen") == '12" screen'


def test_fold_drops_soft_hyphens_and_zero_width_spaces() -> None:
    assert fold("co\u00adoperation\u200b deal\ufeff") == "cooperation deal"


def test_fold_treats_final_sigma_like_sigma() -> None:
    assert fold("ΟΔΟΣ") == fold("οδοσ") == fold("οδος")


def test_unicode_space_list_is_every_non_ascii_space() -> None:
    spaces = {chr(c) for c in range(0x80, sys.maxunicode + 1) if chr(c).isspace()}
    assert spaces == set(_UNICODE_SPACES)


# --- to_original ------------------------------------------------------------


def test_offsets_map_back_to_curly_apostrophe_in_seed() -> None:
    assert original_of(seed("003"), "huawei's strong resurgence") == "Huawei’s strong resurgence"


def test_offsets_map_back_across_collapsed_newlines_and_nbsp() -> None:
    assert (
        original_of(seed("003"), "hong kong cnn - apple will")
        == "Hong Kong\nCNN\n\u00a0—\u00a0\n\nApple will"
    )


def test_offsets_map_back_to_em_dash_between_words() -> None:
    doc = seed("002")
    assert original_of(doc, "consumers-particularly") == "consumers—particularly"


def test_offsets_exclude_leading_and_trailing_whitespace() -> None:
    doc = Document("\n\n  Apple   rose\n")
    assert doc.folded == "apple rose"
    assert doc.to_original(0, len(doc.folded)) == (4, 16)
    assert doc.to_original(6, 10) == (12, 16)


def test_offsets_of_ligature_cover_the_whole_ligature() -> None:
    doc = Document("The ﬁnancial results")
    assert doc.folded == "the financial results"
    assert original_of(doc, "financial") == "ﬁnancial"
    # Half of what "ﬁ" became still maps to the whole character...
    assert doc.to_original(5, 6) == (4, 5)
    # ...and is reported as not an exact cut.
    assert not doc.maps_exactly(5, 8)
    assert doc.maps_exactly(4, 13)


def test_offsets_of_fullwidth_digits() -> None:
    doc = Document("Revenue in ２０２４ rose")
    assert original_of(doc, "in 2024 rose") == "in ２０２４ rose"


def test_offsets_of_dotted_capital_i_whose_lower_case_is_longer() -> None:
    doc = Document("İstanbul office, ANKARA office")
    assert doc.folded == "i̇stanbul office, ankara office"
    assert original_of(doc, "stanbul office") == "stanbul office"
    assert original_of(doc, "ankara") == "ANKARA"


def test_empty_span_maps_to_empty_span() -> None:
    doc = Document("  Apple  rose ")
    assert doc.to_original(5, 5) == (7, 7)
    assert doc.to_original(len(doc.folded), len(doc.folded)) == (13, 13)


def test_span_outside_folded_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        Document("apple").to_original(2, 9)


def test_empty_document() -> None:
    doc = Document(" \n ")
    assert doc.folded == ""
    assert doc.to_original(0, 0) == (0, 0)
    assert doc.sentences == []
    assert doc.window(0, 1) == (0, 1)


# --- sentences ----------------------------------------------------------------


def test_run_together_sentences_split_at_missing_full_stop() -> None:
    sentences = sentence_texts(seed("002"))
    i = next(i for i, s in enumerate(sentences) if s.endswith("specifically for Chinese iPhone users"))
    assert sentences[i].startswith("In a recent revelation reported by The Information on Tuesday")
    assert sentences[i + 1].startswith("This announcement sent ripples through financial markets")
    assert sentences[i + 1].endswith("which saw a pre-market increase of over 1%.")


def test_run_together_split_before_common_opener_after_a_name() -> None:
    sentences = sentence_texts(seed("002"))
    assert (
        "In recent months, Apple has explored additional options, considering AI models from "
        "Tencent, ByteDance, Alibaba, and Deepseek" in sentences
    )
    assert any(
        s.startswith("Ultimately, Apple decided against utilizing Deepseek's model") for s in sentences
    )
    assert any(s.endswith("the parent company of TikTok") for s in sentences)
    assert any(s.startswith("The company has developed its own large language model") for s in sentences)
    assert any(s.endswith("as of the quarter ending last December") for s in sentences)
    assert any(s.startswith("However, Apple’s revenue in this key market") for s in sentences)


def test_run_together_split_after_lower_case_word() -> None:
    sentences = sentence_texts(seed("002"))
    assert "Baidu, however, experienced a contrasting decline of 4.5% during the same period" in sentences
    assert any(s.startswith("By the closing bell, Apple had gained more than 2%") for s in sentences)
    assert any(s.endswith("specific to the Chinese market") for s in sentences)
    assert any(s.startswith("Alibaba, with its expansive e-commerce ecosystem") for s in sentences)
    assert any(s.endswith("the standard model struggles with") for s in sentences)
    assert any(s.startswith("Improvements include better search functions") for s in sentences)
    assert any(s.endswith("declining sales figures in China") for s in sentences)
    assert any(s.startswith("The move appears to be a direct response") for s in sentences)


def test_headlines_set_off_by_blank_lines_are_sentences() -> None:
    # SPEC v2 §3: a blank line ends a sentence; a single line break is a space.
    sentences = sentence_texts(seed("003"))
    assert sentences[:3] == [
        "Apple picks Alibaba to launch AI features in China",
        "Damond Isiaka\n5 Min Read",
        "Hong Kong\nCNN",
    ]


def test_a_line_break_inside_a_sentence_is_a_space() -> None:
    text = "Apple's revenue from the Greater China region fell 11% to\n$18.5 billion in the\nquarter. Then"
    assert sentence_texts(Document(text)) == [text[: text.index(" Then")], "Then"]
    wrapped = "The U.S.\neconomy grew 2%.\nIt was the best\nyear since 2021."
    assert sentence_texts(Document(wrapped)) == [
        "The U.S.\neconomy grew 2%.",
        "It was the best\nyear since 2021.",
    ]


def test_list_items_and_headings_start_sentences_after_one_line_break() -> None:
    text = "Intro:\n- one item\n* two items\n1. three\n# Heading\nbody text"
    assert sentence_texts(Document(text)) == [
        "Intro:",
        "- one item",
        "* two items",
        "1. three",
        "# Heading",
        "body text",
    ]


def test_list_items_are_sentences() -> None:
    sentences = sentence_texts(seed("004"))
    assert "- Image recognition: To enhance camera capabilities and more precise object detection." in (
        sentences
    )


def test_abbreviations_in_seed_do_not_split() -> None:
    sentences = sentence_texts(seed("004"))
    assert any(
        s.startswith("Apple has teamed up with Alibaba Group Holding Ltd. to create")
        and s.endswith("to increase its market share in that country.")
        for s in sentences
    )
    assert (
        "The collaboration follows Apple’s earlier AI development relationship with Baidu Inc., "
        "which ended in unsatisfactory progress." in sentences
    )
    assert "Apple’s stock climbed 2.2% to $232.62, while Alibaba’s U.S. shares advanced 1.3% to $112.78." in (
        sentences
    )


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Smith met Mr. Jones at Acme Corp. headquarters in St. Louis on Jan. 5 this year.",
        "The U.S. Federal Reserve and the U.K. Treasury met, e.g. Tuesday.",
        "Shares of Alibaba Group Holding Ltd. Rose and Baidu Inc. Fell.",
        "George W. Bush met J. K. Rowling.",
        "See No. 5 on the list.",
    ],
)
def test_abbreviations_and_initials_do_not_split(text: str) -> None:
    assert split_sentences(text) == [(0, len(text))]


def test_decimals_and_prices_do_not_split() -> None:
    text = "Alibaba rose 7.8% to 113.10 Hong Kong dollars, equivalent to $14.53. Qwen 2.5 Max followed."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Alibaba rose 7.8% to 113.10 Hong Kong dollars, equivalent to $14.53.",
        "Qwen 2.5 Max followed.",
    ]


def test_camel_case_names_do_not_split() -> None:
    text = (
        "iPhone ByteDance DeepSeek TikTok OpenAI ChatGPT YouTube McDonald PayPal LinkedIn "
        "xAI macOS iPadOS eBay were all named"
    )
    assert split_sentences(text) == [(0, len(text))]


def test_split_at_question_exclamation_and_quotes() -> None:
    text = "Will it work? “It will!” he said. 2025 is next. Fine."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Will it work?",
        "“It will!” he said.",
        "2025 is next.",
        "Fine.",
    ]


def test_no_before_a_number_is_an_abbreviation_but_not_before_a_word() -> None:
    text = "See No. 5 on the list. The answer was no. Then we left."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "See No. 5 on the list.",
        "The answer was no.",
        "Then we left.",
    ]


def test_split_before_capitals_beyond_latin1_and_after_unicode_spaces() -> None:
    text = "Он пришёл. Затем ушёл.\u2003Ελλάδα? Ναι."
    assert [text[s:e] for s, e in split_sentences(text)] == ["Он пришёл.", "Затем ушёл.", "Ελλάδα?", "Ναι."]


def test_unicode_line_and_paragraph_separators() -> None:
    # A line separator is a line break (a space inside a sentence); a paragraph separator ends one.
    text = "Headline\u2029First line\u2028goes on\x85and on. Second"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Headline",
        "First line\u2028goes on\x85and on.",
        "Second",
    ]


def test_full_stop_before_lower_case_does_not_split() -> None:
    text = "It rose 3 p.c. on the day and fell. then it rose"
    assert split_sentences(text) == [(0, len(text))]


def test_sentence_spans_exclude_whitespace() -> None:
    text = "  One.   Two.  \n\n  Three  "
    assert [text[s:e] for s, e in split_sentences(text)] == ["One.", "Two.", "Three"]


def test_sentence_at_finds_containing_sentence() -> None:
    doc = Document("One two. Three four. Five.")
    assert doc.sentence_at(0) == 0
    assert doc.sentence_at(10) == 1
    assert doc.sentence_at(8) == 0  # the space between belongs to the sentence before
    assert doc.sentence_at(len(doc.text)) == 2


def test_window_covers_neighbouring_sentences() -> None:
    doc = seed("003")
    start = doc.text.index("In 2023, Apple was the top mobile phone seller")
    end = start + len("In 2023, Apple was the top mobile phone seller")
    ws, we = doc.window(start, end)
    assert doc.text[ws:we] == (
        "Last year, Huawei, posted a market share of 16% in China, overtaking Apple’s 15%, according to "
        "Canalys data. In 2023, Apple was the top mobile phone seller in the country with 19% of market "
        "share. Huawei trailed behind at 12%."
    )
    ws0, we0 = doc.window(start, end, radius=0)
    assert (
        doc.text[ws0:we0]
        == "In 2023, Apple was the top mobile phone seller in the country with 19% of market share."
    )


def test_window_spanning_sentences_and_clamped_at_the_ends() -> None:
    doc = Document("A one. B two. C three. D four.")
    assert doc.window(0, 10, radius=1) == (0, 22)
    assert doc.window(24, 30, radius=5) == (0, 30)
    with pytest.raises(ValueError, match="radius"):
        doc.window(0, 1, radius=-1)


# --- properties -----------------------------------------------------------------

# Text that news sources contain, with the odd characters folding cares about.
NEWSY = st.text(
    st.one_of(
        st.characters(max_codepoint=0x24F, blacklist_categories=("Cs", "Mn", "Mc", "Me")),
        st.sampled_from(list("’‘“”—–\u00a0\n\t ﬁﬂ２０Ａ…İΣςé½\u00ad\u200b中文.!?")),
    )
)


@settings(deadline=None)
@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(deadline=None)
@given(NEWSY)
def test_fold_is_nfkc_normalized_lower_case_and_single_spaced(text: str) -> None:
    folded = fold(text)
    assert unicodedata.is_normalized("NFKC", folded)
    assert "  " not in folded
    assert folded == folded.strip()
    assert not any(c in folded for c in "’‘“”—–\n\t\u00a0")


@settings(deadline=None)
@given(st.text(), st.data())
def test_to_original_spans_are_in_bounds_and_monotonic(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    n = len(doc.folded)
    p0, p1, p2, p3 = sorted(data.draw(st.lists(st.integers(0, n), min_size=4, max_size=4)))
    for i, j in [(p0, p2), (p1, p3), (p0, p0), (p3, p3)]:
        a, b = doc.to_original(i, j)
        assert 0 <= a <= b <= len(text)
    if p0 < p2 and p1 < p3:
        a, b = doc.to_original(p0, p2)
        c, d = doc.to_original(p1, p3)
        assert a <= c
        assert b <= d


@settings(deadline=None)
@given(st.text(), st.data())
def test_exactly_mapped_spans_fold_back_to_themselves(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    n = len(doc.folded)
    i = data.draw(st.integers(0, n))
    j = data.draw(st.integers(i, n))
    if i < j and doc.maps_exactly(i, j):
        a, b = doc.to_original(i, j)
        assert fold(text[a:b]) == doc.folded[i:j].strip()


@settings(deadline=None)
@given(st.one_of(st.text(), NEWSY))
def test_split_sentences_spans_are_ordered_disjoint_and_trimmed(text: str) -> None:
    spans = split_sentences(text)
    prev_end = 0
    for start, end in spans:
        assert prev_end <= start < end <= len(text)
        assert not text[start].isspace()
        assert not text[end - 1].isspace()
        prev_end = end
    # Only whitespace is left out.
    covered = {i for start, end in spans for i in range(start, end)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
