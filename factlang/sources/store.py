"""The content-addressed store: ``.factlang/sources/`` in the project root.

Fetched bytes live at ``<sha256><suffix>`` (``.html``, ``.pdf``, ``.txt``);
the text an extractor made of them beside them, at
``<sha256>.<extractor key>.json`` (the text, the page starts, the metadata),
so ``check`` reads a PDF's text without re-extracting it, and a new
extractor version makes a new entry instead of silently changing the old.
Writes are atomic (a temporary file renamed into place) and never leave the
project root (a symlinked ``.factlang`` pointing elsewhere is refused); a
store that cannot be written to is only a missed cache for extracted texts.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import tempfile
from pathlib import Path
from typing import Final

from factlang._fs import inside, read_regular, realpath
from factlang.sources.formats import Extracted, Format, sha256

__all__ = ["STORE_DIR", "Store"]

#: The store's folder, relative to the project root.
STORE_DIR: Final = ".factlang/sources"
_MAX_BYTES: Final = 64 * 1024 * 1024  # as for any source file (and the fetch limit)
_SUFFIX: Final = {"html": ".html", "pdf": ".pdf", "text": ".txt"}


class Store:
    """Bytes and extracted texts by hash, under ``root/.factlang/sources``."""

    def __init__(self, root: Path) -> None:
        self._given = root
        self.folder = root / STORE_DIR

    @functools.cached_property
    def root(self) -> Path:
        """The project root, resolved (only when the store is really used: plain text never is)."""
        return realpath(self._given)

    def _inside(self) -> bool:
        return inside(realpath(self.folder), self.root)

    def bytes_path(self, digest: str, fmt: Format) -> Path:
        """Where the bytes with this hash are kept."""
        return self.folder / f"{digest}{_SUFFIX[fmt]}"

    def put_bytes(self, data: bytes, fmt: Format) -> str:
        """Store ``data``; returns its hash."""
        digest = sha256(data)
        path = self.bytes_path(digest, fmt)
        if not path.is_file():
            self._write(path, data)
        return digest

    def get_bytes(self, digest: str, fmt: Format) -> bytes | None:
        """The stored bytes with this hash, or None when missing or not matching it."""
        if not self._inside():
            return None
        try:
            data = read_regular(self.bytes_path(digest, fmt), _MAX_BYTES)
        except OSError:
            return None
        return data if sha256(data) == digest else None

    def _text_path(self, digest: str, extractor: str) -> Path:
        key = sha256(extractor.encode("utf-8"))[:16]
        return self.folder / f"{digest}.{key}.json"

    def get_text(self, digest: str, extractor: str, fmt: Format) -> Extracted | None:
        """The text ``extractor`` made of the bytes ``digest``, if stored."""
        if not self._inside():
            return None
        try:
            data = json.loads(
                read_regular(self._text_path(digest, extractor), 4 * _MAX_BYTES).decode("utf-8")
            )
            if data["extractor"] != extractor:
                return None
            return Extracted(
                str(data["text"]),
                fmt,
                extractor,
                tuple(int(p) for p in data["pages"]),
                {str(k): str(v) for k, v in data["metadata"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # a missing or damaged entry is extracted again

    def put_text(self, digest: str, extracted: Extracted) -> None:
        """Keep an extracted text beside its bytes (best effort)."""
        data = {
            "extractor": extracted.extractor,
            "text_sha256": extracted.text_sha256,
            "pages": list(extracted.pages),
            "metadata": dict(extracted.metadata),
            "text": extracted.text,
        }
        with contextlib.suppress(OSError):
            self._write(self._text_path(digest, extracted.extractor), json.dumps(data).encode("utf-8"))

    def _write(self, path: Path, data: bytes) -> None:
        # Never write outside the project, even through a symlinked .factlang folder.
        if not inside(realpath(path.parent), self.root):
            raise OSError(errno.EXDEV, f"{path.parent} leads outside the project root")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
