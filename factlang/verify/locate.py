"""Find a quote in a source document (SPEC §3 step 1).

Both sides are folded (:func:`factlang.verify.text.fold`). An exact match of the
folded quote gives the span in the original text. Otherwise a fuzzy
alignment finds the most similar window; snapped to whole words and scored
again, it counts as found *with drift* when its similarity is at least
:data:`FOUND_THRESHOLD`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

import attrs

from factlang.verify.text import Document, fold

__all__ = [
    "FOUND_THRESHOLD",
    "MAX_QUOTE_LENGTH",
    "QuoteMatch",
    "closest",
    "locate",
    "not_found_message",
    "too_long",
]

#: Least similarity (0 to 1) at which a quote that is not in the source
#: word for word still counts as found, with drift.
FOUND_THRESHOLD: Final[float] = 0.90

#: Longest quote located (characters after folding). A quote is the words that
#: state a fact, a sentence or a few; a longer one is reported, not searched.
MAX_QUOTE_LENGTH: Final[int] = 5000

# Fuzzy alignment in a document longer than this runs only inside windows that
# anchors (rare character n-grams of the quote, found exactly) point to, so a
# drifted quote costs about the same in a 20 MB source as in a 5 KB one.
_ANCHOR_ABOVE: Final = 20_000
# Two whole words: "[^\W_]+ [^\W_]+" at word starts, overlapping (lookahead).
_ANCHOR_PAIR: Final = re.compile(r"(?<![^\W_])(?=([^\W_]{3,} [^\W_]{3,}))")
_PROBES: Final = 24
_MAX_HITS: Final = 8
_WINDOWS: Final = 8
_AGREE: Final = 3
_LONG_QUOTE: Final = 400
# A folded text longer than this is searched through its word index
# (Document.blocks, built once per document): exact and fuzzy searches then
# scan only the blocks holding the quote's rarest words.
_INDEX_ABOVE: Final = 1 << 20
# A word held by more blocks than this anchors nothing.
_MAX_BLOCKS: Final = 8
# Word pairs probed by a scan when rare words do not agree on a place.
_PAIR_PROBES: Final = 2
# A window this similar ends the search (the alignment cutoff, or half as
# similar when looking for the closest passage of a quote not found).
_QUALIFIES: Final = 50.0

# The raw alignment window has the quote's length, so when the source says
# a word more ("the World Government Summit in Dubai" quoted without
# "Summit") it scores well under the resized whole-word window; the first
# pass lets such windows through and the final score decides.
_ALIGN_CUTOFF: Final[float] = (FOUND_THRESHOLD - 0.15) * 100
# A lower-case letter directly followed by a capital: two words run together.
_GLUED: Final = re.compile(r"[a-z][A-Z]")
_WORD: Final = re.compile(r"[^\W_]+")
_TOKEN: Final = re.compile(r"\S+")
_PUNCT: Final = re.compile(r"[^\w\s]")


@attrs.frozen
class QuoteMatch:
    """Where a quote was found in a source text.

    ``start`` and ``end`` are offsets in the original text and ``text`` is
    the source's own wording there (with its curly quotes, line breaks and
    case), so a drifted quote can be shown next to what the source says.
    """

    start: int
    end: int
    similarity: float
    exact: bool
    text: str
    #: The located parts of a quote with elisions ("A … B"), in order; one span otherwise.
    parts: tuple[tuple[int, int], ...] = ()

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Every located part's span (the whole match when the quote has no elision)."""
        return self.parts or ((self.start, self.end),)


def locate(quote: str, doc: Document) -> QuoteMatch | None:
    """Find ``quote`` in ``doc``: the first exact match, else the best fuzzy one, else ``None``.

    An empty or whitespace-only quote is never found.
    """
    q = fold(quote)
    if not q or not doc.folded or len(q) > MAX_QUOTE_LENGTH:
        return None
    found = _exact(q, doc)
    if found is not None:
        return found
    parts = [fold(p) for p in _ELISION.split(quote)]
    parts = [p for p in parts if p]
    if len(parts) > 1:
        # "A … B", "A [...] B": each part in order, within one paragraph (SPEC §2).
        return _parts(parts, doc)
    return _fuzzy(q, doc)


#: How a quote elides words: an ellipsis character, three dots, either in brackets.
_ELISION: Final = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
_PARAGRAPH_BREAK: Final = re.compile(r"\n[^\S\n]*\n|[\u2029\x0c]")
# Occurrences of a first part tried before giving up (a part as common as "the").
_MAX_TRIES: Final = 200


def _parts(parts: list[str], doc: Document) -> QuoteMatch | None:
    """Locate each part exactly, in order, the whole within one paragraph."""
    folded, text = doc.folded, doc.text
    first = folded.find(parts[0])
    tries = 0
    while first >= 0 and tries < _MAX_TRIES:
        tries += 1
        spans = [(first, first + len(parts[0]))]
        for part in parts[1:]:
            i = folded.find(part, spans[-1][1])
            if i < 0:
                return None  # no later occurrence of this part at all: none after a later first either
            spans.append((i, i + len(part)))
        original = [doc.to_original(a, b) for a, b in spans]
        start, end = original[0][0], original[-1][1]
        if not _PARAGRAPH_BREAK.search(text, start, end):
            return QuoteMatch(start, end, 1.0, True, text[start:end], tuple(original))
        first = folded.find(parts[0], first + 1)
    return None


def _match(doc: Document, fstart: int, fend: int, similarity: float, exact: bool) -> QuoteMatch:
    start, end = doc.to_original(fstart, fend)
    return QuoteMatch(start=start, end=end, similarity=similarity, exact=exact, text=doc.text[start:end])


def _exact(q: str, doc: Document) -> QuoteMatch | None:
    folded = doc.folded
    indexed = _indexed_occurrences(q, doc) if len(folded) > _INDEX_ABOVE else None
    occurrences: Iterable[int] = _scan(q, folded) if indexed is None else indexed
    # Prefer an occurrence that does not begin or end inside what one
    # original character became (the "fi" of "ﬁ"); such a match maps back
    # to text that folds to more than the quote.
    first: int | None = None
    for i in occurrences:
        if first is None:
            first = i
        if doc.maps_exactly(i, i + len(q)):
            return _match(doc, i, i + len(q), 1.0, True)
    if first is None:
        return None
    return _match(doc, first, first + len(q), 1.0, True)


def _scan(q: str, folded: str) -> Iterator[int]:
    """Every start of ``q`` in ``folded``, in order."""
    i = folded.find(q)
    while i >= 0:
        yield i
        i = folded.find(q, i + 1)


def _inner_words(q: str) -> list[tuple[int, str]]:
    """The quote's words with whitespace on both sides inside it: (offset, word).

    Wherever the quote occurs, each of them is a whole word of the text.
    """
    return [(m.start(), m.group()) for m in _TOKEN.finditer(q) if m.start() > 0 and m.end() < len(q)]


def _indexed_occurrences(q: str, doc: Document) -> list[int] | None:
    """Every start of ``q`` in the text, in order, scanning only the blocks holding its rarest inner word.

    None when the quote has no inner word (the caller scans the whole text).
    """
    words = _inner_words(q)
    if not words:
        return None
    blocks = doc.blocks
    best: tuple[int, list[int]] | None = None
    for offset, word in words:
        held = blocks.holding(word)
        if not held:
            return []  # a word the quote needs is nowhere in the text
        if best is None or len(held) < len(best[1]):
            best = offset, held
    assert best is not None
    offset, held = best
    folded, found = doc.folded, []
    for k in held:
        a, b = blocks.spans[k]
        # Occurrences whose word starts in this block; the ranges do not overlap.
        lo, hi = max(a - offset, 0), b - offset + len(q)
        i = folded.find(q, lo, hi)
        while i >= 0:
            found.append(i)
            i = folded.find(q, i + 1, hi)
    return found


def _cuts(doc: Document, lo: int, hi: int) -> list[int]:
    """Folded offsets in [lo, hi] around words, space-separated tokens and punctuation marks.

    Folding loses case, so a lower-case letter glued to a capital in the
    original ("periodBy the closing bell") also counts as a word boundary.
    """
    folded, text = doc.folded, doc.text
    lo, hi = max(lo, 0), min(hi, len(folded))
    if lo > hi:
        return []
    cuts = {lo, hi}
    for pattern in (_WORD, _TOKEN, _PUNCT):
        for m in pattern.finditer(folded, lo, hi):
            cuts.update(m.span())
    olo, ohi = doc.to_original(lo, hi)
    # Mapping offsets back one by one is slow; most windows have no glued words.
    if _GLUED.search(text, max(olo - 1, 0), ohi):
        for p in range(lo + 1, hi):
            if not _clean_cut(folded, p):
                o = doc.to_original(p, p + 1)[0]
                if o > 0 and _GLUED.match(text, o - 1):
                    cuts.add(p)
    # At lo and hi the search range itself may have cut a word.
    return sorted(p for p in cuts if lo < p < hi or _clean_cut(folded, p))


def _clean_cut(folded: str, p: int) -> bool:
    """Whether offset ``p`` is not inside a run of letters and digits."""
    return p <= 0 or p >= len(folded) or not (folded[p - 1].isalnum() and folded[p].isalnum())


def _widen(folded: str, start: int, end: int) -> tuple[int, int]:
    """Extend a window to the whole words it cuts."""
    while not _clean_cut(folded, start):
        start -= 1
    while not _clean_cut(folded, end):
        end += 1
    return start, end


def too_long(quote: str) -> int | None:
    """The folded length of a quote over :data:`MAX_QUOTE_LENGTH`, else None."""
    n = len(fold(quote))
    return n if n > MAX_QUOTE_LENGTH else None


def not_found_message(quote: str, doc: Document, source: str) -> str:
    """Why a quote was not found, with the closest passage of the source and its similarity."""
    n = too_long(quote)
    if n is not None:
        return (
            f"the quote is {n:,} characters long; quotes over {MAX_QUOTE_LENGTH:,} characters are not "
            f"searched (quote the words of {source} that state the fact)"
        )
    parts = [p for p in _ELISION.split(quote) if fold(p)]
    if len(parts) > 1:
        missing = [p for p in parts if _exact(fold(p), doc) is None]
        if missing:
            return f"the quote's part “{_clip(missing[0])}” is not in {source} word for word"
        return f"the quote's parts are in {source}, but not in this order within one paragraph"
    near = closest(quote, doc)
    if near is None or near.similarity < 0.5:
        return f"the quote is not in {source} (no passage is even half as similar)"
    similar = f"{near.similarity:.0%} similar ({FOUND_THRESHOLD:.0%} needed)"
    return f"the quote is not in {source}; the closest passage is {similar}: “{_clip(near.text)}”"


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def closest(quote: str, doc: Document) -> QuoteMatch | None:
    """The passage most similar to a quote that was not found, whatever its similarity (for messages)."""
    from rapidfuzz import fuzz  # only for a quote not found as it is

    q = fold(quote)
    if not q or not doc.folded or len(q) > MAX_QUOTE_LENGTH:
        return None
    span = _align(q, doc, 0.0)
    if span is None:
        return None
    start, end = _widen(doc.folded, span[0], span[1])
    return _match(doc, start, end, fuzz.ratio(q, doc.folded[start:end]) / 100, False)


def _anchor_starts(q: str, folded: str) -> list[int]:
    """Where in the folded text the quote may start, from its rarest word pairs found there exactly.

    Pairs of about a dozen characters are probed first; a pair found more
    than :data:`_MAX_HITS` times anchors nothing. Each probe is one
    C-speed scan, so the cost grows with the document, not with the product
    of the document and the quote.
    """
    pairs = sorted(
        {(m.group(1), m.start()) for m in _ANCHOR_PAIR.finditer(q)},
        # Pairs of about a dozen characters: long enough to be rare, short enough
        # to escape the quote's drift (a pair with a changed character is not found).
        key=lambda pair: (abs(len(pair[0]) - 12), pair[1]),
    )
    clusters: dict[int, list[int]] = {}  # bucket -> the starts anchors voted for in it
    bucket = max(len(q) // 8, 16)
    for gram, offset in pairs[:_PROBES]:
        positions: list[int] = []
        i = folded.find(gram)
        while i >= 0 and len(positions) <= _MAX_HITS:
            positions.append(i)
            i = folded.find(gram, i + 1)
        if not positions or len(positions) > _MAX_HITS:
            continue
        for p in positions:
            s = max(p - offset, 0)
            clusters.setdefault(s // bucket, []).append(s)
        if max(len(v) for v in clusters.values()) >= _AGREE:
            break  # enough anchors agree on one place
    # Starts that several anchors agree on come first; each is their median.
    ranked = sorted(clusters.values(), key=len, reverse=True)[:_WINDOWS]
    return [sorted(starts)[len(starts) // 2] for starts in ranked]


def _align(q: str, doc: Document, cutoff: float) -> tuple[int, int, float] | None:
    """The best raw alignment of ``q`` in the folded text: (start, end, score), anchored in long texts."""
    from rapidfuzz import fuzz  # only for a quote not found as it is

    folded = doc.folded
    lq = len(q)
    if lq >= len(folded):
        return 0, len(folded), float(fuzz.ratio(q, folded))
    if len(folded) > _INDEX_ABOVE:
        return _align_indexed(q, doc, cutoff)
    if len(folded) <= _ANCHOR_ABOVE or lq <= _LONG_QUOTE:
        # A short quote slides over the whole text at C speed (linear in the text);
        # only a long one would cost the product of the two lengths.
        al = fuzz.partial_ratio_alignment(q, folded, score_cutoff=cutoff)
        return None if al is None else (int(al.dest_start), int(al.dest_end), float(al.score))
    return _align_at(q, folded, _anchor_starts(q, folded), cutoff)


def _align_at(q: str, folded: str, starts: list[int], cutoff: float) -> tuple[int, int, float] | None:
    """A long quote's best alignment among windows of its length at ``starts``."""
    from rapidfuzz import fuzz  # only for a quote not found as it is

    best: tuple[int, int, float] | None = None
    for s in starts:
        # Sliding a long quote over a window costs its length squared per step;
        # the anchors give the start, and the word-boundary search refines it.
        e = min(s + len(q), len(folded))
        found = (s, e, float(fuzz.ratio(q, folded[s:e], score_cutoff=cutoff)))
        if found[2] and (best is None or found[2] > best[2]):
            best = found
    return best


def _align_indexed(q: str, doc: Document, cutoff: float) -> tuple[int, int, float] | None:
    """:func:`_align` in a text with a word index: only in windows around anchored starts.

    A short quote slides over a window of three times its length around each
    start (the windows merged and visited in text order, so of equal scores
    the first in the text wins, as in one slide over the whole text). When no
    window scores :data:`_QUALIFIES` (or ``cutoff`` if higher), it slides over
    the whole text: linear, and only then.
    """
    from rapidfuzz import fuzz  # only for a quote not found as it is

    folded = doc.folded
    lq = len(q)
    starts = _indexed_starts(q, doc)
    best: tuple[int, int, float] | None = None
    if lq > _LONG_QUOTE:
        return _align_at(q, folded, starts, cutoff)
    spans = sorted((max(s - lq, 0), min(s + 2 * lq, len(folded))) for s in starts)
    merged: list[list[int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    for lo, hi in merged:
        al = fuzz.partial_ratio_alignment(q, folded[lo:hi], score_cutoff=cutoff)
        if al is not None and (best is None or al.score > best[2]):
            best = (lo + int(al.dest_start), lo + int(al.dest_end), float(al.score))
    if best is not None and best[2] >= max(cutoff, _QUALIFIES):
        return best
    # No window qualifies (no anchor survived the drift, or every word of the
    # quote is common): one slide over the whole text, as without an index.
    al = fuzz.partial_ratio_alignment(q, folded, score_cutoff=cutoff)
    return None if al is None else (int(al.dest_start), int(al.dest_end), float(al.score))


def _indexed_starts(q: str, doc: Document) -> list[int]:
    """Where the quote may start, from its rarest words found in the blocks holding them.

    As :func:`_anchor_starts`, with single words (the index's unit) for
    anchors: a word held by more than :data:`_MAX_BLOCKS` blocks, or found
    more than :data:`_MAX_HITS` times, anchors nothing.
    """
    blocks, folded = doc.blocks, doc.folded
    words = [(offset, word, blocks.holding(word)) for offset, word in _inner_words(q) if len(word) >= 3]
    # Rarest first; of equals, the longer word.
    words.sort(key=lambda w: (len(w[2]), -len(w[1]), w[0]))
    clusters: dict[int, list[int]] = {}
    bucket = max(len(q) // 8, 16)
    anchored = 0
    for offset, word, held in words[:_PROBES]:
        if not held or len(held) > _MAX_BLOCKS:
            continue
        positions: list[int] = []
        for k in held:
            a, b = blocks.spans[k]
            i = folded.find(word, a, b)
            while i >= 0 and len(positions) <= _MAX_HITS:
                if _whole(folded, i, i + len(word)):
                    positions.append(i)
                i = folded.find(word, i + 1, b)
        if not positions or len(positions) > _MAX_HITS:
            continue
        for p in positions:
            s = max(p - offset, 0)
            clusters.setdefault(s // bucket, []).append(s)
        anchored += 1
        if anchored >= _AGREE or max(len(v) for v in clusters.values()) >= _AGREE:
            break  # enough anchors, or enough that agree on one place
    if not clusters:
        # No rare word: a few word pairs, each one scan of the text
        # (still far cheaper than sliding the quote over all of it).
        pairs = sorted(
            {(m.group(1), m.start()) for m in _ANCHOR_PAIR.finditer(q)},
            key=lambda pair: (-len(pair[0]), pair[1]),
        )
        for gram, offset in pairs[:_PAIR_PROBES]:
            i = folded.find(gram)
            hits: list[int] = []
            while i >= 0 and len(hits) <= _MAX_HITS:
                hits.append(i)
                i = folded.find(gram, i + 1)
            if len(hits) > _MAX_HITS:
                continue
            for p in hits:
                s = max(p - offset, 0)
                clusters.setdefault(s // bucket, []).append(s)
    ranked = sorted(clusters.values(), key=len, reverse=True)[:_WINDOWS]
    return [sorted(starts)[len(starts) // 2] for starts in ranked]


def _whole(folded: str, start: int, end: int) -> bool:
    """Whether ``folded[start:end]`` is a whole space-separated word."""
    return (start == 0 or folded[start - 1].isspace()) and (end == len(folded) or folded[end].isspace())


def _fuzzy(q: str, doc: Document) -> QuoteMatch | None:
    folded = doc.folded
    aligned = _align(q, doc, _ALIGN_CUTOFF)
    if aligned is None:
        return None
    start, end, _ = aligned
    if len(q) >= len(folded):
        start, end = 0, len(folded)
    wide_start, wide_end = _widen(folded, start, end)
    # Try word boundaries around each end of the aligned window and keep the
    # pair whose text is most similar to the quote: the raw window has the
    # quote's length, so where the source says a word more it is shifted or
    # cut short; any window scoring 0.9 is at most 1.25 times the quote.
    lq = len(q)
    slack = min(max(lq // 4, 12), 96)
    longest = int(lq * 1.25) + 1
    n = len(folded)
    starts = [
        p for p in _cuts(doc, min(wide_start, end - longest), start + slack) if p < n and folded[p] != " "
    ]
    ends = [
        p for p in _cuts(doc, end - slack, max(wide_end, start + longest)) if p > 0 and folded[p - 1] != " "
    ]
    starts = starts or [wide_start]
    ends = ends or [wide_end]
    best = _best_window(q, folded, starts, ends, start, end)
    if best is None:
        return None
    s, e, score = best
    return _match(doc, s, e, score / 100, False)


def _best_window(
    q: str, folded: str, starts: list[int], ends: list[int], start: int, end: int
) -> tuple[int, int, float] | None:
    """Pick the candidate window most similar to ``q``: (start, end, score), or None under the threshold.

    Coordinate ascent (best start for the current end, then best end for
    that start, until stable) instead of every pair: a few dozen scores
    rather than hundreds, and the same result on drifted quotes in practice.
    """
    from rapidfuzz import fuzz, process  # only for a quote not found as it is

    # Closest to the raw alignment first: extractOne keeps the first of equals.
    starts = sorted(starts, key=lambda p: abs(p - start))
    ends = sorted(ends, key=lambda p: abs(p - end))
    # A window under 0.8 or over 1.25 times the quote's length cannot score 0.9.
    shortest, longest = int(len(q) * 0.8), int(len(q) * 1.25) + 1
    s, e = starts[0], ends[0]
    score = 0.0
    for _ in range(4):
        s_choices = [p for p in starts if shortest <= e - p <= longest]
        if s_choices:
            found = process.extractOne(q, [folded[p:e] for p in s_choices], scorer=fuzz.ratio)
            s = s_choices[int(found[2])]
        e_choices = [p for p in ends if shortest <= p - s <= longest]
        if not e_choices:
            break
        found = process.extractOne(q, [folded[s:p] for p in e_choices], scorer=fuzz.ratio)
        new_e, new_score = e_choices[int(found[2])], float(found[1])
        if new_e == e and new_score <= score:
            break
        e, score = new_e, new_score
    if score < FOUND_THRESHOLD * 100:
        return None
    return s, e, score
