"""``factlang.lock``: what each source was when it was locked, in a diff-friendly text.

The lock is TOML, written in a fixed order (sources by id, anchors by quote)
so that re-locking an unchanged project rewrites the same bytes::

    # factlang.lock: pinned sources; written by `factlang lock`, meant to be committed
    version = 1

    [sources."reuters"]
    url = "https://www.reuters.com/article/..."
    final_url = "https://www.reuters.com/article/...?x=1"
    redirects = ["https://reuters.com/..."]
    sha256 = "9f2c..."
    retrieved = "2026-12-01T23:50:00Z"
    media_type = "text/html"
    format = "html"
    extractor = "trafilatura 2.3.1/1"
    text_sha256 = "41d0..."
    anchored = "41d0..."

    [[sources."reuters".anchors]]
    quote = "Huawei, posted a market share of 16% in China"
    start = 1200
    end = 1246
    prefix = "... up to 32 characters before"
    suffix = "up to 32 characters after ..."

``url`` is set for URL sources, ``path`` for local files (which the lock pins
too). Anchors (SPEC §2.1) belong to the text whose hash is ``anchored`` (which
differs from ``text_sha256`` after ``lock --update`` fetched a new version).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

__all__ = ["LOCK_FILE", "Anchor", "Lock", "LockEntry", "LockError", "read_lock", "render_lock", "write_lock"]

#: The lock's file name, in the project root.
LOCK_FILE: Final = "factlang.lock"
LOCK_VERSION: Final = 1
#: How much context an anchor keeps on each side of its span.
CONTEXT: Final = 32


class LockError(Exception):
    """``factlang.lock`` is not a lock this version of factlang can read."""


@attrs.frozen
class Anchor:
    """Where a quote was found when the source was locked, and the text around it."""

    quote: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    @classmethod
    def at(cls, quote: str, text: str, start: int, end: int) -> Anchor:
        """The anchor of the span ``[start, end)`` of ``text``."""
        return cls(
            quote,
            start,
            end,
            text[start:end],
            text[max(0, start - CONTEXT) : start],
            text[end : end + CONTEXT],
        )


@attrs.frozen
class LockEntry:
    """One source as locked: where it came from, its hashes, its anchors."""

    sha256: str
    format: str
    extractor: str
    text_sha256: str
    url: str | None = None
    path: str | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()
    retrieved: str | None = None
    media_type: str | None = None
    anchors: Mapping[str, Anchor] = attrs.field(factory=dict)
    anchored: str = ""  # the text_sha256 of the text the anchors were taken from


@attrs.frozen
class Lock:
    """Every locked source, by id."""

    sources: Mapping[str, LockEntry] = attrs.field(factory=dict)

    def get(self, source_id: str) -> LockEntry | None:
        """The entry of a source, if locked."""
        return self.sources.get(source_id)


def _s(value: str) -> str:
    # A TOML basic string: JSON's escapes are TOML's, except that DEL must be escaped.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def render_lock(lock: Lock) -> str:
    """The lock file's text, in its stable order."""
    out = ["# factlang.lock: pinned sources; written by `factlang lock`, meant to be committed", ""]
    out.append(f"version = {LOCK_VERSION}")
    for sid in sorted(lock.sources):
        e = lock.sources[sid]
        out += ["", f"[sources.{_s(sid)}]"]
        for key in ("url", "path", "final_url"):
            value = getattr(e, key)
            if value is not None:
                out.append(f"{key} = {_s(value)}")
        if e.redirects:
            out.append(f"redirects = [{', '.join(_s(r) for r in e.redirects)}]")
        out.append(f"sha256 = {_s(e.sha256)}")
        if e.retrieved is not None:
            out.append(f"retrieved = {_s(e.retrieved)}")
        if e.media_type is not None:
            out.append(f"media_type = {_s(e.media_type)}")
        out += [
            f"format = {_s(e.format)}",
            f"extractor = {_s(e.extractor)}",
            f"text_sha256 = {_s(e.text_sha256)}",
        ]
        if e.anchors:
            out.append(f"anchored = {_s(e.anchored or e.text_sha256)}")
        for quote in sorted(e.anchors):
            a = e.anchors[quote]
            out += ["", f"[[sources.{_s(sid)}.anchors]]", f"quote = {_s(a.quote)}"]
            out += [f"start = {a.start}", f"end = {a.end}", f"exact = {_s(a.exact)}"]
            out += [f"prefix = {_s(a.prefix)}", f"suffix = {_s(a.suffix)}"]
    return "\n".join(out) + "\n"


def _str(table: Mapping[str, Any], key: str, required: bool = False) -> str | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise LockError(f"'{key}' must be a string")
    return value


def _entry(sid: str, table: Any) -> LockEntry:
    if not isinstance(table, dict):
        raise LockError(f"source '{sid}' is not a table")
    anchors: dict[str, Anchor] = {}
    for a in table.get("anchors", []):
        if (
            not isinstance(a, dict)
            or not isinstance(a.get("start"), int)
            or not isinstance(a.get("end"), int)
        ):
            raise LockError(f"an anchor of '{sid}' lacks its start or end")
        quote = _str(a, "quote", True) or ""
        anchors[quote] = Anchor(
            quote,
            a["start"],
            a["end"],
            _str(a, "exact") or "",
            _str(a, "prefix") or "",
            _str(a, "suffix") or "",
        )
    redirects = table.get("redirects", [])
    if not isinstance(redirects, list) or not all(isinstance(r, str) for r in redirects):
        raise LockError(f"'redirects' of '{sid}' must be a list of strings")
    return LockEntry(
        sha256=_str(table, "sha256", True) or "",
        format=_str(table, "format", True) or "",
        extractor=_str(table, "extractor") or "",
        text_sha256=_str(table, "text_sha256") or "",
        url=_str(table, "url"),
        path=_str(table, "path"),
        final_url=_str(table, "final_url"),
        redirects=tuple(redirects),
        retrieved=_str(table, "retrieved"),
        media_type=_str(table, "media_type"),
        anchors=anchors,
        anchored=_str(table, "anchored") or "",
    )


def parse_lock(text: str) -> Lock:
    """A lock from its text (raises :class:`LockError`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LockError(f"is not valid TOML ({err})") from None
    if data.get("version") != LOCK_VERSION:
        raise LockError(f"has version {data.get('version')!r}; this factlang reads version {LOCK_VERSION}")
    sources = data.get("sources", {})
    if not isinstance(sources, dict):
        raise LockError("'sources' must be a table")
    return Lock({sid: _entry(sid, t) for sid, t in sources.items()})


def read_lock(root: Path) -> Lock | None:
    """The project's lock, or None when it has none (raises :class:`LockError`)."""
    path = root / LOCK_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise LockError(f"cannot be read ({err})") from None
    return parse_lock(text)


def write_lock(root: Path, lock: Lock) -> bool:
    """Write the lock atomically; returns whether its text changed."""
    from factlang.sources.store import Store

    path = root / LOCK_FILE
    text = render_lock(lock)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    Store(root)._write(path, text.encode("utf-8"))
    return True
