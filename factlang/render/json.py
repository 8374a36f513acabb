"""The JSON report (``--format json``).

The JSON shape (``--format json``) is stable, version 1::

    {"version": 1,
     "summary": {"facts": N, "supported": N, "refuted": N, "unverified": N,
                 "not-found": N, "disputed": N, "uncited": N, "failed": N,
                 "expected_failures": N, "unexpected_passes": N,
                 "conflicts": N, "warnings": N, "suppressed": N},
     "diagnostics": [{"file", "line", "column", "end_line", "end_column",
                      "severity", "code", "message", "hint"}],
     "facts": [{"file", "line", "column", "key", "claim", "predicate", "args",
                "negated", "comparator", "value", "verdict", "passed", "code",
                "suppressed", "warnings", "messages", "findings",
                "citations": [{"source", "quote", "contradicts", "verdict",
                               "ok", "span", "spans", "similarity", "evidence",
                               "evidence_span", "stated", "matched",
                               "auto", "page", "source_sha256", "retrieved",
                               "messages", "warnings"}]}],
     "conflicts": [{"key", "message", "facts": [{"file", "line", "claim",
                                                 "sources"}], "sources"}],
     "sources": {ID: {"format", "extractor", "sha256", "path", "url",
                      "final_url", "retrieved", "media_type", "pages",
                      "page_starts", "locked", "changed"}}}

``diagnostics`` holds the static errors of a run that could not verify
(syntax, names, types, configuration; the exit is 2), and is empty
otherwise. ``code`` is the failing fact's finding code (``FL301``...), or
null when it passes. The shape is published as a JSON Schema,
``factlang/schema/report-v1.json``.

``page`` is the page the span starts on (PDF sources; else null);
``source_sha256`` the hash of the source's bytes as read, ``retrieved`` when
a URL source was fetched (else null). ``value`` and ``args`` are the canonical spellings (``"16%"``,
``"$185.1 billion"``); ``span`` and ``evidence_span`` are ``[start, end]``
character offsets in the source text, or null; ``spans`` lists every part of
a quote that elides words (``"A … B"``), the first being ``span``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from factlang.diagnostics import Diagnostic
from factlang.findings import Finding
from factlang.report import CitationResult, Report, Stated
from factlang.sources.resolve import Origin

__all__ = ["JSON_VERSION", "diagnostic_data", "render_json", "to_data"]

JSON_VERSION: Final = 1


def _finding_data(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "hint": f.hint,
        "source": f.source,
        "span": list(f.span) if f.span is not None else None,
    }


def _stated_data(q: Stated | None) -> dict[str, Any] | None:
    return None if q is None else {"text": q.text, "type": q.type, "span": [q.start, q.end]}


def _citation_data(c: CitationResult, origin: Origin | None = None) -> dict[str, Any]:
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
        "spans": [list(s) for s in (c.spans or ((c.span,) if c.span is not None else ()))],
        "similarity": c.similarity,
        "evidence": c.evidence,
        "evidence_span": evidence_span,
        "stated": [_stated_data(q) for q in c.stated],
        "matched": _stated_data(c.matched),
        "auto": c.auto,
        "page": c.page,
        "source_sha256": origin.sha256 if origin is not None else None,
        "retrieved": origin.retrieved if origin is not None else None,
        "messages": [m.message for m in c.messages],
        "warnings": [w.message for w in c.warnings],
        "findings": [_finding_data(x) for x in (*c.messages, *c.warnings)],
    }


def diagnostic_data(d: Diagnostic) -> dict[str, Any]:
    """One static diagnostic as JSON data (positions are null when it belongs to no place)."""
    placed = d.line > 0
    return {
        "file": d.path or None,
        "line": d.line if placed else None,
        "column": d.column if placed else None,
        "end_line": d.end_line if placed else None,
        "end_column": d.end_column if placed else None,
        "severity": d.severity,
        "code": d.code,
        "message": d.message,
        "hint": d.hint,
    }


def to_data(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> dict[str, Any]:
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
                "code": r.failure(report.strict),
                "suppressed": r.is_suppressed(report.strict),
                "warnings": [w.text for w in r.warnings],
                "messages": [m.message for m in r.messages],
                "findings": [_finding_data(x) for x in r.messages],
                "citations": [_citation_data(c, report.origins.get(c.citation.source)) for c in r.citations],
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
    sources = {
        sid: {
            "format": o.format,
            "extractor": o.extractor,
            "sha256": o.sha256,
            "path": o.path,
            "url": o.url,
            "final_url": o.final_url,
            "retrieved": o.retrieved,
            "media_type": o.media_type,
            "pages": o.pages,
            "page_starts": list(o.page_starts),
            "locked": o.locked,
            "changed": o.changed,
        }
        for sid, o in report.origins.items()
    }
    return {
        "version": JSON_VERSION,
        "summary": report.summary(),
        "diagnostics": [diagnostic_data(d) for d in diagnostics],
        "facts": facts,
        "conflicts": conflicts,
        "sources": sources,
    }


def render_json(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """The report as one JSON object (see the module docstring for its shape)."""
    # No indent: indenting forces json's pure-Python encoder, many times slower.
    return json.dumps(to_data(report, diagnostics), ensure_ascii=False) + "\n"
