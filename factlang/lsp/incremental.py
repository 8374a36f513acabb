"""Incremental parsing for the editor: a file as chunks of whole statements, each parsed once.

Typing changes one statement, but :func:`factlang.parser.parse` reads the
whole file. Here the text is cut, at lines that can only start a statement,
into chunks of about :data:`CHUNK_LINES` lines; each chunk is parsed alone
by the same parser (cached by its text) and its positions moved to where it
now is in the file. A keystroke so costs the parse of one chunk plus moving
the positions of the chunks after it, not the parse of the whole file.

A chunk starts where no bracket is open and the line starts, in its first
column, with a letter or ``_`` that does not continue a statement (``aka``,
``contradicts``): every statement starts with a keyword or a name there in
any file ``fmt`` has written, and in nearly every other. Where a cut would
be wrong, the chunk before it fails to parse at its end, and then the whole
file is parsed as one, so a cut never invents an error. (Errors inside a
chunk are reported from the chunk: the parser resumes at the next statement
after an error in the same way.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import attrs

from factlang import syntax as s
from factlang.diagnostics import Diagnostic, ParseError
from factlang.parser import parse

__all__ = ["CHUNK_LINES", "IncrementalParser", "chunks"]

#: About how many lines a chunk has (it ends at the next statement start after these).
CHUNK_LINES: Final = 48

_CONTINUES: Final = re.compile(r"(?:aka|contradicts)\b")
_CODE: Final = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#.*|[(){}]')


def chunks(text: str) -> Iterator[tuple[int, int, str]]:
    """The chunks of a text: (first line, 0-based; offset; text), in order, covering it all."""
    lines = text.split("\n")
    depth = 0
    start_line, start_offset, offset = 0, 0, 0
    for i, line in enumerate(lines):
        if (
            i - start_line >= CHUNK_LINES
            and depth == 0
            and (line[:1].isalpha() or line.startswith("_"))
            and not _CONTINUES.match(line)
        ):
            yield start_line, start_offset, text[start_offset:offset]
            start_line, start_offset = i, offset
        if "(" in line or ")" in line or "{" in line or "}" in line:
            for m in _CODE.finditer(line):
                ch = m.group()
                if ch in "({":
                    depth += 1
                elif ch in ")}":
                    depth = max(depth - 1, 0)
        offset += len(line) + 1
    yield start_line, start_offset, text[start_offset:]


class IncrementalParser:
    """Parses one file's successive texts, reusing the parse of every chunk that did not change."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._by_text: dict[str, s.ParsedFile | ParseError] = {}
        # Chunks already moved to their place: (text, first line, offset) -> syntax.
        self._placed: dict[tuple[str, int, int], s.ParsedFile] = {}

    def parse(self, text: str) -> s.ParsedFile:
        """The text's :class:`~factlang.syntax.ParsedFile`; raises ParseError as ``parse`` does."""
        if text.startswith("\ufeff") or "\x00" in text:
            return parse(text, self.path)  # rare: the parser's own handling, whole
        parts: list[s.ParsedFile] = []
        errors: list[Diagnostic] = []
        seen: dict[str, s.ParsedFile | ParseError] = {}
        placed: dict[tuple[str, int, int], s.ParsedFile] = {}
        cut_short = False  # a chunk before the last that fails at its end
        every = list(chunks(text))
        for n, (line, offset, chunk) in enumerate(every):
            result = self._by_text.get(chunk)
            if result is None:
                try:
                    result = parse(chunk, self.path)
                except ParseError as err:
                    result = err
            seen[chunk] = result
            if isinstance(result, ParseError):
                errors.extend(_shift_diagnostic(d, line) for d in result.diagnostics)
                last = chunk.rstrip().count("\n") + 1
                cut_short |= n < len(every) - 1 and any(d.line >= last for d in result.diagnostics)
            else:
                key = (chunk, line, offset)
                moved = self._placed.get(key)
                if moved is None:
                    moved = _shift(result, line, offset) if line or offset else result
                placed[key] = moved
                parts.append(moved)
        # Only the chunks of the newest text are kept: memory stays one file's worth.
        self._by_text = seen
        self._placed = placed
        if errors:
            if cut_short:
                # The chunk may end inside a statement that the next one finishes:
                # then the whole file decides, so a cut never invents an error.
                return parse(text, self.path)
            raise ParseError(errors)
        return _join(self.path, parts)


def _join(path: str, parts: list[s.ParsedFile]) -> s.ParsedFile:
    if len(parts) == 1:
        return parts[0]
    return s.ParsedFile(
        path,
        uses=tuple(x for p in parts for x in p.uses),
        sources=tuple(x for p in parts for x in p.sources),
        kinds=tuple(x for p in parts for x in p.kinds),
        entities=tuple(x for p in parts for x in p.entities),
        predicates=tuple(x for p in parts for x in p.predicates),
        facts=tuple(x for p in parts for x in p.facts),
        comments=tuple(x for p in parts for x in p.comments),
    )


def _shift_diagnostic(d: Diagnostic, lines: int) -> Diagnostic:
    return attrs.evolve(d, line=d.line + lines) if d.line > 0 else d


def _shift(parsed: s.ParsedFile, lines: int, offset: int) -> s.ParsedFile:
    """The chunk's syntax with every position moved ``lines`` down and ``offset`` characters on."""
    mover = _Mover(lines, offset)
    return s.ParsedFile(
        parsed.path,
        uses=tuple(map(mover.node, parsed.uses)),
        sources=tuple(map(mover.node, parsed.sources)),
        kinds=tuple(map(mover.node, parsed.kinds)),
        entities=tuple(map(mover.node, parsed.entities)),
        predicates=tuple(map(mover.node, parsed.predicates)),
        facts=tuple(map(mover.node, parsed.facts)),
        comments=tuple(s.Comment(c.text, c.line + lines, c.column) for c in parsed.comments),
    )


# Field names of each syntax class without a direct mover, found once: the
# generic mover works for any node, so a field added to the syntax layer is
# moved without a change here (only more slowly, until a direct one is added).
_FIELDS: dict[type, tuple[str, ...]] = {}


class _Mover:
    """Moves positions; direct constructors for the common nodes, a generic walk for the rest."""

    __slots__ = ("lines", "offset")

    def __init__(self, lines: int, offset: int) -> None:
        self.lines = lines
        self.offset = offset

    def pos(self, p: s.Pos) -> s.Pos:
        dl, do = self.lines, self.offset
        return s.Pos(p.line + dl, p.column, p.end_line + dl, p.end_column, p.start + do, p.end + do)

    def ident(self, i: s.Ident) -> s.Ident:
        return s.Ident(i.text, self.pos(i.pos))

    def literal(self, lit: s.Literal) -> s.Literal:
        return s.Literal(lit.kind, lit.value, lit.raw, self.pos(lit.pos))

    def node(self, node: Any) -> Any:
        cls = type(node)
        if cls is s.FactStmt and _DIRECT:
            f: s.FactStmt = node
            lit = self.literal
            return s.FactStmt(
                f.negated,
                self.ident(f.predicate),
                tuple(lit(a) for a in f.args),
                f.comparator,
                None if f.value is None else lit(f.value),
                tuple(
                    s.Citation(
                        self.ident(c.source),
                        c.quote,
                        c.contradicts,
                        self.pos(c.pos),
                        None if c.quote_pos is None else self.pos(c.quote_pos),
                    )
                    for c in f.citations
                ),
                self.pos(f.pos),
                None if f.comparator_pos is None else self.pos(f.comparator_pos),
            )
        names = _FIELDS.get(cls)
        if names is None:
            names = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cls))
        return cls(**{name: self.value(getattr(node, name)) for name in names})

    def value(self, value: Any) -> Any:
        if isinstance(value, s.Pos):
            return self.pos(value)
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if attrs.has(type(value)) and type(value).__module__ == s.__name__:
            return self.node(value)
        return value  # strings, bools, values (which hold no positions)


# The direct mover for facts knows their fields; it is used only while they
# are exactly those (a test also checks that it moves what the generic one does).
_DIRECT: Final = tuple(f.name for f in attrs.fields(s.FactStmt)) == (
    "negated",
    "predicate",
    "args",
    "comparator",
    "value",
    "citations",
    "pos",
    "comparator_pos",
) and tuple(f.name for f in attrs.fields(s.Citation)) == (
    "source",
    "quote",
    "contradicts",
    "pos",
    "quote_pos",
)
