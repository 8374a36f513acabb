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

import io
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final, TypeVar

from factlang.diagnostics import Diagnostic
from factlang.findings import Finding
from factlang.render.issues import file_runs, write_by_file
from factlang.report import CitationResult, Conflict, FactResult, Report, Stated
from factlang.sources.resolve import Origin

__all__ = [
    "JOINS",
    "JSON_VERSION",
    "diagnostic_data",
    "fact_data",
    "file_parts",
    "render_json",
    "to_data",
    "write_json",
    "write_parts",
]

JSON_VERSION: Final = 1

_T = TypeVar("_T")

# One encoder for every record: ``json.dumps`` with options builds a new one
# per call. The same options as ``json.dumps(..., ensure_ascii=False)``, so the
# bytes are the same; no circularity check (report data is a tree).
_encode: Final = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

# How many facts are encoded before one write: fewer, larger writes.
_BATCH: Final = 512


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


def fact_data(
    r: FactResult, strict: bool = False, origins: Mapping[str, Origin] | None = None
) -> dict[str, Any]:
    """One fact's result as JSON data: an element of the report's ``facts``."""
    f = r.fact
    loc = f.location
    # The failure code decides passed and suppressed too: computed once
    # (as FactResult.passes and is_suppressed do).
    code = r.failure(strict)
    origins = origins or {}
    return {
        "file": loc.path if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "key": f.key,
        "claim": f.claim,
        "predicate": f.predicate,
        "args": list(f.spellings),
        "negated": f.negated,
        "comparator": f.comparator,
        "value": f.value_spelling,
        "verdict": r.verdict,
        "passed": code is None or code in r.suppressed,
        "code": code,
        "suppressed": code is not None and code in r.suppressed,
        "warnings": [w.text for w in r.warnings],
        "messages": [m.message for m in r.messages],
        "findings": [_finding_data(x) for x in r.messages],
        "citations": [_citation_data(c, origins.get(c.citation.source)) for c in r.citations],
    }


def _conflict_data(c: Conflict) -> dict[str, Any]:
    return {
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


def _sources_data(origins: Mapping[str, Origin]) -> dict[str, Any]:
    return {
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
        for sid, o in origins.items()
    }


def to_data(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> dict[str, Any]:
    """The report as JSON-compatible data, in the stable version-1 shape.

    The whole report at once; :func:`write_json` writes the same JSON record
    by record without building it.
    """
    return {
        "version": JSON_VERSION,
        "summary": report.summary(),
        "diagnostics": [diagnostic_data(d) for d in diagnostics],
        "facts": [fact_data(r, report.strict, report.origins) for r in report.facts],
        "conflicts": [_conflict_data(c) for c in report.conflicts],
        "sources": _sources_data(report.origins),
    }


def _write_list(out: IO[str], records: Sequence[_T], data: Callable[[_T], Any]) -> None:
    """``[a, b, ...]`` as ``json.dumps`` writes it, a batch of records at a time."""
    out.write("[")
    for start in range(0, len(records), _BATCH):
        # One encoder call per batch: its list's brackets are the only extra.
        chunk = _encode([data(x) for x in records[start : start + _BATCH]])[1:-1]
        out.write(", " + chunk if start else chunk)
    out.write("]")


#: How a file's shares (:func:`file_parts`) join, part by part, when one file yields several.
JOINS: Final = (", ",)


def file_parts(report: Report, **_: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The fact files' shares of the JSON, in order: (the file as shown, (records,)).

    The records are as the ``facts`` list holds them, joined; a share depends
    on its facts' results and their sources' origins alone. A file yields a
    share per batch of its facts (joined by :data:`JOINS`): no more than a
    batch is held as text.
    """
    strict, origins, facts = report.strict, report.origins, report.facts
    for path, ns in file_runs(report):
        for start in range(0, len(ns), _BATCH):
            records = [fact_data(facts[n], strict, origins) for n in ns[start : start + _BATCH]]
            yield path, (_encode(records)[1:-1],)


def write_parts(
    out: IO[str],
    parts: Iterable[tuple[str, ...]],
    tail: Report,
    summary: Mapping[str, int],
    where: Collection[str] = (),
    diagnostics: Sequence[Diagnostic] = (),
    **_: object,
) -> None:
    """Write the JSON of a report from its files' shares (:func:`file_parts`), in order.

    ``tail`` holds the report's conflicts and every cited source's origin,
    ``summary`` its counts (``where``, the files that fail, is not shown).
    """
    out.write(f'{{"version": {_encode(JSON_VERSION)}, "summary": {_encode(summary)}, ')
    out.write(f'"diagnostics": {_encode([diagnostic_data(d) for d in diagnostics])}, "facts": [')
    sep = ""
    for (records,) in parts:
        if records:
            out.write(sep + records)
            sep = ", "
    out.write('], "conflicts": ')
    _write_list(out, tail.conflicts, _conflict_data)
    out.write(f', "sources": {_encode(_sources_data(tail.origins))}}}\n')


def write_json(report: Report, out: IO[str], diagnostics: Sequence[Diagnostic] = ()) -> None:
    """Write the report's JSON to ``out``, a batch of facts at a time; the same text as :func:`render_json`.

    Only one batch of facts is ever held as data or text, never the whole
    report; the cyclic collector is paused meanwhile, since rendering makes
    only short-lived, acyclic garbage (and a collection would walk the whole
    report again and again).
    """
    write_by_file(report, out, file_parts, write_parts, diagnostics)


def render_json(report: Report, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """The report as one JSON object (see the module docstring for its shape)."""
    # No indent: indenting forces json's pure-Python encoder, many times slower.
    out = io.StringIO()
    write_json(report, out, diagnostics)
    return out.getvalue()
