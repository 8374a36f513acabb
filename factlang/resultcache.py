"""The results cache: a check re-verifies only the facts whose inputs changed.

:func:`verify_cached` returns exactly the :class:`~factlang.report.Report`
that :func:`factlang.verify.verify` would, but keeps every fact's verdict
record between runs and re-verifies only:

- the facts of a fact file whose bytes changed (a file's records are keyed
  by the hash of its bytes and how it is shown), and
- the facts citing a source whose content or declaration changed (each
  record names the digest of every source it was made from).

Everything else that shapes a verdict is in the *context* key, so a change
to any of it is a miss for every record: factlang's version, its code and
grammar, the shape of the report classes, the configuration and options
(``strict``, ``select``, ``ignore``), the working folder (diagnostics show
paths relative to it), the lock file, the extractors' versions, and every
declaration (kinds, entities, predicates). A source's digest is its
declaration (publication metadata, pins) with its content's SHA-256; the
content hash is found from a fingerprint (size, ``mtime_ns``, inode) and
recomputed when that differs, or when the file was modified too recently
for its time stamp to tell a later edit apart. URL sources are always
re-verified (their copy lives in the store, pinned by the lock).

Conflicts are recomputed over the whole fact base from each record's key,
the per-file summary, so they never go stale. Source texts are not read for
facts that did not change: :attr:`Report.texts` reads a source when a
renderer first asks for it. Entries are signed pickles (:mod:`factlang.cache`);
``--no-cache`` or deleting the cache folder gives the same report.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import stat
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

import attrs

from factlang import __version__
from factlang import cache as _cache
from factlang._gc import paused_gc
from factlang.config import Config
from factlang.findings import Finding
from factlang.model import Fact, FactBase, Location, Source
from factlang.report import CitationResult, Conflict, FactResult, Report, Stated
from factlang.sources.resolve import Origin
from factlang.sources.urls import is_url

if TYPE_CHECKING:
    from factlang.verify.conflicts import Claim

__all__ = ["NeedFacts", "Run", "checked_report", "stored_origin", "verify_cached"]

_T = TypeVar("_T")

_KIND: Final = "results"
#: A file modified less than this long before it was hashed may change again
#: within the same time stamp: its fingerprint is not trusted next time.
_RACY_NS: Final = 2_000_000_000
#: How far a file's time stamp may lag the clock (coarse kernel clocks tick every few ms).
_TICK_NS: Final = 20_000_000

_FACT_FIELDS: Final = tuple(f.name for f in attrs.fields(FactResult))
_CITE_FIELDS: Final = tuple(f.name for f in attrs.fields(CitationResult))
_STATED_FIELDS: Final = tuple(f.name for f in attrs.fields(Stated))
_ORIGIN_FIELDS: Final = tuple(f.name for f in attrs.fields(Origin))
# Records are rebuilt positionally, the fact and its citations first: the
# cache is used only while the report classes have that shape (their field
# names are part of every key, so another shape is another cache).
#: Whether the report classes have the shape records are rebuilt in (else nothing is cached).
SHAPE_OK: Final = (
    all(f.init for cls in (FactResult, CitationResult, Stated, Origin) for f in attrs.fields(cls))
    and _FACT_FIELDS[:3] == ("fact", "verdict", "citations")
    and _CITE_FIELDS[0] == "citation"
    and {"stated", "matched"} <= set(_CITE_FIELDS)
)
_J_STATED: Final = _CITE_FIELDS.index("stated") - 1 if "stated" in _CITE_FIELDS else -1
_J_MATCHED: Final = _CITE_FIELDS.index("matched") - 1 if "matched" in _CITE_FIELDS else -1

#: A fact's record: its key, the (source id, digest) pairs it was verified
#: against, and its result's fields with the fact and citations left out.
#: Last, the hash of the fact's lines (see :func:`_signature`): a fact moved
#: within its file, its lines unchanged, takes its record with it.
_Record = tuple[str, tuple[tuple[str, str], ...], tuple[Any, ...], str]
_Loc = tuple[int, int]


class _Stored(NamedTuple):
    """What the cache holds for a base's facts (:meth:`Run._stored`)."""

    cited: set[str]  # the sources the facts cite
    digest: dict[str, str | None]  # each one's digest now (None: not reusable)
    known: _Known  # the sources table
    by_file: dict[str, list[int]]  # the facts' indices, by fact file
    entries: dict[str, tuple[str, dict[_Loc, _Record]]]  # file key; records if a fact is verified again
    results: list[FactResult | None]  # each fact's result as stored (None: to verify)
    keys: list[str | None]  # each stored fact's key
    members: list[tuple[str, int, int] | None]  # each fact's file key and place (None: not stored)
    dirty: list[int]  # the facts to verify


#: Facts per pickled chunk of a fact file's entry.
_CHUNK: Final = 1000


def checked_report(
    config: Config,
    paths: Sequence[str | os.PathLike[str]] | None = None,
    *,
    select: Collection[str] | None = None,
    ignore: Collection[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> Report:
    """Load the project's fact files (``paths``, default the configured ones) and check them, cached.

    ``ignore`` defaults to the configuration's ``ignore`` setting; ``jobs``
    is as for :func:`factlang.verify.verify`, whose report this is (raises
    what loading and verifying raise). Afterwards the cache folder is pruned
    when that is due (:func:`factlang.prune.after_run`).
    """
    from factlang import prune
    from factlang.loader import load_project

    loaded_at = time.time_ns()
    base = load_project(config, paths or None)
    chosen = config.ignore if ignore is None else ignore
    report = verify_cached(
        base, config, select=select, ignore=chosen, progress=progress, jobs=jobs, loaded_at=loaded_at
    )
    prune.after_run(config, loaded_at)  # when due: entries this run did not use, long unused
    return report


def verify_cached(
    base: FactBase,
    config: Config,
    *,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    loaded_at: int | None = None,
) -> Report:
    """``verify(base, strict=config.strict, root=config.root, ...)``, re-verifying only what changed.

    ``base`` may be a selection of a loaded project's facts (``check
    --predicate ...``): records are kept per fact, so a selection reads and
    extends the same entries. ``loaded_at`` is when loading ``base`` began
    (``time.time_ns()``; default: now): a fact file modified since is not
    stored, since its facts may be from its older bytes. Without a usable
    cache folder this is :func:`~factlang.verify.verify` itself.
    """
    from factlang.verify import verify

    cache_dir = _cache.usable_dir(config) if config.cache is not None else None
    if cache_dir is None or not SHAPE_OK:
        return verify(
            base,
            strict=config.strict,
            root=config.root,
            progress=progress,
            select=select,
            ignore=ignore,
            jobs=jobs,
        )
    with paused_gc():
        started = time.time_ns() if loaded_at is None else loaded_at
        return Run(base, config, cache_dir, select, ignore, jobs, started).run(progress)


class NeedFacts(Exception):
    """Conflicts must be checked in a group with facts that were not loaded (their indices)."""

    def __init__(self, missing: Collection[int]) -> None:
        super().__init__(f"{len(missing)} facts needed")
        self.missing = frozenset(missing)


class Run:
    """One cached verification: what is known, what must be verified again, and the merge.

    :func:`verify_cached` is its whole use; the text report's block cache
    (:mod:`factlang.blockcache`) uses its parts: the context, file keys,
    source digests, :meth:`verified` and :meth:`conflicts`.
    """

    def __init__(
        self,
        base: FactBase,
        config: Config,
        cache_dir: Path,
        select: Collection[str] | None,
        ignore: Collection[str],
        jobs: int,
        loaded_at: int,
    ) -> None:
        self.jobs = jobs  # the report is the same for any number of jobs: not part of any key
        self.loaded_at = loaded_at
        self.base = base
        self.config = config
        self.cache_dir = cache_dir
        self.root = config.root
        self.context = _context(base, config, select, ignore)
        self.select = select
        self.ignore = ignore
        self.digests = _SourceDigests(cache_dir, self.root)
        # A fact file's last stored records by signature, and its lines, for facts that moved.
        self._old: dict[str, dict[str, tuple[int, _Record]]] = {}
        self._lines: dict[str, list[str]] = {}
        #: Each fact file's parse cache key, as loaded (by path, as shown): its bytes need not be read again.
        self.parse_keys: Mapping[str, str] = {}
        self._shown: dict[str, str] = {}  # a fact file's key -> the file (shared by the copies)
        self._loaded: dict[str, bool] = {}  # a fact file's key -> whether unmodified since loading
        self._claims: dict[str, tuple[tuple[Any, ...], ...] | None] = {}  # by fact file key
        self._sources_table: list[_Known] = []
        #: Each cited source's digest as read by :meth:`verified` (None: not reusable).
        self.usable: dict[str, str | None] = {}
        #: Each fact file whose records this run stored anew: its version before (shared by copies).
        self.superseded: dict[str, str] = {}

    def run(self, progress: Callable[[int, int], None] | None) -> Report:
        """The report :func:`~factlang.verify.verify` would give, conflicts included."""
        report, keys, members = self.verified(progress)
        versions = [m[0] if m is not None else None for m in members]
        conflicts = self.conflicts(list(report.base.facts), keys, versions)
        self.retire()
        return attrs.evolve(report, conflicts=conflicts)

    def retire(self) -> None:
        """Mark the records and claims of the fact files' versions this run replaced as long unused.

        Pruning removes the least recently used first: over a cap, an edited
        file's older version goes before any entry in use. Until then it
        serves an undo (read, it is marked as used again). Called once the
        run has read what it needs (conflicts read the older claims).
        """
        for previous in self.superseded.values():
            _cache.mark_superseded(self.cache_dir, previous, _KIND, ".pickle")
            _cache.mark_superseded(self.cache_dir, self._claims_key(previous), _KIND, ".pickle")

    def with_base(self, base: FactBase) -> Run:
        """The same run over another selection of the project (same declarations: same context)."""
        other = copy.copy(self)
        other.base = base
        other.usable = {}
        return other

    def digest(self, sid: str) -> str | None:
        """A source's digest now (None: it must be read again, or it is not a source)."""
        source = self.base.sources.get(sid)
        return self.digests.of(source) if source is not None else None

    def digest_all(self, sids: Iterable[str]) -> dict[str, str | None]:
        """:meth:`digest` of each of ``sids``, in one pass (thousands of sources are looked at per run)."""
        sources = self.base.sources
        found = self.digests.of_all([sources[sid] for sid in sids if sid in sources])
        return {sid: found.get(sid) for sid in sids}

    def known_sources(self) -> _Known:
        """Each source's last verified digest, origin and (if changed by verifying) enriched declaration."""
        return self._read_sources()

    def verified(
        self, progress: Callable[[int, int], None] | None
    ) -> tuple[Report, list[str], list[tuple[str, int, int] | None]]:
        """The report without conflicts, each fact's key, and each fact's member id for :meth:`conflicts`.

        The member id is its file's key and its position (None: not stored).
        """
        from factlang.verify import verify

        base = self.base
        facts = base.facts
        cited, digest, known, by_file, entries, results, keys, members, dirty = self._stored()
        digests = self.digests

        again: Report | None = None
        if dirty:
            subset = attrs.evolve(base, facts=tuple(facts[n] for n in dirty))
            again = verify(
                subset,
                strict=self.config.strict,
                root=self.config.root,
                progress=_offset(progress, len(facts) - len(dirty), len(facts)),
                select=self.select,
                ignore=self.ignore,
                jobs=self.jobs,
            )
            for n, result in zip(dirty, again.facts, strict=True):
                results[n] = result
        if progress is not None and facts:
            progress(len(facts), len(facts))
        final = [r for r in results if r is not None]
        assert len(final) == len(facts)

        # The sources as the verifier saw them (page metadata filled in) and where each came from.
        sources = dict(base.sources)
        origins: dict[str, Origin] = {}
        again_sources = again.base.sources if again is not None else {}
        again_origins = again.origins if again is not None else {}
        for sid in sorted(cited):
            if sid in again_origins:
                origins[sid] = again_origins[sid]
                sources[sid] = again_sources[sid]
            else:
                _, row, enriched = known[sid]
                origins[sid] = stored_origin(row)
                if enriched is not None:
                    sources[sid] = enriched
        texts = _Texts(self.root, dict(base.sources), origins, again.texts if again is not None else {})

        fact_keys = [k if k is not None else facts[n].key for n, k in enumerate(keys)]
        report = Report(
            attrs.evolve(base, sources=sources),
            tuple(final),
            (),
            strict=self.config.strict,
            texts=texts,
            origins=origins,
        )
        if again is not None:
            # Only what the verifier read is stored: a source that changed between
            # its digest and its reading is left out (its facts are verified next time).
            usable = dict(digest)
            for sid, origin in again_origins.items():
                if digests.content.get(sid) != origin.sha256:
                    usable[sid] = None
            self._store(entries, by_file, dirty, fact_keys, final, usable)
            self._store_sources(known, again_origins, sources, base.sources, usable)
            self.usable = usable
        else:
            self.usable = dict(digest)
        return report, fact_keys, members

    def replayable(self) -> list[FactResult | None]:
        """Each fact's result as stored, where its record is still good (None: it must be verified).

        Nothing is verified and no record is written: for a caller that
        verifies the rest itself, one fact at a time (the pytest plugin).
        """
        return self._stored().results

    def _stored(self) -> _Stored:
        """What the cache holds for the base's facts: each one's result where its record is still good."""
        base = self.base
        facts = base.facts
        cited = {c.source for f in facts for c in f.citations}
        digests = self.digests
        digest = self.digest_all(cited)
        digests.save()
        known = self._read_sources()
        # A source without a stored origin for its current digest is read again,
        # so every fact citing it is verified again (the report needs its origin).
        fresh_sources = {sid for sid in cited if digest[sid] is None or known.digest(sid) != digest[sid]}

        by_file: dict[str, list[int]] = {}
        results: list[FactResult | None] = [None] * len(facts)
        keys: list[str | None] = [None] * len(facts)
        members: list[tuple[str, int, int] | None] = [None] * len(facts)
        dirty: list[int] = []
        for n, fact in enumerate(facts):
            if fact.location is not None:
                by_file.setdefault(fact.location.path, []).append(n)
            else:
                dirty.append(n)
        current = {sid: d for sid, d in digest.items() if sid not in fresh_sources}
        entries: dict[str, tuple[str, dict[_Loc, _Record]]] = {}
        # File by file: a file's records are dropped once its facts are rebuilt,
        # unless one of them is verified again (its entry is then written back),
        # so a run never holds every file's records beside every result.
        for shown, ns in by_file.items():
            key = self.file_key(shown)
            if key is None:
                dirty.extend(ns)
                continue
            entry = (key, self._read_entry(key))
            if entry[1]:
                # Where its last version is stays as long as the version does.
                _cache.mark_used(self.cache_dir, self._latest_key(shown), _KIND, ".pickle")
            again = len(dirty)
            for n in ns:
                fact = facts[n]
                where = fact.location
                assert where is not None
                members[n] = (key, where.line, where.column)
                record = entry[1].get((where.line, where.column))
                if record is None:
                    record, delta = self._moved(shown, entry, fact)
                else:
                    delta = 0
                if record is None:
                    dirty.append(n)
                    continue
                keys[n] = record[0]
                rebuilt = _rebuild(fact, record, current)
                if rebuilt is None:
                    dirty.append(n)
                else:
                    results[n] = _shifted(rebuilt, shown, delta) if delta else rebuilt
            entries[shown] = entry if len(dirty) > again else (key, {})
        dirty.sort()  # verified in the facts' order, as in a run without a cache
        return _Stored(cited, digest, known, by_file, entries, results, keys, members, dirty)

    def conflicts(
        self,
        facts: Sequence[Fact | None],
        keys: Sequence[str],
        versions: Sequence[str | None],
        light: Callable[[int], Claim | None] | None = None,
    ) -> tuple[Conflict, ...]:
        """Conflicts among all the facts, checking only the same-key groups that may have changed.

        A fact file's version (its key: its bytes and the context) fixes its
        facts, and conflicts are decided pair by pair on what each fact
        claims. So the last run's outcome is kept: each file's version then
        and the keys that conflicted. A group is checked again only if it
        conflicted then, or has a fact of no version (not stored), or a fact
        of a version not seen then whose claims under that key are not those
        of the file's version then (:meth:`_since`). A group that only lost
        facts was free and still is. Without that outcome, every group is
        checked. The groups are checked in the order of the facts, so the
        conflicts come out as a fresh run's.

        ``versions[n]`` is fact ``n``'s file version (None: not stored); a
        version's facts are in file order. A fact may be None (not loaded) if
        its version is known; ``light`` gives a stand-in for it (None: none
        at hand), enough to decide whether its group conflicts. Raises
        :class:`NeedFacts` when a group with such facts conflicts (the
        conflict shows the facts), or has one without a stand-in.
        """
        from factlang.verify.conflicts import conflicting, find_conflicts

        # Passes over every fact stay in C where they can: this runs on every check.
        present: set[str | None] = set(versions)
        loose = {k for k, v in zip(keys, versions, strict=True) if v is None} if None in present else set()
        present.discard(None)
        seen: set[str] = present  # type: ignore[assignment]
        last = self._read_pickle(self._outcome_key(), tuple)
        if not (len(last) == 2 and isinstance(last[0], dict) and isinstance(last[1], frozenset)):
            last = ({}, frozenset())
            known = False
        else:
            known = True
        before: dict[str, str] = last[0]
        # Each version not seen then, with its facts (by index, in order).
        fresh: dict[str, list[int]] = {}
        new = seen - set(before.values())
        if new:
            for n, version in enumerate(versions):
                if version in new:
                    fresh.setdefault(version, []).append(n)
        if known:
            wanted = self._since(facts, keys, fresh, before) | last[1] | loose
        else:  # only keys that more than one fact has make a group
            wanted = {key for key, count in Counter(keys).items() if count > 1}
        groups: dict[str, list[int]] = {}
        if wanted:
            for n, key in enumerate(keys):
                if key in wanted:
                    groups.setdefault(key, []).append(n)
            groups = {key: group for key, group in groups.items() if len(group) > 1}
        # A group with facts not loaded is decided on their stand-ins; only a
        # conflicting one needs its facts, to be shown.
        free: set[str] = set()
        missing: set[int] = set()
        for key, group in groups.items():
            absent = [n for n in group if facts[n] is None]
            if not absent:
                continue
            if light is not None:
                stand = [facts[n] or light(n) for n in group]
                if None not in stand and not conflicting(stand):  # type: ignore[arg-type]
                    free.add(key)
                    continue
            missing.update(absent)
        if missing:
            raise NeedFacts(missing)
        check = sorted(n for key, group in groups.items() if key not in free for n in group)
        found = tuple(find_conflicts([facts[n] for n in check], keys=[keys[n] for n in check]))  # type: ignore[misc]
        self._keep_outcome(
            facts, keys, versions, seen, fresh, {c.key for c in found}, last if known else None
        )
        return found

    def claims(self, version: str) -> tuple[tuple[Any, ...], ...] | None:
        """What conflicts are decided on, for each fact of a fact file version in order (None: not kept).

        Four tuples: the facts' keys, comparators, negations and values.
        """
        if version not in self._claims:
            entry = self._read_pickle(self._claims_key(version), tuple)
            self._claims[version] = entry if len(entry) == 4 else None
        return self._claims[version]

    # -- the last run's conflicts ------------------------------------------------

    def _outcome_key(self) -> str:
        return hashlib.sha256(f"conflict-outcome\0{self.context}".encode()).hexdigest()

    def _claims_key(self, version: str) -> str:
        return hashlib.sha256(f"claims\0{version}".encode()).hexdigest()

    def _since(
        self,
        facts: Sequence[Fact | None],
        keys: Sequence[str],
        fresh: Mapping[str, list[int]],
        before: Mapping[str, str],
    ) -> set[str]:
        """The keys of the versions not seen last time whose claims differ from their file's version then.

        ``fresh`` are those versions with their facts' indices, ``before`` each
        file's version then. A fact that only moved in its file, or a comment
        added, leaves every claim as it was: no group is checked again.
        """
        since: set[str] = set()
        for version, at in fresh.items():
            shown = self._shown.get(version)
            then = self.claims(before[shown]) if shown is not None and shown in before else None
            now = _claims_of(facts, keys, at)
            if then is None or now is None:
                since.update(keys[n] for n in at)
                continue
            old, new = _by_key(then), _by_key(now)
            since.update(key for key, claims in new.items() if old.get(key) != claims)
        return since

    def _keep_outcome(
        self,
        facts: Sequence[Fact | None],
        keys: Sequence[str],
        versions: Sequence[str | None],
        seen: set[str],
        fresh: Mapping[str, list[int]],
        conflicted: set[str],
        last: tuple[dict[str, str], frozenset[str]] | None,
    ) -> None:
        """Store this run's outcome (each file's version as loaded, the keys that conflicted), new claims."""
        # A version's claims asked for and not found (pruned) are kept again, from its facts if loaded.
        lost = {v for v in seen - fresh.keys() if v in self._claims and self._claims[v] is None}
        again: dict[str, list[int]] = {}
        if lost:
            for n, version in enumerate(versions):
                if version in lost:
                    again.setdefault(version, []).append(n)
        for version, at in (*fresh.items(), *again.items()):
            claims = _claims_of(facts, keys, at)
            if claims is not None and self._as_loaded(version):
                self._claims[version] = claims
                blob = pickle.dumps(claims, protocol=pickle.HIGHEST_PROTOCOL)
                _cache.put_bytes(self.cache_dir, self._claims_key(version), blob, _KIND, ".pickle")
        for version in seen - fresh.keys() - again.keys():
            # Read only when a group is checked again: marked as used, as pruning keeps what is used.
            _cache.mark_used(self.cache_dir, self._claims_key(version), _KIND, ".pickle")
        files = {self._shown[v]: v for v in sorted(seen) if self._as_loaded(v)}
        outcome = (files, frozenset(conflicted))
        if outcome != last:
            blob = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            _cache.put_bytes(self.cache_dir, self._outcome_key(), blob, _KIND, ".pickle")

    def _as_loaded(self, version: str) -> bool:
        """Whether the file of ``version`` was not modified since loading began (its facts are its bytes')."""
        if version in self._loaded:
            return self._loaded[version]
        shown = self._shown.get(version)
        try:
            ok = shown is not None and os.stat(shown).st_mtime_ns < self.loaded_at - _TICK_NS  # noqa: PTH116
        except OSError:
            ok = False
        self._loaded[version] = ok
        return ok

    def _read_pickle(self, key: str, expect: type[_T]) -> _T:
        """The signed entry under ``key`` if it is an ``expect``; else an empty one."""
        payload = _cache.get_bytes(self.cache_dir, key, _KIND, ".pickle")
        if payload is not None:
            try:
                value = pickle.loads(payload)
            except Exception:  # a corrupt entry is a miss, never an error
                value = None
            if isinstance(value, expect):
                return value
        return expect()

    # -- entries -----------------------------------------------------------------

    def mark_used(self, shown: str, file_key: str) -> None:
        """Mark a fact file's records as used, though not read (their block was replayed)."""
        _cache.mark_used(self.cache_dir, file_key, _KIND, ".pickle")
        _cache.mark_used(self.cache_dir, self._latest_key(shown), _KIND, ".pickle")

    def file_key(self, shown: str) -> str | None:
        """The key of a fact file's entries: the context, how it is shown and its bytes (None: unreadable).

        Of the bytes parsed when :attr:`parse_keys` has the file's parse cache
        key (which hashes them), else of the file's bytes now.
        """
        parsed = self.parse_keys.get(shown)
        if parsed is None:
            try:
                data = Path(shown).read_bytes()
            except OSError:
                return None
            parsed = _cache.key(shown, data)
        key = self._of_parsed(shown, parsed)
        self._shown[key] = shown
        return key

    def _key_of(self, shown: str, data: bytes) -> str:
        return self._of_parsed(shown, _cache.key(shown, data))

    def _of_parsed(self, shown: str, parsed: str) -> str:
        spelled = f"file\0{self.context}\0{shown}\0{parsed}"
        return hashlib.sha256(spelled.encode("utf-8", "surrogateescape")).hexdigest()

    def still(self, shown: str, key: str) -> bytes | None:
        """The fact file's bytes if it is still the one loaded (same bytes, not modified since loading began).

        Its entries may be stored then. The time stamp may lag the clock by a
        tick, hence the margin: a file written just before loading is only not
        stored, never wrongly stored.
        """
        try:
            mtime = Path(shown).stat().st_mtime_ns
        except OSError:
            return None
        return self._bytes_if(shown, key) if mtime < self.loaded_at - _TICK_NS else None

    def _moved(
        self, shown: str, entry: tuple[str, dict[_Loc, _Record]], fact: Fact
    ) -> tuple[_Record | None, int]:
        """The record of the same fact in the file's last stored version, and how many lines it moved.

        An edit elsewhere in a file (a fact added above, a comment) moves
        the facts below it: a fact whose lines are the same, in the same
        column, is the same fact, with its findings' places moved as many lines.
        """
        index = self._old_index(shown, entry[0])
        if not index:
            return None, 0
        lines = self._lines.get(shown)
        if lines is None:
            return None, 0
        found = index.get(_signature(lines, fact))
        if found is None:
            return None, 0
        line, record = found
        assert fact.location is not None
        return record, fact.location.line - line

    def _old_index(self, shown: str, key: str) -> dict[str, tuple[int, _Record]]:
        """The records of a file's last stored version by signature (a record of each)."""
        if shown in self._old:
            return self._old[shown]
        index: dict[str, tuple[int, _Record]] = {}
        self._old[shown] = index
        last = self._read_pickle(self._latest_key(shown), str)
        if not last or last == key:
            return index
        data = self._bytes_if(shown, key)
        if data is None:
            return index
        self._lines[shown] = data.decode("utf-8", "replace").split("\n")
        for (line, _), record in self._read_entry(last).items():
            # Facts of the same lines (and column) have the same result but for their places,
            # and those move with the record's own line: any one of them serves each.
            index.setdefault(record[3], (line, record))
        return index

    def _bytes_if(self, shown: str, key: str) -> bytes | None:
        """The fact file's bytes, if they are still those of ``key``."""
        try:
            data = Path(shown).read_bytes()
        except OSError:
            return None
        return data if self._key_of(shown, data) == key else None

    def _latest_key(self, shown: str) -> str:
        """Where the key of a fact file's last stored entry is kept (per context)."""
        return hashlib.sha256(
            f"latest\0{self.context}\0{shown}".encode("utf-8", "surrogateescape")
        ).hexdigest()

    def _read_entry(self, key: str) -> dict[_Loc, _Record]:
        payload = _cache.get_bytes(self.cache_dir, key, _KIND, ".pickle")
        if payload is None:
            return {}
        records: dict[_Loc, _Record] = {}
        for chunk in _unframed(payload):
            try:
                part = pickle.loads(chunk)  # signed with the entry it is part of
            except Exception:  # a corrupt entry is a miss, never an error
                return {}
            if not isinstance(part, dict):
                return {}
            records.update(part)
        return records

    def _store(
        self,
        entries: dict[str, tuple[str, dict[_Loc, _Record]]],
        by_file: dict[str, list[int]],
        dirty: list[int],
        keys: list[str],
        results: list[FactResult],
        digest: Mapping[str, str | None],
    ) -> None:
        """Write back the entries of the files whose facts were verified again."""
        touched = {self.base.facts[n].location.path for n in dirty if self.base.facts[n].location is not None}  # type: ignore[union-attr]
        for shown in sorted(touched):
            if shown not in entries:
                continue
            key, records = entries[shown]
            data = self.still(shown, key)
            if data is None:
                continue
            lines = data.decode("utf-8", "replace").split("\n")
            made = self._records(by_file[shown], records, lines, keys, results, digest)
            framed = _framed(_chunked(made))  # written as they are: never copied into one blob
            del lines
            _cache.put_bytes(self.cache_dir, key, framed, _KIND, ".pickle")
            previous = self._read_pickle(self._latest_key(shown), str)
            latest = pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)
            _cache.put_bytes(self.cache_dir, self._latest_key(shown), latest, _KIND, ".pickle")
            if previous and previous != key:
                self.superseded[shown] = previous  # marked so once the run is done with it (retire)

    def _records(
        self,
        ns: Sequence[int],
        older: Mapping[_Loc, _Record],
        lines: Sequence[str],
        keys: list[str],
        results: list[FactResult],
        digest: Mapping[str, str | None],
    ) -> Iterator[tuple[_Loc, _Record]]:
        """A file's records, by place: its facts ``ns``, then the ``older`` ones no fact is at now."""
        done: set[_Loc] = set()
        for n in ns:
            fact, result = self.base.facts[n], results[n]
            where = fact.location
            assert where is not None
            loc = (where.line, where.column)
            done.add(loc)
            used = tuple((c.source, digest[c.source]) for c in fact.citations)
            if any(d is None for _, d in used):
                continue  # verified again each time: no record
            yield loc, (keys[n], used, _pack(result), _signature(lines, fact))  # type: ignore[misc]
        yield from ((loc, r) for loc, r in older.items() if loc not in done)

    def _sources_key(self) -> str:
        return hashlib.sha256(f"sources\0{self.context}".encode()).hexdigest()

    def _read_sources(self) -> _Known:
        # Read once per run (shared by :meth:`with_base` copies).
        if not self._sources_table:
            self._sources_table.append(_Known(self._read_pickle(self._sources_key(), dict)))
        return self._sources_table[0]

    def _store_sources(
        self,
        known: _Known,
        origins: Mapping[str, Any],
        sources: Mapping[str, Source],
        declared: Mapping[str, Source],
        digest: Mapping[str, str | None],
    ) -> None:
        table = dict(known.raw)
        changed = False
        for sid, origin in origins.items():
            d = digest.get(sid)
            if d is None:
                changed |= table.pop(sid, None) is not None
                continue
            enriched = sources[sid]
            # Its fields, not the object, packed: a run unpacks only the rows it needs.
            row = attrs.astuple(origin, recurse=False)
            kept = None if enriched is declared.get(sid) else enriched
            # Compared as values: equal rows may pickle to other bytes (shared strings).
            if sid in known and known[sid] == (d, row, kept):
                continue
            table[sid] = (d, pickle.dumps((row, kept), protocol=4), origin.changed)
            changed = True
        if not changed:
            return  # the sources verified again were as known (a fact file was edited)
        self._sources_table[:] = [_Known(table)]
        blob = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
        _cache.put_bytes(self.cache_dir, self._sources_key(), blob, _KIND, ".pickle")


class _Known:
    """The sources table: each source's last verified digest, origin and enriched declaration.

    Kept as (digest, packed origin and declaration, whether the origin says
    the source changed since pinned) per source: a run reads every digest
    but unpacks only the rows it uses (unpacking 10,000 took 0.05 s).
    """

    __slots__ = ("_open", "raw")

    def __init__(self, raw: Mapping[str, Any]) -> None:
        ok = all(type(e) is tuple and len(e) == 3 and type(e[1]) is bytes for e in raw.values())
        self.raw: dict[str, tuple[str, bytes, str | None]] = dict(raw) if ok else {}
        self._open: dict[str, tuple[str, Any, Source | None]] = {}

    def digest(self, sid: str) -> str | None:
        """The source's digest when last verified (None: not known)."""
        entry = self.raw.get(sid)
        return entry[0] if entry is not None else None

    def changed(self, sid: str) -> str | None:
        """Why the source's origin says it changed since pinned (None: it did not, or not known)."""
        entry = self.raw.get(sid)
        return entry[2] if entry is not None else None

    def __contains__(self, sid: str) -> bool:
        return sid in self.raw

    def __getitem__(self, sid: str) -> tuple[str, Any, Source | None]:
        """(digest, origin row, enriched declaration or None); KeyError: not known."""
        found = self._open.get(sid)
        if found is None:
            digest, packed, _ = self.raw[sid]
            row, enriched = pickle.loads(packed)  # signed with the table it is part of
            found = self._open[sid] = (digest, row, enriched)
        return found


def stored_origin(row: Any) -> Origin:
    """A source's origin as the results cache keeps it (its fields), made again."""
    return Origin(*row) if isinstance(row, tuple) else row


def _offset(
    progress: Callable[[int, int], None] | None, before: int, total: int
) -> Callable[[int, int], None] | None:
    """Progress of the facts verified again, counted after the ones replayed."""
    if progress is None:
        return None
    return lambda done, _total: progress(before + done, total)


def _framed(chunks: Iterable[bytes]) -> tuple[bytes, ...]:
    """Pickled chunks as an entry's parts: each after its length (8 bytes, big-endian)."""
    parts: list[bytes] = []
    for chunk in chunks:
        parts += (len(chunk).to_bytes(8, "big"), chunk)
    return tuple(parts)


def _unframed(payload: bytes) -> Iterator[memoryview]:
    """The chunks of an entry :func:`_framed` made; none at all if it is cut short."""
    view, at, found = memoryview(payload), 0, []
    while at < len(view):
        size = int.from_bytes(view[at : at + 8], "big")
        at += 8
        if size > len(view) - at:
            return iter(())  # cut short: a miss (entries are signed, so never in practice)
        found.append(view[at : at + size])
        at += size
    return iter(found)


def _chunked(items: Iterable[tuple[_Loc, _Record]]) -> Iterator[bytes]:
    """Records pickled a chunk at a time as they are made.

    So neither every record nor one pickle memo of them all is ever held: for
    a 100,000-fact file either was the peak of the whole run (issue 14).
    """
    chunk: dict[_Loc, _Record] = {}
    for loc, record in items:
        chunk[loc] = record
        if len(chunk) >= _CHUNK:
            yield pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)
            chunk = {}
    if chunk:
        yield pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)


def _pack(result: FactResult) -> tuple[Any, ...]:
    """A result's fields without the fact and its citations (the fact file gives them back).

    Stated quantities are kept as plain tuples: unpickling many small slotted
    attrs objects costs several times as much as making them again.
    """
    cites = []
    for c in result.citations:
        values = [getattr(c, name) for name in _CITE_FIELDS[1:]]
        values[_J_STATED] = tuple(attrs.astuple(q, recurse=False) for q in c.stated)
        if c.matched is not None:
            values[_J_MATCHED] = attrs.astuple(c.matched, recurse=False)
        cites.append(tuple(values))
    return (result.verdict, tuple(cites), *(getattr(result, name) for name in _FACT_FIELDS[3:]))


def _rebuild(fact: Fact, record: _Record, current: Mapping[str, str | None]) -> FactResult | None:
    """The fact's stored result, if every source it cites is as it was; else None.

    ``current`` holds each usable source's digest now (None: read it again).
    """
    _key, used, packed, _sig = record
    citations = fact.citations
    if len(used) != len(citations):
        return None
    for (sid, was), cite in zip(used, citations, strict=True):
        if sid != cite.source or current.get(sid) != was:
            return None
    verdict, cites, *rest = packed
    if len(cites) != len(citations):
        return None
    rebuilt = []
    for cite, fields in zip(citations, cites, strict=True):
        values = list(fields)
        values[_J_STATED] = tuple(Stated(*q) for q in values[_J_STATED])
        if values[_J_MATCHED] is not None:
            values[_J_MATCHED] = Stated(*values[_J_MATCHED])
        rebuilt.append(CitationResult(cite, *values))
    return FactResult(fact, verdict, tuple(rebuilt), *rest)


def _signature(lines: Sequence[str], fact: Fact) -> str:
    """A hash of the whole lines a fact is written on, and its column: the same fact wherever it moves.

    Whole lines: a suppression comment on them is part of the fact.
    """
    where = fact.location
    assert where is not None
    last = max(fact.end_line or where.line, where.line)
    text = "\n".join(lines[where.line - 1 : last])
    return hashlib.sha256(f"{where.column}\0{text}".encode("utf-8", "surrogateescape")).hexdigest()


def _shifted(result: FactResult, shown: str, delta: int) -> FactResult:
    """A moved fact's result with its findings' places in its file moved ``delta`` lines."""

    def move(found: tuple[Finding, ...]) -> tuple[Finding, ...]:
        out = []
        for f in found:
            loc = f.location
            if loc is not None and loc.path == shown:
                end = loc.end_line + delta if loc.end_line is not None else None
                f = attrs.evolve(f, location=attrs.evolve(loc, line=loc.line + delta, end_line=end))
            out.append(f)
        return tuple(out)

    cites = tuple(
        attrs.evolve(c, messages=move(c.messages), warnings=move(c.warnings)) for c in result.citations
    )
    return attrs.evolve(result, citations=cites, messages=move(result.messages))


class _Texts(Mapping[str, str]):
    """Source texts by id, as :class:`~factlang.verify.corpus.SourceTexts` gives them, read on first use.

    The texts of the sources verified again come from that run; the others
    are read when a renderer first asks, and only returned while they are
    the text that was checked (their SHA-256 is the origin's), as the
    verifier's own texts are. Up to the same budget of characters is kept.
    """

    def __init__(
        self, root: Path, sources: dict[str, Source], origins: Mapping[str, Origin], read: Mapping[str, str]
    ) -> None:
        from factlang.verify.corpus import TEXT_BUDGET, Corpus

        self._corpus = Corpus(root, sources)
        self._origins = origins
        self._read = read
        self._kept: dict[str, str] = {}
        self._budget = TEXT_BUDGET
        self._last: tuple[str, str] | None = None

    def __getitem__(self, sid: str) -> str:
        if sid in self._read:
            return self._read[sid]
        text = self._kept.get(sid)
        if text is not None:
            return text
        if self._last is not None and self._last[0] == sid:
            return self._last[1]
        origin = self._origins[sid]  # KeyError: not a cited source
        from factlang.verify.corpus import read_checked

        text = read_checked(self._corpus, sid, origin)
        if len(text) <= self._budget:
            self._budget -= len(text)
            self._kept[sid] = text
        else:
            self._last = (sid, text)
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._origins))

    def __len__(self) -> int:
        return len(self._origins)

    def __contains__(self, sid: object) -> bool:
        return sid in self._origins


class _SourceDigests:
    """Each source's digest: its declaration and its content's SHA-256, found by fingerprint."""

    def __init__(self, cache_dir: Path, root: Path) -> None:
        self.cache_dir = cache_dir
        self.root = root
        self.top = str(root)  # joined as strings: a Path per source cost more than its stat
        self.key = hashlib.sha256(f"fingerprints\0{root}".encode("utf-8", "surrogateescape")).hexdigest()
        self.prints: dict[str, list[Any]] = {}
        #: The fingerprints taken in this run (path -> size, mtime_ns, inode, SHA-256), for the run cache.
        self.taken: dict[str, list[Any]] = {}
        self.content: dict[str, str] = {}  # source id -> the SHA-256 of its bytes, as found
        self.memo: dict[str, tuple[Source, str | None]] = {}
        self.seen: set[str] = set()  # the files looked up in this run
        self.changed = False
        payload = _cache.get_bytes(cache_dir, self.key, _KIND, ".pickle")
        if payload is not None:
            try:
                value = pickle.loads(payload)
            except Exception:
                value = None
            if isinstance(value, dict):
                self.prints = value

    def of(self, source: Source) -> str | None:
        """The source's digest, or None when it must be read again (a URL source, an unreadable file).

        Found once per source and run: a file looked at twice is the same file.
        """
        seen = self.memo.get(source.id)
        if seen is not None and (seen[0] is source or seen[0] == source):
            return seen[1]
        found = self._of(source)
        self.memo[source.id] = (source, found)
        return found

    def of_all(self, sources: Iterable[Source]) -> dict[str, str | None]:
        """:meth:`of` of each source, by id: for a source of a folder, one ``stat`` and no other call."""
        out: dict[str, str | None] = {}
        memo, prints, taken, content, seen = self.memo, self.prints, self.taken, self.content, self.seen
        top = self.top if self.top.endswith(os.sep) else self.top + os.sep
        sha256, lstat, is_reg = hashlib.sha256, os.stat, stat.S_ISREG
        for source in sources:
            sid = source.id
            before = memo.get(sid)
            if before is not None and (before[0] is source or before[0] == source):
                out[sid] = before[1]
                continue
            path = source.path
            plain = _PLAIN_SHAPE and not source.metadata and source.location is None
            if not plain or "://" in path or os.path.isabs(path):  # noqa: PTH117 - a str
                out[sid] = self.of(source)  # the general way, for the rest
                continue
            name = top + path
            seen.add(name)
            try:
                st = lstat(name)
            except (OSError, ValueError):
                st = None
            known = prints.get(name)
            if (
                st is None
                or not is_reg(st.st_mode)
                or known is None
                or (known[0], known[1], known[2]) != (st.st_size, st.st_mtime_ns, st.st_ino)
            ):
                out[sid] = self.of(source)  # a file to hash, or not one: the general way
                continue
            sha = known[3]
            taken[name] = [st.st_size, st.st_mtime_ns, st.st_ino, sha]
            content[sid] = sha
            bare = (
                source.title is None
                and source.outlet is None
                and source.author is None
                and source.url is None
                and source.published is None
            )
            if bare and len(known) == 6 and known[4] == sid:
                # A source of a folder as it was: its digest as found then (its spelling is its id and path).
                memo[sid] = (source, known[5])
                out[sid] = known[5]
                continue
            spelled = repr(
                (
                    sid,
                    path,
                    source.title,
                    source.outlet,
                    source.author,
                    source.url,
                    source.published,
                    ("map", ()),
                    None,
                )
            )
            found = sha256(f"{spelled}\0{sha}".encode("utf-8", "surrogateescape")).hexdigest()
            memo[sid] = (source, found)
            out[sid] = found
            if bare:
                prints[name] = [*known[:4], sid, found]
                self.changed = True
        return out

    def _of(self, source: Source) -> str | None:
        if is_url(source.path):
            return None
        content = self._content(os.path.join(self.top, source.path))  # noqa: PTH118 - see self.top
        if content is None:
            return None
        self.content[source.id] = content
        if _PLAIN_SHAPE and not source.metadata and source.location is None:
            # What _spelling gives, for a source of a folder (the common case, thousands of them).
            spelled = repr(
                (
                    source.id,
                    source.path,
                    source.title,
                    source.outlet,
                    source.author,
                    source.url,
                    source.published,
                    ("map", ()),
                    None,
                )
            )
        else:
            spelled = repr(tuple(_spelling(getattr(source, name)) for name in _SOURCE_FIELDS))
        return hashlib.sha256(f"{spelled}\0{content}".encode("utf-8", "surrogateescape")).hexdigest()

    def _content(self, name: str) -> str | None:
        self.seen.add(name)
        try:
            st = os.stat(name)  # noqa: PTH116 - a str, as joined
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        known = self.prints.get(name)
        now = (st.st_size, st.st_mtime_ns, st.st_ino)
        if known is not None and tuple(known[:3]) == now:
            sha = str(known[3])
            self.taken[name] = [*now, sha]
            return sha
        try:
            sha = hashlib.sha256(Path(name).read_bytes()).hexdigest()
        except OSError:
            return None
        self.taken[name] = [*now, sha]
        # A file written just now may be written again within the same time
        # stamp: keep only its hash, so the next run hashes it again.
        racy = time.time_ns() - st.st_mtime_ns < _RACY_NS
        self.prints[name] = [-1 if racy else st.st_size, st.st_mtime_ns, st.st_ino, sha]
        self.changed = True
        return sha

    def save(self) -> None:
        if self.changed:
            # The prints of files gone (a source renamed or removed) are dropped,
            # or the entry would grow with every name a source ever had.
            prints = {n: p for n, p in self.prints.items() if n in self.seen or os.path.lexists(n)}
            blob = pickle.dumps(prints, protocol=pickle.HIGHEST_PROTOCOL)
            _cache.put_bytes(self.cache_dir, self.key, blob, _KIND, ".pickle")


def _claims_of(
    facts: Sequence[Fact | None], keys: Sequence[str], at: Sequence[int]
) -> tuple[tuple[Any, ...], ...] | None:
    """:meth:`Run.claims` of the facts at ``at`` (None if one is not loaded)."""
    chosen = [facts[n] for n in at]
    if None in chosen:
        return None
    return (
        tuple(keys[n] for n in at),
        tuple(f.comparator for f in chosen),  # type: ignore[union-attr]
        tuple(f.negated for f in chosen),  # type: ignore[union-attr]
        tuple(f.value for f in chosen),  # type: ignore[union-attr]
    )


def _by_key(claims: tuple[tuple[Any, ...], ...]) -> dict[str, list[tuple[str, bool, str]]]:
    """Each key's claims, sorted, spelled exactly (``16%`` and ``16.0%`` are equal values, unequal claims)."""
    out: dict[str, list[tuple[str, bool, str]]] = {}
    for key, comparator, negated, value in zip(*claims, strict=True):
        out.setdefault(key, []).append((comparator or "", negated, repr(value)))
    for group in out.values():
        group.sort()
    return out


def _context(base: FactBase, config: Config, select: Collection[str] | None, ignore: Collection[str]) -> str:
    """Everything besides a fact's own file and its sources that shapes its verdict."""
    from factlang import runcache
    from factlang.sources.formats import extractor_versions
    from factlang.sources.lock import LOCK_FILE

    try:
        lock = hashlib.sha256((config.root / LOCK_FILE).read_bytes()).hexdigest()
    except OSError:
        lock = "-"
    h = hashlib.sha256()
    for part in (
        f"factlang {__version__}",
        runcache._code_digest(),  # factlang's own code: a development edit is a change
        _cache._grammar_digest(),
        ";".join(",".join(names) for names in (_FACT_FIELDS, _CITE_FIELDS, _STATED_FIELDS, _ORIGIN_FIELDS)),
        repr(attrs.evolve(config, cache=None)),
        repr(sorted(select) if select is not None else None),
        repr(sorted(ignore)),
        str(Path.cwd()),
        base.root,
        lock,
        extractor_versions(),
        _canonical(base.kinds),
        _canonical(base.entities),
        _canonical(base.predicates),
    ):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


_SOURCE_FIELDS: Final = tuple(f.name for f in attrs.fields(Source))
#: Whether a source's fields are those the quick spelling in ``_SourceDigests._of`` writes out.
_PLAIN_SHAPE: Final = _SOURCE_FIELDS == (
    "id",
    "path",
    "title",
    "outlet",
    "author",
    "url",
    "published",
    "metadata",
    "location",
)


def _spelling(value: object) -> object:
    """A source field as :func:`_plain` spells it, quickly for the common plain values."""
    if value is None or type(value) is str:
        return value
    if type(value) is Location:
        assert isinstance(value, Location)
        return (value.path, value.line, value.column, value.end_line, value.end_column)
    return _plain(value)


def _canonical(value: object) -> str:
    """A stable spelling of a model value, every attrs field included (positions too)."""
    return repr(_plain(value))


def _plain(value: object) -> object:
    cls = type(value)
    if attrs.has(cls):
        return (cls.__name__, tuple(_plain(getattr(value, f.name)) for f in attrs.fields(cls)))
    if isinstance(value, Mapping):
        return ("map", tuple((_plain(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, tuple | list):
        return tuple(_plain(v) for v in value)
    return value
