"""Diagnostics for the editor, and the code actions that fix them.

Static diagnostics come straight from the parser and builder (the same
:class:`~factlang.diagnostics.Diagnostic` values ``check`` prints); verdict
diagnostics from the verifier's :class:`~factlang.report.FactResult`, one
per citation that is not as the writer says and one per warning, each with
the quote's place in the source as related information. A diagnostic that a
code action can fix carries what the fix needs in its ``data``, so the
action never re-derives it from the wording of a message.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

from lsprotocol import types as lsp

from factlang import model as m
from factlang import syntax as s
from factlang import values as v
from factlang.codes import code_for
from factlang.diagnostics import Diagnostic
from factlang.findings import Finding
from factlang.lsp.convert import diagnostic_range, location, span_range, uri_of
from factlang.lsp.positions import LineIndex
from factlang.lsp.project import FileInfo, Project, Snapshot, Verification
from factlang.report import CitationResult, FactResult
from factlang.values import quote_string

__all__ = [
    "SOURCE",
    "code_actions",
    "elsewhere_diagnostics",
    "source_location",
    "static_diagnostics",
    "verdict_diagnostics",
]

#: The ``source`` field of every diagnostic the server publishes.
SOURCE: Final = "factlang"

_SEVERITY: Final = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "note": lsp.DiagnosticSeverity.Information,
}
_SEARCHED: Final = code_for("searched-evidence").code
_DID_YOU_MEAN: Final = re.compile(r"did you mean '([^']+)'\?")
_ADD_USE: Final = re.compile(r'add: use "([^"]+)"')
_NOT_STATED: Final = re.compile(r"^(\w+) (\S+) is not stated near the quote")
# Relative times whose meaning needs the publication date, and how they move the year.
_RELATIVE: Final = re.compile(
    r"\b(?:(last|this|next|previous|past|coming)\s+(?:year|month|quarter|week|spring|summer|autumn|fall|"
    r"winter|january|february|march|april|may|june|july|august|september|october|november|december)"
    r"|(yesterday|today|tomorrow)"
    r"|on\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
    re.IGNORECASE,
)
_YEAR_SHIFT: Final = {"last": 1, "previous": 1, "past": 1, "this": 0, "next": -1, "coming": -1}


def static_diagnostics(
    info: FileInfo | None, diagnostics: Sequence[Diagnostic], text: str
) -> list[lsp.Diagnostic]:
    """The parser's and builder's diagnostics of one file, as LSP diagnostics."""
    lines = info.lines if info is not None and info.text == text else LineIndex(text)
    out: list[lsp.Diagnostic] = []
    for d in diagnostics:
        data: dict[str, Any] = {}
        if (found := _DID_YOU_MEAN.search(d.message)) is not None:
            data["replace"] = found.group(1)
        if d.hint and (found := _ADD_USE.search(d.hint)) is not None:
            data["use"] = found.group(1)
        message = d.message if not d.hint else f"{d.message}\nhint: {d.hint}"
        out.append(
            lsp.Diagnostic(
                diagnostic_range(lines, d),
                message,
                severity=_SEVERITY[d.severity],
                code=d.code,
                source=SOURCE,
                data=data or None,
            )
        )
    return out


def elsewhere_diagnostics(snap: Snapshot, open_paths: Iterable[Path]) -> list[lsp.Diagnostic]:
    """Problems outside the open files (the configuration, a file not open), shown at the top of each.

    They stop the project from checking, and so from being verified: a
    writer must see them without opening every file.
    """
    shown = set(open_paths)
    out: list[lsp.Diagnostic] = []
    top = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    for path, found in snap.diagnostics.items():
        if path in shown or not found:
            continue
        first = found[0]
        info = snap.files.get(path)
        related = None
        if info is not None:
            loc = lsp.Location(uri_of(path), diagnostic_range(info.lines, first))
            related = [lsp.DiagnosticRelatedInformation(loc, first.message)]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        rel = os.path.relpath(path, snap.config.root)
        where = f"{rel}:{first.line}:{first.column}" if first.line > 0 else rel
        out.append(
            lsp.Diagnostic(
                top,
                f"{where}: {first.message}{more}; facts are verified once the project checks",
                severity=_SEVERITY[first.severity],
                code=first.code,
                source=SOURCE,
                related_information=related,
            )
        )
    return out


def verdict_diagnostics(
    project: Project, snap: Snapshot, verification: Verification | None, path: Path
) -> list[lsp.Diagnostic]:
    """One diagnostic per failing citation or fact and per warning, for the facts of one file.

    Works with a verification of an older text: facts are matched by what
    they say, so a fact keeps its verdict while other lines are edited.
    """
    info = snap.files.get(path)
    if verification is None or info is None or info.parsed is None or snap.base is None:
        return []
    out: list[lsp.Diagnostic] = []
    for stmt in info.parsed.facts:
        key = verification.key(snap, path, stmt)
        result = verification.results.get(key)
        if result is not None:
            out.extend(_fact_diagnostics(project, snap, info, stmt, result))
        conflict = verification.conflicts.get(key)
        if conflict is not None:
            out.append(_conflict_diagnostic(snap, info, stmt, *conflict))
    return out


def _conflict_diagnostic(
    snap: Snapshot, info: FileInfo, stmt: s.FactStmt, why: str, others: Sequence[m.Location]
) -> lsp.Diagnostic:
    related = []
    for loc in others:
        other = snap.files.get(Path(loc.path))
        if other is None:
            continue
        start = (
            other.lines.starts[loc.line - 1] + loc.column - 1 if loc.line <= len(other.lines.starts) else 0
        )
        where = other.statement_at(start)
        end = where.pos.end if where is not None else start
        related.append(
            lsp.DiagnosticRelatedInformation(location(other.path, other.lines, start, end), "conflicts")
        )
    return lsp.Diagnostic(
        span_range(info.lines, stmt.predicate.pos.start, stmt.predicate.pos.end),
        f"conflict: {why}",
        severity=lsp.DiagnosticSeverity.Error,
        code=code_for("conflict").code,
        source=SOURCE,
        related_information=related or None,
    )


def _fact_diagnostics(
    project: Project, snap: Snapshot, info: FileInfo, stmt: s.FactStmt, result: FactResult
) -> Iterable[lsp.Diagnostic]:
    lines = info.lines
    head = span_range(lines, stmt.predicate.pos.start, stmt.predicate.pos.end)
    cited_errors = False
    for c, syn in zip(result.citations, stmt.citations, strict=False):
        where = syn.quote_pos or syn.pos
        if c.ok and not c.warnings:
            continue
        rng = span_range(lines, where.start, where.end)
        related = _related(project, snap, c)
        if not c.ok:
            cited_errors = True
            if c.citation.contradicts:
                message = f"@{c.citation.source} is marked 'contradicts' but is {c.verdict}"
                code = code_for("unexpected-pass").code
            else:
                message = f"@{c.citation.source}: {c.verdict}"
                code = code_for(c.verdict).code
            details = [str(f) for f in c.messages if f.code != _SEARCHED]
            out_message = "; ".join([message, *details])
            yield lsp.Diagnostic(
                rng,
                out_message,
                severity=lsp.DiagnosticSeverity.Error,
                code=code,
                source=SOURCE,
                related_information=related,
                data=_date_fix(snap, c, result.fact.value) if c.verdict == "unverified" else None,
            )
        for w in c.warnings:
            yield lsp.Diagnostic(
                rng,
                f"@{c.citation.source}: {w.message}",
                severity=_SEVERITY[w.severity],
                code=w.code,
                source=SOURCE,
                related_information=related,
                data=_warning_fix(snap, result.fact, c, w),
            )
    if result.verdict == "disputed" or (not result.passed and not cited_errors):
        messages = "; ".join(str(f) for f in result.messages)
        yield lsp.Diagnostic(
            head,
            f"{result.verdict}: {result.fact.claim}" + (f"; {messages}" if messages else ""),
            severity=lsp.DiagnosticSeverity.Error,
            code=result.failure() or code_for(result.verdict).code,  # the fact's own failure code
            source=SOURCE,
        )


def _related(
    project: Project, snap: Snapshot, c: CitationResult
) -> list[lsp.DiagnosticRelatedInformation] | None:
    if c.span is None or snap.base is None:
        return None
    source = snap.base.sources.get(c.citation.source)
    loc = source_location(project, source, c.span) if source is not None else None
    if loc is None:
        return None
    return [lsp.DiagnosticRelatedInformation(loc, f"the quote in {source.path if source else ''}")]


def source_location(project: Project, source: m.Source, span: tuple[int, int]) -> lsp.Location | None:
    """Where a span of a source's text is in its file."""
    text = project.source_file_text(source)
    if text is None:
        return None
    path = (project.root / source.path).resolve()
    return location(path, project.source_lines(source, text), span[0], span[1])


def _warning_fix(snap: Snapshot, fact: m.Fact, c: CitationResult, warning: Finding) -> dict[str, Any] | None:
    """What a code action needs to fix a warning: the source's words, or a publication date."""
    if warning.code == code_for("quote-drift").code and c.source_text is not None:
        return {"quote": c.source_text}
    found = _NOT_STATED.match(warning.message) if warning.code == code_for("time-not-stated").code else None
    arg = next((a for a in fact.args if a.spelling() == found.group(2)), None) if found else None
    return _date_fix(snap, c, arg) if arg is not None else None


def _date_fix(snap: Snapshot, c: CitationResult, value: v.Value | None) -> dict[str, Any] | None:
    """A ``published`` date for an undated source whose evidence says "last year" (or the like)."""
    if value is None or snap.base is None or c.evidence is None:
        return None
    source = snap.base.sources.get(c.citation.source)
    relative = _RELATIVE.search(c.evidence)
    year = _year_of(value)
    if source is None or source.published is not None or relative is None or year is None:
        return None
    day = value.date if isinstance(value, v.Date) else None
    word = (relative.group(1) or "").lower()
    if day is not None and (relative.group(2) or "").lower() == "yesterday":
        day += _dt.timedelta(days=1)
    published = day.isoformat() if day is not None else f"{year + _YEAR_SHIFT.get(word, 0)}-01-01"
    because = relative.group(0)
    return {"published": published, "source": source.id, "because": because, "exact": day is not None}


def _year_of(value: v.Value) -> int | None:
    for attr in ("year", "date"):
        got = getattr(value, attr, None)
        if isinstance(got, int):
            return got
        if isinstance(got, _dt.date):
            return got.year
    return None


# --- code actions --------------------------------------------------------------


def code_actions(
    project: Project, snap: Snapshot, path: Path, text: str, diagnostics: Sequence[lsp.Diagnostic]
) -> list[lsp.CodeAction]:
    """The quick fixes for the diagnostics the client sends back (with the data we gave them)."""
    lines = LineIndex(text)
    uri = uri_of(path)
    out: list[lsp.CodeAction] = []
    for d in diagnostics:
        data = d.data if isinstance(d.data, dict) else {}
        if isinstance(name := data.get("replace"), str):
            out.append(
                _action(f"Replace with '{name}'", d, {uri: [lsp.TextEdit(d.range, name)]}, preferred=True)
            )
        if isinstance(use := data.get("use"), str):
            edit = _add_use(snap.files.get(path), lines, use)
            out.append(_action(f'Add use "{use}"', d, {uri: [edit]}, preferred=True))
        if isinstance(quote := data.get("quote"), str):
            words = " ".join(quote.split())
            edit = lsp.TextEdit(d.range, quote_string(words))
            out.append(_action("Take the source's exact words", d, {uri: [edit]}, preferred=True))
        if isinstance(date := data.get("published"), str) and isinstance(sid := data.get("source"), str):
            changes = _add_published(project, snap, path, lines, sid, date)
            if changes:
                why = (
                    ""
                    if data.get("exact")
                    else f" (the year follows from “{data.get('because')}”; check the day)"
                )
                out.append(_action(f"Add 'published: {date}' to source '{sid}'{why}", d, changes))
    return out


def _action(
    title: str, d: lsp.Diagnostic, changes: dict[str, list[lsp.TextEdit]], *, preferred: bool = False
) -> lsp.CodeAction:
    return lsp.CodeAction(
        title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[d],
        is_preferred=preferred or None,
        edit=lsp.WorkspaceEdit(changes=changes),
    )


def _insert(line: int, text: str) -> lsp.TextEdit:
    pos = lsp.Position(line, 0)
    return lsp.TextEdit(lsp.Range(pos, pos), text)


def _add_use(info: FileInfo | None, lines: LineIndex, use: str) -> lsp.TextEdit:
    """``use "..."`` after the file's last ``use``, else before its first statement."""
    parsed = info.parsed if info is not None else None
    if parsed is not None and parsed.uses:
        return _insert(max(u.pos.end_line for u in parsed.uses), f'use "{use}"\n')
    if parsed is not None and parsed.statements:
        return _insert(parsed.statements[0].pos.line - 1, f'use "{use}"\n\n')
    # The file does not parse now: after its leading comment lines.
    line = 0
    while line < len(lines.starts) and lines.line_text(line).lstrip().startswith("#"):
        line += 1
    return _insert(line, f'use "{use}"\n')


def _add_published(
    project: Project, snap: Snapshot, path: Path, lines: LineIndex, sid: str, date: str
) -> dict[str, list[lsp.TextEdit]]:
    """A ``published`` field in the source's declaration (a declaration if it has none)."""
    decl = snap.decls.get(("source", sid))
    if decl is None:
        return {}
    node = decl.node
    if isinstance(node, s.SourceDecl):
        info = snap.files.get(decl.path)
        if info is None:
            return {}
        if node.has_block:
            # Before the closing brace, indented as fmt would.
            close = node.pos.end - 1
            at = info.lines.position(close)
            if info.lines.line_text(at[0])[: at[1]].strip():
                edit = lsp.TextEdit(span_range(info.lines, close, close), f"\n    published: {date}\n")
            else:
                edit = _insert(at[0], f"    published: {date}\n")
        else:
            end = node.path_pos.end
            edit = lsp.TextEdit(span_range(info.lines, end, end), f" {{\n    published: {date}\n}}")
        return {uri_of(decl.path): [edit]}
    # A sources-folder file: declare it, in this file, before its first fact.
    rel = decl.path.relative_to(project.root).as_posix() if decl.path.is_relative_to(project.root) else ""
    info = snap.files.get(path)
    first = info.parsed.facts[0].pos.line - 1 if info is not None and info.parsed and info.parsed.facts else 0
    text = f'source {sid} = "{rel}" {{\n    published: {date}\n}}\n\n'
    return {uri_of(path): [_insert(first, text)]}
