"""Find a quote in a source document (SPEC §3 step 1).

Both sides are folded (:func:`factlang.text.fold`). An exact match of the
folded quote gives the span in the original text. Otherwise a fuzzy
alignment finds the most similar window; snapped to whole words and scored
again, it counts as found *with drift* when its similarity is at least
:data:`FOUND_THRESHOLD`.
"""

from __future__ import annotations

from typing import Final

import attrs
from rapidfuzz import fuzz

from factlang.text import Document, fold

__all__ = ["FOUND_THRESHOLD", "QuoteMatch", "locate"]

#: Least similarity (0 to 1) at which a quote that is not in the source
#: word for word still counts as found, with drift.
FOUND_THRESHOLD: Final[float] = 0.90

# The raw alignment window has the quote's length; snapping it to words can
# raise its score, so the first pass lets slightly weaker windows through.
_ALIGN_CUTOFF: Final[float] = (FOUND_THRESHOLD - 0.08) * 100


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


def locate(quote: str, doc: Document) -> QuoteMatch | None:
    """Find ``quote`` in ``doc``: the first exact match, else the best fuzzy one, else ``None``.

    An empty or whitespace-only quote is never found.
    """
    q = fold(quote)
    if not q or not doc.folded:
        return None
    return _exact(q, doc) or _fuzzy(q, doc)


def _match(doc: Document, fstart: int, fend: int, similarity: float, exact: bool) -> QuoteMatch:
    start, end = doc.to_original(fstart, fend)
    return QuoteMatch(start=start, end=end, similarity=similarity, exact=exact, text=doc.text[start:end])


def _exact(q: str, doc: Document) -> QuoteMatch | None:
    folded = doc.folded
    first = i = folded.find(q)
    # Prefer an occurrence that does not begin or end inside what one
    # original character became (the "fi" of "ﬁ"); such a match maps back
    # to text that folds to more than the quote.
    while i >= 0 and not doc.maps_exactly(i, i + len(q)):
        i = folded.find(q, i + 1)
    if i < 0:
        i = first
    if i < 0:
        return None
    return _match(doc, i, i + len(q), 1.0, True)


def _is_word(c: str) -> bool:
    return c.isalnum()


def _cuts(doc: Document, lo: int, hi: int) -> list[int]:
    """Folded offsets in [lo, hi] that do not cut a word.

    Folding loses case, so a lower-case letter glued to a capital in the
    original ("periodBy the closing bell") also counts as a word boundary.
    """
    folded, text = doc.folded, doc.text
    n = len(folded)
    out = []
    for p in range(max(lo, 0), min(hi, n) + 1):
        if 0 < p < n and _is_word(folded[p - 1]) and _is_word(folded[p]):
            o = doc.to_original(p, p + 1)[0]
            if not (o > 0 and text[o - 1].islower() and text[o].isupper()):
                continue
        out.append(p)
    return out


def _widen(folded: str, start: int, end: int) -> tuple[int, int]:
    """Extend a window to the whole words it cuts."""
    while start > 0 and _is_word(folded[start - 1]) and _is_word(folded[start]):
        start -= 1
    while end < len(folded) and _is_word(folded[end - 1]) and _is_word(folded[end]):
        end += 1
    return start, end


def _fuzzy(q: str, doc: Document) -> QuoteMatch | None:
    folded = doc.folded
    if len(q) >= len(folded):
        # Nothing to slide over: the whole text is the only window.
        start, end = 0, len(folded)
    else:
        al = fuzz.partial_ratio_alignment(q, folded, score_cutoff=_ALIGN_CUTOFF)
        if al is None:
            return None
        start, end = int(al.dest_start), int(al.dest_end)
    wide_start, wide_end = _widen(folded, start, end)
    # Try word boundaries near each end of the aligned window and keep the
    # pair whose text is most similar to the quote: a changed or missing
    # word can shift the best whole-word window by a few characters.
    slack = min(max(len(q) // 8, 8), 64)
    n = len(folded)
    starts = [
        p for p in _cuts(doc, min(start, wide_start) - slack, start + slack) if p < n and folded[p] != " "
    ]
    ends = [p for p in _cuts(doc, end - slack, max(end, wide_end) + slack) if p > 0 and folded[p - 1] != " "]
    starts = starts or [wide_start]
    ends = ends or [wide_end]
    best: tuple[float, int, int, int] | None = None
    for s in starts:
        for e in ends:
            if e <= s:
                continue
            score = float(fuzz.ratio(q, folded[s:e]))
            # Ties go to the window closest to the raw alignment.
            key = (score, -(abs(s - start) + abs(e - end)), s, e)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return None
    similarity = best[0] / 100
    if similarity < FOUND_THRESHOLD:
        return None
    return _match(doc, best[2], best[3], similarity, False)
