"""What the source layer adds to the verifier's results: pages, page metadata, re-anchoring."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs

from factlang.findings import finding
from factlang.model import Source
from factlang.report import CitationResult
from factlang.sources.anchors import reanchor
from factlang.sources.resolve import Loaded

__all__ = ["enrich", "settle"]

_CODES: Final[dict[str, str | None]] = {"same": None, "moved": "FL250", "changed": "FL251", "gone": "FL252"}


def enrich(sources: Mapping[str, Source], loaded: Mapping[str, Loaded]) -> dict[str, Source]:
    """Sources with the metadata their pages state filled in where the declaration is silent."""
    out = dict(sources)
    for sid, got in loaded.items():
        meta = got.extracted.metadata
        src = out.get(sid)
        if src is None or not meta:
            continue
        changes: dict[str, object] = {}
        for field in ("title", "outlet", "author"):
            if getattr(src, field) is None and meta.get(field):
                changes[field] = meta[field]
        if src.published is None and got.extracted.published is not None:
            changes["published"] = got.extracted.published
        if changes:
            out[sid] = attrs.evolve(src, **changes)  # type: ignore[arg-type]
    return out


def settle(result: CitationResult, loaded: Loaded | None) -> CitationResult:
    """A citation's result with its page and, if its source changed since it was locked, re-anchored."""
    if loaded is None:
        return result
    changes: dict[str, object] = {}
    if result.span is not None:
        page = loaded.extracted.page_at(result.span[0])
        if page is not None:
            changes["page"] = page
    quote = result.citation.quote
    if loaded.reanchor and loaded.entry is not None and quote is not None:
        anchor = loaded.entry.anchors.get(quote)
        if anchor is not None:
            outcome = reanchor(anchor, loaded.extracted.text, result.span)
            code = _CODES[outcome.outcome]
            if outcome.message is not None and code is not None:
                note = finding(code, outcome.message, source=result.citation.source, span=result.span)
                if outcome.outcome == "gone":
                    changes["messages"] = (*result.messages, note)
                else:
                    changes["warnings"] = (*result.warnings, note)
    return attrs.evolve(result, **changes) if changes else result  # type: ignore[arg-type]
