"""Find a quote in a source document (SPEC §3 step 1).

Both sides are folded (:func:`factlang.verify.text.fold`). An exact match of the
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

from factlang.verify.text import Document, fold

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
    if not q or not doc.folded:
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
