"""Trojan Source: bidirectional control characters in what a fact states (FL240).

A quote, a text value or an alias with U+202A-U+202E or U+2066-U+2069 can
display differently (in an editor, a review, the site) from what is checked.
The quote is checked on every citation; the fact's own strings (its text
value, the aliases of its entities) once, on its first citation.
"""

from __future__ import annotations

from factlang import values as v
from factlang.bidi import BIDI_CONTROLS, bidi_warning, visible
from factlang.findings import Finding, finding
from factlang.verify.rules import NOTHING, Context, Outcome


def check(ctx: Context) -> Outcome:
    """Warn about each string of the fact that holds bidirectional controls, with their places."""
    fact, citation = ctx.fact, ctx.citation
    texts = [("the quote", citation.quote or "")]
    if fact.citations and citation is fact.citations[0]:
        if isinstance(fact.value, v.Text):
            texts.append(("the value", fact.value.text))
        entities = ctx.checker.base.entities
        for arg in (*fact.args, fact.value):
            entity = entities.get(arg.name) if isinstance(arg, v.EntityRef) else None
            if entity is not None:
                texts.extend((f"alias '{visible(a)}' of {entity.name}", a) for a in entity.aliases)
    if not any(BIDI_CONTROLS.intersection(text) for _, text in texts):
        return NOTHING  # the common case: one set operation per string
    found: list[Finding] = []
    for what, text in texts:
        message = bidi_warning(what, text)
        if message is not None:
            found.append(finding("FL240", message, source=citation.source, location=citation.location))
    return Outcome(findings=tuple(found)) if found else NOTHING
