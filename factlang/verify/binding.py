"""Which number is the fact's: what it counts, whose it is, of when (SPEC §3 step 2).

Each rule sets aside numbers the text gives to something else; each looks
only at a bounded stretch of text around the numbers, so a hostile
sentence costs no more than a short one per number.

**Counts.** "32 points, 10 rebounds and eight assists".

A count names what it counts with the noun right after it. When the fact's
predicate's name names that noun (``nba_assists``), a number that counts
something else cannot state the value: 10 counts rebounds, so it neither
supports nor refutes ``nba_assists(Maxey) = 10``, and "eight assists"
refutes it. Only a number followed by another noun is set aside: one with
no noun after it ("Liverpool have 30 and Chelsea 28") may have its noun
left out, and one whose noun is the next number's ("48 of the 150 seats",
"seven out of nine members") shares it. When no number counts a noun the
name gives, every number is compared, as before.

**Respective lists.** "London and Northern Ireland ... increasing by 4.4%
and 14.6% respectively": the names and the numbers are two lists in one
order, so Northern Ireland's number is the second, and the first is
London's. When the fact's entity is one of a list of names as long as the
list of numbers before "respectively", the other numbers of that list are
set aside; when the lists cannot be told apart, nothing is.

**Labelled lists.** "the Christian-Democratic Party – 7.9%; the Labor Party
– 6.7%": a name, a dash or colon, and its number. When the fact's entity
is labelled so, its number is the only one of the labelled numbers it can
take.

**Comparisons.** "emerging markets soared 8.1 percent, compared with a 5.2
percent rise in mature markets": the numbers after "compared with" belong
to what the comparison names. A fact about mature markets cannot take the
numbers before it; a fact about emerging markets cannot take those after
it when the comparison names another entity of its kind (a comparison with
another time, "compared with 11.8% a year earlier", is left as it is: a
fact about that time may cite it).

**Pairs.** "a 3.1 percent increase in violent crimes and a 3.4 percent
decrease in property crimes", "robbery (27.3 percent) and rape (7.5
percent)": a number followed by "in"/"of"/"for" and a name, or bracketed
after a name, is that name's. When one number is the fact's entity's so,
the numbers of the other entities of its kind are set aside.

**Times.** "declined from 17 in 2015 to 13 in 2023": a number followed by
"in" and a time is that time's. When one of the numbers is of the fact's
time, the numbers of other times are set aside (17 is not 2023's).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Sequence
from typing import Final

from factlang.values import time_period
from factlang.verify.quantities import Quantity
from factlang.verify.vocabulary import word_set

__all__ = [
    "compared",
    "counted",
    "counted_noun",
    "labelled",
    "paired",
    "predicate_nouns",
    "respective",
    "timed",
]

_OUT_OF: Final = re.compile(r"\b(?:out\s+of|of\s+(?:the\s+)?(?:total\s+)?)\s*$", re.IGNORECASE)
_WORD: Final = re.compile(r"[ \t\r\n\u00a0]+([A-Za-z][A-Za-z'’]*)")
# Between a number and the next one that carries the noun for both.
_SHARED: Final = frozenset({"of", "and", "or", "to", "out"})
_DETERMINERS: Final = frozenset({"the", "its", "their", "his", "her", "our", "a", "an", "all", "of", "total"})
# Words after a number that are not what it counts: it may count a noun left out.
_NOT_NOUNS: Final = word_set(
    "in on at by for from with per than as into over under since until during after before "
    "while when where which who that this these those is are was were be been has have had "
    "will would could should may might can said says also more less fewer each apiece a an "
    "the its their his her our percent per cent times year years"
)
# Words of a predicate's name that are not what it counts.
_GENERIC: Final = word_set(
    "the and for with from number count total amount share rate value level new per "
    # times a predicate is of, not what it counts ("export_volume_month": "four months" is no volume)
    "day days week weeks month months quarter quarters year years annual monthly quarterly yearly ytd"
)


def _singular(word: str) -> str:
    w = word.lower().rstrip("'’")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def predicate_nouns(name: str) -> frozenset[str]:
    """The words a predicate's name may count, singular (``nba_assists``: assist)."""
    return frozenset(_singular(w) for w in name.split("_") if len(w) >= 3 and w.lower() not in _GENERIC)


def counted_noun(text: str, q: Quantity, others: Sequence[Quantity]) -> str | None:
    """The noun the number ``q`` counts in ``text`` (singular), or None when none follows it."""
    if _OUT_OF.search(text, max(0, q.start - 12), q.start):
        return None  # "50 seats out of 75 available": the whole, of the same noun
    for _ in range(3):  # "48 of the 150 seats": at most a couple of hops
        after = _WORD.match(text, q.end)
        if after is None:
            return None
        word = after.group(1).lower()
        if word not in _SHARED:
            return None if word in _NOT_NOUNS else _singular(word)
        # The next number, a few words on, may carry the noun for this one too.
        gap = after.end()
        while (nxt := _WORD.match(text, gap)) is not None and nxt.group(1).lower() in _DETERMINERS:
            gap = nxt.end()
        following = next((o for o in others if gap <= o.start <= gap + 2), None)
        if following is None:
            return None
        q = following
    return None


def counted(text: str, candidates: Sequence[Quantity], nouns: frozenset[str]) -> list[Quantity]:
    """Without the candidates that count another noun, when one counts a noun of ``nouns``."""
    found = [counted_noun(text, q, candidates) for q in candidates]
    if not any(noun in nouns for noun in found):
        return list(candidates)
    return [q for q, noun in zip(candidates, found, strict=True) if noun is None or noun in nouns]


_RESPECTIVELY: Final = re.compile(r"\brespectively\b", re.IGNORECASE)
# Between two numbers of one list, and from the last one to "respectively".
# A bracketed aside may follow each number: "US$1.97 billion (6.3% rise) and US$2.25 billion".
_LIST_GAP: Final = re.compile(r"\s*(?:\([^()]{0,60}\)\s*)?(?:,\s*(?:and\s+)?|and\s+|or\s+)")
_TAIL_GAP: Final = re.compile(r"\s*(?:\([^()]{0,60}\))?(?P<tail>[^.;:!?()\d]{0,60})")
# The tail's own list ("rises in volume and in value respectively"): its items.
_TAIL_ITEMS: Final = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+)")
_TAIL_LEAD: Final = re.compile(r"^.*?\b(?:in|of|for)\s+(?:both\s+)?", re.IGNORECASE)
# A name of a list: up to four words, each capitalised ("Northern Ireland", "Lenovo"), or
# up to three in lower case ("fisheries and forestry products").
_ITEM = (
    r"[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}"
    r"|(?!(?:a|an|the|its|their|his|her|this|that|these|those|which|who|while|with|of|in|on|at|by|for"
    r"|to|from|as|is|was|were|are|be|been|has|had|have)\b)[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2}"
)
_ITEM_BEFORE: Final = re.compile(rf"({_ITEM})(?:,\s*(?:and\s+)?|,?\s+and\s+)$")
_ITEM_AFTER: Final = re.compile(rf"(?:,\s*(?:and\s+)?|,?\s+and\s+)({_ITEM})")


def respective(
    text: str,
    start: int,
    end: int,
    candidates: Sequence[Quantity],
    names: Sequence[str],
    nouns: frozenset[str] = frozenset(),
) -> tuple[Quantity, ...] | None:
    """The numbers of a "respectively" list in ``text[start:end]`` that are not the fact's.

    The list the numbers go with is the one after them when there is one
    ("11.8% and 13.8% rises in volume and in value respectively": the item
    that names one of ``nouns``, the words of the predicate's name), else the
    names before them (``names``, the entity's, folded). None when the
    sentence has no such list, or it cannot be aligned.
    """
    sentence = text[start:end]
    word = _RESPECTIVELY.search(sentence)
    if word is None:
        return None
    at = start + word.start()
    run: list[Quantity] = []
    for q in sorted((q for q in candidates if q.end <= at), key=lambda q: q.start):
        if run and not _LIST_GAP.fullmatch(text, run[-1].end, q.start):
            run = []
        run.append(q)
    tail = _TAIL_GAP.fullmatch(text, run[-1].end, at)
    if len(run) < 2 or tail is None:
        return None
    items = _TAIL_ITEMS.split(_TAIL_LEAD.sub("", tail["tail"].strip()))
    if len(items) == len(run) and nouns:
        hits = [i for i, item in enumerate(items) if any(_singular(w) in nouns for w in item.split())]
        if len(hits) == 1:
            mine = run[hits[0]]
            return tuple(q for q in run if q is not mine)
    # The names' list ends where the numbers' begins, and lies close before it.
    head = text[max(start, run[0].start - 400) : run[0].start]
    low = head.lower()
    for name in names:
        i = low.find(name)
        while i >= 0:
            lefts, left = 0, i
            while left and (before := _ITEM_BEFORE.search(head, 0, left)) is not None:
                lefts += 1
                left = before.start()
            rights, right = 0, i + len(name)
            while (after := _ITEM_AFTER.match(head, right)) is not None:
                rights += 1
                right = after.end()
            # The names farthest left may not be of the list ("However, London and
            # Northern Ireland"): as many as the numbers, counted from the nearest.
            index = len(run) - 1 - rights
            if 0 <= index <= lefts:
                mine = run[index]
                return tuple(q for q in run if q is not mine)
            i = low.find(name, i + 1)
    return None


_LABEL: Final = re.compile(r"\s*[–—:-]\s*$")
_LABEL_AFTER: Final = re.compile(r"\s*[–—:-]\s*")


def labelled(
    text: str, start: int, end: int, candidates: Sequence[Quantity], names: Sequence[str]
) -> Quantity | None:
    """The entity's number in a labelled list ("Party A – 7.9%; Party B – 6.7%"), if it is one."""
    labelled_ones = [q for q in candidates if _LABEL.search(text, max(start, q.start - 4), q.start)]
    if len(labelled_ones) < 2:
        return None
    low = text[start:end].lower()
    for name in names:
        i = low.find(name)
        while i >= 0:
            gap = _LABEL_AFTER.match(text, start + i + len(name))
            if gap is not None:
                mine = next((q for q in labelled_ones if q.start == gap.end()), None)
                if mine is not None:
                    return mine
            i = low.find(name, i + 1)
    return None


_CLAUSE_END: Final = re.compile(r"[;|]|\n[ \t]*\n|\.\s")
_COMPARED: Final = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|as\s+against)\s", re.IGNORECASE)


def compared(
    text: str,
    start: int,
    end: int,
    candidates: Sequence[Quantity],
    mentions: Callable[[str], bool],
    others: Callable[[str], bool],
) -> list[Quantity]:
    """The candidates on the side of "compared with" the fact's entity is on (all if not settled).

    ``mentions(text)`` says whether a text names the fact's entity, ``others(text)``
    whether it names another entity of its kind.
    """
    found = _COMPARED.search(text, start, end)
    if found is None:
        return list(candidates)
    cut = found.start()
    # The comparison is a clause: it ends at a semicolon, a blank line, a table's bar, or 120 characters on.
    clause = _CLAUSE_END.search(text, found.end(), min(end, found.end() + 120))
    stop = clause.start() if clause is not None else min(end, found.end() + 120)
    before, after = text[start:cut], text[found.end() : stop]
    in_before, in_after = mentions(before), mentions(after)
    if in_after and not in_before:
        kept = [q for q in candidates if q.start >= cut]
    elif in_before and not in_after and others(after):
        kept = [q for q in candidates if not cut <= q.start < stop]
    else:
        return list(candidates)
    return kept


_TIME_GAP: Final = re.compile(
    r"[ \t\r\n\u00a0]*(?:,\s*)?(?:in|for|during|at\s+end-|as\s+of)[ \t\r\n\u00a0]+(?:the\s+)?"
)
_Period = tuple[_dt.date, _dt.date]


def _covers(a: _Period, b: _Period) -> bool:
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def timed(
    text: str, candidates: Sequence[Quantity], stated: Sequence[Quantity], wanted: Sequence[_Period]
) -> list[Quantity]:
    """Without the candidates of other times, when one is of a time in ``wanted`` (the fact's times)."""
    starts = {q.start: q for q in stated if time_period(q.value) is not None}
    if not starts:
        return list(candidates)
    times: list[_Period | None] = []
    for q in candidates:
        gap = _TIME_GAP.match(text, q.end)
        when = starts.get(gap.end()) if gap is not None else None
        times.append(time_period(when.value) if when is not None else None)
    mine = [t is not None and any(_covers(t, w) for w in wanted) for t in times]
    if not any(mine):
        return list(candidates)
    return [q for q, t, m in zip(candidates, times, mine, strict=True) if t is None or m]


# "3.1 percent increase in", "40.8 percent of", "up 6.3 percent among": the name follows.
_PAIR_AFTER: Final = re.compile(
    r"\s*(?:(?:increase|decrease|rise|fall|drop|gain|decline|growth|jump|share)s?\s+)?(?:of|in|for|among)\s+",
    re.IGNORECASE,
)
# "robbery (27.3 percent)", "90,185 rapes (up 6.3 percent)": the name comes before the bracket.
_PAIR_BRACKET: Final = re.compile(r"\(\s*(?:(?:up|down|or|about|around|some)\s+)*$", re.IGNORECASE)
#: At most this many words between a list's comma (or "and") and the number a name before it pairs with.
_NEXT_TO: Final = 8
_PAIR_STOP: Final = re.compile(r"[,;()]|\band\b|\bor\b|\bwhile\b|\bcompared\b", re.IGNORECASE)


def _pair_names(text: str, start: int, end: int, q: Quantity) -> tuple[tuple[str, bool], ...]:
    """The words a number may be paired with, in order of preference, and whether each comes before it.

    After it ("40.8 percent of robberies"); before its bracket ("robbery (27.3
    percent)"), or else the words since the list's last comma or "and" before
    it ("A rose 6.3 percent and B 4.6 percent").
    """
    found: list[tuple[str, bool]] = []
    after = _PAIR_AFTER.match(text, q.end, end)
    if after is not None:
        words = text[after.end() : min(end, after.end() + 60)]
        stop = _PAIR_STOP.search(words)
        found.append((words[: stop.start()] if stop is not None else words, False))
    bracket = _PAIR_BRACKET.search(text, max(start, q.start - 16), q.start)
    at = bracket.start() if bracket is not None else q.start
    words = text[max(start, at - 60) : at]
    cut = [m.end() for m in _PAIR_STOP.finditer(words)]
    if cut or max(start, at - 60) == start:
        words = words[cut[-1] :] if cut else words
        # Only a name next to its number: "and rapes 4.6 percent", ", Apple 48 million".
        if bracket is not None or len(words.split()) <= _NEXT_TO:
            found.append((words, True))
    return tuple(found)


def paired(
    text: str,
    start: int,
    end: int,
    candidates: Sequence[Quantity],
    mentions: Callable[[str], bool],
    others: Callable[[str], bool],
) -> list[Quantity]:
    """Without the numbers paired with another entity, when one is paired with the fact's."""
    mine: list[bool] = []
    theirs: list[bool] = []
    for q in candidates:
        is_mine = is_theirs = False
        for words, before in _pair_names(text, start, end, q):
            is_mine, is_theirs = mentions(words), others(words)
            if before and is_mine and is_theirs:
                is_mine = is_theirs = False  # "Apple said Samsung rose 5%": whose is not told
                break
            if is_mine or is_theirs:
                break  # the first words that name an entity ("in 2015" names none)
        mine.append(is_mine)
        theirs.append(is_theirs and not is_mine)
    if not any(mine) or not any(theirs):
        return list(candidates)
    return [q for q, t in zip(candidates, theirs, strict=True) if not t]
