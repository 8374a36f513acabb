"""Loading: fact files on disk to a checked :class:`~factlang.model.FactBase`.

The top of the pipeline for files: find the fact files, read them (bytes;
decoding problems are diagnostics), parse them (in parallel for large fact
bases, through a parse cache keyed by content hash), follow ``use``
includes (cycles are errors), collect the sources of the configured
folders, and hand everything to :func:`factlang.build.build`.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final, NamedTuple, overload

import attrs

from factlang import cache
from factlang import model as m
from factlang import syntax as s
from factlang._fs import describe, inside, listing_digest, probe, read_regular, realpath, walk
from factlang._gc import paused_gc
from factlang._rows import facts_of_chunks, split_entry, to_entry
from factlang._workers import usable_cores
from factlang.build import Unit, build
from factlang.config import Config, load_config
from factlang.diagnostics import CheckError, ConfigError, Diagnostic, FactlangError, LoadError, ParseError
from factlang.parser import parse, parse_fast

__all__ = [
    "SOURCE_SUFFIXES",
    "Lines",
    "Project",
    "collect_fact_files",
    "cycle_use",
    "dependency_order",
    "display_path",
    "folder_sources",
    "load",
    "load_project",
    "read_project",
    "resolve_use",
]

#: File suffixes that make a file in a sources folder a source.
SOURCE_SUFFIXES: Final = (".txt", ".md", ".html", ".htm", ".pdf")

#: Fact files larger than this are refused rather than read whole into memory
#: (a million facts take about 100 MB).
MAX_FACT_FILE_BYTES: Final = 1024 * 1024 * 1024

# Worker processes, measured: a file the parser's fast path takes costs less
# to parse here than to send back from a worker (pickling and unpickling its
# syntax tree take about 1.5x its parse), so such files never go to workers;
# on 2 cores a pool made loading 20k facts 2.4x slower. Only files that need
# Lark (about 3x slower than the fast path) may go, and only with cores to
# spare: on 2 cores the pool was 1.2x slower than Lark here, as the parent
# unpickles every result while the workers share its cores.
_POOL_MIN_CORES: Final = 3
# ...and only when there is enough Lark work to pay for the workers' start-up.
_PARALLEL_MIN_BYTES: Final = 512 * 1024
# Files this large are parsed in this process even when others go to workers.
_LOCAL_MIN_BYTES: Final = 16 * 1024 * 1024


def load_project(config: Config, paths: Iterable[str | os.PathLike[str]] | None = None) -> m.FactBase:
    """Load the fact files ``paths`` (default: ``config.facts``) of a project.

    Raises :class:`~factlang.diagnostics.FactlangError` subclasses for every
    kind of bad input, each carrying positioned diagnostics.
    """
    return read_project(config, paths).build()  # each step pauses the collector itself


@attrs.frozen
class Project:
    """A project's fact files read and parsed, in dependency order, not yet built.

    :meth:`build` checks them together; it may build the facts of some files
    only (every declaration is always built and checked), which is how the
    text report skips the facts of files it replays (:mod:`factlang.blockcache`).
    """

    config: Config
    units: tuple[Unit, ...]
    sources: Mapping[str, m.Source]  # the configured folders' sources
    #: The files whose facts came from the parse cache (unpickled only when built), with their keys.
    cached: Mapping[str, str]
    #: Each file's parse cache key, of the bytes its units were parsed from (by path, as shown).
    keys: Mapping[str, str] = attrs.field(factory=dict)
    #: Each sources folder (real path) and the digest of its listing as read (for the run cache).
    listings: dict[str, str] = attrs.field(factory=dict)

    def build(self, only: Collection[str] | None = None) -> m.FactBase:
        """The checked fact base: every declaration, and the facts of the files in ``only`` (default all).

        Raises :class:`~factlang.diagnostics.CheckError` as :func:`load_project` does.
        """
        units = self.units
        if only is not None:
            units = tuple(u if u.path in only else attrs.evolve(u, facts=[]) for u in units)
        with paused_gc():
            return build(units, self.config.root, self.sources)

    def mark_used(self, paths: Iterable[str]) -> None:
        """Mark the parse cache entries of cached files as used, though their facts were not built.

        Pruning (:mod:`factlang.prune`) then keeps them as it keeps the entries read.
        """
        cache_dir = cache.usable_dir(self.config)
        if cache_dir is None:
            return
        for path in paths:
            key = self.cached.get(path)
            if key is not None:
                cache.mark_used(cache_dir, key, "parse", ".pickle")


def read_project(config: Config, paths: Iterable[str | os.PathLike[str]] | None = None) -> Project:
    """Find, read and parse the fact files ``paths`` (default: ``config.facts``), not yet built.

    Raises what :func:`load_project` raises for files that cannot be read or parsed.
    """
    files = collect_fact_files(config.fact_targets(paths))
    listings: dict[str, str] = {}
    sources = _folder_sources(config, listings)
    with paused_gc():
        project = _Loader(config).run(files, sources)
    project.listings.update(listings)
    return project


def load(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    root: str | os.PathLike[str] | None = None,
    sources: Sequence[str] | None = None,
    cache: bool = True,
) -> m.FactBase:
    """Load and check fact files into a :class:`~factlang.model.FactBase`.

    ``paths`` are fact files or folders (searched for ``*.fact``); by default
    the project's configured ``facts``. ``root`` is the project root (found
    from the current directory if not given); ``sources`` overrides the
    configured sources folders; ``cache=False`` skips the parse cache.
    """
    config = load_config(Path(root) if root is not None else None)
    if sources is not None:
        config = _replace(config, sources=tuple(sources))
    if not cache:
        config = _replace(config, cache=None)
    return load_project(config, paths)


def _replace(config: Config, **changes: object) -> Config:
    return config.override(**changes)


def collect_fact_files(targets: Iterable[Path]) -> list[Path]:
    """Fact files named by ``targets``: files as given, folders searched for ``*.fact``."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for target in targets:
        found = probe(target)
        if found.kind == "folder":
            listed = sorted(p for p in target.rglob("*.fact") if probe(p).kind == "file")
            if not listed:
                problems.append(
                    Diagnostic("no .fact files in this folder", display_path(target), code="FL114")
                )
            files.extend(listed)
        elif found.kind == "file":
            files.append(target)
        elif found.kind == "missing":
            problems.append(Diagnostic("no such file or folder", display_path(target), code="FL115"))
        else:
            code = "FL120" if found.kind == "special" else "FL105"
            problems.append(Diagnostic(f"this path {describe(found)}", display_path(target), code=code))
    if problems:
        raise LoadError(problems)
    return list(dict.fromkeys(realpath(p) for p in files))


def folder_sources(config: Config) -> dict[str, m.Source]:
    """Every ``.txt``/``.md`` file of the configured sources folders, by file stem.

    A folder outside the project root, or a file in one that is a symlink to
    outside the root, is an error: sources are read from the project only.
    """
    return _folder_sources(config, {})


def _folder_sources(config: Config, listings: dict[str, str]) -> dict[str, m.Source]:
    """:func:`folder_sources`, and each folder's :func:`~factlang._fs.listing_digest` into ``listings``."""
    out: dict[str, m.Source] = {}
    problems: list[Diagnostic] = []
    root = realpath(config.root)
    for folder in config.sources:
        base = realpath(config.root / folder)
        if not inside(base, root):
            message = f"sources folder '{folder}' is outside the project root {root}"
            problems.append(Diagnostic(message, folder, code="FL106"))
            continue
        found = probe(base)
        if found.kind != "folder":
            what = "is not a folder" if found.kind in ("file", "special") else describe(found)
            problems.append(Diagnostic(f"sources folder '{folder}' {what}", display_path(base), code="FL110"))
            continue
        under = "" if base == root else base.relative_to(root).as_posix() + "/"
        entries = walk(str(base))
        listings[str(base)] = listing_digest(entries)
        for rel_parts, is_link, is_file in entries:
            name = rel_parts[-1]
            dot = name.rfind(".")  # Path.suffix and Path.stem, without a Path per file
            if not 0 < dot < len(name) - 1 or name[dot:] not in SOURCE_SUFFIXES:
                continue
            stem = name[:dot]
            rel = under + "/".join(rel_parts)
            if is_link:
                # Only a symlink may lead elsewhere: the walk never enters a linked folder.
                real = realpath(base.joinpath(*rel_parts))
                if not inside(real, root):
                    # Checked before the kind: whatever lies outside is never looked at.
                    problems.append(
                        Diagnostic(
                            f"'{rel}' is a symlink to outside the project root; sources are read from"
                            " the project only",
                            rel,
                            hint="copy the file into the project, or remove the link",
                            code="FL106",
                        )
                    )
                    continue
                is_file = probe(real).kind == "file"
            if not is_file:
                continue
            if stem in out:
                problems.append(
                    Diagnostic(
                        f"two sources have the id '{stem}': {out[stem].path} and {rel}",
                        rel,
                        code="FL104",
                    )
                )
                continue
            out[stem] = m.Source(stem, rel)
    if problems:
        raise ConfigError(problems)
    return out


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the current directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


class Lines(Sequence[str]):
    """A file's lines, split at each newline alone as the parser counts them, on first use.

    Most files of a large base are never shown (their blocks are replayed):
    splitting every one of them cost more than reading it.
    """

    __slots__ = ("_lines", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None

    def _split(self) -> list[str]:
        if self._lines is None:
            self._lines = self._text.split("\n")
            self._text = ""
        return self._lines

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._split()[index]

    def __len__(self) -> int:
        return len(self._split())

    def __iter__(self) -> Iterator[str]:
        return iter(self._split())


class _Loader:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.units: dict[Path, Unit] = {}
        self.uses: dict[Path, tuple[Path, ...]] = {}  # resolved targets of each file's `use`s
        self.errors: list[Diagnostic] = []
        # The class of the first failure (unreadable file, syntax) sets the
        # class raised; include problems alone are check errors.
        self.error_type: type[FactlangError] = CheckError
        self.cache_dir = cache.usable_dir(config)
        self.keys: dict[Path, str] = {}  # each file's parse cache key, of the bytes parsed

    def run(self, files: list[Path], sources: dict[str, m.Source]) -> Project:
        self.read(files)
        ordered = self.dependency_order()
        if self.errors:
            # Syntax and file errors stop here: name checks on a partial base mislead.
            raise self.error_type(self.errors)
        units = tuple(self.units[p] for p in ordered)
        cached = {u.path: u.facts.key for u in units if isinstance(u.facts, _CachedFacts)}
        keys = {self.units[p].path: self.keys[p] for p in ordered if p in self.keys}
        return Project(self.config, units, sources, cached, keys=keys)

    def read(self, files: list[Path]) -> None:
        """Parse the files and every file they include, into units (a method: no tree outlives it)."""
        pending = list(dict.fromkeys(files))
        while pending:
            parsed = _parse_many(pending, self.cache_dir, self.keys)
            pending = []
            for path, result in parsed:
                if isinstance(result, FactlangError):
                    if not self.errors:
                        self.error_type = type(result)
                    self.errors.extend(_quiet(path, result.diagnostics))
                    continue
                parsed_file, text, stored = result
                lines = Lines(text)  # split only if a diagnostic or a block needs them
                uses = self.resolve_uses(path, parsed_file, lines)
                self.uses[path] = uses
                # The facts are handed to the builder apart, to be consumed: each
                # statement's syntax is freed once its fact is built, so a large
                # file's tree and its model are never both whole in memory.
                self.units[path] = Unit(
                    display_path(path),
                    attrs.evolve(parsed_file, facts=()),
                    lines,
                    tuple(map(display_path, uses)),
                    facts=list(parsed_file.facts) if stored is None else stored,
                )
                pending.extend(t for t in uses if t not in self.units and t not in pending)

    def resolve_uses(self, path: Path, parsed: s.ParsedFile, lines: Sequence[str]) -> tuple[Path, ...]:
        out: list[Path] = []
        root = realpath(self.config.root)
        for use in parsed.uses:
            found = resolve_use(use, path, display_path(path), lines, root)
            if isinstance(found, Diagnostic):
                self.errors.append(found)
            else:
                out.append(found)
        return tuple(out)

    def dependency_order(self) -> list[Path]:
        """Every loaded file, each after the files it uses; reports include cycles (each once)."""
        order, cycles = dependency_order(self.units, self.uses)
        reported: set[frozenset[Path]] = set()
        for cycle in cycles:
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                self.report_cycle(cycle)
        return order

    def report_cycle(self, cycle: list[Path]) -> None:
        first, second = cycle[0], cycle[1]
        unit = self.units[first]
        chain = " -> ".join(display_path(c) for c in cycle)
        use = cycle_use(unit.parsed, first, second)
        self.errors.append(
            Diagnostic.at(f"include cycle: {chain}", unit.path, unit.lines, use.path_pos, code="FL107")
        )


def resolve_use(
    use: s.Use, including: Path, shown: str, lines: Sequence[str], root: Path
) -> Path | Diagnostic:
    """The file a ``use`` names (resolved), or the positioned error why it cannot be included.

    Includes stay inside the project ``root`` and must be regular files; a
    file outside the root is never opened, so an error cannot show its lines.
    The loader and the language server both resolve includes through here.
    """
    target = realpath(including.parent / use.path)
    found = probe(target)
    if found.kind != "special" and not inside(target, root):
        message = f"included file '{use.path}' is outside the project root"
        inside_hint = f"included files must be inside the project root {root}"
        return Diagnostic.at(message, shown, lines, use.path_pos, code="FL106", hint=inside_hint)
    if found.kind != "file":
        hint = (
            "paths in 'use' are relative to the including file"
            if found.kind in ("missing", "folder")
            else None
        )
        return Diagnostic.at(
            f"included file '{use.path}' {describe(found)}",
            shown,
            lines,
            use.path_pos,
            code="FL120" if found.kind == "special" else "FL105",
            hint=hint,
        )
    return target


def dependency_order(
    nodes: Mapping[Path, object], uses: Mapping[Path, Sequence[Path]]
) -> tuple[list[Path], list[list[Path]]]:
    """Every node, each after the nodes it uses, and every include cycle met (as a path back to its start).

    An iterative depth-first walk, so a long chain of includes cannot
    exhaust Python's recursion limit. Diamonds (two files using a third)
    are not cycles. Uses of files that are not nodes (unreadable or
    unparsable, already reported) are skipped.
    """
    order: list[Path] = []
    cycles: list[list[Path]] = []
    state: dict[Path, int] = {}  # 1 = on the walk's path, 2 = done
    for start in nodes:  # in the order given, so the result is deterministic
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(uses[start]))]
        while stack:
            node, targets = stack[-1]
            nxt = next(targets, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif nxt not in nodes:
                continue
            elif state.get(nxt) == 1:
                path = [n for n, _ in stack]
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(uses[nxt])))
    return order, cycles


def cycle_use(parsed: s.ParsedFile, first: Path, second: Path) -> s.Use:
    """The ``use`` of ``first`` that names ``second``: where a cycle through them is reported."""
    return next(u for u in parsed.uses if realpath(first.parent / u.path) == second)


def _quiet(path: Path, diagnostics: Sequence[Diagnostic]) -> Sequence[Diagnostic]:
    """Diagnostics of a file that is not named ``*.fact``, without its lines.

    An error must not print what a file holds unless it is a fact file: the
    position and the message say enough, and a stray include cannot leak a line.
    """
    if path.suffix == ".fact":
        return diagnostics
    return [attrs.evolve(d, source_line=None, hint=d.hint or "is this a fact file?") for d in diagnostics]


# --- parsing, cached and parallel ------------------------------------------------

#: A parsed file and its text, with, for a parse cache entry, a function
#: unpickling its facts (``parsed`` then has none); or why it cannot be parsed.
_ParseResult = tuple[s.ParsedFile, str, Callable[[], Iterable[s.FactStmt]] | None] | FactlangError


def _parse_many(
    paths: list[Path], cache_dir: Path | None, keys: dict[Path, str] | None = None
) -> list[tuple[Path, _ParseResult]]:
    """Parse ``paths``, from the parse cache where it can; each file's cache key into ``keys``."""
    results: dict[Path, _ParseResult] = {}
    misses: list[_Job] = []
    for path in paths:
        display = display_path(path)
        try:
            data = read_regular(path, MAX_FACT_FILE_BYTES)
        except OSError as err:
            results[path] = LoadError(
                [Diagnostic(f"cannot read fact file: {err.strerror or err}", display, code="FL105")]
            )
            continue
        # The key is computed once here; a miss carries it to the parse job.
        key = cache.key(display, data) if cache_dir is not None else None
        if key is not None and keys is not None:
            keys[path] = key
        job = _Job(path, display, data, key)
        cached = _cached(cache_dir, job) if cache_dir is not None else None
        if cached is not None:
            results[path] = (cached[0], data.decode("utf-8"), cached[1])
        else:
            misses.append(job)
    # Only what the cache does not have is parsed: here by the fast path
    # when it can, and what needs Lark in worker processes when there are
    # cores for them and enough of it to pay for their start-up.
    slow: list[_Job] = []
    for job in misses:
        done = _parse_fast_job(job, cache_dir)
        if done is None:
            slow.append(job)
        else:
            results[job.path] = done
    # A very large file is parsed here, not in a worker: sending its syntax
    # tree back pickles every node through a memo of them all, which took more
    # memory than the parse itself (a million facts: 9 GB in the worker).
    local = [job for job in slow if len(job.data) >= _LOCAL_MIN_BYTES]
    pooled = [job for job in slow if len(job.data) < _LOCAL_MIN_BYTES]
    cores = usable_cores()
    workers = min(cores, len(pooled), 8)
    if (
        cores >= _POOL_MIN_CORES
        and workers > 1
        and sum(len(job.data) for job in pooled) >= _PARALLEL_MIN_BYTES
    ):
        from concurrent.futures import ProcessPoolExecutor  # only here: 10 ms to import

        with ProcessPoolExecutor(max_workers=workers) as pool:
            # Big files first, so one large file does not finish last alone.
            order = sorted(pooled, key=lambda job: -len(job.data))
            futures = {job.path: pool.submit(_parse_job, job, cache_dir) for job in order}
            # The large files are parsed meanwhile, while the workers run.
            results.update((job.path, _parse_job(job, cache_dir)) for job in local)
            results.update((p, f.result()) for p, f in futures.items())
    else:
        results.update((job.path, _parse_job(job, cache_dir)) for job in slow)
    return [(p, results[p]) for p in paths]


def _cached(cache_dir: Path, job: _Job) -> tuple[s.ParsedFile, Callable[[], Iterable[s.FactStmt]]] | None:
    """The parse cache's entry for a file: the file without its facts, and a function making them.

    Entries are kept as rows (they pickle faster than the nodes). The file
    without its facts has an entry of its own, so a file whose facts are not
    built (the text report replays its block) costs a small read; its facts'
    rows are read and unpickled when they are built, each time they are.
    """
    if job.key is None:
        return None
    header = cache.get(cache_dir, _header_key(job.key), tuple)
    if header is not None:
        try:
            parsed, _ = split_entry(header)
        except (TypeError, ValueError):  # pragma: no cover - a signed entry of another shape: a miss
            return None
        return parsed, _CachedFacts(job.key, functools.partial(_facts_of, cache_dir, job))
    rows = cache.get(cache_dir, job.key, tuple)
    if rows is None:
        return None
    try:
        parsed, chunks = split_entry(rows)
    except (TypeError, ValueError):  # pragma: no cover - a signed entry of another shape: a miss
        return None
    cache.put(cache_dir, _header_key(job.key), (*rows[:6], (), *rows[7:]))  # next time, the small read
    return parsed, _CachedFacts(job.key, functools.partial(facts_of_chunks, chunks))


class _CachedFacts:
    """A cached file's facts, made on each call; ``key`` is its parse cache key."""

    __slots__ = ("key", "make")

    def __init__(self, key: str, make: Callable[[], Iterable[s.FactStmt]]) -> None:
        self.key = key
        self.make = make

    def __call__(self) -> Iterable[s.FactStmt]:
        return self.make()


def _header_key(key: str) -> str:
    """The key of a parse cache entry's file without its facts."""
    return hashlib.sha256(f"header\0{key}".encode()).hexdigest()


def _facts_of(cache_dir: Path, job: _Job) -> Iterable[s.FactStmt]:
    """A cached file's facts, from its entry; parsed again should the entry be gone (pruned)."""
    assert job.key is not None
    rows = cache.get(cache_dir, job.key, tuple)
    if rows is not None:
        try:
            return facts_of_chunks(split_entry(rows)[1])
        except (TypeError, ValueError):  # pragma: no cover - a signed entry of another shape
            pass
    # The same bytes parsed before without an error: they parse the same way again.
    parsed = parse_fast(job.data, job.display) or parse(job.data, job.display)
    return parsed.facts


def _put(cache_dir: Path, key: str, parsed: s.ParsedFile) -> None:
    """Store a parsed file: its entry, and the entry of the file without its facts."""
    cache.put(cache_dir, key, to_entry(parsed))
    cache.put(cache_dir, _header_key(key), to_entry(attrs.evolve(parsed, facts=())))


class _Job(NamedTuple):
    """One fact file to parse: its path, how diagnostics show it, its bytes, its cache key."""

    path: Path
    display: str
    data: bytes
    key: str | None


def _parse_fast_job(job: _Job, cache_dir: Path | None) -> _ParseResult | None:
    """Parse one file's bytes by the fast path here, and cache the result; None if it needs Lark."""
    try:
        parsed = parse_fast(job.data, job.display)
    except ParseError as err:  # not UTF-8 text: no parser reads it
        return err
    if parsed is None:
        return None
    if cache_dir is not None and job.key is not None:
        _put(cache_dir, job.key, parsed)
    return parsed, job.data.decode("utf-8"), None


def _parse_job(job: _Job, cache_dir: Path | None) -> _ParseResult:
    """Parse one file's bytes (in a worker process or not) and cache the result."""
    try:
        with paused_gc():
            parsed = parse(job.data, job.display)
    except ParseError as err:
        return err
    if cache_dir is not None and job.key is not None:
        _put(cache_dir, job.key, parsed)
    return parsed, job.data.decode("utf-8"), None
