"""Are a fact's arguments mentioned near its evidence? (SPEC §3 step 3).

An entity is mentioned by its name, its name split at ``_`` and CamelCase
(``GreaterChina`` -> "Greater China"), or an alias, as whole words and
case-insensitively. Real text runs sentences together ("and
DeepseekUltimately"), so a lowercase-to-uppercase step also ends a word.
A time argument is mentioned when a time the text states (or that follows
from the source's publication date: "last year") equals or contains it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from factlang import values as v
from factlang.model import Entity
from factlang.verify.quantities import Quantity

__all__ = ["mentions_entity", "mentions_time", "name_pattern"]


# Unbounded: a bounded cache thrashes once a base has more entities than its size
# (issue 14: 5,000 entities with 30 aliases each took 36 s instead of 5 s).
@functools.cache
def name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One regex finding any of ``names`` as whole words, case-insensitively."""
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        words = [re.escape(w) for w in re.split(r"\s+", name.strip()) if w]
        if words:
            # Curly and straight apostrophes, any whitespace between words.
            alternatives.append(re.sub(r"['’]", "['’]", r"\s+".join(words)))
    body = "|".join(alternatives) or r"(?!)"
    return re.compile(rf"(?<![\w])(?:{body})(?:(?![\w])|(?<=[a-z])(?=[A-Z]))", re.IGNORECASE)


@functools.cache
def _entity_pattern(entity: Entity) -> re.Pattern[str]:
    # Entity.names splits the identifier each time: do it once per entity.
    return name_pattern(entity.names)


def mentions_entity(entity: Entity, text: str) -> bool:
    """Whether ``text`` mentions ``entity`` by any of its names."""
    pattern = _entity_pattern(entity)
    for m in pattern.finditer(text):
        end = m.end()
        # Case-insensitive matching cannot see a run-on boundary itself:
        # "DeepseekUltimately" ends the name at the capital U only.
        if end < len(text) and text[end].isalpha() and not (text[end].isupper() and text[end - 1].islower()):
            continue
        return True
    return False


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
