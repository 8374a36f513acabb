"""The value check (SPEC §3 step 2): the quote (else its sentence) states the value.

Quantities of the value's type stated in the quote are compared first; if
the quote states none, those of its sentence. A relation fact (no value)
rests on the located quote; text, entity and Bool values must be stated in
the quote or its sentence.
"""

from __future__ import annotations

from factlang import values as v
from factlang.findings import Finding, finding
from factlang.model import Fact
from factlang.report import CitationVerdict
from factlang.verify.compare import NO_DIRECTION as _NO_DIRECTION
from factlang.verify.compare import compare, same_type
from factlang.verify.counted import counted
from factlang.verify.rules import Context, Outcome


def check(ctx: Context) -> Outcome:
    """The verdict from the value alone, the quantity that matched and what was considered."""
    fact, win = ctx.fact, ctx.window
    source = ctx.citation.source
    in_sentence = win.near
    value = fact.value
    if value is None or fact.comparator is None:
        # A relation: judged by the relation rule (rules/relation.py).
        return Outcome(stated=in_sentence)
    if isinstance(value, v.Text | v.EntityRef | v.Bool):
        verdict = _plain_verdict(ctx, fact, ctx.match.text, win.near_text)
        why: tuple[Finding, ...] = ()
        if verdict != "supported":
            why = (
                finding(
                    "FL302", f"neither the quote nor its sentence states {value.spelling()}", source=source
                ),
            )
        return Outcome(verdict, why, stated=in_sentence)
    match = ctx.match
    in_quote = [q for q in in_sentence if match.start <= q.start and q.end <= match.end]
    candidates = [q for q in in_quote if same_type(value, q)]
    where = "quote"
    if not candidates:
        candidates = [q for q in in_sentence if same_type(value, q)]
        where = "sentence"
    if candidates and isinstance(value, v.Number):
        predicate = ctx.checker.base.predicates.get(fact.predicate)
        if predicate is not None:
            candidates = counted(ctx.doc.text, candidates, ctx.checker.nouns(predicate))
    if not candidates:
        others = ", ".join(q.describe() for q in in_sentence) or "no quantity"
        message = f"no {value.type_name} in the quote or its sentence; it states {others}"
        return Outcome("unverified", (finding("FL302", message, source=source),), stated=in_sentence)
    reasons: list[str] = []
    unsettled: list[str] = []
    decided = []
    for q in candidates:
        outcome = compare(fact.comparator, value, q)
        if outcome.matches:
            note = finding(
                "FL206",
                f"the source states {ctx.checker.stated(q).text}",
                source=source,
                span=(q.start, q.end),
            )
            return Outcome("supported", (note,), matched=q, stated=candidates)
        if outcome.undecided:
            if outcome.reason != _NO_DIRECTION:
                unsettled.append(f"{q.describe()} {outcome.reason}")
            continue
        decided.append(q)
        reasons.append(f"{q.describe()} {outcome.reason}")
    if not decided:
        # Numbers of the type, but none that can decide (no direction stated): unverified, not refuted.
        claim = f"{fact.comparator} {value.spelling()}"
        stated_here = ", ".join(q.describe() for q in candidates)
        if unsettled:
            # A bound or an approximate number on both sides of the value: compatible, not stated.
            because = "; ".join(unsettled)
            message = f"the {where} states {stated_here}, which does not settle {claim}: {because}"
            return Outcome("unverified", (finding("FL302", message, source=source),), stated=candidates)
        message = (
            f"the {where} states {stated_here} but no direction of change (rose, fell, up, down...), "
            f"so nothing that bears on the signed {claim}"
        )
        return Outcome("unverified", (finding("FL302", message, source=source),), stated=candidates)
    candidates = decided
    stated = ", ".join(q.describe() for q in candidates)
    message = f"the {where} states {stated}, not {fact.comparator} {value.spelling()}: {'; '.join(reasons)}"
    first = candidates[0]
    refuted = finding("FL301", message, source=source, span=(first.start, first.end))
    return Outcome("refuted", (refuted,), stated=candidates)


def _plain_verdict(ctx: Context, fact: Fact, quote: str, sentence: str) -> CitationVerdict:
    """Text and entity values: stated in the quote (else its sentence) or not."""
    value = fact.value
    assert value is not None
    if isinstance(value, v.EntityRef):
        entity = ctx.checker.base.entities.get(value.name)
        stated = entity is not None and any(ctx.checker.mentions.entity(entity, t) for t in (quote, sentence))
    elif isinstance(value, v.Text):
        needle = value.text.casefold()
        stated = needle in quote.casefold() or needle in sentence.casefold()
    else:
        stated = True  # a Bool value rests on the quote itself
    if fact.comparator == "!=":
        stated = not stated
    return "supported" if stated else "unverified"
