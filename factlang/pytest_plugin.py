"""pytest plugin: fact files as test suites.

A thin adapter over the API the CLI uses (``load_config`` → ``load_project``
→ ``verify`` → :class:`~factlang.report.Report`). In a project that opts in
(a ``[tool.factlang]`` table in the rootdir's ``pyproject.toml``, a
``factlang.toml``, or ``--factlang``) pytest collects every file matching
``factlang_glob`` (default ``*.fact``) as a test file with one item per fact,
named by the fact's key: ``share(Huawei, China, 2024)``,
``not partner(Apple, Baidu)``. Facts whose values cannot all hold are
reported as extra items, ``conflict: share(Huawei, China, 2024)``. Fact
files inside a nested project (a folder below the rootdir with its own
``pyproject.toml`` or ``factlang.toml``) are left to that project.

The fact base is loaded once at collection: the fact files pytest finds
in a folder are loaded together, as one base, when the first of them is
collected. When that load fails, each file is loaded on its own, so static
errors are collection errors of the file they are in, shown as positioned
diagnostics. Each test verifies its own fact (a
:class:`~factlang.verify.Verifier` per process reads the cited sources
once): a run verifies the facts it runs, and under pytest-xdist each worker
verifies only the facts it is given.

Everything from factlang proper is imported inside the hooks: pytest
imports this module in every run of the environment, opted in or not.

Options: ``--factlang``, ``--factlang-sources DIR`` (repeatable),
``--factlang-strict``; ini keys ``factlang_glob``, ``factlang_sources`` and
``factlang_strict``. The command line wins over the ini keys, which win over
``[tool.factlang]``.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import pytest

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr, TracebackStyle

    from factlang.config import Config
    from factlang.diagnostics import FactlangError
    from factlang.model import Fact, FactBase
    from factlang.report import Conflict, FactResult
    from factlang.verify import Verifier

__all__ = ["ConflictItem", "FactFailed", "FactFile", "FactItem"]

#: Where a fact was written: resolved file, line, column. Identifies a fact
#: across loads of the same files (a file's own, a folder's, the session's).
_Where = tuple[Path, int, int]

_T = TypeVar("_T")

#: Marker names pytest itself gives a meaning to; a predicate of that name
#: gets no marker of its own (``skip(...)`` must not skip its facts).
_PYTEST_MARKERS: Final = frozenset(
    {"filterwarnings", "parametrize", "skip", "skipif", "tryfirst", "trylast", "usefixtures", "xfail"}
)


#: ``user_properties`` names (they reach JUnit XML as ``<property>``).
_KNOWN_ERROR: Final = "factlang_known_error"
_WARNING: Final = "factlang_warning"


# --- hooks ----------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the command-line options and ini keys."""
    group = parser.getgroup("factlang", "factlang: fact files as tests")
    group.addoption(
        "--factlang",
        action="store_true",
        default=False,
        help="collect fact files even without a [tool.factlang] table",
    )
    group.addoption(
        "--factlang-sources",
        action="append",
        default=None,
        metavar="DIR",
        help="a sources folder, relative to the current directory (repeatable; replaces the configured ones)",
    )
    group.addoption(
        "--factlang-strict",
        action="store_true",
        default=False,
        help="warnings fail facts",
    )
    parser.addini("factlang_glob", "glob(s) of the fact files to collect", type="args", default=["*.fact"])
    parser.addini(
        "factlang_sources",
        "sources folders, relative to the configuration file (replace [tool.factlang] sources)",
        type="paths",
        default=[],
    )
    parser.addini(
        "factlang_strict", "warnings fail facts (overrides [tool.factlang] strict)", type="bool", default=None
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> FactFile | None:
    """Collect a fact file, in a project that opted in."""
    config = parent.config
    if not any(file_path.match(pattern) for pattern in config.getini("factlang_glob")):
        return None
    state = _session(config)
    if not state.active or _in_nested_project(file_path, config.rootpath):
        return None
    state.found(file_path)
    fact_file: FactFile = FactFile.from_parent(parent, path=file_path)
    return fact_file


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect, so they see the conflict items
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Settle the session's fact base and add an item per conflict."""
    state = config.stash.get(_STATE, None)
    if state is not None and state.files:
        state.finish_collection(items)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the known errors reproduced (like xfails, with ``-rx``) and the warnings (``-rw``)."""
    chars = terminalreporter.reportchars
    wanted = {_KNOWN_ERROR: "x" in chars, _WARNING: "w" in chars}
    lines = [
        f"{report.nodeid}: {value}"
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", ())
        if wanted.get(name)
    ]
    if lines:
        terminalreporter.write_sep("=", "factlang")
        for line in lines:
            terminalreporter.write_line(line)


# --- collection nodes ---------------------------------------------------------------


class FactFile(pytest.File):
    """A fact file: one item per fact written in it."""

    def collect(self) -> list[pytest.Item]:
        """Load the file (with the files found beside it, and what they use); an item per fact."""
        __tracebackhide__ = True
        from factlang._gc import paused_gc

        state = _session(self.config)
        facts = state.load_file(self)
        names = [_fact_name(fact) for fact in facts]
        repeated = {name for name, n in Counter(names).items() if n > 1}
        items: list[pytest.Item] = []
        # Thousands of nodes at once, beside the fact base in memory: collecting
        # garbage meanwhile would scan that whole heap again and again, for none.
        with paused_gc():
            for fact, name in zip(facts, names, strict=True):
                where = _where(fact)
                shown = f"{name} (line {where[1]})" if name in repeated else name
                item: FactItem = FactItem.from_parent(self, name=shown, where=where, fact=fact)
                state.mark(item, fact.predicate)
                items.append(item)
        return items

    def repr_failure(  # type: ignore[override]  # the signature of pytest.Collector's own
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | TerminalRepr:
        """Show bad input as its positioned diagnostics, not as a traceback."""
        return _known_failure(excinfo) or super().repr_failure(excinfo)


class _FactlangItem(pytest.Item):
    """What fact and conflict items share: location and failure output."""

    def __init__(self, *, where: _Where, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.where = where

    def reportinfo(self) -> tuple[os.PathLike[str] | str, int | None, str]:
        """Point at the file and (0-based) line the fact is written on."""
        return self.where[0], self.where[1] - 1, self.name

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: TracebackStyle | None = None
    ) -> str | TerminalRepr:
        """Show the verifier's explanation, without pytest's or the plugin's frames."""
        return _known_failure(excinfo) or super().repr_failure(excinfo, style)


class FactItem(_FactlangItem):
    """One fact: passes when the verifier supports it."""

    def __init__(self, *, fact: Fact, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fact = fact

    def runtest(self) -> None:
        """Verify the fact; fail with the verifier's explanation unless it passes."""
        __tracebackhide__ = True
        state = _session(self.config)
        result = state.verify(self.fact)
        for c in result.citations:
            if c.citation.contradicts and c.verdict == "refuted":
                self.user_properties.append(
                    (_KNOWN_ERROR, f"@{c.citation.source} refutes it, as marked 'contradicts'")
                )
        self.user_properties.extend((_WARNING, w.text) for w in result.warnings)
        strict = state.strict
        if not result.passes(strict=strict):
            raise FactFailed(_explain(result, strict=strict))


class ConflictItem(_FactlangItem):
    """Facts with one key whose values cannot all hold: always a failure."""

    def __init__(self, *, key: str, conflict: Conflict, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.conflict = conflict

    def runtest(self) -> None:
        """Fail with the conflict, its facts and their sources."""
        __tracebackhide__ = True
        _session(self.config).verifier()  # what fails every fact (a source that cannot be read) fails it too
        raise FactFailed(_explain_conflict(self.conflict))


class FactFailed(Exception):
    """A fact (or conflict) fails; the message is the verifier's explanation."""


# --- the session's state ---------------------------------------------------------


class _Batch:
    """Fact files loaded together at collection, and the facts written in each."""

    def __init__(self, files: list[Path], base: FactBase) -> None:
        self.files = [_resolved(str(p)) for p in files]
        self.base = base
        by_path: dict[str, list[Fact]] = {}  # by the path as written in locations
        for fact in base.facts:
            if fact.location is not None:
                by_path.setdefault(fact.location.path, []).append(fact)
        self.facts: dict[Path, list[Fact]] = {p: [] for p in self.files}
        for path, facts in by_path.items():
            written = self.facts.get(_resolved(path))
            if written is not None:  # not a file only used by the batch's files
                written.extend(facts)


class _Session:
    """Per pytest run (per xdist worker): settings, collected files, the fact base, its verifier."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.active = config.getoption("factlang") or _opted_in(config.rootpath)
        self._settings: Config | FactlangError | None = None
        self.files: dict[Path, FactFile] = {}  # loaded without error, in collection order
        self._found: dict[Path, None] = {}  # fact files pytest found, in order, not yet loaded
        self._batches: dict[Path, _Batch] = {}  # by each of its files
        self._alone: dict[Path, FactBase] = {}  # files a batch did not load, loaded on their own
        self._arguments: list[Path] | None = None
        self.base: FactBase | None = None
        self._base_error: FactlangError | None = None
        self._verifier: Verifier | FactlangError | None = None
        self._stored: dict[_Where, FactResult] | None = None  # from the results cache
        self._markers: dict[str, pytest.MarkDecorator] = {}

    def settings(self) -> Config:
        """``[tool.factlang]`` of the rootdir with the ini keys and options applied (read once)."""
        if self._settings is None:
            from factlang.diagnostics import FactlangError

            try:
                self._settings = _read_settings(self.config)
            except FactlangError as err:
                self._settings = err
        return _value_or_raise(self._settings)

    @property
    def strict(self) -> bool:
        """Whether warnings fail facts."""
        return self.settings().strict

    def found(self, path: Path) -> None:
        """Note a fact file pytest found: it is loaded with the others found beside it."""
        self._found.setdefault(path)

    def load_file(self, node: FactFile) -> list[Fact]:
        """The facts written in one file, loaded with the files found beside it when they load."""
        here = _resolved(str(node.path))
        batch = self._batches.get(here)
        if batch is None and node.path in self._found:
            batch = self._load_batch(node.path)
        if batch is not None:
            facts = batch.facts[here]
        else:
            from factlang.loader import load_project

            # Raises: the file's own static errors are its collection error.
            base = load_project(self.settings(), [node.path])
            self._alone[here] = base
            facts = [f for f in base.facts if _where(f)[0] == here]
        self.files[here] = node
        return facts

    def _load_batch(self, path: Path) -> _Batch | None:
        """Load ``path`` with the files found beside it that the run collects; None if that fails.

        pytest finds every file of a folder before it collects the first, so
        one load serves the folder. A file the arguments leave out (``pytest
        a.fact`` finds ``b.fact`` beside it) stays out; so does every file
        found since, once a load failed (each is then loaded on its own, for
        its own errors).
        """
        from factlang.diagnostics import FactlangError
        from factlang.loader import load_project

        files = [p for p in self._found if p == path or self._collects(p)]
        for p in files:
            del self._found[p]
        try:
            base = load_project(self.settings(), files)
        except FactlangError:
            return None
        batch = _Batch(files, base)
        self._batches.update(dict.fromkeys(batch.files, batch))
        return batch

    def _collects(self, path: Path) -> bool:
        """Whether the run's arguments name ``path`` or a folder it is in (a guess that may only miss)."""
        if self._arguments is None:
            here = self.config.invocation_params.dir
            # Absolute but not resolved, like the paths pytest finds files by.
            self._arguments = [
                Path(os.path.abspath(here / str(a).split("::")[0]))  # noqa: PTH100
                for a in self.config.args
            ]
        return any(a == path or a in path.parents for a in self._arguments)

    def finish_collection(self, items: list[pytest.Item]) -> None:
        """Settle the fact base of every collected file; add the conflict items."""
        from factlang.diagnostics import FactlangError
        from factlang.loader import load_project
        from factlang.verify.conflicts import find_conflicts

        first = next(iter(self.files.values()))
        collected = list(self.files)
        batch = self._batches.get(collected[0])
        try:
            if batch is not None and batch.files == collected:
                base = batch.base  # one load was the whole base
            elif len(collected) == 1 and collected[0] in self._alone:
                base = self._alone[collected[0]]
            else:
                base = load_project(self.settings(), collected)
                # The items carry their file's (or folder's) facts: give them the whole base's.
                index = {_where(f): f for f in base.facts}
                for node in items:
                    if isinstance(node, FactItem) and node.where in index:
                        node.fact = index[node.where]
        except FactlangError as err:
            # Files that load alone may clash together (a name declared twice).
            self._base_error = err
            named = (Path(d.path).resolve() for d in err.diagnostics if d.path)
            host = next((self.files[p] for p in named if p in self.files), first)
            report = pytest.CollectReport(host.nodeid, "failed", _render(err), [])
            self.config.hook.pytest_collectreport(report=report)
            return
        finally:
            self._batches.clear()
            self._alone.clear()
        self.base = base
        added: list[pytest.Item] = []
        for conflict in find_conflicts(base.facts):
            host = next((self.files[w[0]] for w in map(_where, conflict.facts) if w[0] in self.files), first)
            item: ConflictItem = ConflictItem.from_parent(
                host,
                name=f"conflict: {conflict.key}",
                key=conflict.key,
                conflict=conflict,
                where=_where(conflict.facts[0]),
            )
            self.mark(item, conflict.facts[0].predicate)
            last = max((i for i, x in enumerate(items) if x.parent is host), default=len(items) - 1)
            items.insert(last + 1, item)
            added.append(item)
        if added:
            # Counted like collected items ("collected N items", "-k" deselection).
            self.config.hook.pytest_collectreport(
                report=pytest.CollectReport(first.nodeid, "passed", None, [*added])
            )

    def verifier(self) -> Verifier:
        """The session's verifier, built once (it reads every cited source); raises what fails every item."""
        if self._verifier is None and self._base_error is not None:
            self._verifier = self._base_error  # every item fails with why the base did not load
        if self._verifier is None:
            from factlang._gc import paused_gc
            from factlang.diagnostics import FactlangError
            from factlang.verify import Verifier

            assert self.base is not None, "the fact base is loaded at the end of collection"
            settings = self.settings()
            try:
                with paused_gc():
                    self._verifier = Verifier(
                        self.base, strict=settings.strict, root=settings.root, ignore=settings.ignore
                    )
            except FactlangError as err:  # a cited source cannot be read
                self._verifier = err
        return _value_or_raise(self._verifier)

    def verify(self, fact: Fact) -> FactResult:
        """Verify one fact of the base (each test verifies its own), unless the results cache has it."""
        from factlang._gc import paused_gc

        stored = self.stored().get(_where(fact))
        if stored is not None:
            return stored
        verifier = self.verifier()
        with paused_gc():
            return verifier.check(fact)

    def stored(self) -> dict[_Where, FactResult]:
        """The results the results cache holds for the base's facts, still good (read once).

        ``factlang check`` fills that cache (:mod:`factlang.resultcache`): a
        fact it verified with the same settings, whose file, declarations and
        cited sources are as they were, is not verified again. This process
        verifies the others (and writes no record: under pytest-xdist each
        worker runs only some facts).
        """
        if self._stored is None:
            self._stored = {}
            if self.base is not None:
                self._stored = self._read_stored(self.base)
        return self._stored

    def _read_stored(self, base: FactBase) -> dict[_Where, FactResult]:
        import time

        from factlang import cache as _cache
        from factlang._gc import paused_gc
        from factlang.resultcache import SHAPE_OK, Run

        settings = self.settings()
        cache_dir = _cache.usable_dir(settings, warn=False) if settings.cache is not None else None
        if cache_dir is None or not SHAPE_OK:
            return {}
        try:
            with paused_gc():
                run = Run(base, settings, cache_dir, None, settings.ignore, 1, time.time_ns())
                results = run.replayable()
        except Exception:  # the cache only saves work: one that cannot be read is no result
            return {}
        return {_where(f): r for f, r in zip(base.facts, results, strict=True) if r is not None}

    def mark(self, item: pytest.Item, predicate: str) -> None:
        """Mark ``item`` ``factlang`` and by its predicate, registering the markers."""
        item.add_marker(self._marker("factlang"))
        if predicate not in _PYTEST_MARKERS and not predicate.startswith("_"):
            item.add_marker(self._marker(predicate))

    def _marker(self, name: str) -> pytest.MarkDecorator:
        """The marker ``name``, registered on first use (made once: items share it)."""
        marker = self._markers.get(name)
        if marker is None:
            about = (
                "every factlang fact" if name == "factlang" else f"factlang facts of the predicate '{name}'"
            )
            self.config.addinivalue_line("markers", f"{name}: {about}")
            marker = self._markers[name] = getattr(pytest.mark, name)
        return marker


_STATE: Final = pytest.StashKey[_Session]()


def _session(config: pytest.Config) -> _Session:
    state = config.stash.get(_STATE, None)
    if state is None:
        state = config.stash[_STATE] = _Session(config)
    return state


def _opted_in(root: Path) -> bool:
    """Whether the project at ``root`` configures factlang (the configuration module decides)."""
    from factlang.config import is_configured

    return is_configured(root)


def _in_nested_project(path: Path, root: Path) -> bool:
    """Whether a folder between ``path`` and ``root`` is a project root of its own.

    Its fact files cite sources relative to that root, with that project's
    settings: they are that project's tests (pytest run there collects them).
    """
    from factlang.config import PROJECT_MARKERS

    for folder in path.parents:
        if folder == root:
            return False
        if any((folder / marker).is_file() for marker in PROJECT_MARKERS):
            return True
    return False


def _read_settings(config: pytest.Config) -> Config:
    from factlang.config import load_config

    settings = load_config(config.rootpath)
    changes: dict[str, Any] = {}
    if config.getoption("factlang_sources"):
        here = config.invocation_params.dir
        changes["sources"] = tuple(str(here / d) for d in config.getoption("factlang_sources"))
    elif config.getini("factlang_sources"):
        changes["sources"] = tuple(str(p) for p in config.getini("factlang_sources"))
    if config.getoption("factlang_strict"):
        changes["strict"] = True
    elif config.getini("factlang_strict") is not None:
        changes["strict"] = bool(config.getini("factlang_strict"))
    return settings.override(**changes)


def _value_or_raise(value: _T | FactlangError) -> _T:
    """Return a value kept for the session, or raise a fresh copy of the error kept instead."""
    __tracebackhide__ = True
    from factlang.diagnostics import FactlangError

    if isinstance(value, FactlangError):
        raise type(value)(value.diagnostics)
    return value


# --- naming and explaining ---------------------------------------------------------


def _fact_name(fact: Fact) -> str:
    return fact.head


def _where(fact: Fact) -> _Where:
    loc = fact.location
    if loc is None:  # pragma: no cover - the loader locates every fact
        return Path(), 0, 0
    # Locations are relative to the current directory at load time: resolve at once.
    return _resolved(loc.path), loc.line, loc.column


def _resolved(path: str) -> Path:
    """A file's resolved path, found once per file (not once per fact)."""
    return _resolved_from(os.getcwd(), path)  # noqa: PTH109  # a str, not a Path: cheaper, per fact


@functools.lru_cache(maxsize=4096)
def _resolved_from(cwd: str, path: str) -> Path:
    return (Path(cwd) / path).resolve()


def _render(err: FactlangError) -> str:
    from factlang.diagnostics import render

    return render(err.diagnostics)


def _known_failure(excinfo: pytest.ExceptionInfo[BaseException]) -> str | None:
    """Explain a failure factlang knows (a verdict, bad input); None for anything else (a bug)."""
    from factlang.diagnostics import FactlangError

    if isinstance(excinfo.value, FactFailed):
        return str(excinfo.value)
    if isinstance(excinfo.value, FactlangError):
        return _render(excinfo.value)
    return None


def _explain(result: FactResult, *, strict: bool) -> str:
    """Why a fact fails: the shared explainer's account."""
    from factlang.render.explain import explain

    return explain(result, strict=strict)


def _explain_conflict(conflict: Conflict) -> str:
    lines = [f"conflict: {conflict.key}: {conflict.message}"]
    for f in conflict.facts:
        sources = ", ".join(dict.fromkeys(f"@{c.source}" for c in f.citations)) or "no citation"
        lines.append(f"  {f.location}: {f.claim} ({sources})")
    return "\n".join(lines)
