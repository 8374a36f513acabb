"""The source corpus: each source text read once, on first use.

Sources are UTF-8 ``.txt`` or ``.md`` files. A missing, unreadable, too
large, not regular (a named pipe, a device) or non-UTF-8 source is a :class:`~factlang.diagnostics.LoadError`
pointing at the source's declaration when it has one.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Final

from factlang._fs import read_regular, wide_bom
from factlang.diagnostics import Diagnostic, LoadError
from factlang.model import Source
from factlang.verify.text import Document

__all__ = ["MAX_SOURCE_BYTES", "Corpus"]

#: Sources larger than this are refused rather than read whole into memory.
MAX_SOURCE_BYTES: Final = 64 * 1024 * 1024


class Corpus:
    """Source documents by id, read lazily from the project root."""

    def __init__(self, root: Path, sources: dict[str, Source]) -> None:
        self.root = root
        self.sources = sources
        self._docs: dict[str, Document] = {}

    def document(self, source_id: str) -> Document:
        """The document of a source, read on first use (raises LoadError)."""
        doc = self._docs.get(source_id)
        if doc is None:
            doc = self._docs[source_id] = Document(self.read(self.sources[source_id]))
        return doc

    def preload(self, ids: set[str]) -> None:
        """Read every source in ``ids`` now, reporting all problems at once."""
        problems: list[Diagnostic] = []
        for sid in sorted(ids):
            try:
                self.document(sid)
            except LoadError as err:
                problems.extend(err.diagnostics)
        if problems:
            raise LoadError(problems)

    def read(self, source: Source) -> str:
        """The text of one source file."""
        path = self.root / source.path
        where = source.location

        def fail(message: str, code: str = "FL105") -> LoadError:
            # Point at the declaration when there is one, else at the file.
            if where is None:
                return LoadError([Diagnostic(message, source.path, code=code)])
            return LoadError(
                [Diagnostic.at(message, where.path, None, (where.line, where.column), code=code)]
            )

        try:
            data = read_regular(path, MAX_SOURCE_BYTES)
        except FileNotFoundError:
            raise fail(f"source file '{source.path}' of '{source.id}' does not exist") from None
        except IsADirectoryError:
            raise fail(f"source path '{source.path}' of '{source.id}' is a folder") from None
        except OSError as err:
            if err.errno == errno.EFBIG:
                raise fail(f"source '{source.id}' ({source.path}) is {err.strerror}") from None
            code = "FL120" if err.errno == errno.EINVAL else "FL105"
            message = f"cannot read source '{source.id}' ({source.path}): {err.strerror or err}"
            raise fail(message, code) from None
        bom = wide_bom(data)
        if bom is not None:
            raise fail(
                f"source '{source.id}' ({source.path}) is {bom} with a byte-order mark: save it as UTF-8",
                "FL109",
            )
        if b"\x00" in data:
            raise fail(f"source '{source.id}' ({source.path}) is binary, not text", "FL109")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise fail(
                f"source '{source.id}' ({source.path}) is not valid UTF-8 (byte 0x{data[err.start]:02x} "
                f"at offset {err.start})",
                "FL109",
            ) from None
        # One newline convention, so offsets are the same on every platform.
        return text.replace("\r\n", "\n").replace("\r", "\n")
