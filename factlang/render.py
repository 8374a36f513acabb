"""Renderers: a :class:`~factlang.report.Report` to text, JSON, JUnit or GitHub annotations.

Renderers only read the report.

The JSON shape (``--format json``) is stable, version 1::

    {"version": 1,
     "summary": {"facts": N, "supported": N, "refuted": N, "unverified": N,
                 "not-found": N, "disputed": N, "uncited": N, "failed": N,
                 "expected_failures": N, "unexpected_passes": N,
                 "conflicts": N, "warnings": N},
     "facts": [{"file", "line", "column", "key", "claim", "predicate", "args",
                "negated", "comparator", "value", "verdict", "passed",
                "warnings", "messages",
                "citations": [{"source", "quote", "contradicts", "verdict",
                               "ok", "span", "similarity", "evidence",
                               "evidence_span", "stated", "matched",
                               "auto", "messages", "warnings"}]}],
     "conflicts": [{"key", "message", "facts": [{"file", "line", "claim",
                                                 "sources"}], "sources"}]}

``value`` and ``args`` are the canonical spellings (``"16%"``,
``"$185.1 billion"``); ``span`` and ``evidence_span`` are ``[start, end]``
character offsets in the source text, or null.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final
from xml.etree import ElementTree as ET

from factlang.report import CitationResult, FactResult, Report, Stated

__all__ = [
    "FORMATS",
    "mark_evidence",
    "render_github",
    "render_json",
    "render_junit",
    "render_text",
    "to_data",
]

JSON_VERSION: Final = 1

# ANSI styles for a terminal; the plain markers are used everywhere else.
_STYLES: Final = {
    "supported": "\x1b[32m",
    "refuted": "\x1b[31m",
    "disputed": "\x1b[31m",
    "not-found": "\x1b[33m",
    "unverified": "\x1b[33m",
    "uncited": "\x1b[33m",
    "span": "\x1b[1;4m",
    "quantity": "\x1b[7m",
    "dim": "\x1b[2m",
    "bold": "\x1b[1m",
}
_RESET: Final = "\x1b[0m"


def _style(text: str, style: str, color: bool) -> str:
    return f"{_STYLES[style]}{text}{_RESET}" if color else text


def mark_evidence(result: CitationResult, *, color: bool = False) -> str | None:
    """The evidence sentence with the quote's span and the stated quantities marked.

    Plain text marks the quote with ``«…»`` and quantities with ``[…]``; on a
    terminal they are underlined and highlighted instead.
    """
    if result.evidence is None or result.evidence_start is None:
        return None
    base = result.evidence_start
    text = result.evidence
    marks: list[tuple[int, int, str]] = []  # (offset, order, marker)
    if result.span is not None and not result.auto:
        a, b = result.span[0] - base, result.span[1] - base
        if 0 <= a <= b <= len(text):
            marks += [(a, 0, _STYLES["span"] if color else "«"), (b, 3, _RESET if color else "»")]
    for q in result.stated:
        a, b = q.start - base, q.end - base
        if 0 <= a <= b <= len(text):
            marks += [(a, 1, _STYLES["quantity"] if color else "["), (b, 2, _RESET if color else "]")]
    out: list[str] = []
    last = 0
    active_span = False
    for offset, order, marker in sorted(marks):
        out.append(text[last:offset])
        out.append(marker)
        if color and order == 0:
            active_span = True
        if color and order == 3:
            active_span = False
        if color and order == 2 and active_span:
            out.append(_STYLES["span"])  # resume the span's style after a quantity
        last = offset
    out.append(text[last:])
    return " ".join("".join(out).split())


def _loc(result: FactResult) -> str:
    loc = result.fact.location
    return str(loc) if loc is not None else "<unknown>"


def render_text(report: Report, *, color: bool = False, verbose: bool = False) -> str:
    """Human output: one line per fact, evidence for failures and warnings, a summary."""
    lines: list[str] = []
    for r in report.facts:
        passed = r.passes(strict=report.strict)
        label = r.verdict if passed or r.verdict != "supported" else "failed"
        lines.append(
            f"{_loc(r)}: {_style(label, label if label in _STYLES else 'refuted', color)}: {r.fact.claim}"
        )
        if passed and not verbose and not r.warnings and not any(c.citation.contradicts for c in r.citations):
            continue
        for c in r.citations:
            lines.extend(_citation_lines(c, color))
        for m in r.messages:
            lines.append(f"    {m}")
    for conflict in report.conflicts:
        first = conflict.facts[0].location
        where = f"{first}: " if first is not None else ""
        lines.append(f"{where}{_style('conflict', 'refuted', color)}: {conflict.key}: {conflict.message}")
        for f in conflict.facts:
            sources = ", ".join(c.source for c in f.citations) or "no citation"
            lines.append(f"    {f.location}: {f.claim} (@ {sources})")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _citation_lines(c: CitationResult, color: bool) -> list[str]:
    tag = f"@ {c.citation.source}"
    if c.citation.contradicts:
        outcome = "known error, reproduced" if c.verdict == "refuted" else "known error NO LONGER reproduced"
        head = f"    {tag} (contradicts): {c.verdict} — {outcome}"
    else:
        head = f"    {tag}: {c.verdict}"
    if c.auto:
        head += " (found by searching the source)"
    out = [head]
    marked = mark_evidence(c, color=color)
    if marked:
        out.append(f"      > {marked}")
    out.extend(f"      {m}" for m in c.messages if not m.startswith("evidence found by searching"))
    out.extend(f"      warning: {w}" for w in c.warnings)
    return out


def summary_line(report: Report) -> str:
    """``62 facts: 60 supported, 2 refuted; 4 known errors reproduced; ...``."""
    s = report.summary()
    verdicts = ", ".join(
        f"{s[k]} {k}"
        for k in ("supported", "refuted", "disputed", "unverified", "not-found", "uncited")
        if s[k]
    )
    parts = [f"{s['facts']} facts: {verdicts or 'none'}"]
    if s["expected_failures"]:
        parts.append(f"{s['expected_failures']} known errors reproduced")
    if s["unexpected_passes"]:
        parts.append(f"{s['unexpected_passes']} known errors no longer reproduced")
    parts.append(f"{s['conflicts']} conflicts")
    parts.append(f"{s['warnings']} warnings")
    parts.append("OK" if report.ok else f"FAILED ({s['failed']} facts failed)")
    return "; ".join(parts)


# --- JSON -----------------------------------------------------------------------


def _stated_data(q: Stated | None) -> dict[str, Any] | None:
    return None if q is None else {"text": q.text, "type": q.type, "span": [q.start, q.end]}


def _citation_data(c: CitationResult) -> dict[str, Any]:
    evidence_span = None
    if c.evidence is not None and c.evidence_start is not None:
        evidence_span = [c.evidence_start, c.evidence_start + len(c.evidence)]
    return {
        "source": c.citation.source,
        "quote": c.citation.quote,
        "contradicts": c.citation.contradicts,
        "verdict": c.verdict,
        "ok": c.ok,
        "span": list(c.span) if c.span is not None else None,
        "similarity": c.similarity,
        "evidence": c.evidence,
        "evidence_span": evidence_span,
        "stated": [_stated_data(q) for q in c.stated],
        "matched": _stated_data(c.matched),
        "auto": c.auto,
        "messages": list(c.messages),
        "warnings": list(c.warnings),
    }


def to_data(report: Report) -> dict[str, Any]:
    """The report as JSON-compatible data, in the stable version-1 shape."""
    facts = []
    for r in report.facts:
        f = r.fact
        loc = f.location
        facts.append(
            {
                "file": loc.path if loc else None,
                "line": loc.line if loc else None,
                "column": loc.column if loc else None,
                "key": f.key,
                "claim": f.claim,
                "predicate": f.predicate,
                "args": [a.spelling() for a in f.args],
                "negated": f.negated,
                "comparator": f.comparator,
                "value": f.value.spelling() if f.value is not None else None,
                "verdict": r.verdict,
                "passed": r.passes(strict=report.strict),
                "warnings": list(r.warnings),
                "messages": list(r.messages),
                "citations": [_citation_data(c) for c in r.citations],
            }
        )
    conflicts = [
        {
            "key": c.key,
            "message": c.message,
            "facts": [
                {
                    "file": f.location.path if f.location else None,
                    "line": f.location.line if f.location else None,
                    "claim": f.claim,
                    "sources": [x.source for x in f.citations],
                }
                for f in c.facts
            ],
            "sources": list(c.sources),
        }
        for c in report.conflicts
    ]
    return {"version": JSON_VERSION, "summary": report.summary(), "facts": facts, "conflicts": conflicts}


def render_json(report: Report) -> str:
    """The report as one JSON object (see the module docstring for its shape)."""
    # No indent: indenting forces json's pure-Python encoder, many times slower.
    return json.dumps(to_data(report), ensure_ascii=False) + "\n"


# --- JUnit XML ------------------------------------------------------------------


def _failure_text(r: FactResult) -> str:
    lines = [f"{r.verdict}: {r.fact.claim}"]
    for c in r.citations:
        lines.extend(_citation_lines(c, False))
    lines.extend(f"    {m}" for m in r.messages)
    return "\n".join(lines)


def render_junit(report: Report) -> str:
    """One ``<testcase>`` per fact (and per conflict), loadable by CI test reporters."""
    s = report.summary()
    suite = ET.Element(
        "testsuite",
        name="factlang",
        tests=str(len(report.facts) + len(report.conflicts)),
        failures=str(s["failed"] + s["conflicts"]),
        errors="0",
        skipped="0",
    )
    for r in report.facts:
        loc = r.fact.location
        case = ET.SubElement(
            suite,
            "testcase",
            classname=(loc.path if loc else "factlang").replace("/", ".").removesuffix(".fact"),
            name=r.fact.key if not r.fact.negated else f"not {r.fact.key}",
            file=loc.path if loc else "",
            line=str(loc.line if loc else 0),
        )
        if not r.passes(strict=report.strict):
            label = r.verdict if r.verdict != "supported" else "failed"
            failure = ET.SubElement(case, "failure", message=f"{label}: {r.fact.claim}", type=label)
            failure.text = _failure_text(r)
        elif r.warnings:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(r.warnings)
    for c in report.conflicts:
        case = ET.SubElement(suite, "testcase", classname="factlang.conflicts", name=c.key)
        failure = ET.SubElement(case, "failure", message=c.message, type="conflict")
        failure.text = "\n".join(f"{f.location}: {f.claim}" for f in c.facts)
    root = ET.Element("testsuites", tests=suite.get("tests", "0"), failures=suite.get("failures", "0"))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- GitHub workflow commands ---------------------------------------------------


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _annotation(kind: str, r: FactResult, title: str, message: str) -> str:
    loc = r.fact.location
    props = []
    if loc is not None:
        props = [f"file={_gh_escape(loc.path, prop=True)}", f"line={loc.line}", f"col={loc.column}"]
    props.append(f"title={_gh_escape(title, prop=True)}")
    return f"::{kind} {','.join(props)}::{_gh_escape(message)}"


def render_github(report: Report) -> str:
    """GitHub Actions annotations: an error per failing fact and conflict, a warning per warning."""
    lines = []
    for r in report.facts:
        if not r.passes(strict=report.strict):
            label = r.verdict if r.verdict != "supported" else "failed"
            lines.append(_annotation("error", r, f"factlang {label}: {r.fact.key}", _failure_text(r)))
        for w in r.warnings:
            lines.append(_annotation("warning", r, f"factlang warning: {r.fact.key}", w))
    for c in report.conflicts:
        first = c.facts[0]
        fake = FactResult(first, "refuted")
        lines.append(_annotation("error", fake, f"factlang conflict: {c.key}", c.message))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


FORMATS: Final[dict[str, Callable[[Report], str]]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}
