"""Find a quote in a source document (SPEC §3 step 1).

Both sides are folded (:func:`factlang.text.fold`). An exact match of the
folded quote gives the span in the original text. Otherwise a fuzzy
alignment finds the most similar window; snapped to whole words and scored
again, it counts as found *with drift* when its similarity is at least
:data:`FOUND_THRESHOLD`.
"""

from __future__ import annotations

import re
from typing import Final

import attrs
from rapidfuzz import fuzz, process

from factlang.text import Document, fold

__all__ = ["FOUND_THRESHOLD", "QuoteMatch", "locate"]

#: Least similarity (0 to 1) at which a quote that is not in the source
#: word for word still counts as found, with drift.
FOUND_THRESHOLD: Final[float] = 0.90

# The raw alignment window has the quote's length, so when the source says
# a word more ("the World Government Summit in Dubai" quoted without
# "Summit") it scores well under the resized whole-word window; the first
# pass lets such windows through and the final score decides.
_ALIGN_CUTOFF: Final[float] = (FOUND_THRESHOLD - 0.15) * 100
# A lower-case letter directly followed by a capital: two words run together.
_GLUED: Final = re.compile(r"[a-z][A-Z]")


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


def _cuts(doc: Document, lo: int, hi: int) -> list[int]:
    """Folded offsets in [lo, hi] that do not cut a word.

    Folding loses case, so a lower-case letter glued to a capital in the
    original ("periodBy the closing bell") also counts as a word boundary.
    """
    folded, text = doc.folded, doc.text
    n = len(folded)
    lo, hi = max(lo, 0), min(hi, n)
    if lo > hi:
        return []
    olo, ohi = doc.to_original(lo, hi)
    # Mapping each offset back is the slow part; most windows have no glued words.
    glued = _GLUED.search(text, max(olo - 1, 0), ohi) is not None
    out = []
    for p in range(lo, hi + 1):
        if 0 < p < n and folded[p - 1].isalnum() and folded[p].isalnum():
            if not glued:
                continue
            o = doc.to_original(p, p + 1)[0]
            if not (o > 0 and _GLUED.match(text, o - 1)):
                continue
        out.append(p)
    return out


def _word(c: str) -> bool:
    return c.isalnum()


def _widen(folded: str, start: int, end: int) -> tuple[int, int]:
    """Extend a window to the whole words it cuts."""
    while start > 0 and _word(folded[start - 1]) and _word(folded[start]):
        start -= 1
    while end < len(folded) and _word(folded[end - 1]) and _word(folded[end]):
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
    # word can shift the best whole-word window by a few characters, and at
    # the edge of the text the raw window can be shorter than the quote.
    lq = len(q)
    slack = min(max(lq // 4, 12), 96)
    reach = slack + max(lq - (end - start), 0)
    n = len(folded)
    starts = [
        p for p in _cuts(doc, min(start, wide_start) - reach, start + slack) if p < n and folded[p] != " "
    ]
    ends = [p for p in _cuts(doc, end - slack, max(end, wide_end) + reach) if p > 0 and folded[p - 1] != " "]
    starts = starts or [wide_start]
    ends = ends or [wide_end]
    # A window under 0.8 or over 1.25 times the quote's length cannot score
    # 0.9. Closest to the raw alignment first: extractOne keeps the first of equals.
    shortest, longest = int(lq * 0.8), int(lq * 1.25) + 1
    pairs = sorted(
        ((s, e) for s in starts for e in ends if shortest <= e - s <= longest),
        key=lambda se: abs(se[0] - start) + abs(se[1] - end),
    )
    if not pairs:
        return None
    best = process.extractOne(
        q, [folded[s:e] for s, e in pairs], scorer=fuzz.ratio, score_cutoff=FOUND_THRESHOLD * 100
    )
    if best is None:
        return None
    return _match(doc, *pairs[int(best[2])], float(best[1]) / 100, False)
