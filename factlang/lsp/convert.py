"""Small conversions between factlang's places and LSP's: ranges, locations, URIs."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import to_fs_path

from factlang.diagnostics import Diagnostic
from factlang.lsp.positions import LineIndex

__all__ = ["diagnostic_range", "location", "path_of", "span_range", "uri_of"]


def uri_of(path: Path) -> str:
    """The ``file://`` URI of a path."""
    return path.as_uri()


def path_of(uri: str) -> Path | None:
    """The resolved file path of a ``file://`` URI (None for other schemes)."""
    fs = to_fs_path(uri)
    return Path(fs).resolve() if fs else None


def span_range(lines: LineIndex, start: int, end: int) -> lsp.Range:
    """The LSP range of character offsets ``[start, end)`` in a text."""
    a, b = lines.position(start), lines.position(end)
    return lsp.Range(lsp.Position(a[0], a[1]), lsp.Position(b[0], b[1]))


def location(path: Path, lines: LineIndex, start: int, end: int) -> lsp.Location:
    """An LSP location of a span of a file."""
    return lsp.Location(uri_of(path), span_range(lines, start, end))


def diagnostic_range(lines: LineIndex, d: Diagnostic) -> lsp.Range:
    """The range a diagnostic underlines (1-based line and column, a length in characters)."""
    if d.line <= 0:
        return lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    line = d.line - 1
    if line >= len(lines.starts):
        last = lines.position(len(lines.text))
        return lsp.Range(lsp.Position(*last), lsp.Position(*last))
    start = lines.starts[line] + max(d.column, 1) - 1
    end = min(start + max(d.length, 1), lines.starts[line] + len(lines.line_text(line)))
    return span_range(lines, start, max(start, end))
