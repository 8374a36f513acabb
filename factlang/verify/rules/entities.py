"""Entity mentions (SPEC §3 step 3): each entity argument is named near the quote."""

from __future__ import annotations

from factlang import values as v
from factlang.findings import Finding, finding
from factlang.verify.rules import NOTHING, Context, Outcome


def check(ctx: Context) -> Outcome:
    """Warn for each entity argument not mentioned in the quote's sentence or the one before or after."""
    base, mentions = ctx.checker.base, ctx.checker.mentions
    predicate = base.predicates.get(ctx.fact.predicate)
    params = predicate.params if predicate else ()
    out: list[Finding] = []
    for arg, param in zip(ctx.fact.args, params, strict=False):
        if not isinstance(arg, v.EntityRef):
            continue
        entity = base.entities.get(arg.name)
        if entity is None or mentions.entity(entity, ctx.window.near_text):
            continue
        if not mentions.entity(entity, ctx.window.wide_text):
            names = ", ".join(f"“{n}”" for n in entity.names)
            message = f"{param.name} {arg.name} is not mentioned near the quote (looked for {names})"
            out.append(finding("FL202", message, source=ctx.citation.source))
    return Outcome(findings=tuple(out)) if out else NOTHING
