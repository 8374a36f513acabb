"""SARIF 2.1.0 (``--format sarif``), for code-scanning uploads.

One rule per finding code of :data:`factlang.codes.CODES`, one result per
static error, failing fact, conflict and warning. A result's location is in
the fact file (a refuted fact's value, a quote that is not found); a
citation finding adds a related location at the quote's span in the source
file. A failing verdict suppressed inline is reported with an ``inSource``
suppression, as SARIF viewers expect, rather than left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

import attrs

from factlang import __version__
from factlang.codes import CODES, Code
from factlang.diagnostics import Diagnostic
from factlang.render.issues import Issue, Place, diagnostic_issues, fact_issue, report_issues
from factlang.report import Report

__all__ = ["SARIF_SCHEMA", "render_sarif", "sarif_data"]

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL: Final = {"error": "error", "warning": "warning", "note": "note"}
_RULE_INDEX: Final = {code: n for n, code in enumerate(CODES)}


def _rule(c: Code) -> dict[str, Any]:
    help_text = c.summary.replace("``", "`")
    markdown = f"**{c.code} {c.name}** ({c.severity}): {help_text}"
    if c.example:
        help_text += f"\nExample: {c.example}"
        markdown += f"\n\n```\n{c.example}\n```"
    return {
        "id": c.code,
        "name": c.name,
        "shortDescription": {"text": c.summary.replace("``", "`").split(": ")[0]},
        "fullDescription": {"text": c.summary.replace("``", "`")},
        "help": {"text": help_text, "markdown": markdown},
        "defaultConfiguration": {"level": _LEVEL[c.severity]},
        "properties": {"tags": [_family(c.code)]},
    }


def _family(code: str) -> str:
    return {"FL1": "static", "FL2": "citation", "FL3": "verdict"}.get(code[:3], "other")


def _physical(place: Place) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": place.path}}
    if place.line > 0:
        location["region"] = {
            "startLine": place.line,
            "startColumn": max(place.column, 1),
            "endLine": max(place.end_line, place.line),
            "endColumn": max(place.end_column, 1),
        }
    return location


def _result(issue: Issue, *, suppressed: bool = False) -> dict[str, Any]:
    text = issue.message + (f"\nhint: {issue.hint}" if issue.hint else "")
    result: dict[str, Any] = {
        "ruleId": issue.code,
        "level": _LEVEL[issue.severity],
        "message": {"text": text},
    }
    if issue.code in _RULE_INDEX:
        result["ruleIndex"] = _RULE_INDEX[issue.code]
    if issue.place is not None:
        result["locations"] = [{"physicalLocation": _physical(issue.place)}]
    if issue.related is not None:
        result["relatedLocations"] = [
            {
                "id": 1,
                "physicalLocation": _physical(issue.related),
                "message": {"text": f"the quote in source @{issue.related_source}"},
            }
        ]
    if issue.key is not None:
        result["partialFingerprints"] = {"factKey/v1": f"{issue.code}:{issue.key}"}
    if suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": "# factlang: ignore on the fact"}]
    return result


def sarif_data(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> dict[str, Any]:
    """The SARIF log as JSON-compatible data."""
    results = [_result(i) for i in diagnostic_issues(diagnostics)]
    results += [_result(i) for i in report_issues(report)]
    for r in report.facts:
        if r.is_suppressed(report.strict):
            # fact_issue leaves out what passes; show the suppressed failure as suppressed.
            shown = fact_issue(attrs.evolve(r, suppressed=()), report)
            if shown is not None:
                results.append(_result(shown, suppressed=True))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "factlang",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(c) for c in CODES.values()],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """The report as a SARIF 2.1.0 log."""
    return json.dumps(sarif_data(report, diagnostics), ensure_ascii=False, indent=2) + "\n"
