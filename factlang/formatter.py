"""The formatter: one canonical layout for fact files (``factlang fmt``).

The layout: statements grouped by kind in the order ``use``, ``source``,
``kind``, ``entity``, ``predicate``, facts (declaration order kept within a
group), one blank line between groups and around multi-line statements;
each citation on its own line indented by four spaces; literals in their
canonical spelling (``$185.1bn`` -> ``$185.1 billion``, ``USD 14.53`` ->
``$14.53``) where that does not change their meaning; comments kept with
the statement, citation or field they were written beside.

:func:`format_text` never changes meaning (``parse(fmt(x)) == parse(x)``)
and is idempotent (``fmt(fmt(x)) == fmt(x)``); :func:`write_atomic`
replaces a file only through a temporary file and a rename.
"""

from __future__ import annotations

import difflib
import errno
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import attrs

from factlang import syntax as s
from factlang.diagnostics import Diagnostic, ParseError
from factlang.parser import parse
from factlang.values import quote_string

__all__ = ["Reformat", "format_text", "reformat", "write_atomic"]

_INDENT: Final = "    "


def format_text(text: str | bytes, path: str = "<string>") -> str:
    """The canonical layout of a fact file's text.

    Raises :class:`~factlang.diagnostics.ParseError` if it does not parse
    (nothing is ever formatted from a partial parse).
    """
    parsed = parse(text, path)
    source = text.decode("utf-8") if isinstance(text, bytes) else text
    # The parser drops a byte-order mark; so does the output.
    return _Formatter(parsed, source.removeprefix("\ufeff").split("\n")).run()


@attrs.frozen
class Reformat:
    """The outcome of formatting one file: its new text (None when unchanged) or what stopped it."""

    path: Path
    shown: str
    old: str = ""
    new: str | None = None
    errors: tuple[Diagnostic, ...] = ()

    def diff(self) -> str:
        """A unified diff from the file as it is to its canonical layout (empty when unchanged)."""
        if self.new is None:
            return ""
        lines = difflib.unified_diff(
            self.old.splitlines(keepends=True),
            self.new.splitlines(keepends=True),
            fromfile=f"a/{self.shown}",
            tofile=f"b/{self.shown}",
        )
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
        )


def reformat(path: Path, shown: str) -> Reformat:
    """Read and format one file, refusing any output whose meaning would differ.

    Nothing is written: :meth:`Reformat.new` is the text to write (with
    :func:`write_atomic`) when the layout changes. A formatter bug must never
    cost a user their file, so the output is parsed again and compared.
    """
    try:
        data = path.read_bytes()
        new = format_text(data, shown)
    except ParseError as err:
        return Reformat(path, shown, errors=err.diagnostics)
    except OSError as err:
        return Reformat(
            path, shown, errors=(Diagnostic(f"cannot read: {err.strerror or err}", shown, code="FL105"),)
        )
    if new.encode("utf-8") == data:
        return Reformat(path, shown)
    if not _same_meaning(data, new, shown):
        message = "fmt would change this file's meaning; left as it is (a bug in fmt)"
        return Reformat(path, shown, errors=(Diagnostic(message, shown, code="FL100"),))
    return Reformat(path, shown, data.decode("utf-8", "replace"), new)


def _same_meaning(old: bytes, new: str, shown: str) -> bool:
    """Whether the formatted text parses to what the original says."""
    try:
        return parse(new, shown) == parse(old, shown)
    except ParseError:
        return False


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` via a temporary file and a rename.

    A crash leaves either the old file or the new one, never half of each;
    the file's permission bits are kept. A read-only file (no write bit for
    anyone) is refused with :class:`PermissionError`, as editors do: the
    rename would otherwise replace it even though it cannot be written.
    """
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    if mode is not None and not mode & 0o222:
        raise PermissionError(errno.EACCES, "the file is read-only; make it writable to format it")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def literal(lit: s.Literal) -> str:
    """A literal's canonical spelling."""
    if lit.kind == "NAME":
        return lit.raw
    return lit.value.spelling()


class _Formatter:
    """Lays out one parsed file, putting every comment back where it was written.

    A comment within a statement's lines (or indented on the lines right
    after it) belongs to that statement and stays beside the same line of
    it; any other comment leads the statement after it, and a blank line
    after a comment keeps it detached. Comments that open the file, set off
    by a blank line, stay at the top; comments after the last statement stay
    at the end.
    """

    def __init__(self, parsed: s.ParsedFile, lines: Sequence[str]) -> None:
        self.parsed = parsed
        self.lines = lines
        self.statements = parsed.statements
        self.inner: dict[int, list[s.Comment]] = {}
        self.leading: dict[int, list[tuple[s.Comment, bool]]] = {}
        self.tail: list[s.Comment] = []
        self.header: list[tuple[s.Comment, bool]] = []
        self.assign_comments()
        self.split_header()

    def own_line(self, c: s.Comment) -> bool:
        return not self.lines[c.line - 1][: c.column - 1].strip()

    def blank_before(self, line: int) -> bool:
        return line >= 2 and not self.lines[line - 2].strip()

    def blank_after(self, line: int) -> bool:
        return line < len(self.lines) and not self.lines[line].strip()

    def assign_comments(self) -> None:
        stmts = self.statements
        i = 0  # the first statement that ends at or after the comment
        owned_to = 0  # the last line that belongs to statement i - 1
        for c in self.parsed.comments:
            while i < len(stmts) and stmts[i].pos.end_line < c.line:
                owned_to = stmts[i].pos.end_line
                i += 1
            # The last statement that starts on the comment's line owns it.
            while i + 1 < len(stmts) and stmts[i + 1].pos.line <= c.line:
                i += 1
            if i < len(stmts) and stmts[i].pos.line <= c.line:
                self.inner.setdefault(id(stmts[i]), []).append(c)
            elif i and c.column > 1 and c.line == owned_to + 1 and self.own_line(c):
                # Indented right under a statement: a note on its last line.
                self.inner.setdefault(id(stmts[i - 1]), []).append(c)
                owned_to = c.line
            elif i < len(stmts):
                self.leading.setdefault(id(stmts[i]), []).append((c, self.blank_after(c.line)))
            else:
                self.tail.append(c)

    def split_header(self) -> None:
        """Comments opening the file, set off by a blank line, stay at the top."""
        if not self.statements:
            return
        lead = self.leading.get(id(self.statements[0]), [])
        last_gap = max((i for i, (_, gap) in enumerate(lead) if gap), default=-1)
        if last_gap >= 0:
            self.header = lead[: last_gap + 1]
            self.leading[id(self.statements[0])] = lead[last_gap + 1 :]

    # -- statements ---------------------------------------------------------------

    def run(self) -> str:
        groups: list[Sequence[s.Statement]] = [
            self.parsed.uses,
            self.parsed.sources,
            self.parsed.kinds,
            self.parsed.entities,
            self.parsed.predicates,
            self.parsed.facts,
        ]
        out: list[str] = []
        for c, gap in self.header:
            out.append(c.text.rstrip())
            if gap:
                out.append("")
        for group in groups:
            prev_multi = False
            for n, st in enumerate(group):
                lines = self.statement(st)
                multi = len(lines) > 1
                lead = self.leading.get(id(st), [])
                first_line = lead[0][0].line if lead else st.pos.line
                if out and out[-1] and (n == 0 or multi or prev_multi or self.blank_before(first_line)):
                    out.append("")
                for c, gap in lead:
                    out.append(c.text.rstrip())
                    if gap:
                        out.append("")
                out.extend(lines)
                prev_multi = multi
        for c in self.tail:
            if out and out[-1] and self.blank_before(c.line):
                out.append("")
            out.append(c.text.rstrip())
        return "\n".join(out) + "\n" if out else ""

    def statement(self, st: s.Statement) -> list[str]:
        comments = self.inner.get(id(st), [])
        if isinstance(st, s.FactStmt):
            return self.fact(st, comments)
        if isinstance(st, s.SourceDecl):
            return self.source(st, comments)
        lines, starts = [self.simple(st)], [st.pos.line]
        if isinstance(st, s.PredicateDecl) and st.template is not None and st.template_pos is not None:
            lines.append(_INDENT + quote_string(st.template))
            starts.append(st.template_pos.line)
            if st.aka and st.aka_pos is not None:
                # With a template the phrases get their own line under it.
                lines.append(_INDENT + _aka(st.aka).lstrip())
                starts.append(st.aka_pos.line)
        return self.attach(lines, starts, comments)

    def simple(self, st: s.Statement) -> str:
        if isinstance(st, s.Use):
            return f"use {quote_string(st.path)}"
        if isinstance(st, s.KindDecl):
            return f"kind {st.name.text}"
        if isinstance(st, s.EntityDecl):
            return f"entity {st.name.text}: {st.kind.text}{_aka(st.aliases)}"
        if isinstance(st, s.PredicateDecl):
            params = ", ".join(f"{p.name.text}: {p.type.text}" for p in st.params)
            arrow = f" -> {st.value_type.text}" if st.value_type else ""
            aka = _aka(st.aka) if st.template is None else ""
            return f"predicate {st.name.text}({params}){arrow}{aka}"
        raise AssertionError(f"not a simple statement: {st!r}")  # pragma: no cover

    def fact(self, st: s.FactStmt, comments: list[s.Comment]) -> list[str]:
        args = ", ".join(literal(a) for a in st.args)
        head = f"{'not ' if st.negated else ''}{st.predicate.text}({args})"
        if st.comparator is not None and st.value is not None:
            head += f" {st.comparator} {literal(st.value)}"
        lines, starts = [head], [st.pos.line]
        for c in st.citations:
            text = f"{_INDENT}@ {c.source.text}"
            if c.quote is not None:
                text += f" {quote_string(c.quote)}"
            if c.contradicts:
                text += " contradicts"
            lines.append(text)
            starts.append(c.pos.line)
        return self.attach(lines, starts, comments)

    def source(self, st: s.SourceDecl, comments: list[s.Comment]) -> list[str]:
        head = f"source {st.id.text} = {quote_string(st.path)}"
        if not st.has_block or not (st.fields or comments):
            return self.attach([head + (" {}" if st.has_block else "")], [st.pos.line], comments)
        lines, starts = [head + " {"], [st.pos.line]
        for f in st.fields:
            lines.append(f"{_INDENT}{f.name.text}: {literal(f.value)}")
            starts.append(f.pos.line)
        lines.append("}")
        starts.append(st.pos.end_line)
        return self.attach(lines, starts, comments)

    def attach(self, lines: list[str], starts: list[int], comments: list[s.Comment]) -> list[str]:
        """Put each comment of a statement back beside the output line it was written at.

        ``starts[i]`` is the original line where output line ``i`` begins. A
        comment at the end of a code line trails the output line written
        there; a comment on a line of its own comes just before the first
        output line written below it (indented like that line), or after
        the statement, indented, when none is.
        """
        if not comments:
            return lines
        before: dict[int, list[str]] = {}
        trailing: dict[int, list[str]] = {}
        for c in comments:
            text = c.text.rstrip()
            if self.own_line(c):
                idx = next((i for i, start in enumerate(starts) if start > c.line), len(lines))
                before.setdefault(idx, []).append(text)
            else:
                idx = max(i for i, start in enumerate(starts) if start <= c.line)
                trailing.setdefault(idx, []).append(text)
        out: list[str] = []
        for i, line in enumerate(lines):
            # Inside a source block, a comment above its closing brace stays indented.
            indent = _INDENT if line == "}" else line[: len(line) - len(line.lstrip())]
            extra = trailing.get(i, [])
            # Only one comment fits at a line's end; any others go above it.
            out.extend(indent + text for text in [*before.get(i, []), *extra[:-1]])
            out.append(f"{line}  {extra[-1]}" if extra else line)
        out.extend(_INDENT + text for text in before.get(len(lines), []))
        return out


def _aka(phrases: Sequence[str]) -> str:
    """`` aka "a", "b"`` (with its leading space), or nothing when there are none."""
    return f" aka {', '.join(quote_string(a) for a in phrases)}" if phrases else ""
