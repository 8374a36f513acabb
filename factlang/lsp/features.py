"""The editor features, each a small function over a :class:`~factlang.lsp.project.Snapshot`.

Hover, go-to-definition, references, completion, document symbols and
formatting. Positions come in as character offsets into the document's
current text (the server converts LSP's UTF-16 positions) and leave as
lsprotocol values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from lsprotocol import types as lsp

from factlang import model as m
from factlang import syntax as s
from factlang import values as v
from factlang.codes import code_for
from factlang.diagnostics import ParseError
from factlang.lsp.convert import location, span_range, uri_of
from factlang.lsp.diagnose import source_location
from factlang.lsp.positions import LineIndex
from factlang.lsp.project import Decl, FileInfo, Occurrence, Project, Snapshot, Verification
from factlang.report import CitationResult, FactResult

__all__ = [
    "KEYWORDS",
    "TOKEN_MODIFIERS",
    "TOKEN_TYPES",
    "complete",
    "definition",
    "document_symbols",
    "explain_markdown",
    "fact_head",
    "format_document",
    "hover",
    "mark_markdown",
    "predicate_signature",
    "references",
    "semantic_tokens",
]

#: Words that start a statement, offered at the start of a line.
KEYWORDS: Final = ("use", "source", "kind", "entity", "predicate", "not")

_SOURCE_ID: Final = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_CITED: Final = re.compile(rf"@\s*({_SOURCE_ID})\s*$")
_AT: Final = re.compile(rf"@\s*({_SOURCE_ID})?$")
_CALL: Final = re.compile(r"(?:^|[^\w])([A-Za-z_]\w*)\s*\(([^()]*)$")
_KIND_SLOT: Final = re.compile(r"^\s*entity\s+\w+\s*:\s*(\w*)$")
_TYPE_SLOT: Final = re.compile(r"^\s*predicate\b.*(?::|->)\s*(\w*)$")
_STATEMENT_START: Final = re.compile(r"^\s*(?:not\s+)?(\w*)$")
_WORD: Final = re.compile(r"[A-Za-z0-9_]*$")
_MAX_ITEMS: Final = 60
_SEARCHED: Final = code_for("searched-evidence").code


# --- hover ----------------------------------------------------------------------


def hover(
    project: Project, snap: Snapshot, verification: Verification | None, path: Path, offset: int
) -> lsp.Hover | None:
    """What the thing under the cursor is: a name's declaration and uses, a fact's verdict."""
    info = snap.files.get(path)
    if info is None:
        return None
    occ = info.occurrence_at(offset)
    if occ is not None:
        text = _describe_name(snap, occ)
        if text:
            return _markdown(text, span_range(info.lines, occ.start, occ.end))
    stmt = info.statement_at(offset)
    if isinstance(stmt, s.FactStmt):
        return _markdown(
            _describe_fact(snap, verification, path, stmt),
            span_range(info.lines, stmt.pos.start, stmt.pos.end),
        )
    return None


def _markdown(text: str, rng: lsp.Range) -> lsp.Hover:
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text), rng)


def _describe_name(snap: Snapshot, occ: Occurrence) -> str | None:
    decl = snap.decls.get((occ.space, occ.name))
    if decl is None:
        return f"unknown {occ.space} `{occ.name}`"
    node = decl.node
    uses = [o for o in snap.references(occ.space, occ.name) if not o.declaration]
    if isinstance(node, s.EntityDecl):
        aka = f" aka {', '.join(v.quote_string(a) for a in node.aliases)}" if node.aliases else ""
        return (
            _code(f"entity {node.name.text}: {node.kind.text}{aka}") + f"\n\nused by {_count(uses, 'fact')}"
        )
    if isinstance(node, s.PredicateDecl):
        return _code(predicate_signature(node)) + f"\n\nused by {_count(uses, 'fact')}"
    if isinstance(node, s.KindDecl):
        entities = [
            d
            for d in snap.declared("entity")
            if isinstance(d.node, s.EntityDecl) and d.node.kind.text == occ.name
        ]
        return _code(f"kind {occ.name}") + f"\n\n{_count(entities, 'entity', 'entities')} of this kind"
    source = _source(snap, decl)
    lines = [f"**source `{decl.name}`**", ""]
    for label, value in (
        ("title", source.title),
        ("outlet", source.outlet),
        ("author", source.author),
        ("published", source.published.isoformat() if source.published else None),
        ("url", source.url),
        ("path", source.path),
    ):
        if value:
            lines.append(f"- {label}: {_escape(value)}")
    lines.append(f"\ncited by {_count(uses, 'citation')}")
    return "\n".join(lines)


def predicate_signature(node: s.PredicateDecl) -> str:
    """A predicate's declaration on one line (template on the next)."""
    params = ", ".join(f"{p.name.text}: {p.type.text}" for p in node.params)
    out = f"predicate {node.name.text}({params})"
    if node.value_type is not None:
        out += f" -> {node.value_type.text}"
    if node.template:
        out += f"\n    {v.quote_string(node.template)}"
    return out


def _source(snap: Snapshot, decl: Decl) -> m.Source:
    if snap.base is not None and decl.name in snap.base.sources:
        return snap.base.sources[decl.name]
    node = decl.node
    if isinstance(node, s.SourceDecl):
        fields = {f.name.text: f.value.value for f in node.fields}

        def text(name: str) -> str | None:
            got = fields.get(name)
            return got.text if isinstance(got, v.Text) else None

        published = fields.get("published")
        return m.Source(
            decl.name,
            node.path,
            title=text("title"),
            outlet=text("outlet"),
            author=text("author"),
            url=text("url"),
            published=published.date if isinstance(published, v.Date) else None,
        )
    return m.Source(decl.name, decl.path.as_posix())


def _describe_fact(snap: Snapshot, verification: Verification | None, path: Path, stmt: s.FactStmt) -> str:
    fact = snap.fact_at(path, stmt)
    if fact is None:
        return _code(fact_head(stmt)) + "\n\nnot verified: the project has errors to fix first"
    result = verification.result(snap, path, stmt) if verification is not None else None
    if result is None:
        return _code(fact.claim) + "\n\nverifying…"
    return explain_markdown(result)


def explain_markdown(r: FactResult) -> str:
    """A fact's verdict, each citation's evidence (quote in bold, quantities as code), its warnings."""
    out = [f"**{r.verdict}**: `{r.fact.claim}`"]
    for c in r.citations:
        tag = f"@{c.citation.source}" + (" (contradicts)" if c.citation.contradicts else "")
        out.append(f"\n{tag}: **{c.verdict}**" + (" (found by searching the source)" if c.auto else ""))
        marked = mark_markdown(c)
        if marked:
            out.append(f"> {marked}\n")
        out.extend(f"- {_escape(str(f))}" for f in c.messages if f.code != _SEARCHED)
        out.extend(f"- {w.severity} {w.code}: {_escape(w.message)}" for w in c.warnings)
    out.extend(f"\n{_escape(str(f))}" for f in r.messages)
    return "\n".join(out)


def mark_markdown(c: CitationResult) -> str | None:
    """The evidence sentence as Markdown: the quote's span in bold, stated quantities as code."""
    if c.evidence is None or c.evidence_start is None:
        return None
    base, text = c.evidence_start, c.evidence
    marks: list[tuple[int, int, str]] = []
    if c.span is not None and not c.auto:
        a, b = c.span[0] - base, c.span[1] - base
        if 0 <= a <= b <= len(text):
            marks += [(a, 0, "**"), (b, 3, "**")]
    for q in c.stated:
        a, b = q.start - base, q.end - base
        if 0 <= a <= b <= len(text):
            marks += [(a, 1, "`"), (b, 2, "`")]
    out: list[str] = []
    last = 0
    for offset, _, marker in sorted(marks):
        out.append(_escape(text[last:offset]))
        out.append(marker)
        last = offset
    out.append(_escape(text[last:]))
    return " ".join("".join(out).split())


def fact_head(stmt: s.FactStmt) -> str:
    """A fact statement's claim as written: ``share(Huawei, China, 2024) = 16%``."""
    head = f"{'not ' if stmt.negated else ''}{stmt.predicate.text}({', '.join(a.raw for a in stmt.args)})"
    if stmt.comparator is not None and stmt.value is not None:
        head += f" {stmt.comparator} {stmt.value.raw}"
    return head


def _code(text: str) -> str:
    return f"```factlang\n{text}\n```"


def _count(items: Iterable[object], one: str, many: str | None = None) -> str:
    n = sum(1 for _ in items)
    return f"{n} {one if n == 1 else many or one + 's'}"


_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]<>#|~])")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


# --- navigation -------------------------------------------------------------------


def definition(
    project: Project, snap: Snapshot, verification: Verification | None, path: Path, offset: int
) -> list[lsp.Location]:
    """Where the thing under the cursor is declared; a quote's span in its source; a ``use``'s file."""
    info = snap.files.get(path)
    if info is None:
        return []
    occ = info.occurrence_at(offset)
    if occ is not None:
        decl = snap.decls.get((occ.space, occ.name))
        return [] if decl is None else [_decl_location(snap, decl)]
    stmt = info.statement_at(offset)
    if isinstance(stmt, s.Use):
        target = (path.parent / stmt.path).resolve()
        return [_file_start(target)] if target.is_file() else []
    if isinstance(stmt, s.SourceDecl) and stmt.path_pos.start <= offset <= stmt.path_pos.end:
        target = (project.root / stmt.path).resolve()
        return [_file_start(target)] if target.is_file() and target.is_relative_to(project.root) else []
    if isinstance(stmt, s.FactStmt):
        for i, c in enumerate(stmt.citations):
            if c.quote_pos is not None and c.quote_pos.start <= offset <= c.quote_pos.end:
                return _quote_location(project, snap, verification, path, stmt, i)
    return []


def _decl_location(snap: Snapshot, decl: Decl) -> lsp.Location:
    info = snap.files.get(decl.path)
    if info is None:  # a sources-folder file: its start
        return _file_start(decl.path)
    return location(decl.path, info.lines, decl.start, decl.end)


def _file_start(path: Path) -> lsp.Location:
    zero = lsp.Position(0, 0)
    return lsp.Location(uri_of(path), lsp.Range(zero, zero))


def _quote_location(
    project: Project,
    snap: Snapshot,
    verification: Verification | None,
    path: Path,
    stmt: s.FactStmt,
    index: int,
) -> list[lsp.Location]:
    """The span of the source the ``index``-th citation's quote was found at."""
    from factlang.verify.locate import locate

    cite = stmt.citations[index]
    decl = snap.decls.get(("source", cite.source.text))
    if decl is None or cite.quote is None:
        return []
    source = _source(snap, decl)
    result = verification.result(snap, path, stmt) if verification is not None else None
    span = result.citations[index].span if result is not None and index < len(result.citations) else None
    if span is None:
        # Not verified yet (or the project has errors): locate the quote now.
        doc = project.source_document(source)
        match = locate(cite.quote, doc) if doc is not None else None
        span = (match.start, match.end) if match is not None else None
    if span is None:
        return []
    loc = source_location(project, source, span)
    if loc is None:
        # An HTML or PDF source: its text is extracted, so its file opens at the top.
        file = (project.root / source.path).resolve()
        return [_file_start(file)] if file.is_file() and file.is_relative_to(project.root) else []
    return [loc]


def references(snap: Snapshot, path: Path, offset: int, include_declaration: bool) -> list[lsp.Location]:
    """Every place the name under the cursor is written."""
    info = snap.files.get(path)
    occ = info.occurrence_at(offset) if info is not None else None
    if occ is None:
        return []
    out = []
    for o in snap.references(occ.space, occ.name):
        if o.declaration and not include_declaration:
            continue
        out.append(location(o.path, snap.files[o.path].lines, o.start, o.end))
    return out


# --- symbols and formatting ---------------------------------------------------------


def document_symbols(info: FileInfo) -> list[lsp.DocumentSymbol]:
    """The file's outline: uses, sources, kinds, entities, predicates and facts, in order."""
    if info.parsed is None:
        return []
    lines = info.lines
    out: list[lsp.DocumentSymbol] = []
    for st in info.parsed.statements:
        whole = span_range(lines, st.pos.start, st.pos.end)
        name: str
        sel: s.Pos
        kind: lsp.SymbolKind
        detail: str | None = None
        if isinstance(st, s.Use):
            name, sel, kind = f'use "{st.path}"', st.path_pos, lsp.SymbolKind.Module
        elif isinstance(st, s.SourceDecl):
            name, sel, kind, detail = st.id.text, st.id.pos, lsp.SymbolKind.File, st.path
        elif isinstance(st, s.KindDecl):
            name, sel, kind = st.name.text, st.name.pos, lsp.SymbolKind.Class
        elif isinstance(st, s.EntityDecl):
            name, sel, kind, detail = st.name.text, st.name.pos, lsp.SymbolKind.Constant, st.kind.text
        elif isinstance(st, s.PredicateDecl):
            name, sel, kind = st.name.text, st.name.pos, lsp.SymbolKind.Function
            detail = predicate_signature(st).split("\n")[0].removeprefix("predicate ")
        else:
            name, sel, kind = fact_head(st), st.predicate.pos, lsp.SymbolKind.Field
            detail = ", ".join(f"@{c.source.text}" for c in st.citations) or "uncited"
        out.append(
            lsp.DocumentSymbol(name, kind, whole, span_range(lines, sel.start, sel.end), detail=detail)
        )
    return out


def format_document(text: str, path: Path) -> list[lsp.TextEdit] | None:
    """``factlang fmt`` of the buffer as one edit; None when it does not parse (nothing to do)."""
    from factlang.formatter import format_text
    from factlang.parser import parse

    try:
        new = format_text(text, str(path))
        same = parse(new, str(path)) == parse(text, str(path))
    except ParseError:
        return None
    if new == text or not same:
        # Unchanged, or (a formatter bug) a change of meaning: never apply that.
        return []
    lines = LineIndex(text)
    return [lsp.TextEdit(span_range(lines, 0, len(text)), new)]


# --- semantic tokens ------------------------------------------------------------------

#: The token types of :func:`semantic_tokens`, by namespace (the legend's order).
TOKEN_TYPES: Final = ("namespace", "type", "enumMember", "function")
TOKEN_MODIFIERS: Final = ("declaration",)
_TOKEN_OF: Final[dict[str, int]] = {"source": 0, "kind": 1, "entity": 2, "predicate": 3}


def semantic_tokens(info: FileInfo) -> list[int]:
    """Every name of the file as LSP's relative token data: sources, kinds, entities, predicates.

    Keywords, strings and literals are left to the TextMate grammar; these
    tokens say what a name *is*, which only the checked syntax knows.
    """
    data: list[int] = []
    last_line = last_start = 0
    for occ in info.occurrences:
        line, start = info.lines.position(occ.start)
        end_line, end = info.lines.position(occ.end)
        if end_line != line:
            continue
        delta_start = start - last_start if line == last_line else start
        data += [
            line - last_line,
            delta_start,
            end - start,
            _TOKEN_OF[occ.space],
            1 if occ.declaration else 0,
        ]
        last_line, last_start = line, start
    return data


# --- completion ---------------------------------------------------------------------


def complete(
    project: Project, snap: Snapshot, path: Path, text: str, offset: int
) -> list[lsp.CompletionItem]:
    """Completions at ``offset`` of the buffer ``text``, from the line typed so far."""
    line_start = text.rfind("\n", 0, offset) + 1
    prefix = text[line_start:offset]
    lines = LineIndex(text)
    state = _scan(prefix)
    if state == "comment":
        return []
    if isinstance(state, int):  # inside a string that opens at this column
        cited = _CITED.search(prefix[:state])
        if cited is None:
            return []
        typed = _unescape(prefix[state + 1 :])
        rng = span_range(lines, line_start + state + 1, offset)
        return _quote_items(project, snap, cited.group(1), typed, rng)
    word = _WORD.search(prefix)
    word_start = offset - (len(word.group(0)) if word else 0)
    rng = span_range(lines, word_start, offset)
    if (at := _AT.search(prefix)) is not None:
        start = offset - len(at.group(1) or "")
        rng = span_range(lines, start, offset)
        return [
            _item(d.name, lsp.CompletionItemKind.Reference, rng, _source_detail(snap, d))
            for d in snap.declared("source")
        ]
    if (found := _KIND_SLOT.match(prefix)) is not None:
        return [_item(d.name, lsp.CompletionItemKind.Class, rng, "kind") for d in snap.declared("kind")]
    if (found := _TYPE_SLOT.match(prefix)) is not None:
        names = [*v.BUILTIN_TYPES, *(d.name for d in snap.declared("kind"))]
        return [_item(n, lsp.CompletionItemKind.Class, rng, "type") for n in names]
    if (found := _CALL.search(prefix)) is not None:
        return _argument_items(snap, found.group(1), found.group(2).count(","), rng)
    if _STATEMENT_START.match(prefix) is not None:
        items = [_item(k, lsp.CompletionItemKind.Keyword, rng, "keyword") for k in KEYWORDS]
        for d in snap.declared("predicate"):
            detail = (
                predicate_signature(d.node).split("\n")[0] if isinstance(d.node, s.PredicateDecl) else None
            )
            items.append(_item(d.name, lsp.CompletionItemKind.Function, rng, detail))
        return items
    return []


def _scan(prefix: str) -> str | int | None:
    """Where a line typed so far ends: in a comment, in a string (its opening column), or in code."""
    in_string: int | None = None
    i = 0
    while i < len(prefix):
        ch = prefix[i]
        if in_string is not None:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = None
        elif ch == '"':
            in_string = i
        elif ch == "#":
            return "comment"
        i += 1
    return in_string


def _unescape(raw: str) -> str:
    return re.sub(r"\\(.)", lambda m_: {"n": "\n", "t": "\t"}.get(m_.group(1), m_.group(1)), raw)


def _item(label: str, kind: lsp.CompletionItemKind, rng: lsp.Range, detail: str | None) -> lsp.CompletionItem:
    return lsp.CompletionItem(label, kind=kind, detail=detail, text_edit=lsp.TextEdit(rng, label))


def _source_detail(snap: Snapshot, decl: Decl) -> str:
    source = _source(snap, decl)
    return source.title or source.path


def _argument_items(snap: Snapshot, predicate: str, index: int, rng: lsp.Range) -> list[lsp.CompletionItem]:
    """Entities of the kind the predicate's signature asks for at argument ``index``."""
    decl = snap.decls.get(("predicate", predicate))
    node = decl.node if decl is not None else None
    if not isinstance(node, s.PredicateDecl) or index >= len(node.params):
        return []
    param = node.params[index]
    wanted = param.type.text
    if wanted in v.BUILTIN_TYPES:
        return []
    out = []
    for d in snap.declared("entity"):
        if isinstance(d.node, s.EntityDecl) and d.node.kind.text == wanted:
            out.append(_item(d.name, lsp.CompletionItemKind.EnumMember, rng, f"{param.name.text}: {wanted}"))
    return out


def _quote_items(
    project: Project, snap: Snapshot, sid: str, typed: str, rng: lsp.Range
) -> list[lsp.CompletionItem]:
    """Sentences and phrases of the cited source that start with what was typed."""
    from factlang.verify.text import fold

    decl = snap.decls.get(("source", sid))
    doc = project.source_document(_source(snap, decl)) if decl is not None else None
    if doc is None or not doc.text:
        return []
    text = doc.text
    sentences = doc.sentences
    starts: list[int] = []
    want = fold(typed)
    if not want:
        starts = [a for a, _ in sentences]
    else:
        folded = doc.folded
        at = folded.find(want)
        word_start = want[0].isalnum()
        while at >= 0 and len(starts) < _MAX_ITEMS:
            if not word_start or at == 0 or not folded[at - 1].isalnum():
                starts.append(doc.to_original(at, at + len(want))[0])
            at = folded.find(want, at + 1)
    out: list[str] = []
    for start in starts:
        if not sentences:
            break
        end = sentences[doc.sentence_at(start)][1]
        sentence = " ".join(text[start:end].split())
        out.append(sentence)
        # The clause up to the next comma or semicolon, for a shorter quote.
        cut = re.search(r"[,;:]", sentence[max(len(typed), 1) :])
        if cut is not None:
            out.append(sentence[: max(len(typed), 1) + cut.start()])
    items = []
    for n, words in enumerate(dict.fromkeys(w for w in out if w)):
        if n >= _MAX_ITEMS:
            break
        escaped = v.quote_string(words)[1:-1]
        items.append(
            lsp.CompletionItem(
                words if len(words) <= 80 else words[:79] + "…",
                kind=lsp.CompletionItemKind.Text,
                detail=f"@{sid}",
                documentation=words,
                filter_text=escaped,
                sort_text=f"{n:04d}",
                text_edit=lsp.TextEdit(rng, escaped),
            )
        )
    return items
