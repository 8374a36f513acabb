"""Source text: normalisation for matching, an exact offset map, and sentences.

A quote and a source are compared after *folding* both (SPEC §3.1): Unicode
NFKC, curly quotes and apostrophes to straight ones, dashes to ``-``, runs of
whitespace to one space, lower case, stripped. The verifier matches in the
folded text and reports spans in the original, so :class:`Document` keeps a
map from every folded character back to the original characters it came
from.

Folding is written to be nearly as cheap as the bare normalisation: on the
common path (text already NFKC, no character whose lower case is longer) it
is one ``str.lower``, one ``str.translate`` and one whitespace collapse, and
the offset map is an identity plus a short list of collapsed whitespace runs.
Only texts with characters that NFKC changes (ligatures, full-width forms,
compatibility characters), with ``İ``, or with invisible characters that are
dropped take a slower path, and that path works per odd character, not per
character of the text.

Sentences are split on the original text; see :func:`split_sentences`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from functools import cached_property
from itertools import pairwise
from typing import Final

__all__ = ["Document", "WordBlocks", "fold", "split_sentences"]


# --------------------------------------------------------------------------
# Folding
# --------------------------------------------------------------------------


_UNICODE_SPACES: Final = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for ch in "‘’‚‛′‵‹›`´ʼʻ＇❛❜":
        table[ord(ch)] = "'"
    for ch in "“”„‟″‶«»〝〞〟＂❝❞⹂":
        table[ord(ch)] = '"'
    for ch in "‐‑‒–—―−⁃﹘﹣－⸺⸻":
        table[ord(ch)] = "-"
    # Whitespace beyond ASCII (NBSP, thin and ideographic spaces, line
    # separators) becomes a plain space here, not in NFKC, so that text with
    # NBSP stays on the common path. The list is every non-ASCII character
    # for which str.isspace() is true (a test checks it).
    for ch in _UNICODE_SPACES:
        table[ord(ch)] = " "
    # Invisible characters that split words in scraped text: dropped.
    for ch in "\u00ad\u200b\u2060\ufeff":
        table[ord(ch)] = None
    # Final sigma depends on context in str.lower(); one form keeps a quote
    # and the text around it folding alike.
    table[ord("ς")] = "σ"
    return table


_TABLE: Final[dict[int, str | None]] = _build_table()
# The non-ASCII part of the table, for the common path: replacing the few odd
# characters a text has is ~10x faster than str.translate over all of it.
# ASCII whitespace needs no mapping there: the collapse step handles it.
_ODD: Final[dict[str, str]] = {chr(k): v or "" for k, v in _TABLE.items() if k >= 0x80}
_ODD_CHARS: Final = re.compile("[" + "".join(sorted(_ODD)) + "]")
_NON_ASCII_RUN: Final = re.compile(r"[^\x00-\x7f]+")
_SPACE_RUN: Final = re.compile(r"\s{2,}")


def _simple(s: str) -> str:
    """Lower-case and translate a short piece of text."""
    return s.lower().translate(_TABLE)


def _fold_unit(s: str) -> str:
    """Fold a short piece of odd text to a fixed point of the fold steps.

    Translating before NFKC keeps "″" a double quote (NFKC would make it two
    primes) and agrees with the common path; repeating until nothing changes
    makes :func:`fold` idempotent even for characters whose NFKC form is
    upper case (full-width letters, Roman numerals) or whose lower case is
    not NFKC.
    """
    for _ in range(8):
        r = _simple(unicodedata.normalize("NFKC", _simple(s)))
        if r == s:
            break
        s = r
    return s


_CHAR_CACHE: dict[str, str] = {}


def _fold_char(c: str) -> str:
    r = _CHAR_CACHE.get(c)
    if r is None:
        r = _CHAR_CACHE[c] = _fold_unit(c)
    return r


def _units(chunk: str) -> list[tuple[int, int, str]]:
    """Split a run of odd text into (start, end, folded) units.

    Per character where folding each character alone gives the same result
    as folding the run (almost always); else per base character with its
    combining marks; else the run is one unit (e.g. Hangul jamo that compose).
    """
    whole = _fold_unit(chunk)
    n = len(chunk)
    if n == 1:
        return [(0, 1, whole)]
    outs = [_fold_char(c) for c in chunk]
    if "".join(outs) == whole:
        return [(i, i + 1, o) for i, o in enumerate(outs)]
    cuts = [i for i in range(n) if i == 0 or not unicodedata.combining(chunk[i])]
    cuts.append(n)
    clusters = [(a, b, _fold_unit(chunk[a:b])) for a, b in pairwise(cuts)]
    if "".join(c[2] for c in clusters) == whole:
        return clusters
    return [(0, n, whole)]


class _Segments:
    """Map from stage-one folded offsets (before whitespace collapse) to the original.

    Each segment starts at an output offset; an *identity* segment maps
    output character k to original character ``orig_start + k``; any other
    segment is one unit whose every output character maps to the unit's
    whole original span.
    """

    __slots__ = ("ident", "orig_end", "orig_start", "out_start", "total")

    def __init__(self) -> None:
        self.out_start: list[int] = []
        self.orig_start: list[int] = []
        self.orig_end: list[int] = []
        self.ident: list[bool] = []
        self.total = 0

    def add(self, orig_start: int, orig_end: int, out_len: int, ident: bool) -> None:
        if out_len == 0:
            return
        if (
            ident
            and self.ident
            and self.ident[-1]
            and self.orig_end[-1] == orig_start
            and self.out_start[-1] + (self.orig_end[-1] - self.orig_start[-1]) == self.total
        ):
            self.orig_end[-1] = orig_end
        else:
            self.out_start.append(self.total)
            self.orig_start.append(orig_start)
            self.orig_end.append(orig_end)
            self.ident.append(ident)
        self.total += out_len

    def span(self, q: int) -> tuple[int, int]:
        k = bisect_right(self.out_start, q) - 1
        if self.ident[k]:
            o = self.orig_start[k] + q - self.out_start[k]
            return o, o + 1
        return self.orig_start[k], self.orig_end[k]

    def unit_bounds(self, q: int) -> tuple[int, int]:
        """Output span of the unit that output character ``q`` belongs to."""
        k = bisect_right(self.out_start, q) - 1
        if self.ident[k]:
            return q, q + 1
        nxt = self.out_start[k + 1] if k + 1 < len(self.out_start) else self.total
        return self.out_start[k], nxt


def _fold_slow(text: str) -> tuple[str, _Segments]:
    """Fold with a segment map; ASCII stretches stay identity segments."""
    pieces: list[str] = []
    segs = _Segments()
    pos = 0
    for m in _NON_ASCII_RUN.finditer(text):
        a, b = m.span()
        # A run that starts with a combining mark may compose with the ASCII
        # character before it ("<" + U+0338 is "≮"), so take that along.
        if a > pos and unicodedata.combining(text[a]):
            a -= 1
        if a > pos:
            pieces.append(text[pos:a].lower())
            segs.add(pos, a, a - pos, True)
        for ua, ub, out in _units(text[a:b]):
            pieces.append(out)
            segs.add(a + ua, a + ub, len(out), ub - ua == 1 and len(out) == 1)
        pos = b
    if pos < len(text):
        pieces.append(text[pos:].lower())
        segs.add(pos, len(text), len(text) - pos, True)
    return "".join(pieces), segs


def _stage_one(text: str) -> tuple[str, _Segments | None]:
    """Everything but the whitespace collapse; ``None`` map means identity.

    The common path: lower-case, replace the odd characters present, and
    keep the result when nothing changed length and it is already NFKC.
    """
    t = text.lower()
    if len(t) == len(text):
        for c in set(_ODD_CHARS.findall(t)):
            t = t.replace(c, _ODD[c])
        if len(t) == len(text) and unicodedata.is_normalized("NFKC", t):
            return t, None
    return _fold_slow(text)


def _collapse(t: str) -> str:
    # str.split() splits on the same whitespace as the offset map's \s and
    # is faster than a regex substitution.
    return " ".join(t.split())


_ASCII_SPACES: Final = str.maketrans(dict.fromkeys("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f", " "))


def _space_runs(t: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the runs of two or more whitespace characters in ``t[start:end]``."""
    if not t.isascii():
        return [m.span() for m in _SPACE_RUN.finditer(t, start, end)]
    # Folded English text is usually all ASCII by now; then a fast translate
    # and str.find beat the regex by 4x (it stops at every single space).
    s = t.translate(_ASCII_SPACES)
    runs = []
    i = s.find("  ", start, end)
    while i >= 0:
        j = i + 2
        while j < end and s[j] == " ":
            j += 1
        runs.append((i, j))
        i = s.find("  ", j, end)
    return runs


def fold(text: str) -> str:
    """Normalise text for matching (the same folding :class:`Document` applies).

    NFKC, curly quotes and apostrophes to ``'`` and ``"``, every dash to
    ``-``, whitespace runs to one space, lower case, stripped; soft hyphens,
    zero-width spaces, word joiners and byte-order marks are dropped.
    ``fold(fold(s)) == fold(s)``.
    """
    return _collapse(_stage_one(text)[0])


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------

# Line breaks, trimming and run-together sentences are found in a *class
# string*: one byte per character of the text (a: lower-case letter,
# A: capital, 0: digit, % or closing bracket, space, newline, -: anything
# else), so that each scan is a C-speed search rather than a regex that
# stops at every character. Latin-1 maps through a byte table; the common
# characters beyond it are replaced first (cheap), the rest by a codec
# error handler (called once per run of such characters).
_CLASS_PRE: Final = ("’", "‘", "“", "”", "—", "–", "…")
_CLASS_BEYOND: Final[dict[str, str]] = {**dict.fromkeys(_UNICODE_SPACES, " "), "\u2028": "\n", "\u2029": "\n"}


def _class_error(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeEncodeError)
    run = err.object[err.start : err.end]
    return "".join(_CLASS_BEYOND.get(c, "\x00") for c in run), err.end


codecs.register_error("factlang-sentence-class", _class_error)


def _class_table() -> bytes:
    table = bytearray(b"-" * 256)
    for chars, cls in [
        (range(0x61, 0x7B), "a"),
        ((c for c in range(0xDF, 0x100) if c != 0xF7), "a"),  # ß-ÿ but ÷
        (range(0x41, 0x5B), "A"),
        ((c for c in range(0xC0, 0xDF) if c != 0xD7), "A"),  # À-Þ but ×
        (b"0123456789%)]\xbb", "0"),
        (b" \t\x1f\xa0", " "),
        (b"\n\r\x0b\x0c\x1c\x1d\x1e\x85", "\n"),  # where str.splitlines() splits
    ]:
        for c in chars:
            table[c] = ord(cls)
    return bytes(table)


_CLASS_TABLE: Final = _class_table()


def _classes(text: str) -> bytes:
    for c in _CLASS_PRE:
        text = text.replace(c, "-")
    return text.encode("latin-1", "factlang-sentence-class").translate(_CLASS_TABLE)


_C_SPACE: Final = frozenset(b" \n")
_C_LETTER: Final = frozenset(b"aA")
_C_LOWER: Final = ord("a")
_LINE_BREAK: Final = re.compile(rb"\n[\n ]*")
_CAP_WORD: Final = re.compile(rb"Aa*")
# A lower-case letter, digit, % or closing bracket glued to a capital; one
# more translation lets one literal search find them all.
_GLUE_TABLE: Final = bytes.maketrans(b"a0", b"xx")


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


#: Words before a full stop that do not end a sentence (lower case, with the dot).
ABBREVIATIONS: Final = _words(
    """
    mr. mrs. ms. dr. prof. st. jr. sr. rev. gen. gov. sen. rep. pres. lt. col. capt. sgt. hon. mt. ft.
    inc. ltd. corp. co. plc. llc. bros. dept. univ. assn. est. approx. vs. etc. al. cf. fig. vol.
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
    """
)
#: Abbreviations that do not end a sentence when a number follows ("No. 5").
NUMBER_ABBREVIATIONS: Final = frozenset({"no.", "nos.", "nr.", "pp."})

#: Capitalised words that commonly open an English sentence; one glued to the
#: end of the previous word ("DecemberHowever", "TikTokThe") starts a sentence.
SENTENCE_OPENERS: Final = _words(
    """
    The This That These Those There Their They Then Thus Therefore Today Yesterday
    However Yet But And Also Still Moreover Furthermore Meanwhile Instead Indeed Besides Otherwise
    Conversely Ultimately Initially Finally Additionally Nevertheless Nonetheless Overall Currently
    Previously Earlier Later Recently Since After Before During When While Although Though Despite
    Because According Analysts Investors Its It He She We You Our His By As At In On For From With
    Without Under Among Unlike Like Such Some Many Most Both Each Other Another Last Separately
    """
)
_OPENER_HEADS: Final = frozenset(w[:2] for w in SENTENCE_OPENERS)
# Whole words that look run together but are names; never split inside them.
_CAMEL_NAMES: Final = frozenset({"linkedin", "shein"})


def _stop_pattern() -> re.Pattern[str]:
    """A full stop that ends a sentence, closing quotes or brackets after it, and the space.

    Run on the text with ``!``, ``?`` and ``…`` made full stops. It starts
    with a literal so the regex engine searches fast, and it rejects
    abbreviations with one fixed-width lookbehind per abbreviation length
    (all in C, no Python per full stop).
    """
    # Bounded runs: an unbounded "\.*" in the lookahead rescans a run of dots
    # from every dot in it (quadratic on "....").
    closers = "[\"'”’»)\\]]{0,4}"
    space = r"\s+"  # a line break inside a sentence is a space (SPEC §3)
    # A capital, digit or opening quote next; beyond Latin-1 the caller checks.
    opening = "[\"'“‘«(\\[A-Z0-9À-ÖØ-Þ\u0100-\U0010ffff]"
    not_after = "".join(f"(?<!{b})" for b in _lookbehinds(ABBREVIATIONS))
    number = "|".join(f"(?<={b})" for b in _lookbehinds(NUMBER_ABBREVIATIONS))
    return re.compile(
        r"\.(?=\.{0,8}" + closers + space + opening + ")"
        "(?i:" + not_after + r"(?<!\b[a-z]\.)"  # an initial, or the end of "U.S.", "e.g."
        "(?!(?:" + number + r")\s+\d))"
        r"\.{0,8}" + closers + "(" + space + ")"
    )


def _lookbehinds(words: frozenset[str]) -> list[str]:
    """Fixed-width patterns for whole words ending in ".", one per word length."""
    by_length: dict[int, list[str]] = {}
    for word in words:
        by_length.setdefault(len(word), []).append(re.escape(word[:-1]))
    return [r"\b(?:" + "|".join(sorted(ws)) + r")\." for _, ws in sorted(by_length.items())]


_STOP: Final = _stop_pattern()


def _stop_cuts(text: str) -> list[tuple[int, int]]:
    """Breaks after . ! ? … (and closing quotes) before a capital, digit or opening quote."""
    flat = text.replace("!", ".").replace("?", ".").replace("…", ".")
    cuts = []
    for m in _STOP.finditer(flat):
        nxt = m.end()
        c = text[nxt]
        if c > "\xff" and not (c.isupper() or c.isdigit() or c in "“‘"):
            continue
        cuts.append((m.start(1), nxt))
    return cuts


# Longest run of letters looked at around a glued capital: longer is no word.
_WORD_REACH: Final = 40
_LETTERS_AS_A: Final = bytes.maketrans(b"A", b"a")
_LONG_NEEDLE: Final = b"a" * (_WORD_REACH + 1)
_LETTER_RUN: Final = re.compile(rb"a+")


def _long_runs(cls: bytes) -> list[tuple[int, int]]:
    """Spans of the runs of letters longer than any word, found by a C-speed substring search."""
    flat = cls.translate(_LETTERS_AS_A)
    runs = []
    i = flat.find(_LONG_NEEDLE)
    while i >= 0:
        m = _LETTER_RUN.match(flat, i)
        assert m is not None
        start = i
        while start > 0 and flat[start - 1] == _C_LOWER:
            start -= 1
        runs.append((start, m.end()))
        i = flat.find(_LONG_NEEDLE, m.end())
    return runs


def _glue_cuts(text: str, cls: bytes) -> list[tuple[int, int]]:
    """Breaks where a sentence runs into the next without a full stop ("usersThis")."""
    cuts = []
    n = len(cls)
    glue = cls.translate(_GLUE_TABLE)
    # A run of letters longer than any word ("aAaA...", "usersTheusersThe...") is
    # no sentence boundary: skip it whole, in C, instead of testing every capital.
    long_runs = _long_runs(cls)
    k = 0
    i = glue.find(b"xA")
    while i >= 0:
        p = i + 1
        while k < len(long_runs) and long_runs[k][1] <= p:
            k += 1
        if k < len(long_runs) and long_runs[k][0] <= p:
            i = glue.find(b"xA", long_runs[k][1])
            continue
        i = glue.find(b"xA", p)
        # Cheap tests first: most candidates are names such as "iPhone".
        if text[p : p + 2] not in _OPENER_HEADS and not (
            p >= 3 and cls[p - 2] in _C_LETTER and cls[p - 3] in _C_LETTER and cls[p + 1 : p + 2] == b"a"
        ):
            continue
        w = _CAP_WORD.match(cls, p, min(n, p + _WORD_REACH))
        assert w is not None  # cls[p] is a capital
        right = text[p : w.end()]
        opener = right in SENTENCE_OPENERS and (w.end() >= n or cls[w.end()] not in _C_LETTER)
        # Walks are bounded: a run of letters longer than any word ("aAaA...")
        # would otherwise be walked again from every capital in it.
        ws = p
        floor = max(0, p - _WORD_REACH)
        while ws > floor and cls[ws - 1] in _C_LETTER:
            ws -= 1
        # "usersThis", "marketAlibaba": a lower-case word of 3+ letters glued
        # to a capitalised one; "iPhone" (1 letter) and "macOS" (all caps) are not.
        glued = p - ws >= 3 and cls[ws] == _C_LOWER and len(right) >= 2
        if not (opener or glued):
            continue
        we = w.end()
        ceiling = min(n, we + _WORD_REACH)
        while we < ceiling and cls[we] in _C_LETTER:
            we += 1
        if text[ws:we].lower() not in _CAMEL_NAMES:
            cuts.append((p, p))
    return cuts


# A line that opens a list item or a Markdown heading starts a sentence.
_BLOCK_START: Final = re.compile(r"[-*•+‣▪–—](?=\s)|[0-9]{1,3}[.)](?=\s)|#{1,6}(?=\s)|>")
_PARAGRAPH_BREAKS: Final = frozenset("\u2029\x0c")


def _ends_block(text: str, cls: bytes, m: re.Match[bytes], paragraphs: bool) -> bool:
    """Whether a run of line breaks ends a sentence, rather than standing for a space.

    A blank line (two line breaks, or a paragraph separator) ends a paragraph;
    a single line break inside a sentence is a space (hard-wrapped text), except
    before a list item or heading and after a heading line.
    """
    start, end = m.span()
    if end - start > 1 and cls.count(b"\n", start, end) >= 2:
        return True
    if paragraphs and any(text[i] in _PARAGRAPH_BREAKS for i in range(start, end)):
        return True
    if end >= len(text) or _BLOCK_START.match(text, end):
        return True
    line = text.rfind("\n", 0, start) + 1
    return text.startswith("#", line)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentence spans ``(start, end)``, in order, without surrounding whitespace.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes)
    followed by whitespace and a capital, a digit or an opening quote, except
    after an abbreviation (``U.S.``, ``Inc.``, ``Dr.``...), an initial or a
    dotted acronym; a blank line ends a paragraph (headlines stand alone);
    a single line break is a space, as a person reads hard-wrapped text,
    except before a list item or a Markdown heading; and sentences run together without a full stop are split
    where a lower-case letter meets a capital, when the capitalised word is
    a common sentence opener ("DecemberHowever") or the word before it starts
    lower case and has at least three letters ("usersThis"). Names written
    in CamelCase ("iPhone", "ByteDance", "OpenAI") stay whole.
    """
    if not text:
        return []
    cls = _classes(text)
    paragraphs = "\u2029" in text or "\x0c" in text
    cuts = [m.span() for m in _LINE_BREAK.finditer(cls) if _ends_block(text, cls, m, paragraphs)]
    cuts += _stop_cuts(text)
    cuts += _glue_cuts(text, cls)
    cuts.sort()
    cuts.append((len(text), len(text)))
    spans = []
    cur = 0
    for prev_end, nxt in cuts:
        if prev_end < cur:
            continue
        a, b = cur, prev_end
        while a < b and cls[a] in _C_SPACE:
            a += 1
        while b > a and cls[b - 1] in _C_SPACE:
            b -= 1
        if a < b:
            spans.append((a, b))
        cur = nxt
    return spans


# --------------------------------------------------------------------------
# Document
# --------------------------------------------------------------------------


class WordBlocks:
    """An index of a long folded text: its blocks, and the words each block holds.

    The text is cut at spaces into blocks of about :attr:`size` characters,
    and each block keeps the set of its space-separated words. Building it is
    C-speed work (``str.split`` and ``set``), about as costly as folding;
    then which blocks may hold a word is a few hundred set lookups, and a
    search runs in those blocks only, so finding a quote in a 20 MB text
    costs about what it costs in one block.
    """

    #: Characters per block (tests make it small).
    size: int = 1 << 17

    def __init__(self, folded: str) -> None:
        self.text = folded
        cuts = [0]
        n = len(folded)
        while cuts[-1] < n:
            # Cut at a space, so that no word straddles two blocks.
            cut = folded.find(" ", cuts[-1] + self.size)
            cuts.append(n if cut < 0 else cut)
        self.spans: list[tuple[int, int]] = list(pairwise(cuts))
        self.words: list[frozenset[str]] = [frozenset(folded[a:b].split()) for a, b in self.spans]

    def holding(self, word: str) -> list[int]:
        """Indices of the blocks that hold ``word`` as a whole space-separated word."""
        return [i for i, words in enumerate(self.words) if word in words]


class Document:
    """A source text, read once, with lazily computed, cached views.

    ``folded`` is the text as :func:`fold` normalises it;
    :meth:`to_original` maps a span of it back to the exact original
    characters; ``sentences`` are the original text's sentence spans.
    """

    def __init__(self, text: str) -> None:
        self.text: str = text

    @cached_property
    def _stage(self) -> tuple[str, _Segments | None]:
        return _stage_one(self.text)

    @cached_property
    def folded(self) -> str:
        """The normalised text that quotes are matched against."""
        return _collapse(self._stage[0])

    @cached_property
    def _spaces(self) -> tuple[list[int], list[int]]:
        """Where whitespace was collapsed: folded offsets and the shift from there on."""
        t = self._stage[0]
        lead = len(t) - len(t.lstrip())
        stop = len(t.rstrip())
        points = [0]
        shifts = [lead]
        shift = lead
        for a, b in _space_runs(t, lead, stop):
            # The run's first character stays (as " "); the rest are gone.
            points.append(a - shift + 1)
            shift += b - a - 1
            shifts.append(shift)
        return points, shifts

    def _stage_offset(self, f: int) -> int:
        points, shifts = self._spaces
        return f + shifts[bisect_right(points, f) - 1]

    def _char_span(self, f: int) -> tuple[int, int]:
        """Original span of folded character ``f``."""
        q = self._stage_offset(f)
        segs = self._stage[1]
        return (q, q + 1) if segs is None else segs.span(q)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``folded`` to the span of the original text it came from.

        The result covers every original character that a folded character
        of the span came from (all of "ﬁ" for either of its "f", "i");
        collapsed whitespace inside the span is included, whitespace around
        it is not. An empty span maps to an empty span at the matching place.
        """
        n = len(self.folded)
        if not 0 <= start <= end <= n:
            raise ValueError(f"span ({start}, {end}) is outside the folded text (length {n})")
        if n == 0:
            return 0, 0
        if start == end:
            p = self._char_span(start)[0] if start < n else self._char_span(n - 1)[1]
            return p, p
        return self._char_span(start)[0], self._char_span(end - 1)[1]

    def maps_exactly(self, start: int, end: int) -> bool:
        """Whether a folded span cuts no folded character sequence that one original character became.

        False, for example, for a span that starts at the "i" of the "fi"
        that the ligature "ﬁ" folds to: the span maps back to the whole
        ligature, whose fold is not the span's text.
        """
        segs = self._stage[1]
        if segs is None or start >= end:
            return True
        q0 = self._stage_offset(start)
        q1 = self._stage_offset(end - 1)
        return segs.unit_bounds(q0)[0] == q0 and segs.unit_bounds(q1)[1] == q1 + 1

    @cached_property
    def blocks(self) -> WordBlocks:
        """The folded text's :class:`WordBlocks` (built on first use; worth it for long texts only)."""
        return WordBlocks(self.folded)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Original-text spans of the sentences, in order (see :func:`split_sentences`)."""
        return split_sentences(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_at(self, offset: int) -> int:
        """Index in ``sentences`` of the sentence containing an original offset.

        An offset between sentences belongs to the sentence before it (one
        before the first sentence to the first). Raises ``ValueError`` when
        the text has no sentences.
        """
        if not self.sentences:
            raise ValueError("the document has no sentences")
        return max(bisect_right(self._sentence_starts, offset) - 1, 0)

    def window(self, start: int, end: int, radius: int = 1) -> tuple[int, int]:
        """Original span covering the sentences of ``[start, end)`` and ``radius`` sentences each side."""
        if radius < 0:
            raise ValueError("radius must not be negative")
        if not self.sentences:
            return start, end
        sents = self.sentences
        first = max(self.sentence_at(start) - radius, 0)
        last = min(self.sentence_at(max(start, end - 1)) + radius, len(sents) - 1)
        return min(start, sents[first][0]), max(end, sents[last][1])

    def __repr__(self) -> str:
        head = self.text[:40] + ("…" if len(self.text) > 40 else "")
        return f"Document({head!r}, {len(self.text)} chars)"
