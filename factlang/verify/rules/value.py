"""The value check (SPEC §3 step 2): the quote (else its sentence) states the value.

Quantities of the value's type stated in the quote are compared first; if
the quote states none, those of its sentence. A relation fact (no value)
rests on the located quote; text, entity and Bool values must be stated in
the quote or its sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from factlang import values as v
from factlang.findings import Finding, finding
from factlang.model import Entity, Fact
from factlang.report import CitationVerdict
from factlang.verify.binding import compared, counted, labelled, paired, respective, timed
from factlang.verify.compare import NO_DIRECTION as _NO_DIRECTION
from factlang.verify.compare import compare, same_type
from factlang.verify.quantities import Quantity
from factlang.verify.rules import Context, Outcome

if TYPE_CHECKING:
    from factlang.verify.citations import Checker


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
    of_type = [q for q in in_sentence if same_type(value, q)]
    if len(of_type) > 1:
        # Set aside, over the whole sentence, the numbers that are another count's or name's.
        of_type = _own(ctx, fact, of_type)
    candidates = [q for q in of_type if match.start <= q.start and q.end <= match.end]
    where = "quote"
    if not candidates:
        candidates = of_type
        where = "sentence"
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


#: A comparison is read for another entity of the fact's kind only among this many.
_KIND_LIMIT = 500


def _own(ctx: Context, fact: Fact, candidates: list[Quantity]) -> list[Quantity]:
    """The candidates that can be the fact's (its counts; its entity's in lists: verify/binding.py)."""
    win, checker, text = ctx.window, ctx.checker, ctx.doc.text
    start, end = win.sentence_start, win.sentence_end
    predicate = checker.base.predicates.get(fact.predicate)
    if isinstance(fact.value, v.Number) and predicate is not None:
        candidates = counted(text, candidates, checker.nouns(predicate))
    wanted = [p for p in map(v.time_period, fact.args) if p is not None]
    if wanted and len(candidates) > 1:
        candidates = timed(text, candidates, win.near, wanted)
    for arg in fact.args:
        if not isinstance(arg, v.EntityRef):
            continue
        entity = checker.base.entities.get(arg.name)
        if entity is None:
            continue
        names = checker.mentions.names(entity)
        nouns = checker.words(predicate) if predicate is not None else frozenset()
        theirs = respective(text, start, end, candidates, names, nouns)
        if theirs is not None:
            return [q for q in candidates if all(q is not t for t in theirs)]
        mine = labelled(text, start, end, candidates, names)
        if mine is not None:
            return [mine]
        namers = _namers(checker, entity)
        kept = paired(text, start, end, compared(text, start, end, candidates, *namers), *namers)
        if len(kept) < len(candidates):
            return kept
    return candidates


def _namers(checker: Checker, entity: Entity) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
    """Whether a text names ``entity``, and whether it names another entity of its kind.

    The second is asked only of a few words around a number, and says no for
    a kind of more than :data:`_KIND_LIMIT` entities (too many to look for).
    A name inside the entity's own does not count: "Durum wheat" names Durum
    wheat, not Wheat.
    """
    names = checker.mentions.names(entity)

    def others(text: str) -> bool:
        kin = checker.kin(entity.kind)
        if len(kin) > _KIND_LIMIT:
            return False
        low = text.lower()
        for name in names:
            low = low.replace(name, " " * len(name))
        return any(o is not entity and checker.mentions.entity(o, low) for o in kin)

    return (lambda text: checker.mentions.entity(entity, text)), others


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
