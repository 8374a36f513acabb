"""Parsing: fact-file text to a :class:`~factlang.syntax.ParsedFile`.

The ordinary statements are read by the fast path (:mod:`factlang.fastparse`);
a file it is not certain of, and every file with an error, goes to Lark
(:mod:`factlang.larkparse`, imported only then: a check of files the fast
path reads never imports Lark). The grammar is ``grammar/factlang.lark``
(shipped inside the wheel).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from factlang import syntax as s
from factlang._fs import wide_bom
from factlang.diagnostics import Diagnostic, ParseError
from factlang.fastparse import statements

__all__ = ["grammar_path", "grammar_text", "parse", "parse_fast"]


def grammar_path() -> Path:
    """Where the grammar is: inside the installed package, else the source tree."""
    packaged = resources.files("factlang").joinpath("_grammar", "factlang.lark")
    if packaged.is_file():
        return Path(str(packaged))
    # Editable installs and a plain checkout: the grammar/ folder beside the package.
    return Path(__file__).resolve().parent.parent / "grammar" / "factlang.lark"


@functools.cache
def grammar_text() -> str:
    """The grammar's text (read once)."""
    return grammar_path().read_text(encoding="utf-8")


def parse(text: str | bytes, path: str = "<string>") -> s.ParsedFile:
    """Parse fact-file text into a :class:`~factlang.syntax.ParsedFile`.

    ``text`` may be ``bytes`` (decoded as UTF-8). Raises
    :class:`~factlang.diagnostics.ParseError` carrying a positioned
    diagnostic for every syntax error found; never any other exception for
    bad input.
    """
    text = _text(text, path)
    fast = statements(text)
    if fast is not None:
        return _group(path, *fast)
    from factlang.larkparse import parse_with_lark

    return parse_with_lark(text, path)


def parse_fast(text: str | bytes, path: str = "<string>") -> s.ParsedFile | None:
    """What :func:`parse` gives, by the fast path alone: None when the file needs Lark.

    For callers that place the slow parses elsewhere (the loader's worker
    processes). Bytes that are not UTF-8 text raise :class:`ParseError` here too.
    """
    text = _text(text, path)
    fast = statements(text)
    return _group(path, *fast) if fast is not None else None


def _text(text: str | bytes, path: str) -> str:
    """The text Lark parses: decoded, checked for binary data, without a byte-order mark."""
    if isinstance(text, bytes | bytearray):
        text = _decode(bytes(text), path)
    elif "\x00" in text:
        _binary(path, text)
    # A byte-order mark is an encoding artefact some editors write, not text.
    return text.removeprefix("\ufeff")


def _decode(data: bytes, path: str) -> str:
    bom = wide_bom(data)
    if bom is not None:
        message = f"{bom} with a byte-order mark: save it as UTF-8 (fact files are UTF-8)"
        raise ParseError([Diagnostic(message, path, 1, 1, code="FL109")])
    if b"\x00" in data:
        _binary(path, data.decode("utf-8", "replace"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = data.rfind(b"\n", 0, err.start) + 1
        line_end = data.find(b"\n", err.start)
        line_bytes = data[line_start : line_end if line_end >= 0 else len(data)]
        col = len(data[line_start : err.start].decode("utf-8", "replace")) + 1
        line = data.count(b"\n", 0, err.start) + 1
        msg = f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); fact files are UTF-8"
        src = line_bytes.decode("utf-8", "replace")
        # The file has no lines yet (it does not decode): keep the offending one as read.
        raise ParseError([Diagnostic(msg, path, line, col, 1, "error", None, src, "FL109")]) from None


def _binary(path: str, text: str) -> NoReturn:
    """Reject binary data, pointing at its first NUL (the line is not shown)."""
    index = text.index("\x00")
    line, column = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
    message = "binary data (NUL byte) in a fact file; is this a fact file?"
    raise ParseError([Diagnostic.at(message, path, None, (line, column), code="FL109")])


def _group(path: str, statements: list[s.Statement], comments: list[s.Comment]) -> s.ParsedFile:
    buckets: dict[type, list[Any]] = {
        s.Use: [],
        s.SourceDecl: [],
        s.KindDecl: [],
        s.EntityDecl: [],
        s.PredicateDecl: [],
        s.FactStmt: [],
    }
    for st in statements:
        buckets[type(st)].append(st)
    return s.ParsedFile(
        path,
        uses=tuple(buckets[s.Use]),
        sources=tuple(buckets[s.SourceDecl]),
        kinds=tuple(buckets[s.KindDecl]),
        entities=tuple(buckets[s.EntityDecl]),
        predicates=tuple(buckets[s.PredicateDecl]),
        facts=tuple(buckets[s.FactStmt]),
        comments=tuple(comments),
    )
