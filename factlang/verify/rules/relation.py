"""The relation check (SPEC §3 step 4), as a rule: see :mod:`factlang.verify.relations`."""

from __future__ import annotations

from factlang import values as v
from factlang.findings import finding
from factlang.verify.relations import relation_verdict
from factlang.verify.rules import NOTHING, Context, Outcome

_CODES = {"supported": "FL220", "refuted": "FL301", "unverified": "FL302"}


def check(ctx: Context) -> Outcome:
    """Judge a relation fact: its entities mentioned, its predicate stated, the polarity matching."""
    fact, win = ctx.fact, ctx.window
    if fact.value is not None and fact.comparator is not None:
        return NOTHING
    base = ctx.checker.base
    predicate = base.predicates.get(fact.predicate)
    if predicate is None:  # pragma: no cover - the builder rejects unknown predicates
        return NOTHING
    missing = [
        f"{arg.name} is not mentioned near the quote"
        for arg in fact.args
        if isinstance(arg, v.EntityRef)
        and (entity := base.entities.get(arg.name)) is not None
        and not ctx.checker.mentions.entity(entity, win.wide_text)
    ]
    quote = (ctx.match.start - win.sentence_start, ctx.match.end - win.sentence_start)
    result = relation_verdict(predicate, fact.negated, win.near_text, quote, missing)
    span = None
    if result.stated is not None:
        span = (result.stated[0] + win.sentence_start, result.stated[1] + win.sentence_start)
    note = finding(_CODES[result.verdict], result.message, source=ctx.citation.source, span=span)
    return Outcome(result.verdict, (note,), stated=win.near)
