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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final

from factlang._fs import read_regular
from factlang.diagnostics import Diagnostic, LoadError
from factlang.model import Source
from factlang.sources.lock import LOCK_FILE, Lock, LockError, read_lock
from factlang.sources.resolve import Loaded, Origin, SourceError, load_source
from factlang.verify.text import Document

__all__ = ["MAX_SOURCE_BYTES", "TEXT_BUDGET", "Corpus", "SourceTexts", "read_checked"]

#: Sources larger than this are refused rather than read whole into memory.
MAX_SOURCE_BYTES: Final = 64 * 1024 * 1024

#: Characters of source text a report keeps in memory; texts beyond it are read
#: again when a renderer asks for them (a 1 GB corpus must not stay resident).
TEXT_BUDGET: Final = 128 * 1024 * 1024


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

    def release(self, source_id: str) -> None:
        """Drop a source's document and extracted text (it is read again if asked for)."""
        self._docs.pop(source_id, None)
        self.loaded.pop(source_id, None)

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


def read_checked(corpus: Corpus, source_id: str, origin: Origin) -> str:
    """A source's text read again, if it is still the text that was checked (else KeyError).

    Its SHA-256 must be the origin's: a source edited since is missing
    rather than wrongly marked.
    """
    try:
        loaded = load_source(corpus.root, corpus.sources[source_id], corpus.lock, corpus.read_bytes)
    except (SourceError, LoadError):
        raise KeyError(source_id) from None
    if loaded.extracted.text_sha256 != origin.text_sha256:
        raise KeyError(source_id)  # changed since it was checked
    return loaded.extracted.text


class SourceTexts(Mapping[str, str]):
    """The texts the verifier read, by source id (:attr:`Report.texts <factlang.report.Report.texts>`).

    Texts are kept in memory up to :data:`TEXT_BUDGET` characters in all; the
    rest are read again from the project on first use, and only returned if
    they are still the text that was checked (its SHA-256 is the origin's):
    a source edited since is missing rather than wrongly marked.
    """

    def __init__(self, corpus: Corpus, budget: int = TEXT_BUDGET) -> None:
        self._corpus = corpus
        self._budget = budget
        self._kept: dict[str, str] = {}
        self._later: dict[str, Origin] = {}
        self._last: tuple[str, str] | None = None  # the last text read again

    def keep(self, source_id: str, text: str, origin: Origin) -> None:
        """Record the text of a source the verifier read."""
        if len(text) <= self._budget:
            self._budget -= len(text)
            self._kept[source_id] = text
        else:
            self.later(source_id, origin)

    def later(self, source_id: str, origin: Origin) -> None:
        """Record a source the verifier read whose text is read again when asked for."""
        self._later[source_id] = origin

    def __getitem__(self, source_id: str) -> str:
        text = self._kept.get(source_id)
        if text is not None:
            return text
        origin = self._later[source_id]  # KeyError: never read
        if self._last is not None and self._last[0] == source_id:
            return self._last[1]
        text = read_checked(self._corpus, source_id, origin)
        self._last = (source_id, text)
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(sorted((*self._kept, *self._later)))

    def __len__(self) -> int:
        return len(self._kept) + len(self._later)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._kept or source_id in self._later
