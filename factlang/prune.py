"""Pruning the cache folder: entries long unused, or beyond a cap, are removed, oldest first.

Each cache (parse, results, run: :data:`KINDS`) is a folder of entries, one
file each, whose time says when it was last used: a written entry is new,
and :func:`factlang.cache.get_bytes` touches an entry it reads (at most
every :data:`~factlang.cache.TOUCH_NS`). :func:`prune` removes, per kind,

- the entries unused for more than :attr:`Limits.max_age_ns` (30 days), then
- the oldest entries while the kind holds more than :attr:`Limits.max_entries`
  (50,000) or :attr:`Limits.max_bytes` (256 MiB),

but never an entry the current run used: each one it read or wrote has a
time no earlier than ``TOUCH_NS`` before the run began, and every entry that
recent is kept, even over a cap (the caps bound what is kept besides the
entries in use). Sorting the entries by time is the only work beyond one
listing of each folder.

:func:`after_run` prunes when it is due: at most once every :data:`EVERY_NS`
(10 minutes, the time of the :data:`MARKER` file), and only when a folder
changed since (writing an entry moves its folder's time). A replayed run
writes nothing and never calls it.

Another process may run at once: an entry is renamed into place whole and
removed with one ``unlink``, so a reader opens the whole entry or finds none
(a miss: it is computed again); a removal that loses a race changes nothing
else. A temporary file of a write in progress (``tmp*.tmp``) is removed only
when it is an hour old, long after any write ends. Nothing is followed
through a symlink: each folder is opened with ``O_NOFOLLOW`` and entries are
removed relative to it. :func:`clear` (``factlang clean``) removes every
entry, and is as safe as ``rm -rf .factlang_cache``.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path
from types import TracebackType
from typing import Final

import attrs

from factlang import cache as _cache
from factlang.config import Config

__all__ = ["EVERY_NS", "KINDS", "LIMITS", "MARKER", "Limits", "Pruned", "after_run", "clear", "prune"]

#: The caches' folders in the cache folder (the ``kind`` of :func:`factlang.cache.put_bytes`).
KINDS: Final = ("parse", "results", "run")
#: The file whose time is when the cache was last pruned.
MARKER: Final = "last-prune"
#: The least time between two prunings.
EVERY_NS: Final = 10 * 60 * 1_000_000_000
_HOUR_NS: Final = 3600 * 1_000_000_000
_DAY_NS: Final = 24 * _HOUR_NS
#: An entry's name: its key and the suffix of its kind.
_ENTRY: Final = re.compile(r"[0-9a-f]{64}\.(?:pickle|run|bin)")
#: A write in progress (``tempfile.mkstemp`` beside the entry), or one a killed process left.
_TEMP: Final = re.compile(r"tmp\w+\.tmp")
_DIR_FLAGS: Final = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
# Folders opened once and worked on relative to their descriptor, where the
# system allows it (not Windows, where the paths are checked instead).
_AT: Final = {os.open, os.unlink, os.rmdir} <= os.supports_dir_fd and os.scandir in os.supports_fd


@attrs.frozen
class Limits:
    """How much each kind of entry may keep: its age since last used, and caps on count and size."""

    max_age_ns: int = 30 * _DAY_NS
    max_entries: int = 50_000
    max_bytes: int = 256 * 1024 * 1024


#: The limits of every pruning.
LIMITS: Final = Limits()


@attrs.define
class Pruned:
    """What a pruning or a clearing removed (entries, bytes) and what it kept."""

    removed: int = 0
    freed: int = 0
    kept: int = 0
    kept_bytes: int = 0


def after_run(config: Config, since_ns: int) -> Pruned | None:
    """Prune the project's cache if it is due; None when it is not (or cannot be pruned).

    ``since_ns`` is when the run began (``time.time_ns()``): what it used is
    kept. A cache that cannot be read or written is left as it is.
    """
    cache_dir = _cache.usable_dir(config, warn=False)  # the run has warned of a link already
    if cache_dir is None:
        return None
    now = time.time_ns()
    try:
        if not _due(cache_dir, now):
            return None
        _mark(cache_dir)  # first: another run ending now does not prune as well
        done = prune(cache_dir, since_ns=since_ns, now_ns=now)
        _mark(cache_dir)  # again: this pruning's own removals are not new entries
    except OSError:
        return None
    return done


def prune(cache_dir: Path, *, since_ns: int, now_ns: int | None = None, limits: Limits = LIMITS) -> Pruned:
    """Remove each kind's entries unused for too long or beyond its caps, oldest first.

    Entries used at ``since_ns - TOUCH_NS`` or later are kept: the current
    run (begun at ``since_ns``) used them, or another run is using them.
    ``now_ns`` (default: the clock) is what ages are measured from.
    """
    now = time.time_ns() if now_ns is None else now_ns
    in_use = since_ns - _cache.TOUCH_NS
    done = Pruned()
    for kind in KINDS:
        with _Folder(cache_dir, kind) as folder:
            if folder.opened:
                _prune_kind(folder, now, in_use, limits, done)
    return done


def _prune_kind(folder: _Folder, now: int, in_use: int, limits: Limits, done: Pruned) -> None:
    entries: list[tuple[int, int, str]] = []
    for name, st in folder.files():
        if _ENTRY.fullmatch(name):
            entries.append((st.st_mtime_ns, st.st_size, name))
        elif _TEMP.fullmatch(name) and now - st.st_mtime_ns > _HOUR_NS and folder.unlink(name):
            done.removed += 1
            done.freed += st.st_size
    entries.sort()  # least recently used first
    count, size = len(entries), sum(e[1] for e in entries)
    for mtime, nbytes, name in entries:
        if mtime >= in_use:
            break  # this one and all after it are in use
        if now - mtime <= limits.max_age_ns and count <= limits.max_entries and size <= limits.max_bytes:
            break  # within every limit, and the rest are newer
        if folder.unlink(name):
            count -= 1
            size -= nbytes
            done.removed += 1
            done.freed += nbytes
    done.kept += count
    done.kept_bytes += size


def clear(cache_dir: Path) -> Pruned:
    """Remove every cache entry, the marker and the folder's ``.gitignore``; files not factlang's stay.

    The folders left empty are removed too. Another run at the same time
    finds no entry (a miss) or fails to write one (skipped, as in a
    read-only project).
    """
    done = Pruned()
    for kind in KINDS:
        with _Folder(cache_dir, kind) as folder:
            if not folder.opened:
                continue
            for name, st in folder.files():
                if not (_ENTRY.fullmatch(name) or _TEMP.fullmatch(name)):
                    continue
                if folder.unlink(name):
                    done.removed += 1
                    done.freed += st.st_size
                else:
                    done.kept += 1
                    done.kept_bytes += st.st_size
            folder.remove_if_empty()
    for name in (MARKER, ".gitignore"):
        path = cache_dir / name
        try:
            st = path.lstat()
            if stat.S_ISREG(st.st_mode) and (name == MARKER or _is_ours(path)):
                path.unlink()
        except OSError:
            continue
    with contextlib.suppress(OSError):
        cache_dir.rmdir()  # only if empty: a configured folder may hold the user's files too
    return done


def _is_ours(gitignore: Path) -> bool:
    """Whether the cache folder's ``.gitignore`` is the one factlang wrote (read without following a link)."""
    try:
        fd = os.open(gitignore, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            return fh.read(64).startswith(_cache.GITIGNORE.split(":")[0].encode())  # any version's
    except OSError:
        return False


def _due(cache_dir: Path, now: int) -> bool:
    """Whether the last pruning is :data:`EVERY_NS` old and an entry was written since."""
    last: int | None = None
    try:
        st = (cache_dir / MARKER).lstat()
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(st.st_mode):
            (cache_dir / MARKER).unlink()  # not factlang's marker (unlink never follows a link)
        elif now - st.st_mtime_ns < EVERY_NS:
            return False
        else:
            last = st.st_mtime_ns
    for kind in KINDS:
        try:
            folder = (cache_dir / kind).lstat()
        except OSError:
            continue
        if stat.S_ISDIR(folder.st_mode) and (last is None or folder.st_mtime_ns > last):
            return True
    return False


def _mark(cache_dir: Path) -> None:
    """Set the marker's time to now (made if missing, never through a link or into a pipe)."""
    path = cache_dir / MARKER
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.utime(fd if os.utime in os.supports_fd else path)
    finally:
        os.close(fd)


class _Folder:
    """One kind's folder, opened without following a symlink; its files listed and removed in it."""

    def __init__(self, cache_dir: Path, kind: str) -> None:
        self.path = cache_dir / kind
        self.kind = kind
        self.top: int | None = None
        self.fd: int | None = None
        self.opened = False
        if not _AT:
            with contextlib.suppress(OSError):
                self.opened = stat.S_ISDIR(self.path.lstat().st_mode)
            return
        try:
            self.top = os.open(cache_dir, _DIR_FLAGS)
            self.fd = os.open(kind, _DIR_FLAGS, dir_fd=self.top)
        except OSError:
            return  # absent, or a symlink (never followed)
        self.opened = True

    def __enter__(self) -> _Folder:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        for fd in (self.fd, self.top):
            if fd is not None:
                os.close(fd)

    def files(self) -> list[tuple[str, os.stat_result]]:
        """The regular files in the folder with their status (links and folders left out)."""
        found: list[tuple[str, os.stat_result]] = []
        try:
            with os.scandir(self.fd) if self.fd is not None else os.scandir(self.path) as listing:
                for entry in listing:
                    try:
                        if entry.is_file(follow_symlinks=False):
                            found.append((entry.name, entry.stat(follow_symlinks=False)))
                    except OSError:
                        continue  # removed meanwhile
        except OSError:
            pass
        return found

    def unlink(self, name: str) -> bool:
        """Remove a file; True when it is gone (also when another process removed it first)."""
        try:
            if self.fd is not None:
                os.unlink(name, dir_fd=self.fd)
            else:
                (self.path / name).unlink()
        except FileNotFoundError:
            return True
        except OSError:
            return False  # e.g. open in another process on Windows: the next pruning tries again
        return True

    def remove_if_empty(self) -> None:
        """Remove the folder if nothing is left in it."""
        with contextlib.suppress(OSError):
            if self.top is not None:
                os.rmdir(self.kind, dir_fd=self.top)
            else:
                self.path.rmdir()
