"""Time arguments (SPEC §3 step 3): stated near the quote or implied by the publication date."""

from __future__ import annotations

from factlang import values as v
from factlang.findings import Finding, finding
from factlang.verify.mentions import mentions_time
from factlang.verify.rules import NOTHING, Context, Outcome


def check(ctx: Context) -> Outcome:
    """Warn for each time argument neither stated near the quote nor the publication day."""
    base = ctx.checker.base
    predicate = base.predicates.get(ctx.fact.predicate)
    params = predicate.params if predicate else ()
    out: list[Finding] = []
    win = ctx.window
    for arg, param in zip(ctx.fact.args, params, strict=False):
        if param.type not in v.TIME_TYPES or isinstance(arg, v.EntityRef):
            continue
        if mentions_time(arg, win.near) or mentions_time(arg, win.wide):
            continue
        if _publication_day(ctx, arg):
            continue
        message = f"{param.name} {arg.spelling()} is not stated near the quote"
        out.append(finding("FL203", message, source=ctx.citation.source))
    return Outcome(findings=tuple(out)) if out else NOTHING


def _publication_day(ctx: Context, arg: v.Value) -> bool:
    """Whether a date argument is the day the source was published, and the text names no other day.

    News reports of the day ("shares rose 9.2%") rarely repeat the date: it
    follows from the source's ``published`` date (SPEC §3 step 3).
    """
    if not isinstance(arg, v.Date) or ctx.checker.reference(ctx.citation.source) != arg.date:
        return False
    return not any(isinstance(q.value, v.Date) and q.value != arg for q in ctx.window.wide)
