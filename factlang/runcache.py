"""The run cache: an unchanged project replays its last report without parsing or verifying.

A run of ``factlang check`` is a pure function of its inputs: the command
line, the configuration, the fact files, the sources, and factlang itself.
After a run, :func:`record` stores the output and exit code with a
fingerprint of every input it depended on; before the next run,
:func:`replay` recomputes the fingerprints and, when none changed, returns
the stored output. Nothing here imports Lark or rapidfuzz, so a replay costs
a few ``stat`` calls.

What is fingerprinted:

- every fact file loaded (includes too), every source read, the
  configuration file: size, ``mtime_ns`` and inode, with the content's
  SHA-256 as the fallback when those differ (a ``touch`` is not a change);
- every folder the run searched (fact folders, sources folders): the sorted
  list of the files it could pick up, so a new or removed file is a change;
- factlang's own code and grammar (size and ``mtime_ns``), and its version.

Entries are signed like the parse cache's (:mod:`factlang.cache`), so a
repository cannot ship an entry that makes a failing fact base look green.
A stale entry is never used: any difference is a miss and a full run.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Final

import attrs

from factlang import __version__
from factlang import cache as _cache
from factlang._fs import listing_digest, walk
from factlang.config import Config

__all__ = ["Entry", "record", "replay", "run_key"]

_KIND: Final = "run"
#: The entries' layout (a line of JSON, pickled fingerprints, the output, since 2): another is a miss.
_FORMAT: Final = 2
_SUFFIX: Final = ".run"
_PACKAGE: Final = Path(__file__).resolve().parent
#: A file modified less than this long before it was fingerprinted is checked by its content next time.
_RACY_NS: Final = 2_000_000_000


@attrs.frozen
class Entry:
    """A stored run: its output, its exit code, and what it depended on."""

    output: bytes | memoryview  # UTF-8
    code: int
    files: dict[str, list[Any]]  # path -> [size, mtime_ns, inode, sha256]
    folders: dict[str, str]  # folder -> digest of its listing
    code_digest: str


def run_key(config: Config, argv: Sequence[str], env: Iterable[tuple[str, str]] = ()) -> str:
    """The key of a run: factlang's version, the root, the arguments, what else shapes the output."""
    h = hashlib.sha256(f"factlang {__version__}\0{config.root}\0{Path.cwd()}\0".encode())
    for part in argv:
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for name, value in sorted(env):
        h.update(f"{name}={value}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def replay(config: Config, key: str) -> Entry | None:
    """The stored run under ``key`` if every input it depended on is unchanged; else None."""
    cache_dir = _cache.usable_dir(config)
    if cache_dir is None:
        return None
    payload = _cache.get_bytes(cache_dir, key, _KIND, _SUFFIX)
    if payload is None:
        return None
    # A line of JSON (the code, the files most often edited: fact files and
    # configuration), the other fingerprints pickled, then the output's bytes:
    # the others are unpickled only when the first files are unchanged.
    first = payload.find(b"\n")
    if first < 0:
        return None
    try:
        head = json.loads(payload[:first])
        if int(head["v"]) != _FORMAT or head["code_digest"] != _code_digest():
            return None
        if not _all_unchanged(head["files"]):
            return None
        end = first + 1 + int(head["rest"])
        theirs, folders = pickle.loads(payload[first + 1 : end])  # signed with the entry
        output = memoryview(payload)[end:]  # not copied out
        files = {**head["files"], **theirs}
        entry = Entry(output, int(head["code"]), files, folders, head["code_digest"])
        if not _all_unchanged(theirs):
            return None
    except Exception:  # a damaged entry of this shape is a miss, never an error
        return None
    for folder, digest in entry.folders.items():
        if _listing_digest(Path(folder)) != digest:
            return None
    return entry


def record(
    config: Config,
    key: str,
    *,
    output: str | bytes | BinaryIO,
    code: int,
    files: Iterable[Path | str],
    folders: Iterable[Path],
    known: Mapping[str, Sequence[Any]] | None = None,
    listings: Mapping[str, str] | None = None,
) -> None:
    """Store a finished run's output with the fingerprints of its inputs (silently skipped if it cannot).

    ``output`` is the text, its UTF-8 bytes, or a binary file holding them
    (read from its start). ``known`` maps paths to the fingerprints this
    run already took (size, ``mtime_ns``, inode, SHA-256), each before the
    file was read: such a file is neither looked at nor hashed again (10,000
    ``stat`` calls and reads were a tenth of a re-check). Taken before the
    reading, a fingerprint can only be older than what was read: a change
    since makes the next run miss, never replay stale output. ``listings``
    maps folders to the digests of their listings this run took, alike.
    """
    cache_dir = _cache.usable_dir(config)
    if cache_dir is None:
        return
    taken = known or {}
    mine: dict[str, list[Any]] = {}  # fingerprinted here: the fact files, the configuration
    theirs: dict[str, Sequence[Any]] = {}  # taken in this run, before the files were read
    for path in files:
        name = path if type(path) is str else str(path)
        seen = taken.get(name)
        if seen is not None:
            theirs[name] = seen
            continue
        fingerprint = _fingerprint(name)
        if fingerprint is None:
            return  # an input vanished during the run: nothing safe to store
        mine[name] = fingerprint
    # Only their times are judged here: one written just now is checked by its content next time.
    recent = time.time_ns() - _RACY_NS
    for name, (size, mtime, inode, sha) in theirs.items():
        if mtime > recent:
            theirs[name] = [size, -1, inode, sha]
    listed = listings or {}
    listing = {str(f): listed.get(str(f)) or _listing_digest(f) for f in folders}
    rest = pickle.dumps((theirs, listing), protocol=pickle.HIGHEST_PROTOCOL)
    head = {"v": _FORMAT, "code": code, "code_digest": _code_digest(), "files": mine, "rest": len(rest)}
    if isinstance(output, str):
        output = output.encode("utf-8")
    # A line of JSON, then the other fingerprints (pickled: 10,000 of them in
    # JSON took longer than the rest of recording), then the output's bytes as
    # they are: a report of 100 MB is neither escaped into a JSON string nor read
    # into memory (a spooled file is signed and copied block by block).
    line = json.dumps(head, separators=(",", ":")).encode("ascii") + b"\n"  # escaped: no raw newline
    _cache.put_bytes(cache_dir, key, (line + rest, output), _KIND, _SUFFIX)


def _fingerprint(path: str) -> list[Any] | None:
    try:
        st = os.stat(path)  # noqa: PTH116 - a str
        with open(path, "rb") as f:  # noqa: PTH123 - a str
            sha = hashlib.sha256(f.read()).hexdigest()
    except (OSError, ValueError):
        return None
    # A file written just now may be written again within the same time stamp
    # (same size, same inode): its time is not trusted, so the content decides.
    racy = time.time_ns() - st.st_mtime_ns < _RACY_NS
    return [st.st_size, -1 if racy else st.st_mtime_ns, st.st_ino, sha]


def _all_unchanged(files: Mapping[str, Sequence[Any]]) -> bool:
    return all(_unchanged(path, *fingerprint) for path, fingerprint in files.items())


def _unchanged(path: str, size: int, mtime: int, inode: int, sha: str) -> bool:
    try:
        st = os.stat(path)  # noqa: PTH116 - a str: a Path per file was a third of a replay
    except (OSError, ValueError):
        return False
    if (st.st_size, st.st_mtime_ns, st.st_ino) == (size, mtime, inode):
        return True
    if st.st_size != size:
        return False
    # Same size, other times: a touch or a copy; the content decides.
    try:
        with open(path, "rb") as f:  # noqa: PTH123 - a str
            return hashlib.sha256(f.read()).hexdigest() == sha
    except OSError:
        return False


def _listing_digest(folder: Path) -> str:
    """A digest of the files a search of ``folder`` could pick up (names only: contents are fingerprinted)."""
    return listing_digest(walk(str(folder)))


_CODE_DIGEST: list[str] = []


def _code_digest() -> str:
    """Sizes and times of factlang's own modules and grammar: a development edit is a change too."""
    if not _CODE_DIGEST:
        h = hashlib.sha256()
        grammar_dirs = [_PACKAGE / "_grammar", _PACKAGE.parent / "grammar"]
        files = sorted(_PACKAGE.rglob("*.py")) + [g / "factlang.lark" for g in grammar_dirs]
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
        _CODE_DIGEST.append(h.hexdigest())
    return _CODE_DIGEST[0]
