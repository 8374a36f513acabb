"""``factlang explain``: everything the verifier did for one fact, step by step.

For each citation: where the quote was found (span, line and column in the
source, similarity), the evidence sentence, every quantity extracted from it
with its type, sign and unit (and which one matched the value, and why),
the mention checks on the entity and time arguments, and every finding with
its code. It reads only the report (and the source texts it carries).
"""

from __future__ import annotations

from factlang import values as v
from factlang.codes import CODES
from factlang.render.explain import mark_evidence, style
from factlang.render.issues import report_issues
from factlang.report import CitationResult, FactResult, Report
from factlang.verify.quantities import Quantity, extract

__all__ = ["trace"]

_MENTION_CODES = {"FL202": "entity", "FL203": "time", "FL204": "negation"}


def _code(code: str) -> str:
    known = CODES.get(code)
    return f"{code} {known.name}" if known else code


def _sign(q: Quantity) -> str:
    if q.direction > 0:
        return "increase (+)"
    if q.direction < 0:
        return "decrease (-)"
    return "level"


def _unit(value: v.Value) -> str:
    if isinstance(value, v.Money):
        return value.currency + (f", {value.scale}" if getattr(value, "scale", None) else "")
    if isinstance(value, v.Percent):
        return "%"
    return "-"


def _at(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def _quantities(c: CitationResult, report: Report, fact_type: str | None) -> list[str]:
    if c.evidence is None or c.evidence_start is None:
        return []
    src = report.base.sources.get(c.citation.source)
    found = extract(c.evidence, reference=src.published if src is not None else None)
    if not found:
        return ["    quantities: none stated in the evidence"]
    out = ["    quantities in the evidence:"]
    for q in found:
        start = q.start + c.evidence_start
        matched = c.matched is not None and c.matched.start == start
        why = ""
        if matched:
            why = "  <- matches the value"
        elif fact_type is not None and q.value.type_name == fact_type:
            why = "  (same type as the value; does not match)"
        elif fact_type is not None:
            why = f"  (a {q.value.type_name}, the value is a {fact_type})"
        qual = f", qualifier {q.qualifier!r}" if q.qualifier else ""
        out.append(
            f"      {q.describe():<16} type {q.value.type_name}, {_sign(q)}, unit {_unit(q.value)}"
            f"{qual}, at {start}..{q.end + c.evidence_start}{why}"
        )
    return out


def _mentions(r: FactResult, c: CitationResult) -> list[str]:
    lines = ["    mention checks:"]
    flagged = {f.code for f in c.warnings}
    base_entities = {a.spelling() for a in r.fact.args if isinstance(a, v.EntityRef)}
    for name in sorted(base_entities):
        entity_warned = any(f.code == "FL202" and f" {name} " in f" {f.message} " for f in c.warnings)
        lines.append(f"      entity {name}: {'NOT mentioned nearby' if entity_warned else 'mentioned'}")
    times = [a for a in r.fact.args if a.type_name in ("Year", "FiscalYear", "Quarter", "Month", "Date")]
    for t in times:
        state = "NOT stated nearby" if "FL203" in flagged else "stated or implied by the publication date"
        lines.append(f"      time {t.spelling()}: {state}")
    if r.fact.negated:
        lines.append(f"      negation: {'NOT found nearby' if 'FL204' in flagged else 'found'}")
    return lines if len(lines) > 1 else []


def trace(r: FactResult, report: Report, *, color: bool = False) -> str:
    """The full account of one fact's verification."""
    fact = r.fact
    strict = report.strict
    label = r.label(strict)
    lines = [
        f"{style(label, 'supported' if r.passes(strict=strict) else 'refuted', color)}: {fact.claim}",
        f"  at {fact.location}" if fact.location is not None else "  at <unknown>",
    ]
    value_type = (
        report.base.predicates[fact.predicate].value_type
        if fact.predicate in report.base.predicates
        else None
    )
    lines.append(f"  key {fact.key}; value type {value_type or 'none (a relation)'}")
    for c in r.citations:
        cite = c.citation
        tag = f"@ {cite.source}" + (" (contradicts: passes only when refuted)" if cite.contradicts else "")
        lines.append(f"  {tag}: {c.verdict}" + ("" if c.ok else "  <- not as written"))
        src = report.base.sources.get(cite.source)
        if src is not None:
            lines.append(
                f"    source file: {src.path}" + (f", published {src.published}" if src.published else "")
            )
        if cite.quote is not None:
            lines.append(f'    quote: "{cite.quote}"')
        text = report.texts.get(cite.source)
        if c.span is not None:
            where = f" ({_at(text, c.span[0])})" if text is not None else ""
            how = "exactly" if c.similarity in (None, 1.0) else f"{c.similarity:.0%} similar"
            lines.append(f"    found at {c.span[0]}..{c.span[1]}{where}, {how}")
            if c.source_text is not None and c.source_text != cite.quote:
                lines.append(f'    the source reads: "{c.source_text}"')
        elif cite.quote is not None:
            lines.append("    not found in the source")
        marked = mark_evidence(c, color=color)
        if marked:
            lines.append(f"    sentence: {marked}")
        lines.extend(_quantities(c, report, value_type))
        if c.matched is not None:
            lines.append(f"    matched: {c.matched.text} ({c.matched.type})")
        lines.extend(_mentions(r, c))
        for f in (*c.messages, *c.warnings):
            lines.append(f"    [{_code(f.code)}] {f.severity}: {f.message}")
    for m in r.messages:
        lines.append(f"  [{_code(m.code)}] {m.severity}: {m.message}")
    issues = [i for i in report_issues(report) if i.key == fact.key and i.severity == "error"]
    if issues:
        lines.append(
            "  outcome: "
            + "; ".join(
                f"{i.code} at {i.place.path}:{i.place.line}:{i.place.column}" for i in issues if i.place
            )
        )
    elif r.is_suppressed(strict):
        lines.append(f"  outcome: fails, suppressed inline ({', '.join(r.suppressed)})")
    else:
        lines.append("  outcome: passes")
    return "\n".join(lines)
