"""Findings: what the verifier reports about a fact or a citation, as values.

A :class:`Finding` is to the verifier what a
:class:`~factlang.diagnostics.Diagnostic` is to the static checks: a coded,
positioned message. Renderers read its ``code`` and ``severity``; they never
match message text.
"""

from __future__ import annotations

import attrs

from factlang.codes import CODES, Severity
from factlang.model import Location

__all__ = ["Finding", "Severity", "finding"]


@attrs.frozen
class Finding:
    """One coded message about a fact or one of its citations.

    ``source`` and ``span`` place it in a source text (character offsets),
    ``location`` in the fact file. ``str()`` of a finding is its message.
    """

    code: str
    message: str
    severity: Severity = "warning"
    hint: str | None = None
    source: str | None = None
    span: tuple[int, int] | None = None
    location: Location | None = attrs.field(default=None, eq=False)

    @property
    def name(self) -> str:
        """The code's kebab-case name (``quote-drift``)."""
        known = CODES.get(self.code)
        return known.name if known is not None else self.code

    @property
    def text(self) -> str:
        """The message, prefixed by the source it concerns (``@wsj: ...``)."""
        return f"@{self.source}: {self.message}" if self.source else self.message

    def __str__(self) -> str:
        return self.message


def finding(code: str, message: str, **fields: object) -> Finding:
    """A :class:`Finding` with the code's usual severity unless given."""
    severity = fields.pop("severity", None) or CODES[code].severity
    return Finding(code, message, severity, **fields)  # type: ignore[arg-type]
