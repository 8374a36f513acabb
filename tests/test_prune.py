"""Pruning the cache folder: stale entries go, used ones stay, the caps hold, the output never changes.

Entries are real files in a real project, aged with ``os.utime``; no test waits.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import time
from pathlib import Path

import pytest

from factlang import cache, prune, resultcache, runcache
from factlang.cli import main
from factlang.config import load_config

REPO = Path(__file__).resolve().parent.parent
MINUTE = 60 * 10**9
DAY = 24 * 60 * MINUTE
posix = pytest.mark.skipif(os.name != "posix", reason="symlinks and descriptors as on POSIX")


@pytest.fixture
def project(seed_base: Path) -> Path:
    return seed_base


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def entries(root: Path, folder: str = ".factlang_cache") -> dict[str, set[str]]:
    """The files of each kind's folder, by kind."""
    found: dict[str, set[str]] = {}
    for kind in prune.KINDS:
        path = root / folder / kind
        found[kind] = {p.name for p in path.iterdir()} if path.is_dir() else set()
    return found


def age(path: Path, ns: int) -> None:
    """Set a file's (or folder's) times to ``ns`` ago."""
    then = time.time_ns() - ns
    os.utime(path, ns=(then, then))


def age_cache(root: Path, ns: int) -> None:
    """Every entry and the marker, last used ``ns`` ago."""
    cache_dir = root / ".factlang_cache"
    for kind in prune.KINDS:
        for path in (cache_dir / kind).iterdir():
            age(path, ns)
    if (cache_dir / prune.MARKER).exists():
        age(cache_dir / prune.MARKER, ns)


def edit(path: Path, old: str, new: str) -> None:
    """Change a file, as seconds ago: a file written as a run begins is not stored (it may change again)."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    age(path, 10 * 10**9)


def test_the_kinds_are_the_caches_kinds() -> None:
    assert prune.KINDS == ("parse", resultcache._KIND, runcache._KIND)


# --- in a project --------------------------------------------------------------------------


def test_a_run_removes_the_stale_entries_it_did_not_use_and_keeps_the_ones_it_did(project: Path) -> None:
    run("check", "--format", "json")
    edit(project / "facts" / "revenue.fact", "-11%", "-12%")
    run("check", "--format", "json")  # the first version's entries are left behind
    age_cache(project, 40 * DAY)
    edit(project / "facts" / "market_share.fact", "= 16%", "= 61%")
    before = entries(project)

    run("check", "--format", "json")  # uses the other files' entries, writes new ones, prunes

    kept = entries(project)
    gone = {kind: before[kind] - kept[kind] for kind in prune.KINDS}
    # The first revenue.fact and the old market_share.fact, each with its declarations' entry.
    assert len(gone["parse"]) == 4
    # The first revenue.fact's records, claims and block of the report, and the old
    # market_share.fact's block; that one's records and claims were read, as its unchanged
    # facts took their records from them (resultcache: facts moved in a file) and its
    # claims told which of its keys' conflicts to decide again.
    assert len(gone["results"]) == 4
    # What a run on an empty cache keeps, and the records and claims of the edited file's
    # last version, which the run read: every entry the run used is still there.
    shutil.rmtree(project / ".factlang_cache")
    run("check", "--format", "json")
    fresh = entries(project)
    assert kept["parse"] == fresh["parse"]
    assert kept["run"] == fresh["run"]
    assert fresh["results"] <= kept["results"]
    assert len(kept["results"] - fresh["results"]) == 2


def test_a_fact_files_older_version_goes_first_when_the_cache_is_over_its_cap(project: Path) -> None:
    """Replaced by an edit, a file's older records, claims and share are marked as long unused."""
    path = project / "facts" / "revenue.fact"
    results = project / ".factlang_cache" / "results"
    run("check", "--format", "json")
    first = {p.name: p.stat().st_mtime_ns for p in results.iterdir()}
    edit(path, "-11%", "-12%")
    start = time.time_ns()
    run("check", "--format", "json")
    now = {p.name: p.stat().st_mtime_ns for p in results.iterdir()}
    superseded = {name for name, mtime in now.items() if mtime < start - cache.SUPERSEDED_NS // 2}
    # The first version's records, claims and JSON share (a block); nothing else.
    assert len(superseded) == 3
    assert superseded <= first.keys()
    # Over the cap, they go before anything else, though written more recently than the rest.
    sizes = {p.name: p.stat().st_size for p in results.iterdir()}
    cap = sum(sizes.values()) - sum(sizes[n] for n in superseded)
    prune.prune(
        project / ".factlang_cache", since_ns=time.time_ns() + DAY, limits=prune.Limits(max_bytes=cap)
    )
    assert {p.name for p in results.iterdir()} == now.keys() - superseded
    fresh = run("check", "--no-cache", "--format", "json")
    assert run("check", "--format", "json") == fresh
    # Undone, the older version's entries serve again (read: marked as used now).
    edit(path, "-12%", "-11%")
    run("check", "--format", "json")
    assert run("check", "--format", "json") == run("check", "--no-cache", "--format", "json")


def test_a_check_after_pruning_gives_the_output_of_an_uncached_run(project: Path) -> None:
    for fmt in ("text", "json", "sarif"):
        run("check", "--format", fmt)
    edit(project / "facts" / "revenue.fact", "-11%", "-12%")
    run("check")
    age_cache(project, 40 * DAY)
    edit(project / "seeds" / "003_de8af479a19a1395.txt", "Canalys", "Canalys data")
    assert run("check")[0] == 1  # pruned after this run
    for fmt in ("text", "json", "sarif"):
        fresh = run("check", "--no-cache", "--format", fmt)
        assert run("check", "--format", fmt) == fresh, fmt
        shutil.rmtree(project / ".factlang_cache" / "run")  # the results cache alone
        assert run("check", "--format", fmt) == fresh, fmt


def test_a_replayed_run_never_prunes(project: Path) -> None:
    run("check")
    age_cache(project, 40 * DAY)
    before = entries(project)
    marker = (project / ".factlang_cache" / prune.MARKER).stat().st_mtime_ns

    run("check")  # replayed: it writes nothing, so nothing is pruned

    assert entries(project) == before
    assert (project / ".factlang_cache" / prune.MARKER).stat().st_mtime_ns == marker


def test_pruning_is_due_once_per_interval_and_only_after_a_write(project: Path) -> None:
    run("check")
    config = load_config(project)
    cache_dir = project / ".factlang_cache"
    stale = cache_dir / "results" / f"{'ab' * 32}.pickle"
    stale.write_bytes(b"left by an older run")
    age(stale, 40 * DAY)

    # Pruned minutes ago (by the check): not due yet.
    assert prune.after_run(config, time.time_ns()) is None
    # Pruned 11 minutes ago, but nothing written since.
    age(cache_dir / prune.MARKER, 11 * MINUTE)
    for kind in prune.KINDS:
        age(cache_dir / kind, 12 * MINUTE)
    assert prune.after_run(config, time.time_ns()) is None
    assert stale.exists()
    # An entry written since: due.
    age(cache_dir / "results", 0)
    done = prune.after_run(config, time.time_ns())
    assert done is not None
    assert done.removed == 1
    assert done.freed == len(b"left by an older run")
    assert not stale.exists()
    assert (cache_dir / prune.MARKER).stat().st_mtime_ns > time.time_ns() - MINUTE


def test_no_cache_never_prunes(project: Path) -> None:
    run("check")
    age_cache(project, 40 * DAY)
    before = entries(project)
    edit(project / "facts" / "revenue.fact", "-11%", "-12%")
    run("check", "--no-cache")
    assert entries(project) == before


# --- the limits ----------------------------------------------------------------------------


def fill(folder: Path, ages: list[int], size: int = 100) -> list[str]:
    """Entries last used ``ages`` ago (nanoseconds), oldest first in the list returned."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for n, ns in enumerate(ages):
        path = folder / f"{n:064x}.pickle"
        path.write_bytes(b"x" * size)
        age(path, ns)
        names.append(path.name)
    return names


def test_the_count_cap_keeps_the_most_recently_used(tmp_path: Path) -> None:
    names = fill(tmp_path / "parse", [DAY + (12 - n) * MINUTE for n in range(12)])
    now = time.time_ns()

    done = prune.prune(tmp_path, since_ns=now, now_ns=now, limits=prune.Limits(max_entries=5))

    assert entries(tmp_path, ".")["parse"] == set(names[-5:])
    assert (done.removed, done.freed, done.kept, done.kept_bytes) == (7, 700, 5, 500)


def test_the_size_cap_keeps_the_most_recently_used(tmp_path: Path) -> None:
    names = fill(tmp_path / "run", [DAY + (10 - n) * MINUTE for n in range(10)], size=300)
    now = time.time_ns()

    prune.prune(tmp_path, since_ns=now, now_ns=now, limits=prune.Limits(max_bytes=1000))

    assert entries(tmp_path, ".")["run"] == set(names[-3:])


def test_each_kind_has_its_own_caps(tmp_path: Path) -> None:
    parse = fill(tmp_path / "parse", [DAY + (4 - n) * MINUTE for n in range(4)])
    results = fill(tmp_path / "results", [2 * DAY] * 2)
    now = time.time_ns()

    prune.prune(tmp_path, since_ns=now, now_ns=now, limits=prune.Limits(max_entries=3))

    assert entries(tmp_path, ".") == {"parse": set(parse[1:]), "results": set(results), "run": set()}


def test_entries_unused_for_longer_than_the_age_limit_go(tmp_path: Path) -> None:
    names = fill(tmp_path / "results", [31 * DAY, 30 * DAY + MINUTE, 29 * DAY, DAY])
    now = time.time_ns()

    prune.prune(tmp_path, since_ns=now, now_ns=now)

    assert entries(tmp_path, ".")["results"] == set(names[2:])


def test_entries_in_use_are_kept_even_over_a_cap(tmp_path: Path) -> None:
    # The run began 5 minutes ago; entries used since, or up to TOUCH_NS before, are in use.
    since = time.time_ns() - 5 * MINUTE
    ages = [2 * DAY, DAY, 20 * MINUTE, 14 * MINUTE, 3 * MINUTE, 0]
    names = fill(tmp_path / "parse", ages)

    done = prune.prune(tmp_path, since_ns=since, limits=prune.Limits(max_entries=1, max_bytes=1))

    assert entries(tmp_path, ".")["parse"] == set(names[3:])
    assert done.kept == 3


def test_an_entry_read_is_marked_as_used(tmp_path: Path) -> None:
    cache.put_bytes(tmp_path, "a" * 64, b"payload", "results", ".pickle")
    path = tmp_path / "results" / f"{'a' * 64}.pickle"
    age(path, 40 * DAY)

    assert cache.get_bytes(tmp_path, "a" * 64, "results", ".pickle") == b"payload"

    assert time.time_ns() - path.stat().st_mtime_ns < MINUTE
    now = time.time_ns()
    prune.prune(tmp_path, since_ns=now, now_ns=now)
    assert path.exists()


def test_a_damaged_entry_is_not_marked_as_used(tmp_path: Path) -> None:
    cache.put_bytes(tmp_path, "a" * 64, b"payload", "results", ".pickle")
    path = tmp_path / "results" / f"{'a' * 64}.pickle"
    path.write_bytes(path.read_bytes()[:-1] + b"!")
    age(path, 40 * DAY)

    assert cache.get_bytes(tmp_path, "a" * 64, "results", ".pickle") is None

    assert time.time_ns() - path.stat().st_mtime_ns > 39 * DAY


def test_an_entry_used_recently_is_not_touched_again(tmp_path: Path) -> None:
    cache.put_bytes(tmp_path, "a" * 64, b"payload", "run", ".run")
    path = tmp_path / "run" / f"{'a' * 64}.run"
    age(path, 2 * MINUTE)
    was = path.stat().st_mtime_ns

    assert cache.get_bytes(tmp_path, "a" * 64, "run", ".run") == b"payload"

    assert path.stat().st_mtime_ns == was  # no write for each read


def test_only_old_unfinished_writes_and_only_factlangs_files_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "parse"
    fill(folder, [])
    for name, ns in (
        ("tmpold1234.tmp", 2 * 60 * MINUTE),
        ("tmpnew1234.tmp", MINUTE),
        ("notes.txt", 90 * DAY),
    ):
        (folder / name).write_bytes(b"x")
        age(folder / name, ns)
    (folder / "sub").mkdir()
    now = time.time_ns()

    done = prune.prune(tmp_path, since_ns=now, now_ns=now, limits=prune.Limits(max_entries=0))

    assert entries(tmp_path, ".")["parse"] == {"tmpnew1234.tmp", "notes.txt", "sub"}
    assert done.removed == 1


@posix
def test_a_symlink_is_never_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    victims = fill(elsewhere, [90 * DAY] * 3)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "parse").symlink_to(elsewhere, target_is_directory=True)
    (cache_dir / "run").mkdir()
    (cache_dir / "run" / f"{'c' * 64}.run").symlink_to(elsewhere / victims[0])
    now = time.time_ns()

    prune.prune(cache_dir, since_ns=now, now_ns=now, limits=prune.Limits(max_entries=0))
    prune.clear(cache_dir)

    assert {p.name for p in elsewhere.iterdir()} == set(victims)
    assert (cache_dir / "run" / f"{'c' * 64}.run").is_symlink()


def test_an_entry_another_process_removed_first_is_gone_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = fill(tmp_path / "parse", [40 * DAY, 40 * DAY])
    real = os.unlink

    def raced(path: str, *, dir_fd: int | None = None) -> None:
        real(path, dir_fd=dir_fd)  # the other process
        real(path, dir_fd=dir_fd)  # this one: FileNotFoundError

    monkeypatch.setattr(os, "unlink", raced)
    done = prune.prune(tmp_path, since_ns=time.time_ns())

    assert done.removed == len(names)
    assert entries(tmp_path, ".")["parse"] == set()


# --- factlang clean ------------------------------------------------------------------------


def test_clean_removes_every_entry_and_the_next_check_is_the_same(project: Path) -> None:
    fresh = run("check", "--no-cache", "--format", "json")
    run("check", "--format", "json")
    n = sum(len(names) for names in entries(project).values())

    code, out, _ = run("clean")

    assert code == 0
    assert out.startswith(f"removed {n} cache entries (")
    assert out.endswith(" from .factlang_cache\n")
    assert not (project / ".factlang_cache").exists()
    assert run("check", "--format", "json") == fresh
    assert run("clean", "--stale")[1].startswith(f"removed nothing from .factlang_cache; kept {n} entries (")


def test_clean_stale_removes_only_what_pruning_would(project: Path) -> None:
    run("check")
    age_cache(project, 40 * DAY)
    edit(project / "facts" / "revenue.fact", "-11%", "-12%")
    (project / ".factlang_cache" / prune.MARKER).touch()  # pruned just now: the check will not
    run("check")
    left = entries(project)

    code, out, _ = run("clean", "--stale")

    assert code == 0
    # The first revenue.fact's parse entry and its declarations', and its text block (its
    # records were read: the edited file's other facts took theirs from them).
    assert out.startswith("removed 3 stale cache entries (")
    assert sum(len(names) for names in entries(project).values()) == sum(map(len, left.values())) - 3


def test_clean_leaves_the_users_files_in_a_configured_cache_folder(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\ncache = "build"\n'
    )
    (project / "build").mkdir()
    (project / "build" / "notes.txt").write_text("mine")
    (project / "build" / ".gitignore").write_text("site/\n")
    run("check")
    assert entries(project, "build")["parse"]

    assert run("clean")[0] == 0

    assert sorted(p.name for p in (project / "build").iterdir()) == [".gitignore", "notes.txt"]


def test_clean_with_the_cache_off_removes_nothing(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.factlang]\nfacts = ["facts"]\nsources = ["seeds"]\ncache = false\n'
    )
    assert run("clean") == (0, "nothing removed: the cache is off in the configuration\n", "")
