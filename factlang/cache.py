"""The parse cache, and the signed, content-addressed entries all three caches are made of.

Entries are pickles keyed by the hash of what they were made from (the fact
file's bytes, factlang's version, the grammar), so a stale entry is never
used: a changed input is a different key. Unpickling runs code, so an entry
is read only when it carries an HMAC made with a key private to the user
(kept outside the project, trusted only when its file and folder are the
user's own and writable by no one else). The cache path never follows a
symlink, and a cache that cannot be written is simply skipped.

Every entry is written whole to a temporary file beside it and renamed into
place, so a reader sees a whole entry or none; an entry read is touched
(its time set to now, at most every :data:`TOUCH_NS`), so its time says
when it was last used and :mod:`factlang.prune` removes the ones long unused.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final, TypeVar

import attrs

from factlang import __version__
from factlang._fs import realpath, symlink_in
from factlang.config import Config
from factlang.diagnostics import Diagnostic

__all__ = [
    "GITIGNORE",
    "SUPERSEDED_NS",
    "TOUCH_NS",
    "get",
    "get_bytes",
    "key",
    "mark_superseded",
    "mark_used",
    "put",
    "put_bytes",
    "usable_dir",
]

#: An entry read is touched when its time is older than this: a used entry's
#: time is then never more than this before its last use (pruning counts on
#: it), at the cost of one ``futimens`` per entry per this interval.
TOUCH_NS: Final = 10 * 60 * 1_000_000_000

_T = TypeVar("_T")


def key(display: str, data: bytes) -> str:
    """The cache key of a fact file: its bytes, how it is shown, factlang's version and grammar."""
    h = hashlib.sha256()
    h.update(f"factlang {__version__}\0{_grammar_digest()}\0{display}\0".encode())
    h.update(data)
    return h.hexdigest()


_GRAMMAR_DIGEST: list[str] = []


def _grammar_digest() -> str:
    """The grammar and the shape of the cached classes: a pickle of an older shape is never read."""
    if not _GRAMMAR_DIGEST:
        from factlang import syntax as s
        from factlang import values as v
        from factlang._rows import VERSION  # how entries are written
        from factlang.parser import grammar_text  # Lark only when parsing is needed anyway

        h = hashlib.sha256(f"{VERSION}\0{grammar_text()}".encode())
        for module in (s, v):
            for name in sorted(vars(module)):
                cls = getattr(module, name)
                if isinstance(cls, type) and attrs.has(cls):
                    h.update(f"\0{name}:{','.join(f.name for f in attrs.fields(cls))}".encode())
        _GRAMMAR_DIGEST.append(h.hexdigest())
    return _GRAMMAR_DIGEST[0]


# Cache entries are pickles, and unpickling runs code: an entry is only read
# when it carries an HMAC made with a key private to this user (kept outside
# the project), so a repository cannot ship a crafted entry that runs when
# someone checks it. An entry without a valid signature is a cache miss.
_MAC_SIZE: Final = 32


@functools.cache
def _signing_key() -> bytes | None:
    """The cache-signing key of the user running factlang, made on first use (None if it cannot be kept).

    The key is trusted only in a folder and a file that are this user's own
    and writable by no one else; anything else could have been planted, so
    it is replaced (the folder made private first), with a warning.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factlang"
    path = base / "cache-key"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = _untrusted(base)
        if problem is not None:
            if problem.endswith("writable by group or others") and base.stat().st_uid == _uid():
                base.chmod(0o700)
                _warn(f"the cache-key folder {problem}; made it private and made a new key", base)
                return _new_key(path)
            _warn(f"the cache-key folder {problem}; the parse cache is off", base)
            return None
        key, problem = _read_key(path)
        if key is not None:
            return key
        if problem is not None:
            _warn(f"the cache key {problem}; made a new key", path)
        return _new_key(path)
    except OSError:
        return None


def _uid() -> int:
    getuid = getattr(os, "getuid", None)
    return getuid() if getuid is not None else -1


def _untrusted(path: Path) -> str | None:
    """Why ``path`` (a folder or the key file) cannot be trusted, or None if it can."""
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        return "is a symlink"
    if _uid() != -1 and st.st_uid != _uid():
        return "is owned by another user"
    if st.st_mode & 0o022:
        return "is writable by group or others"
    return None


def _read_key(path: Path) -> tuple[bytes | None, str | None]:
    """The key on disk if it can be trusted; else None and why not (None: no key yet)."""
    try:
        problem = _untrusted(path)
    except FileNotFoundError:
        return None, None
    if problem is not None:
        return None, problem
    key = path.read_bytes()
    return (key, None) if len(key) == 32 else (None, "is not 32 bytes")


def _new_key(path: Path) -> bytes | None:
    fd, tmp = tempfile.mkstemp(dir=path.parent)  # made with mode 0600
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(32))
    Path(tmp).replace(path)
    # Another process may have won the race: use whichever key is on disk.
    return _read_key(path)[0]


def _warn(message: str, path: Path) -> None:
    """A warning about the user's cache folder, on stderr (it concerns no fact file)."""
    print(Diagnostic(message, str(path), severity="warning", code="FL241").render(), file=sys.stderr)


def usable_dir(config: Config, *, warn: bool = True) -> Path | None:
    """The project's cache folder, unless a symlink on its way could send writes elsewhere.

    ``warn=False`` says nothing about such a link (the run has said it already).
    """
    cache_dir = config.cache_dir
    if cache_dir is None or config.cache is None:
        return None
    root = realpath(config.root)
    link = symlink_in(root, root / os.path.normpath(config.cache) / "parse")
    if link is not None:
        if warn:
            _warn("is a symlink; factlang never follows one in its cache path, so the cache is off", link)
        return None
    return cache_dir


def _linked(folder: Path) -> bool:
    """Whether a kind's folder is a symlink (then never used: :func:`usable_dir` checks the rest)."""
    try:
        return stat.S_ISLNK(folder.lstat().st_mode)
    except OSError:
        return False


#: A part of a payload: bytes, or a binary file read from its start (a run's
#: output spooled to a temporary file, which only this process can change).
Part = bytes | BinaryIO
_BLOCK: Final = 1 << 20


def _blocks(part: Part) -> Iterator[bytes]:
    if isinstance(part, bytes):
        yield part
        return
    part.seek(0)
    while block := part.read(_BLOCK):
        yield block


def _mac(key: bytes, cache_key: str, *payload: Part) -> bytes:
    # Fed piece by piece: a large payload (a run's output) is never copied to be signed.
    mac = hmac.new(key, cache_key.encode() + b"\0", hashlib.sha256)
    for part in payload:
        for block in _blocks(part):
            mac.update(block)
    return mac.digest()


def get_bytes(cache_dir: Path, key: str, kind: str, suffix: str = ".bin") -> bytes | None:
    """The payload stored under ``key`` if this user signed it; else None (a miss)."""
    signing = _signing_key()
    if signing is None:
        return None
    if _linked(cache_dir / kind):
        return None
    path = cache_dir / kind / f"{key}{suffix}"
    try:
        # Never through a symlink: an entry is read from the cache folder itself.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        # Unbuffered: a raw file reads the rest in one buffer of its size (a
        # buffered one gathers blocks and joins them, twice the payload).
        with os.fdopen(fd, "rb", buffering=0) as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None
            # Read apart, so that a large payload is not copied out of the blob.
            mac, payload = fh.read(_MAC_SIZE), fh.readall()
            # Checked before anything is decoded: renamed, truncated, foreign or
            # tampered entries all fail here.
            if len(mac) != _MAC_SIZE or not hmac.compare_digest(mac, _mac(signing, key, payload)):
                return None
            if time.time_ns() - st.st_mtime_ns >= TOUCH_NS:
                _touch(fd, path)
    except OSError:
        return None
    return payload


def mark_used(cache_dir: Path, key: str, kind: str, suffix: str = ".bin") -> None:
    """Mark an entry as used now without reading it (a run that relied on it without needing it).

    As :func:`get_bytes` does, at most every :data:`TOUCH_NS`, never through a symlink.
    """
    if _linked(cache_dir / kind):
        return
    path = cache_dir / kind / f"{key}{suffix}"
    with contextlib.suppress(OSError):
        st = path.lstat()
        if stat.S_ISREG(st.st_mode) and time.time_ns() - st.st_mtime_ns >= TOUCH_NS:
            os.utime(path, follow_symlinks=False)


#: How long ago a superseded entry is marked as last used (:func:`mark_superseded`).
SUPERSEDED_NS: Final = 7 * 24 * 3600 * 1_000_000_000


def mark_superseded(cache_dir: Path, key: str, kind: str, suffix: str = ".bin") -> None:
    """Mark an entry as last used long ago: a newer one replaced it (a fact file's older version).

    Pruning removes the least recently used first, so such an entry goes
    before any in use when its kind is over its caps; until then it serves
    an undo, and being read marks it used again. Never through a symlink.
    """
    if _linked(cache_dir / kind):
        return
    path = cache_dir / kind / f"{key}{suffix}"
    with contextlib.suppress(OSError):
        st = path.lstat()
        then = time.time_ns() - SUPERSEDED_NS
        if stat.S_ISREG(st.st_mode) and st.st_mtime_ns > then:
            os.utime(path, ns=(then, then), follow_symlinks=False)


def _touch(fd: int, path: Path) -> None:
    """Mark an entry as used now (pruning removes the long unused); a failure changes nothing else."""
    with contextlib.suppress(OSError):
        # Through the open file where the system allows it: the very entry just read.
        os.utime(fd if os.utime in os.supports_fd else path)


def put_bytes(
    cache_dir: Path, key: str, payload: bytes | tuple[Part, ...], kind: str, suffix: str = ".bin"
) -> None:
    """Store ``payload`` under ``key``, signed; a cache that cannot be written is skipped silently.

    A payload given as parts (bytes, or binary files read from their start)
    is stored as their concatenation, without making it in memory.
    """
    parts = payload if isinstance(payload, tuple) else (payload,)
    signing = _signing_key()
    if signing is None:
        return
    folder = cache_dir / kind
    if _linked(folder):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _ensure_gitignore(cache_dir)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_mac(signing, key, *parts))
            for part in parts:
                for block in _blocks(part):
                    fh.write(block)
        Path(tmp).replace(folder / f"{key}{suffix}")
    except OSError:
        # A read-only project still works, just without a cache.
        return


def get(cache_dir: Path, key: str, expect: type[_T], kind: str = "parse") -> _T | None:
    """The pickled entry under ``key`` if this user signed it and it is an ``expect``; else None."""
    payload = get_bytes(cache_dir, key, kind, ".pickle")
    if payload is None:
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # any corrupt entry is a cache miss, never an error
        return None
    return value if isinstance(value, expect) else None


def put(cache_dir: Path, key: str, value: object, kind: str = "parse") -> None:
    """Store ``value`` pickled under ``key``, signed."""
    put_bytes(cache_dir, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), kind, ".pickle")


#: The cache folder's own ``.gitignore`` (its first line tells ``factlang clean`` it is factlang's).
GITIGNORE: Final = "# made by factlang: its caches, safe to delete (or run 'factlang clean')\n*\n"


def _ensure_gitignore(cache_dir: Path) -> None:
    marker = cache_dir / ".gitignore"
    try:
        # Created, never followed or overwritten: a planted symlink stays unwritten.
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(GITIGNORE)
