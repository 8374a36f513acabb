"""Are a fact's arguments mentioned near its evidence? (SPEC §3 step 3).

An entity is mentioned by its name, its name split at ``_`` and CamelCase
(``GreaterChina`` -> "Greater China"), or an alias, as whole words and
case-insensitively. Real text runs sentences together ("and
DeepseekUltimately"), so a lowercase-to-uppercase step also ends a word.
A time argument is mentioned when a time the text states (or that follows
from the source's publication date: "last year") equals or contains it.

:func:`name_pattern` states the rule as one regular expression. Compiling
it costs milliseconds per entity (the ``re`` parser is pure Python), so a
base of 5,000 entities with 30 aliases each spent most of a check compiling
(issue 14). :class:`Mentions` finds the same matches without compiling
anything: names and texts are folded the way ``re.IGNORECASE`` compares
characters, whitespace runs become one space, and ``str.find`` walks the
text as the regex search would. An entity with many names first drops
those that cannot be in the text, in C-level passes, so that 30 absent
aliases cost about what its name does (issue 14).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress
from operator import itemgetter, methodcaller
from typing import Final

from factlang import values as v
from factlang.model import Entity
from factlang.verify.quantities import Quantity

__all__ = ["Mentions", "mentions_entity", "mentions_time", "name_pattern"]


def name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One regex finding any of ``names`` as whole words, case-insensitively.

    The reference statement of the rule: :class:`Mentions` finds the same
    matches in the same order without compiling it.
    """
    alternatives = []
    for name in _by_length(names):
        words = [re.escape(w) for w in re.split(r"\s+", name.strip()) if w]
        if words:
            # Curly and straight apostrophes, any whitespace between words.
            alternatives.append(re.sub(r"['’]", "['’]", r"\s+".join(words)))
    body = "|".join(alternatives) or r"(?!)"
    return re.compile(rf"(?<![\w])(?:{body})(?:(?![\w])|(?<=[a-z])(?=[A-Z]))", re.IGNORECASE)


def _by_length(names: Iterable[str]) -> list[str]:
    # Longest first, as the alternation tries them: "Apple Inc" before "Apple".
    return sorted(names, key=len, reverse=True)


def _run_on_end(text: str, end: int) -> bool:
    """Whether a match ending at ``end`` ends a word (the run-on check after the regex).

    It does when the text ends, a non-letter follows, or a capital follows a
    lower-case letter.
    """
    # Case-insensitive matching cannot see a run-on boundary itself:
    # "DeepseekUltimately" ends the name at the capital U only.
    return not (
        end < len(text) and text[end].isalpha() and not (text[end].isupper() and text[end - 1].islower())
    )


def mentions_entity(entity: Entity, text: str) -> bool:
    """Whether ``text`` mentions ``entity`` by any of its names.

    Folds the entity's names on every call; a run checking many texts
    keeps a :class:`Mentions` instead, which folds them once.
    """
    return Mentions().entity(entity, text)


# -- matching without compiling ------------------------------------------------

# re.IGNORECASE compares characters by their simple lower-case mapping, and
# also equates the few lower-case letters that share an upper case (i and
# dotless ı, s and long ſ, the Greek and Cyrillic variants: the re module's
# re._casefix._EXTRA_CASES). One representative per such class:
_CASE_CLASSES: Final = (
    "\u0069\u0131",
    "\u0073\u017f",
    "\u00b5\u03bc",
    "\u0345\u03b9\u1fbe",
    "\u0390\u1fd3",
    "\u03b0\u1fe3",
    "\u03b2\u03d0",
    "\u03b5\u03f5",
    "\u03b8\u03d1",
    "\u03ba\u03f0",
    "\u03c0\u03d6",
    "\u03c1\u03f1",
    "\u03c2\u03c3",
    "\u03c6\u03d5",
    "\u0432\u1c80",
    "\u0434\u1c81",
    "\u043e\u1c82",
    "\u0441\u1c83",
    "\u0442\u1c84\u1c85",
    "\u044a\u1c86",
    "\u0463\u1c87",
    "\u1c88\ua64b",
    "\u1e61\u1e9b",
    "\ufb05\ufb06",
)
_CANONICAL: Final = {ord(c): cls[0] for cls in _CASE_CLASSES for c in cls[1:]}
# Both apostrophes match either (name_pattern's ['’]).
_CANONICAL[ord("’")] = "'"
_UNCANONICAL: Final = re.compile("[" + re.escape("".join(map(chr, _CANONICAL))) + "]")
_SPACES: Final = re.compile(r"\s+")
_ODD_SPACE: Final = re.compile(r"[^\S ]")
_AROUND_NUL: Final = re.compile(r"\s*\x00\s*")
# The whitespace characters of ASCII other than the space.
_ASCII_SPACES: Final = tuple(c for c in map(chr, range(128)) if c.isspace() and c != " ")
_WORD_CHAR: Final = re.compile(r"\w")
# What [a-z] (and [A-Z]) match under re.IGNORECASE: the run-on boundary's letters.
_CASED_LETTER: Final = re.compile(r"[a-z]", re.IGNORECASE)
# An entity with more names than this (aliases) first drops those that cannot match (_Names).
_FEW_NAMES: Final = 3
# A name's opening characters: the text must hold them for the name to match.
_KEY: Final = itemgetter(slice(0, 8))
_SPACES_IN: Final = methodcaller("count", " ")
_UNDER_TWO: Final = (2).__gt__
# How often an entity of many names is asked about before its long names are
# ruled out by their inner words (_Names).
_ASKED: Final = 3


def _lower(text: str) -> str:
    """Each character's simple lower-case mapping (as re.IGNORECASE uses), same length."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # Only "İ" lowers to two characters (i and a combining dot); re uses the i.
    return "".join(ch.lower()[0] for ch in text)


def _fold(text: str) -> str:
    """``text`` with each character replaced by its re.IGNORECASE class's representative."""
    low = _lower(text)
    # Translating is slow per character; the letters it changes are rare (and none is ASCII).
    if low.isascii() or not _UNCANONICAL.search(low):
        return low
    return low.translate(_CANONICAL)


def _single_spaced(text: str) -> bool:
    """Whether every whitespace run of ``text`` is one space (then collapsing runs changes nothing)."""
    if "  " in text:
        return False
    if text.isascii():
        # A few C-speed scans are cheaper than a regular expression's.
        return not any(c in text for c in _ASCII_SPACES)
    return not _ODD_SPACE.search(text)


def _fold_names(names: list[str]) -> tuple[str, ...]:
    """Names as :func:`name_pattern` matches them: stripped, one space between words, folded.

    An entity's names are spaced and folded in one call each, joined by NUL
    (folding keeps lengths and NUL); empty names are dropped.
    """
    joined = "\x00".join(names)
    if joined.count("\x00") != len(names) - 1:  # a name holds a NUL itself
        spaced = [_fold(_SPACES.sub(" ", n.strip())) for n in names]
    else:
        at_ends = joined.startswith(" ") or joined.endswith(" ") or " \x00" in joined or "\x00 " in joined
        if at_ends or not _single_spaced(joined):
            joined = _SPACES.sub(" ", _AROUND_NUL.sub("\x00", joined).strip())
        spaced = _fold(joined).split("\x00")
    return tuple(filter(None, spaced))


class Mentions:
    """Entity mentions for one run: each entity's names folded once, each text folded once.

    Finds exactly what :func:`name_pattern` plus the run-on check finds:
    the search visits starts left to right, at each start the names longest
    first; a match that ends inside a word is skipped and the search goes on
    after it.

    An entity with many names (aliases) first drops the names that cannot
    match, so that its absent aliases cost next to nothing (issue 14: 5,000
    entities with 30 aliases each): see :class:`_Names`.
    """

    def __init__(self) -> None:
        # By name, the entity kept to tell apart two entities of one name (two bases).
        self._names: dict[str, _Names] = {}
        # The last few texts: a quote's sentence is asked about each of its entities.
        self._texts: dict[str, _Text] = {}

    def names(self, entity: Entity) -> tuple[str, ...]:
        """The entity's folded names, longest (as written) first; empty names dropped."""
        return self._entry(entity).names

    def _entry(self, entity: Entity) -> _Names:
        found = self._names.get(entity.name)
        # An identity test first: hashing or comparing an entity with many aliases is not free.
        if found is None or (found.entity is not entity and found.entity != entity):
            found = self._names[entity.name] = _Names(entity)
        return found

    def _text(self, text: str) -> _Text:
        found = self._texts.get(text)
        if found is None:
            if len(self._texts) >= 16:
                self._texts.clear()
            found = self._texts[text] = _Text(text)
        return found

    def entity(self, entity: Entity, text: str) -> bool:
        """Whether ``text`` mentions ``entity`` by any of its names."""
        entry = self._entry(entity)
        if not entry.names or not text:
            return False
        found = self._text(text)
        spaced, folded = found.spaced, found.folded
        names = entry.candidates(found)
        pos = 0
        while True:
            start, end = -1, -1
            # The leftmost match, and of matches at one start the first name in
            # order (as the alternation tries them). Shortest names first: once
            # one is found, the others are only searched for up to it, and a
            # name visited later comes earlier in order, so it wins a tie.
            for name in reversed(names):
                i = folded.find(name, pos) if start < 0 else folded.find(name, pos, start + len(name))
                if i >= 0:
                    i = _find(name, spaced, folded, i)
                if i >= 0 and (start < 0 or i <= start):
                    start, end = i, i + len(name)
            if start < 0:
                return False
            if _run_on_end(spaced, end):
                return True
            pos = end  # finditer resumes after a match


class _Text:
    """A text as searched: each whitespace run one space, and folded."""

    __slots__ = ("folded", "spaced")

    def __init__(self, text: str) -> None:
        # One space for each whitespace run: "\s+" between a name's words
        # matches it, and a space is no word character, like the run it replaces.
        self.spaced = text if _single_spaced(text) else _SPACES.sub(" ", text)
        self.folded = _fold(self.spaced)


class _Names:
    """One entity's folded names, and for an entity with many, what rules most out at once.

    A name is kept only if the text holds its first characters (:data:`_KEY`),
    tested in one C-level pass over the names: testing for a short key costs
    a third of searching for the whole name, in a loop that costs no Python.

    A name of three words or more can only match where the text holds each
    word between its first and last as a whole space-delimited word (a space
    on either side). So when a text holds none of the inner words of the
    entity's long names, only its short names (one or two words) are
    searched for: one set test instead of a test per alias. Making the set
    costs about two questions' worth, so it is made once the entity has been
    asked about :data:`_ASKED` times.

    A name dropped either way could not have matched: the result is the same.
    """

    __slots__ = ("_inner", "_keys", "_short", "asked", "entity", "names")

    def __init__(self, entity: Entity) -> None:
        self.entity = entity
        self.names = _fold_names(_by_length(entity.names))
        self.asked = 0 if len(self.names) > _FEW_NAMES else -1  # -1: never filtered
        # Every inner word of the long names, and the pieces that join two names: they
        # hold a NUL, which a text's word hardly ever does (and then only costs speed).
        self._inner: set[str] | None = None
        self._short: tuple[str, ...] | None = None
        self._keys: tuple[str, ...] | None = None

    def candidates(self, text: _Text) -> tuple[str, ...]:
        """The names that may match in ``text``, in order."""
        if self.asked < 0:
            return self.names
        if self.asked <= _ASKED:
            self.asked += 1
        if self.asked > _ASKED:
            if self._inner is None:
                self._inner = set("\x00".join(self.names).split(" ")[1:-1])
            # The text's space-delimited words, each looked up (no set of them is made).
            if self._inner.isdisjoint(text.folded.split(" ")):
                if self._short is None:
                    self._short = tuple(compress(self.names, map(_UNDER_TWO, map(_SPACES_IN, self.names))))
                return self._short
        if self._keys is None:
            self._keys = tuple(map(_KEY, self.names))
        return tuple(compress(self.names, map(text.folded.__contains__, self._keys)))


def _find(name: str, spaced: str, folded: str, pos: int) -> int:
    """The first start from ``pos`` where ``name`` matches as name_pattern would, or -1."""
    i = folded.find(name, pos)
    while i >= 0:
        end = i + len(name)
        lead = i == 0 or not _WORD_CHAR.match(spaced, i - 1)
        trail = (
            end == len(spaced)
            or not _WORD_CHAR.match(spaced, end)
            or bool(_CASED_LETTER.match(spaced, end - 1) and _CASED_LETTER.match(spaced, end))
        )
        if lead and trail:
            return i
        i = folded.find(name, i + 1)
    return -1


def mentions_time(value: v.Value, stated: Iterable[Quantity]) -> bool:
    """Whether a stated time equals, contains or lies within the time ``value``."""
    mine = v.time_period(value)
    if mine is None:
        return False
    first, last = mine
    for q in stated:
        theirs = v.time_period(q.value)
        if theirs is not None and (
            (theirs[0] <= first and last <= theirs[1]) or (first <= theirs[0] and theirs[1] <= last)
        ):
            return True
    return False
