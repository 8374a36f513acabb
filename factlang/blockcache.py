"""The report, fact file by fact file: an unchanged file's share is replayed, its facts not loaded.

Every format of ``factlang check`` (:data:`~factlang.render.PARTS`) is each
fact file's share, then what follows from the whole run (the conflicts, the
sources' origins, the summary); a file's share depends only on its facts'
results and its lines (the text's blocks: :func:`~factlang.render.text.file_blocks`).
So :func:`check_blocks` keeps, per fact file and way of showing (the format;
the text's colour and verbosity), its share with what it was made from: the
sources its facts cite with their digests, the files whose declarations it
sees, each fact's key and what deciding a conflict reads of it, and the
file's counts (for the summary). A share over 8 MB is written as it is made
and not kept (holding it to keep it would cost its size twice over).

A file whose block is still good is not built: its facts are neither
unpickled from the parse cache nor checked nor verified (editing one file
of a large base builds and verifies that file alone). A block is good while:

- the file's key is the same: its bytes, how it is shown, and the results
  cache's whole context (factlang's version and code, configuration,
  options, working folder, lock, extractors, every declaration with its
  place) — so the file's facts would build without an error, as they did;
- it sees the declarations of the same files (the ``use`` graph);
- every source it cites has the digest it had, and is the source the
  results cache last verified (its origin is known).

Conflicts are found over every fact (:meth:`~factlang.resultcache.Run.conflicts`):
a same-key group that may have changed since the last run is decided on
stand-ins for the replayed files' facts, and only one that conflicts has
those files built after all (the conflict shows the facts). Declarations are
always built and checked, so a static error is reported as a full load
reports it. The output is byte for byte the format's writer's
(:data:`~factlang.render.WRITERS`, :func:`~factlang.render.text.render_text`)
on the report :func:`~factlang.resultcache.verify_cached` gives; ``--no-cache``
gives the same, and a test compares them after random edits.
"""

from __future__ import annotations

import bisect
import hashlib
import pickle
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from factlang import cache as _cache
from factlang._gc import paused_gc
from factlang.build import visible_files
from factlang.config import Config
from factlang.diagnostics import CheckError
from factlang.model import Fact, FactBase
from factlang.report import Report
from factlang.sources.resolve import Origin
from factlang.values import Value

if TYPE_CHECKING:
    from factlang.loader import Project
    from factlang.resultcache import Run, _Known

__all__ = ["BlockCheck", "check_blocks"]

_KIND: Final = "results"  # beside the results cache's entries, under the same context


class _Block(NamedTuple):
    """A fact file's kept block and what it was made from."""

    sees: frozenset[str]  # the files whose declarations it sees
    cited: tuple[str, ...]  # the sources its facts cite, sorted
    digests: tuple[str, ...]  # each one's digest then ("": not reusable)
    keys: tuple[str, ...]  # its facts' keys, in order: every check groups them
    counts: dict[str, int]  # its share of the summary
    failed: bool  # whether a fact of it fails
    #: Its share of the output (:data:`~factlang.render.PARTS`); None: kept in an entry of its
    #: own, read only when written (a file's JSON can be megabytes).
    parts: tuple[str, ...] | None


class _Light(NamedTuple):
    """A replayed fact as conflicts are decided (:class:`~factlang.verify.conflicts.Claim`)."""

    value: Value | None
    comparator: str | None
    negated: bool
    claim: str = ""  # worded only for a conflict found, and then the fact is built


@attrs.frozen
class BlockCheck:
    """A checked project's report, written; what it was made from (for the run cache)."""

    ok: bool
    facts: int  # how many facts were checked, replayed ones included
    files: tuple[str, ...]  # the fact files, as shown
    #: The cited sources' origins, by id: every one, but of a kept file's sources only
    #: those the output shows (all for JSON, else those changed since pinned): the
    #: others' files are in ``local``.
    origins: Mapping[str, Origin]
    local: tuple[str, ...] = ()  # the other cited sources' files (relative to the root)
    #: The fingerprints this run took (path -> size, mtime_ns, inode, SHA-256), for the run cache.
    fingerprints: Mapping[str, Sequence[Any]] = attrs.field(factory=dict)
    #: The digests of the sources folders' listings this run took (folder -> digest), for the run cache.
    listings: Mapping[str, str] = attrs.field(factory=dict)


def check_blocks(
    config: Config,
    paths: Sequence[str] | None,
    out: IO[str],
    *,
    fmt: str = "text",
    color: bool = False,
    verbosity: int = 0,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    loaded_at: int,
) -> BlockCheck:
    """Load and check the project's fact files ``paths`` (default: the configured ones); write its report.

    The output is the report of ``verify_cached(load_project(config, paths),
    ...)`` in the format ``fmt`` (one of :data:`~factlang.render.PARTS`;
    ``color`` and ``verbosity`` are the text format's), built and verified
    only where the kept blocks do not already tell it. ``loaded_at`` is as
    for :func:`~factlang.resultcache.verify_cached`. Raises what loading and
    verifying raise, before anything is written.
    """
    from factlang.loader import read_project  # Lark and the parser only here, not for a replay
    from factlang.resultcache import SHAPE_OK, verify_cached

    project = read_project(config, paths or None)
    cache_dir = _cache.usable_dir(config) if config.cache is not None else None
    if cache_dir is None or not SHAPE_OK:
        report = verify_cached(
            project.build(), config, select=select, ignore=ignore, progress=progress, jobs=jobs
        )
        return _whole(report, out, fmt, color, verbosity)
    with paused_gc():
        check = _Check(project, config, cache_dir, select, ignore, jobs, loaded_at)
        return check.run(out, fmt, color, verbosity, progress)


def _whole(report: Report, out: IO[str], fmt: str, color: bool, verbosity: int) -> BlockCheck:
    from factlang.render import PARTS
    from factlang.render.text import failing_files

    shape = PARTS[fmt]
    shares = (share for _, share in shape.shares(report, color=color, verbosity=verbosity))
    summary, where = report.summary(), failing_files(report)
    shape.write(out, shares, report, summary, where, color=color, verbosity=verbosity)
    return BlockCheck(report.ok, len(report.facts), report.base.files, report.origins)


#: A file's share of the output kept in its block while no bigger than this; else in an entry of its own.
_INLINE_PARTS: Final = 64 * 1024
#: A file's share of the output is not kept at all when bigger than this (characters): holding
#: it to store it would cost its size twice over, and such a file is rebuilt from the results
#: cache instead (a file of 100,000 facts writes about 100 MB of JSON).
_KEPT_PARTS: Final = 8 * 1024 * 1024


class _Check:
    """One check through the kept blocks: which files to build, the verification, the merge."""

    def __init__(
        self,
        project: Project,
        config: Config,
        cache_dir: Path,
        select: Collection[str] | None,
        ignore: Collection[str],
        jobs: int,
        loaded_at: int,
    ) -> None:
        from factlang.resultcache import Run

        self.project = project
        self.config = config
        self.cache_dir = cache_dir
        try:
            # Every declaration and no fact: the context of every key.
            declared = project.build(only=())
        except CheckError:
            project.build()  # raises too, with the facts' errors among the declarations'
            raise
        self.run0 = Run(declared, config, cache_dir, select, ignore, jobs, loaded_at)
        self.run0.parse_keys = project.keys

    def run(
        self,
        out: IO[str],
        fmt: str,
        color: bool,
        verbosity: int,
        progress: Callable[[int, int], None] | None,
    ) -> BlockCheck:
        from factlang.render import PARTS
        from factlang.resultcache import NeedFacts, stored_origin

        shape = PARTS[fmt]
        order = [u.path for u in self.project.units]
        # The text's blocks depend on colour and verbosity; the machine formats' on neither.
        variant = f"text\0{color}\0{verbosity}" if fmt == "text" else fmt
        visible = visible_files(self.project.units)
        known = self.run0.known_sources()
        kept = self._kept(order, variant, visible, known)

        # What the kept blocks stand for stays in the cache (pruning keeps what is used).
        self.project.mark_used(kept)
        for path, (file_key, _) in kept.items():
            self.run0.mark_used(path, file_key)
        # The other files are built and verified (from the results cache where it can).
        built = self.project.build(only=[p for p in order if p not in kept])
        while True:
            run = self.run0.with_base(built)
            replayed = sum(len(b.keys) for _, b in kept.values())
            report, keys, members = run.verified(_offset(progress, replayed))
            mine = _by_file(report)
            every = _Everything(order, kept, mine, report, keys, members, run.claims)
            try:
                conflicts = run.conflicts(every.facts, every.keys, every.versions, every.light)
            except NeedFacts as need:
                # A same-key group to check holds facts of replayed files: build those too.
                more = {every.owners[n] for n in need.missing}
                for path in more:
                    del kept[path]
                built = _merged(built, self.project.build(only=more), order)
                continue
            break
        facts = every.facts
        if progress is not None and facts:
            progress(len(facts), len(facts))

        # Each built file's block (its share of the output is made as it is written).
        strict = self.config.strict
        blocks: dict[str, tuple[str, _Block]] = dict(kept)
        for path in order:
            if path in kept:
                continue
            ns = mine.get(path, [])
            part = Report(report.base, tuple(report.facts[n] for n in ns), strict=strict).summary()
            del part["conflicts"]
            cited = sorted({c.source for n in ns for c in report.facts[n].fact.citations})
            block = _Block(
                visible[path],
                tuple(cited),
                tuple(run.usable.get(sid) or "" for sid in cited),
                tuple(keys[n] for n in ns),
                part,
                bool(part["failed"]),
                None,
            )
            blocks[path] = ("", block)
        counts: Counter[str] = Counter()
        where: set[str] = set()
        for path in order:
            block = blocks[path][1]
            counts.update(block.counts)
            if block.failed:
                where.add(path)

        # The kept files' sources are local files (a block citing a URL is not
        # kept): their paths are what the run cache fingerprints, and only the
        # origins the output shows are made (JSON's every one; else those that
        # changed since pinned, in the text's tail).
        origins = dict(report.origins)
        theirs: set[str] = set()
        for _, block in kept.values():
            theirs.update(block.cited)
        local: set[str] = set()
        sources = report.base.sources
        for sid in theirs - origins.keys():
            if shape.origins or known.changed(sid) is not None:
                origins[sid] = stored_origin(known[sid][1])
            local.add(sources[sid].path)
        origins = {sid: origins[sid] for sid in sorted(origins)}
        where |= {f.location.path for c in conflicts for f in c.facts[:1] if f.location is not None}
        totals = {name: counts.get(name, 0) for name in report.summary()}
        totals["facts"] = len(facts)
        totals["conflicts"] = len(conflicts)
        tail = Report(report.base, (), conflicts, strict=strict, origins=origins)

        def make(of: Report) -> Iterator[tuple[str, tuple[str, ...]]]:
            return shape.shares(of, color=color, verbosity=verbosity)

        shares = self._shares(order, blocks, kept, make(report), make, shape.joins, run, variant)
        shape.write(out, shares, tail, totals, where, color=color, verbosity=verbosity)
        run.retire()

        ok = not totals["failed"] and not conflicts
        prints, listings = self.run0.digests.taken, self.project.listings
        return BlockCheck(ok, len(facts), report.base.files, origins, tuple(sorted(local)), prints, listings)

    def _shares(
        self,
        order: Sequence[str],
        blocks: Mapping[str, tuple[str, _Block]],
        kept: Mapping[str, tuple[str, _Block]],
        made: Iterator[tuple[str, tuple[str, ...]]],
        make: Callable[[Report], Iterator[tuple[str, tuple[str, ...]]]],
        joins: tuple[str, ...],
        run: Run,
        variant: str,
    ) -> Iterator[tuple[str, ...]]:
        """Each file's share of the output, in order: a kept one's as kept, a built one's as ``made``.

        ``make`` gives the shares of another report (a kept share gone is made again).
        """
        pending = next(made, None)
        for path in order:
            keeping = kept.get(path)
            if keeping is not None:
                yield self._parts(path, keeping, variant, make, joins)
                continue
            # The built files' shares come in the same order, a file's perhaps in several:
            # each is written as it comes (the writers join them as they join files), and
            # kept to be stored unless the file's output outgrows what is worth keeping.
            pieces: list[tuple[str, ...]] | None = []
            size = 0
            while pending is not None and pending[0] == path:
                yield pending[1]
                if pieces is not None:
                    size += sum(map(len, pending[1]))
                    pieces.append(pending[1])
                    if size > _KEPT_PARTS:
                        pieces = None  # built again from the results cache each time: no copy held
                pending = next(made, None)
            if pieces is not None:
                parts = _joined(pieces, joins)
                self._store(run, path, variant, blocks[path][1]._replace(parts=parts))

    def _parts(
        self,
        path: str,
        keeping: tuple[str, _Block],
        variant: str,
        make: Callable[[Report], Iterator[tuple[str, tuple[str, ...]]]],
        joins: tuple[str, ...],
    ) -> tuple[str, ...]:
        """A kept file's share of the output: in its block, or in the entry of its own."""
        file_key, block = keeping
        if block.parts is not None:
            return block.parts
        payload = _cache.get_bytes(self.cache_dir, self._parts_key(file_key, variant), _KIND, ".pickle")
        try:
            parts = pickle.loads(payload) if payload is not None else None
        except Exception:  # a corrupt entry is a miss, never an error
            parts = None
        if isinstance(parts, tuple) and all(isinstance(p, str) for p in parts):
            return parts
        # Gone since the block was read (pruned, cleaned): made again from the file's facts.
        again = self.run0.with_base(self.project.build(only=[path]))
        return _joined([share for _, share in make(again.verified(None)[0])], joins)

    def _kept(
        self,
        order: Sequence[str],
        variant: str,
        visible: Mapping[str, frozenset[str]],
        known: _Known,
    ) -> dict[str, tuple[str, _Block]]:
        """The blocks still good, with their file's key, by file (see the module's docstring)."""
        run0 = self.run0
        found: dict[str, tuple[str, _Block]] = {}
        for path in order:
            if path not in self.project.cached:
                continue  # parsed afresh: its facts are at hand, and it may be new
            block = self._read(path, variant)
            if block is not None and block[1].sees == visible[path]:
                found[path] = block
        # Each cited source's digest now, where the results cache last verified that one.
        cited: set[str] = set()
        for _, held in found.values():
            cited.update(held.cited)
        now = run0.digest_all(cited)
        good = {
            sid: digest for sid, digest in now.items() if digest is not None and known.digest(sid) == digest
        }
        return {
            path: block
            for path, block in found.items()
            if tuple(map(good.get, block[1].cited)) == block[1].digests
        }

    def _key(self, path: str, variant: str) -> tuple[str, str] | None:
        """The file's key (None: unreadable) and its block's."""
        file_key = self.run0.file_key(path)
        if file_key is None:
            return None
        return file_key, _block_key(file_key, variant)

    def _read(self, path: str, variant: str) -> tuple[str, _Block] | None:
        """The file's key and its kept block, if there is one."""
        keys = self._key(path, variant)
        if keys is None:
            return None
        payload = _cache.get_bytes(self.cache_dir, keys[1], _KIND, ".pickle")
        if payload is None:
            return None
        try:
            block = pickle.loads(payload)
        except Exception:  # a corrupt entry is a miss, never an error
            return None
        return (keys[0], block) if isinstance(block, _Block) else None

    def _parts_key(self, file_key: str, variant: str) -> str:
        return hashlib.sha256(f"parts\0{file_key}\0{variant}".encode()).hexdigest()

    def _store(self, run: Run, path: str, variant: str, block: _Block) -> None:
        """Keep a built file's block, if the file is as loaded and every source it cites is reusable."""
        if not all(block.digests):
            return  # a URL source, or one that changed while it was read: verified each time
        keys = self._key(path, variant)
        if keys is None or run.still(path, keys[0]) is None:
            return
        parts = block.parts or ()
        if sum(map(len, parts)) > _INLINE_PARTS:
            # Written first: a block whose parts are not there is never read.
            blob = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
            _cache.put_bytes(self.cache_dir, self._parts_key(keys[0], variant), blob, _KIND, ".pickle")
            block = block._replace(parts=None)
        blob = pickle.dumps(block, protocol=pickle.HIGHEST_PROTOCOL)
        _cache.put_bytes(self.cache_dir, keys[1], blob, _KIND, ".pickle")
        previous = run.superseded.get(path)
        if previous is not None and previous != keys[0]:
            # The older version's share (of this format) goes first when the cache is over its caps.
            _cache.mark_superseded(self.cache_dir, _block_key(previous, variant), _KIND, ".pickle")
            _cache.mark_superseded(self.cache_dir, self._parts_key(previous, variant), _KIND, ".pickle")


class _Everything:
    """Every fact of the project in order, as conflicts are decided, kept files' facts not loaded.

    ``facts`` holds None for a fact of a kept block; ``light`` makes a
    stand-in for such a fact from its version's claims
    (:meth:`~factlang.resultcache.Run.claims`).
    """

    def __init__(
        self,
        order: Sequence[str],
        kept: Mapping[str, tuple[str, _Block]],
        by_file: Mapping[str, list[int]],
        report: Report,
        keys: Sequence[str],
        members: Sequence[tuple[str, int, int] | None],
        claims: Callable[[str], tuple[tuple[Any, ...], ...] | None],
    ) -> None:
        self.facts: list[Fact | None] = []
        self.keys: list[str] = []
        self.versions: list[str | None] = []  # each fact's file version (None: not stored)
        self.owners: list[str] = []  # each fact's file
        self._claims = claims
        self._starts: list[int] = []  # where each kept file's facts begin
        for path in order:
            keeping = kept.get(path)
            if keeping is None:
                for n in by_file.get(path, ()):
                    member = members[n]
                    self.facts.append(report.facts[n].fact)
                    self.keys.append(keys[n])
                    self.versions.append(member[0] if member is not None else None)
                    self.owners.append(path)
                continue
            # A list at a time: this runs over every fact of the project.
            file_key, block = keeping
            count = len(block.keys)
            self._starts.append(len(self.facts))
            self.facts.extend([None] * count)
            self.keys.extend(block.keys)
            self.versions.extend([file_key] * count)
            self.owners.extend([path] * count)

    def light(self, n: int) -> _Light | None:
        """A stand-in for fact ``n`` of a kept block (None: its version's claims are not kept)."""
        start = self._starts[bisect.bisect_right(self._starts, n) - 1]
        version = self.versions[n]
        claims = self._claims(version) if version is not None else None
        i = n - start
        if claims is None or i >= len(claims[0]) or claims[0][i] != self.keys[n]:
            return None
        return _Light(claims[3][i], claims[1][i], claims[2][i])


def _block_key(file_key: str, variant: str) -> str:
    """The key of a fact file version's block in a way of showing."""
    return hashlib.sha256(f"block\0{file_key}\0{variant}".encode()).hexdigest()


def _joined(shares: Sequence[tuple[str, ...]], joins: tuple[str, ...]) -> tuple[str, ...]:
    """A file's shares of the output joined part by part as the format joins them (in one pass)."""
    return tuple(sep.join(p[i] for p in shares if p[i]) for i, sep in enumerate(joins))


def _by_file(report: Report) -> dict[str, list[int]]:
    """The indices of a report's facts, by the file they are in."""
    out: dict[str, list[int]] = {}
    for n, r in enumerate(report.facts):
        out.setdefault(r.fact.location.path if r.fact.location is not None else "", []).append(n)
    return out


def _merged(base: FactBase, more: FactBase, order: Sequence[str]) -> FactBase:
    """``base`` with the facts of ``more`` (other files of the same project), in file order."""
    rank = {path: i for i, path in enumerate(order)}
    facts = sorted(
        (*base.facts, *more.facts),
        key=lambda f: rank.get(f.location.path, len(rank)) if f.location is not None else len(rank),
    )
    return attrs.evolve(base, facts=tuple(facts))


def _offset(progress: Callable[[int, int], None] | None, replayed: int) -> Callable[[int, int], None] | None:
    """Progress of the facts built, counted after the ``replayed`` ones."""
    if progress is None:
        return None
    return lambda done, total: progress(replayed + done, replayed + total)
