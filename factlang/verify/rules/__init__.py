"""The checks run on a located quote, one small rule per module.

Each check is a :class:`Check`: it reads a :class:`Context` (the fact, the
citation, the located quote and its sentence window) and returns an
:class:`Outcome` (a verdict, if it decides one, and findings). ``CHECKS``
runs them in order; the first verdict given is the citation's verdict, and
every check's findings are kept. Adding a check means adding a module and a
line to ``CHECKS`` (sqlglot's optimizer ``RULES`` is the model).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Protocol

import attrs

from factlang.findings import Finding
from factlang.model import Citation, Fact
from factlang.report import CitationVerdict
from factlang.verify.locate import QuoteMatch
from factlang.verify.quantities import Quantity
from factlang.verify.text import Document

if TYPE_CHECKING:
    from factlang.verify.citations import Checker, Window

__all__ = ["CHECKS", "NOTHING", "Check", "Context", "Outcome"]


@attrs.frozen
class Context:
    """What a check sees: the fact, the citation, the located quote and its window."""

    checker: Checker
    fact: Fact
    citation: Citation
    doc: Document
    match: QuoteMatch
    window: Window
    auto: bool = False


@attrs.frozen
class Outcome:
    """What a check found: a verdict (or None: not this check's to decide) and findings."""

    verdict: CitationVerdict | None = None
    findings: tuple[Finding, ...] = ()
    matched: Quantity | None = None
    stated: Sequence[Quantity] | None = None


#: What a check returns when it has nothing to say (shared: most checks, most citations).
NOTHING: Final = Outcome()


class Check(Protocol):
    """One rule of SPEC §3 applied to a located quote."""

    def __call__(self, ctx: Context) -> Outcome:
        """Apply the rule: a verdict when it is this rule's to decide, and findings."""
        ...


def _checks() -> tuple[Check, ...]:
    from factlang.verify.rules import bidi, drift, entities, negation, relation, times, value

    return (drift.check, value.check, relation.check, entities.check, times.check, negation.check, bidi.check)


CHECKS: Final[tuple[Check, ...]] = _checks()
