"""Negated facts (SPEC §3): a ``not`` fact needs a negation near its quote."""

from __future__ import annotations

import re
from typing import Final

from factlang.findings import finding
from factlang.verify.rules import NOTHING, Context, Outcome

_NEGATION: Final = re.compile(
    r"\b(?:not|no|never|none|without|against|instead|rather than|passed over|ruled out|rejected|lacked|"
    r"lacks|lacking|declined|refused|failed|didn['’]t|doesn['’]t|wasn['’]t|isn['’]t|won['’]t|hasn['’]t|"
    r"haven['’]t|unable|insufficient|replacing|replaced|ended|over|yet to|unavailable)\b",
    re.IGNORECASE,
)


def check(ctx: Context) -> Outcome:
    """Warn when a negated fact's evidence states no negation."""
    if not ctx.fact.negated or _NEGATION.search(ctx.window.wide_text):
        return NOTHING
    predicate = ctx.checker.base.predicates.get(ctx.fact.predicate)
    if predicate is not None and predicate.aka:
        return NOTHING  # the relation rule judged the polarity of the stating clause
    message = "the fact is negated ('not'), but the text near the quote has no negation"
    return Outcome(findings=(finding("FL204", message, source=ctx.citation.source),))
