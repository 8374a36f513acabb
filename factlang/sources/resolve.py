"""A source's text for the verifier: local or locked, extracted, checked against its pins.

:func:`load_source` reads a local file's bytes (through the corpus's reader,
which applies the project's reading rules) or a URL source's locked copy
from the store; tells its format; takes the extracted text from the store
or extracts it (keeping it there); and compares the bytes with the
declaration's ``sha256`` pin and the text with the lock, so the verifier
knows whether to re-anchor the source's citations.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs

from factlang.model import Source
from factlang.sources.formats import (
    Extracted,
    ExtractError,
    Format,
    MissingExtra,
    extract,
    extractor_id,
    sha256,
    sniff,
)
from factlang.sources.lock import LOCK_FILE, Lock, LockEntry
from factlang.sources.store import Store
from factlang.sources.urls import is_url

__all__ = ["Loaded", "Origin", "SourceError", "load_source"]


class SourceError(Exception):
    """A source cannot be read; the message says why and what to do."""

    def __init__(self, message: str, hint: str | None = None, code: str = "FL142") -> None:
        super().__init__(message)
        self.hint = hint
        self.code = code


@attrs.frozen
class Origin:
    """Where a source's text came from: what every report shows about it.

    ``changed`` says why the source no longer matches its pin or lock (None
    when it matches or nothing pins it).
    """

    id: str
    format: Format
    extractor: str
    sha256: str
    text_sha256: str = ""
    path: str | None = None
    url: str | None = None
    final_url: str | None = None
    retrieved: str | None = None
    media_type: str | None = None
    pages: int | None = None
    page_starts: tuple[int, ...] = ()  # offset of each page in the text (PDF), for page markers
    locked: bool = False
    changed: str | None = None


@attrs.frozen
class Loaded:
    """A source read and extracted, with its lock entry (if any)."""

    origin: Origin
    extracted: Extracted
    entry: LockEntry | None = None

    @property
    def reanchor(self) -> bool:
        """Whether the text differs from the one the lock's anchors were taken from."""
        if self.entry is None or not self.entry.anchors:
            return False
        return (self.entry.anchored or self.entry.text_sha256) != self.extracted.text_sha256


def _short(digest: str) -> str:
    return digest[:12]


def load_source(
    root: Path,
    source: Source,
    lock: Lock | None,
    read_bytes: Callable[[Source], bytes],
) -> Loaded:
    """Read, extract and check one source (raises :class:`SourceError`)."""
    store = Store(root)
    entry = lock.get(source.id) if lock is not None else None
    url: str | None = None
    if is_url(source.path):
        url = source.path
        if entry is None or entry.url != url:
            raise SourceError(
                f"URL source '{source.id}' is not in {LOCK_FILE}"
                + (" (the lock has another URL for it)" if entry is not None else ""),
                "run `factlang lock` to fetch it once; check never touches the network",
                "FL140",
            )
        fmt: Format = entry.format if entry.format in ("html", "pdf", "text") else "text"  # type: ignore[assignment]
        data = store.get_bytes(entry.sha256, fmt)
        if data is None:
            raise SourceError(
                f"the locked copy of '{source.id}' (sha256 {_short(entry.sha256)}) is missing from the store",
                "run `factlang lock` to fetch it again",
                "FL140",
            )
    else:
        data = read_bytes(source)
        fmt = sniff(data, source.path)
    digest = sha256(data)
    try:
        extractor = extractor_id(fmt)
        extracted = store.get_text(digest, extractor, fmt) if fmt != "text" else None
        if extracted is None:
            extracted = extract(data, fmt)
            if fmt != "text":
                store.put_text(digest, extracted)
    except MissingExtra as err:
        raise SourceError(f"source '{source.id}' ({source.path}) {err}", code="FL141") from None
    except ExtractError as err:
        # Plain text that is not UTF-8 keeps the encoding code of every other file.
        code = "FL109" if fmt == "text" else "FL142"
        raise SourceError(f"source '{source.id}' ({source.path}) {err}", code=code) from None
    changed = _changed(source, digest, extracted, entry)
    origin = Origin(
        id=source.id,
        format=fmt,
        extractor=extracted.extractor,
        sha256=digest,
        text_sha256=extracted.text_sha256,
        path=None if url else source.path,
        url=url or source.url,
        final_url=entry.final_url if url and entry else None,
        retrieved=entry.retrieved if url and entry else None,
        media_type=entry.media_type if url and entry else None,
        pages=len(extracted.pages) or None,
        page_starts=extracted.pages,
        locked=entry is not None,
        changed=changed,
    )
    return Loaded(origin, extracted, entry)


def _changed(source: Source, digest: str, extracted: Extracted, entry: LockEntry | None) -> str | None:
    """Why the source no longer is what its pin or lock says, or None."""
    pin = source.metadata.get("sha256")
    reasons: list[str] = []
    if pin is not None and pin.lower() != digest:
        reasons.append(
            f"its bytes do not match the pinned sha256 {_short(pin)} (they hash to {_short(digest)})"
        )
    if entry is not None:
        if entry.sha256 != digest:
            reasons.append(
                f"its bytes changed since it was locked (sha256 {_short(entry.sha256)} -> {_short(digest)})"
            )
        elif entry.text_sha256 and entry.text_sha256 != extracted.text_sha256:
            if entry.extractor != extracted.extractor:
                why = f"the extractor changed ({entry.extractor} -> {extracted.extractor})"
            else:
                why = "it was extracted differently"
            reasons.append(f"its text changed since it was locked: {why}")
        elif entry.anchors and (entry.anchored or entry.text_sha256) != extracted.text_sha256:
            reasons.append(
                f"it was fetched again (retrieved {entry.retrieved}) since its citations were anchored"
            )
    return "; ".join(reasons) or None
