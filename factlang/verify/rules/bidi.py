"""Trojan Source: bidirectional control characters in what a fact states (FL240).

A quote, a text value or an alias with U+202A-U+202E or U+2066-U+2069 can
display differently (in an editor, a review, the site) from what is checked.
The quote is checked on every citation; the fact's own strings (its text
value, the aliases of its entities) once, on its first citation.
"""

from __future__ import annotations

import re
from typing import Final

from factlang import values as v
from factlang.bidi import BIDI_CONTROLS, bidi_warning, visible
from factlang.findings import Finding, finding
from factlang.verify.rules import NOTHING, Context, Outcome

_BIDI: Final = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")


def check(ctx: Context) -> Outcome:
    """Warn about each string of the fact that holds bidirectional controls, with their places."""
    fact, citation = ctx.fact, ctx.citation
    first = bool(fact.citations) and citation is fact.citations[0]
    entities = ctx.checker.base.entities
    named = (
        [entities.get(a.name) for a in (*fact.args, fact.value) if isinstance(a, v.EntityRef)]
        if first
        else []
    )
    # The common case first: one C-speed search over every string, no labels built.
    strings = [citation.quote or ""]
    if first and isinstance(fact.value, v.Text):
        strings.append(fact.value.text)
    # An entity's aliases are searched once per run, not on every fact naming it.
    in_aliases = any(e is not None and ctx.checker.bidi_aliases(e) for e in named)
    if not in_aliases and _BIDI.search("\n".join(strings)) is None:
        return NOTHING
    texts = [("the quote", citation.quote or "")]
    if first:
        if isinstance(fact.value, v.Text):
            texts.append(("the value", fact.value.text))
        for entity in named:
            if entity is not None:
                texts.extend((f"alias '{visible(a)}' of {entity.name}", a) for a in entity.aliases)
    found: list[Finding] = []
    for what, text in texts:
        message = bidi_warning(what, text)
        if message is not None:
            found.append(finding("FL240", message, source=citation.source, location=citation.location))
    return Outcome(findings=tuple(found)) if found else NOTHING
