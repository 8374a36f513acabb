"""Quote drift (SPEC §3 step 1): a quote found only approximately is a warning."""

from __future__ import annotations

from factlang.findings import finding
from factlang.verify.rules import NOTHING, Context, Outcome


def check(ctx: Context) -> Outcome:
    """Warn when the quote was found fuzzily, showing the source's real wording."""
    match = ctx.match
    if match.exact:
        return NOTHING
    message = f"quote found with drift ({match.similarity:.0%} similar); the source says: “{match.text}”"
    return Outcome(
        findings=(finding("FL201", message, source=ctx.citation.source, span=(match.start, match.end)),)
    )
