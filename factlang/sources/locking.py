"""``factlang lock [--update] [ID ...]``: fetch URL sources once and pin every cited source.

1. Each URL source missing from ``factlang.lock`` (with ``--update``: each
   one, or each named) is fetched, its bytes stored content-addressed, its
   text extracted and stored beside them; the lock records where it came
   from, its hashes, the time, the media type and the extractor. Anchors of
   a re-fetched source are kept, so the next ``check`` re-anchors its
   citations and reports what moved, changed or is gone.
2. The fact base is then checked (from the locked copies, never the
   network). When it passes and every citation is as its writer says, every
   cited source is pinned (local files too) and each quoted citation's anchor
   is refreshed; otherwise the anchors stay as they were and the command
   exits 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Final

from factlang.config import Config
from factlang.diagnostics import Diagnostic, LoadError
from factlang.model import FactBase
from factlang.sources.fetch import FetchError, fetch, is_url
from factlang.sources.formats import ExtractError, MissingExtra, extract, sniff
from factlang.sources.lock import LOCK_FILE, Anchor, Lock, LockEntry, LockError, read_lock, write_lock
from factlang.sources.store import Store

__all__ = ["lock_project"]

_REANCHOR_CODES: Final = ("FL250", "FL251", "FL252")


def _where(base: FactBase, sid: str) -> tuple[str, int, int]:
    loc = base.sources[sid].location
    return (loc.path, loc.line, loc.column) if loc is not None else (LOCK_FILE, 0, 0)


def _lines(root: Path, path: str) -> list[str] | None:
    """The lines of a fact file, for the caret under a declaration."""
    try:
        return (root / path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def _fetch_one(root: Path, url: str, old: LockEntry | None, timeout: float) -> LockEntry:
    got = fetch(url, timeout=timeout)
    fmt = sniff(got.data, got.final_url.split("?")[0], got.media_type)
    store = Store(root)
    digest = store.put_bytes(got.data, fmt)
    extracted = extract(got.data, fmt)
    if fmt != "text":
        store.put_text(digest, extracted)
    return LockEntry(
        sha256=digest,
        format=fmt,
        extractor=extracted.extractor,
        text_sha256=extracted.text_sha256,
        url=url,
        final_url=got.final_url if got.final_url != url else None,
        redirects=got.redirects,
        retrieved=got.retrieved,
        media_type=got.media_type,
        # Kept, so that `check` re-anchors the citations in the new text.
        anchors=old.anchors if old is not None and old.url == url else {},
        anchored=(old.anchored or old.text_sha256) if old is not None and old.url == url else "",
    )


def lock_project(
    config: Config, ids: Sequence[str], *, update: bool, out: IO[str], timeout: float = 30.0
) -> tuple[int, list[Diagnostic]]:
    """Run ``factlang lock``; returns the exit code and the errors to show."""
    from factlang.loader import load_project
    from factlang.verify import verify

    root = config.root
    base = load_project(config)
    try:
        lock = read_lock(root) or Lock()
    except LockError as err:
        return 2, [
            Diagnostic(
                f"{LOCK_FILE} {err}", LOCK_FILE, hint=f"delete {LOCK_FILE} to lock afresh", code="FL143"
            )
        ]
    unknown = [i for i in ids if i not in base.sources]
    if unknown:
        return 2, [Diagnostic(f"no source named '{i}'", code="FL115") for i in unknown]
    entries = dict(lock.sources)
    errors: list[Diagnostic] = []
    store = Store(root)
    for sid in sorted(base.sources):
        url = base.sources[sid].path
        if not is_url(url) or (ids and sid not in ids):
            continue
        old = entries.get(sid)
        have = old is not None and old.url == url and store.get_bytes(old.sha256, old.format) is not None  # type: ignore[arg-type]
        if have and not (update and (not ids or sid in ids)):
            continue
        try:
            new = _fetch_one(root, url, old, timeout)
        except (FetchError, ExtractError, OSError) as err:
            path, line, col = _where(base, sid)
            message = f"cannot lock source '{sid}' ({url}): {err}"
            code = "FL141" if isinstance(err, MissingExtra) else "FL144"
            if isinstance(err, OSError):
                message = f"cannot store source '{sid}' ({url}): {err.strerror or err}"
            errors.append(
                Diagnostic.at(message, path, _lines(root, path), (line, col) if line else None, code=code)
            )
            continue
        entries[sid] = new
        if old is None or old.url != url:
            out.write(f"fetched {sid}: {url} ({new.format}, sha256 {new.sha256[:12]})\n")
        elif old.sha256 == new.sha256:
            out.write(f"unchanged {sid}: {url}\n")
        else:
            out.write(f"changed {sid}: {url} (sha256 {old.sha256[:12]} -> {new.sha256[:12]})\n")
    # Sources no longer declared leave the lock.
    entries = {sid: e for sid, e in entries.items() if sid in base.sources}
    try:
        write_lock(root, Lock(entries))
    except OSError as err:
        return 2, [Diagnostic(f"cannot write {LOCK_FILE}: {err.strerror or err}", LOCK_FILE, code="FL105")]
    if errors:
        return 2, errors
    try:
        report = verify(base, root=root)
    except LoadError as err:
        return 2, list(err.diagnostics)
    # What re-anchoring found in the sources that changed since they were locked.
    for r in report.facts:
        for c in r.citations:
            for f in (*c.warnings, *c.messages):
                if f.code in _REANCHOR_CODES:
                    where = c.citation.location or r.fact.location
                    out.write(f"{where}: @{c.citation.source}: {f.message}\n")
    # Anchors are refreshed only from a fact base whose every citation is as its writer says.
    failing = [c for r in report.facts for c in r.citations if not c.ok]
    if not report.ok or failing:
        out.write(
            f"{len(report.failed)} fact(s), {len(failing)} citation(s) and "
            f"{len(report.conflicts)} conflict(s) fail: anchors kept as they were; "
            "run `factlang check`, fix them and lock again\n"
        )
        return 1, []
    anchors: dict[str, dict[str, Anchor]] = {}
    for r in report.facts:
        for c in r.citations:
            q = c.citation.quote
            sid = c.citation.source
            text = report.texts.get(sid) if q is not None and c.span is not None else None
            if q is None or c.span is None or text is None:
                continue
            anchors.setdefault(sid, {})[q] = Anchor.at(q, text, *c.span)
    for sid, origin in report.origins.items():
        old = entries.get(sid)
        remote = is_url(base.sources[sid].path)
        entries[sid] = LockEntry(
            sha256=origin.sha256,
            format=origin.format,
            extractor=origin.extractor,
            text_sha256=origin.text_sha256,
            url=origin.url if remote else None,
            path=None if remote else base.sources[sid].path,
            final_url=old.final_url if old and remote else None,
            redirects=old.redirects if old and remote else (),
            retrieved=old.retrieved if old and remote else None,
            media_type=old.media_type if old and remote else None,
            anchors=anchors.get(sid, {}),
            anchored=origin.text_sha256,
        )
    try:
        changed = write_lock(root, Lock(entries))
    except OSError as err:
        return 2, [Diagnostic(f"cannot write {LOCK_FILE}: {err.strerror or err}", LOCK_FILE, code="FL105")]
    n = sum(len(a) for a in anchors.values())
    out.write(f"{'wrote' if changed else 'unchanged'} {LOCK_FILE}: {len(entries)} sources, {n} anchors\n")
    return 0, []
