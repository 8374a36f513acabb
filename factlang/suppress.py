"""Selecting and suppressing findings: ``--select``, ``--ignore``, ``ignore = [...]`` and inline comments.

What may be silenced, and how (docs/codes.md says the same):

- warnings and notes (``FL2xx``): by ``--select``/``--ignore``, the
  ``ignore`` setting, or ``# factlang: ignore[FL202]`` on a line of the fact;
- a failing verdict (``FL3xx``) only inline, on that very fact, and the
  summary counts it as suppressed: a run never turns green by a global switch;
- static errors (``FL1xx``) never: nothing was verified.

An inline suppression that silences nothing is itself reported (``FL209``),
so that stale comments do not hide the next real finding.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import attrs

from factlang.codes import CODES, check_codes
from factlang.findings import Finding, finding
from factlang.report import CitationResult, FactResult, Report

__all__ = ["apply", "apply_result", "check_codes"]


def apply(report: Report, *, select: Collection[str] | None = None, ignore: Collection[str] = ()) -> Report:
    """The report with findings filtered and inline suppressions applied.

    ``select`` (when given) keeps only those warning and note codes;
    ``ignore`` drops codes. Verdicts are never filtered here, only
    suppressed by a fact's own ``# factlang: ignore[...]``.
    """
    shown = _shown(select, ignore)
    if shown is None and not any(r.fact.ignore for r in report.facts):
        return report
    keep = shown or _everything
    results = tuple(_apply_one(r, report.strict, keep) for r in report.facts)
    return attrs.evolve(report, facts=results)


def apply_result(
    result: FactResult,
    *,
    strict: bool = False,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
) -> FactResult:
    """One fact's result filtered as :func:`apply` filters it in a report (facts verified one by one)."""
    shown = _shown(select, ignore)
    if shown is None and not result.fact.ignore:
        return result
    return _apply_one(result, strict, shown or _everything)


def _shown(select: Collection[str] | None, ignore: Collection[str]) -> Callable[[str], bool] | None:
    """Whether a finding code is shown under ``select`` and ``ignore``; None when every code is."""
    if not select and not ignore:
        return None
    chosen = frozenset(select) if select else None
    dropped = frozenset(ignore)

    def shown(code: str) -> bool:
        if code in dropped:
            return False
        return chosen is None or not code.startswith("FL2") or code in chosen

    return shown


def _everything(code: str) -> bool:
    return True


def _apply_one(r: FactResult, strict: bool, keep: Callable[[str], bool]) -> FactResult:
    inline = frozenset(r.fact.ignore)
    used: set[str] = set()

    def kept(items: tuple[Finding, ...]) -> tuple[Finding, ...]:
        out = []
        for item in items:
            if item.code in inline:
                used.add(item.code)
            elif keep(item.code):
                out.append(item)
        return tuple(out) if len(out) != len(items) else items

    cites: list[CitationResult] = []
    for c in r.citations:
        warnings, messages = kept(c.warnings), kept(c.messages)
        same = warnings is c.warnings and messages is c.messages
        cites.append(c if same else attrs.evolve(c, warnings=warnings, messages=messages))
    messages = tuple(m for m in r.messages if m.severity == "error" or keep(m.code))
    result = attrs.evolve(r, citations=tuple(cites), messages=messages)
    failure = result.failure(strict)
    suppressed: tuple[str, ...] = ()
    if failure is not None and failure in inline:
        used.add(failure)
        suppressed = (failure,)
    unused = [_unused(code, r) for code in sorted(inline - used)]
    extra = tuple(u for u in unused if keep(u.code))
    if not suppressed and not extra and result == r:
        return r
    return attrs.evolve(result, messages=result.messages + extra, suppressed=suppressed)


def _unused(code: str, r: FactResult) -> Finding:
    where = r.fact.ignore_location or r.fact.location
    known = CODES.get(code)
    if known is None:
        message = f"unknown finding code '{code}' in a suppression comment"
    elif code.startswith("FL1"):
        message = f"{code} cannot be suppressed: static errors are never ignored"
    elif code == "FL307":
        message = "FL307 cannot be suppressed: a conflict is between facts; correct one of them"
    else:
        message = f"unused suppression: {code} ({known.name}) is not reported for this fact"
    return finding("FL209", message, hint="remove it from the comment", location=where)
