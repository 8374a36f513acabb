"""Source formats, told by content, and the text each format yields.

A source is plain text (``.txt``/``.md``), HTML or PDF. The format comes
from the bytes first (``%PDF-``, an HTML doctype or ``<html>``), then from the
media type a server sent or the file's suffix. Every format becomes one
:class:`Extracted`: the text the verifier reads, the start offset of every
page in it (PDF), and the metadata the document carries (HTML).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import sys
from bisect import bisect_right
from collections.abc import Mapping
from typing import Final, Literal

import attrs

from factlang._fs import wide_bom

__all__ = [
    "FORMATS",
    "ExtractError",
    "Extracted",
    "Format",
    "MissingExtra",
    "decode_text",
    "extract",
    "extractor_id",
    "extractor_versions",
    "sha256",
    "sniff",
]

Format = Literal["text", "html", "pdf"]
FORMATS: Final[tuple[Format, ...]] = ("text", "html", "pdf")

# Bumped when factlang's own post-processing of an extractor's output changes,
# so stored texts made by an older factlang are re-extracted and re-anchored.
_PIPELINE: Final = {"text": 1, "html": 1, "pdf": 1}

_HTML_START: Final = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)
_HTML_SUFFIXES: Final = (".html", ".htm", ".xhtml")


class ExtractError(Exception):
    """The bytes cannot be read as the format they claim (the message says why)."""


class MissingExtra(ExtractError):
    """The format's optional dependency is not installed."""

    def __init__(self, fmt: str, extra: str, module: str) -> None:
        super().__init__(
            f"reading {fmt.upper()} sources needs the '{extra}' extra "
            f"(the '{module}' package is not installed): pip install 'factlang[{extra}]'"
        )
        self.extra = extra


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sniff(data: bytes, name: str = "", media_type: str | None = None) -> Format:
    """The format of a source: by content, then by media type, then by file name."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if _HTML_START.match(head):
        return "html"
    kind = (media_type or "").split(";")[0].strip().lower()
    if kind == "application/pdf":
        return "pdf"
    if kind in ("text/html", "application/xhtml+xml"):
        return "html"
    lower = name.lower()
    if lower.endswith(".pdf"):
        return "pdf"
    if lower.endswith(_HTML_SUFFIXES) and head.lstrip().startswith(b"<"):
        return "html"
    return "text"


@attrs.frozen
class Extracted:
    """The text a source yields, with where its pages start and its metadata.

    ``pages`` holds the start offset in ``text`` of each page (empty for
    formats without pages); ``metadata`` the fields a page states about itself
    (``title``, ``author``, ``outlet``, ``published`` as an ISO date), used
    where the declaration does not give them.
    """

    text: str
    format: Format
    extractor: str
    pages: tuple[int, ...] = ()
    metadata: Mapping[str, str] = attrs.field(factory=dict)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that holds ``offset``, or None for a format without pages."""
        if not self.pages:
            return None
        return max(bisect_right(self.pages, offset), 1)

    @property
    def published(self) -> _dt.date | None:
        """The page's own publication date, if it states a valid one."""
        raw = self.metadata.get("published")
        try:
            return _dt.date.fromisoformat(raw[:10]) if raw else None
        except ValueError:
            return None

    @property
    def text_sha256(self) -> str:
        """The hash of the extracted text (recorded in the lock)."""
        return sha256(self.text.encode("utf-8"))


def decode_text(data: bytes) -> str:
    """A plain-text source's text: UTF-8 (a BOM allowed), one newline convention.

    Raises :class:`ExtractError` for binary data or invalid UTF-8.
    """
    bom = wide_bom(data)
    if bom is not None:
        raise ExtractError(f"is {bom} with a byte-order mark: save it as UTF-8")
    if b"\x00" in data:
        raise ExtractError("is binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ExtractError(
            f"is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from None
    # One newline convention, so offsets are the same on every platform.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def extractor_id(fmt: Format) -> str:
    """Which extractor, at which version, turns this format into text (``pypdfium2 5.1/1``).

    Raises :class:`MissingExtra` when the format's extra is not installed.
    """
    if fmt == "html":
        from factlang.sources import html

        return f"{html.library_version()}/{_PIPELINE['html']}"
    if fmt == "pdf":
        from factlang.sources import pdf

        return f"{pdf.library_version()}/{_PIPELINE['pdf']}"
    return f"utf-8/{_PIPELINE['text']}"


def extractor_versions() -> str:
    """The installed extractors' versions, without importing them (part of the cache keys).

    Read from the names of their installed metadata folders (``name-version.dist-info``)
    on ``sys.path``, as :func:`importlib.metadata.version` finds them, but
    without importing :mod:`importlib.metadata` (15 ms of every run).
    """
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")  # noqa: PTH208 - names only, thousands of them
        except (OSError, ValueError):
            continue
        for name in names:
            stem, dot, kind = name.rpartition(".")
            if not dot or kind not in ("dist-info", "egg-info"):
                continue
            project, _, version = stem.partition("-")
            project = project.lower().replace("-", "_")
            if project in _EXTRACTORS and project not in found:
                found[project] = version
    return "; ".join(f"{name} {found.get(name, '-')}" for name in _EXTRACTORS)


#: The extractors' distributions (as their metadata folders spell them).
_EXTRACTORS: Final = ("trafilatura", "pypdfium2")


def extract(data: bytes, fmt: Format) -> Extracted:
    """The text of ``data`` read as ``fmt`` (raises :class:`ExtractError`)."""
    if fmt == "html":
        from factlang.sources import html

        text, metadata = html.extract_html(data)
        return Extracted(text, "html", extractor_id("html"), metadata=metadata)
    if fmt == "pdf":
        from factlang.sources import pdf

        text, pages = pdf.extract_pdf(data)
        return Extracted(text, "pdf", extractor_id("pdf"), pages=pages)
    return Extracted(decode_text(data), "text", extractor_id("text"))
