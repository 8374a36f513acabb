"""SARIF 2.1.0 (``--format sarif``), for code-scanning uploads.

One rule per finding code of :data:`factlang.codes.CODES`, one result per
static error, failing fact, conflict and warning. A result's location is in
the fact file (a refuted fact's value, a quote that is not found); a
citation finding adds a related location at the quote's span in the source
file. A failing verdict suppressed inline is reported with an ``inSource``
suppression, as SARIF viewers expect, rather than left out.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final

import attrs

from factlang import __version__
from factlang.codes import CODES, Code
from factlang.diagnostics import Diagnostic
from factlang.render.issues import (
    Issue,
    Lines,
    Place,
    conflict_issues,
    diagnostic_issues,
    fact_issue,
    fact_issues,
    file_runs,
    iter_issues,
    write_by_file,
)
from factlang.report import Report

__all__ = ["JOINS", "SARIF_SCHEMA", "file_parts", "render_sarif", "sarif_data", "write_parts", "write_sarif"]

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


def _results(report: Report, diagnostics: Sequence[Diagnostic]) -> Iterator[dict[str, Any]]:
    """Every result of the log, in order, one at a time."""
    for i in diagnostic_issues(diagnostics):
        yield _result(i)
    for i in iter_issues(report):
        yield _result(i)
    for r in report.facts:
        if r.is_suppressed(report.strict):
            # fact_issue leaves out what passes; show the suppressed failure as suppressed.
            shown = fact_issue(attrs.evolve(r, suppressed=()), report)
            if shown is not None:
                yield _result(shown, suppressed=True)


def _log(results: list[dict[str, Any]]) -> dict[str, Any]:
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


def sarif_data(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> dict[str, Any]:
    """The SARIF log as JSON-compatible data."""
    return _log(list(_results(report, diagnostics)))


# --- writing ---------------------------------------------------------------------

# The C encoder for every scalar; the same options as json.dumps(..., ensure_ascii=False).
_encode: Final = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
_INDENT: Final = "  "
# Where the results list sits in the log: runs[0].results, three levels deep.
_RESULTS_PAD: Final = _INDENT * 3
# How many results are encoded before one write.
_BATCH: Final = 256


def _indented(value: Any, pad: str, out: list[str]) -> None:
    """``value`` as ``json.dumps(value, indent=2)`` writes it at depth ``pad``, appended to ``out``.

    The standard library's indenting encoder is pure Python and generator
    based; this one hands every scalar and key to the C encoder and
    recurses only through containers (report data holds nothing else).
    """
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + pad + _INDENT
        sep = "{" + inner
        for key, item in value.items():
            out.append(sep + _encode(key) + ": ")
            sep = "," + inner
            _indented(item, pad + _INDENT, out)
        out.append("\n" + pad + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = "\n" + pad + _INDENT
        sep = "[" + inner
        for item in value:
            out.append(sep)
            sep = "," + inner
            _indented(item, pad + _INDENT, out)
        out.append("\n" + pad + "]")
    else:
        out.append(_encode(value))


def _rendered(results: Iterable[dict[str, Any]]) -> str:
    """Results as the log's list holds them, joined (each indented at its depth)."""
    out: list[str] = []
    sep = ""
    for result in results:
        out.append(sep)
        sep = _ITEM_SEP
        _indented(result, _ITEM_PAD, out)
    return "".join(out)


#: How a file's shares (:func:`file_parts`) join, part by part, when one file yields several.
JOINS: Final = (",\n" + _RESULTS_PAD + _INDENT, ",\n" + _RESULTS_PAD + _INDENT)
_ITEM_PAD: Final = _RESULTS_PAD + _INDENT
_ITEM_SEP: Final = ",\n" + _ITEM_PAD


def file_parts(report: Report, **_: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The fact files' shares of the results, in order: (the file as shown, (results, suppressed results)).

    The suppressed failures come last in the log, after the conflicts; a
    share depends on its facts' results alone. A file yields a share per
    batch of its facts (joined by :data:`JOINS`).
    """
    lines = Lines(report)
    strict = report.strict
    for path, ns in file_runs(report):
        for start in range(0, len(ns), _BATCH):
            batch = ns[start : start + _BATCH]
            results = (_result(i) for n in batch for i in fact_issues(report, n, lines))
            suppressed = []
            for n in batch:
                r = report.facts[n]
                if r.is_suppressed(strict):
                    # fact_issue leaves out what passes; show the suppressed failure as suppressed.
                    shown = fact_issue(attrs.evolve(r, suppressed=()), report)
                    if shown is not None:
                        suppressed.append(_result(shown, suppressed=True))
            yield path, (_rendered(results), _rendered(suppressed))


def write_parts(
    out: IO[str],
    parts: Iterable[tuple[str, ...]],
    tail: Report,
    summary: Mapping[str, int],
    where: Collection[str] = (),
    diagnostics: Sequence[Diagnostic] = (),
    **_: object,
) -> None:
    """Write the SARIF log from its files' shares (:func:`file_parts`); ``tail`` holds the conflicts."""
    head: list[str] = []
    _indented(_log([]), "", head)
    # The results list is the run's last member: write what comes before and
    # after it around the results, streamed.
    before, marker, after = "".join(head).rpartition('"results": []')
    assert marker, "the log's skeleton has its results list"
    out.write(before + '"results": ')
    opened = False

    def put(text: str) -> None:
        nonlocal opened
        if text:
            out.write((_ITEM_SEP if opened else "[\n" + _ITEM_PAD) + text)
            opened = True

    put(_rendered(_result(i) for i in diagnostic_issues(diagnostics)))
    last: list[str] = []
    for results, suppressed in parts:
        put(results)
        if suppressed:
            last.append(suppressed)
    put(_rendered(_result(i) for i in conflict_issues(tail)))
    for suppressed in last:
        put(suppressed)
    out.write("\n" + _RESULTS_PAD + "]" if opened else "[]")
    out.write(after + "\n")


def write_sarif(report: Report, out: IO[str], diagnostics: Sequence[Diagnostic] = ()) -> None:
    """Write the SARIF log to ``out``, a batch of results at a time; the same text as :func:`render_sarif`."""
    write_by_file(report, out, file_parts, write_parts, diagnostics)


def render_sarif(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """The report as a SARIF 2.1.0 log."""
    out = io.StringIO()
    write_sarif(report, out, diagnostics)
    return out.getvalue()
