"""The source corpus: each source text read once, on first use.

Sources are UTF-8 ``.txt`` or ``.md`` files, HTML pages, PDF documents, or
URL sources read from their locked copy; :mod:`factlang.sources` tells the
format and extracts the text. A missing, unreadable, too large, not regular
(a named pipe, a device) or non-UTF-8 source is a
:class:`~factlang.diagnostics.LoadError` pointing at the source's
declaration when it has one.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Final

from factlang._fs import read_regular
from factlang.diagnostics import Diagnostic, LoadError
from factlang.model import Source
from factlang.sources.lock import LOCK_FILE, Lock, LockError, read_lock
from factlang.sources.resolve import Loaded, SourceError, load_source
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
        self.loaded: dict[str, Loaded] = {}
        self._lock: Lock | LoadError | None = None
        self._lock_read = False

    @property
    def lock(self) -> Lock | None:
        """The project's ``factlang.lock``, or None (raises LoadError when it is damaged)."""
        if not self._lock_read:
            self._lock_read = True
            try:
                self._lock = read_lock(self.root)
            except LockError as err:
                self._lock = LoadError(
                    [Diagnostic(f"{LOCK_FILE} {err}", LOCK_FILE, hint="run `factlang lock`", code="FL143")]
                )
        if isinstance(self._lock, LoadError):
            raise self._lock
        return self._lock

    def document(self, source_id: str) -> Document:
        """The document of a source, read on first use (raises LoadError)."""
        doc = self._docs.get(source_id)
        if doc is None:
            source = self.sources[source_id]
            try:
                loaded = load_source(self.root, source, self.lock, self.read_bytes)
            except SourceError as err:
                raise _fail(source, str(err), err.hint, err.code) from None
            self.loaded[source_id] = loaded
            doc = self._docs[source_id] = Document(loaded.extracted.text)
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
        """The text of one source, as the verifier reads it (raises LoadError)."""
        self.sources.setdefault(source.id, source)
        return self.document(source.id).text

    def read_bytes(self, source: Source) -> bytes:
        """The bytes of one local source file."""
        path = self.root / source.path

        def fail(message: str, code: str = "FL105") -> LoadError:
            return _fail(source, message, code=code)

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
        return data


def _fail(source: Source, message: str, hint: str | None = None, code: str = "FL105") -> LoadError:
    # Point at the declaration when there is one, else at the file.
    where = source.location
    if where is None:
        return LoadError([Diagnostic(message, source.path, hint=hint, code=code)])
    return LoadError(
        [Diagnostic.at(message, where.path, None, (where.line, where.column), code=code, hint=hint)]
    )
