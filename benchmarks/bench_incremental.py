"""Incremental checking: what a re-check costs when little or nothing changed (issue 14, item 1).

Generates the project of ``bench_verify`` (``--facts`` facts, default
100,000, over ``--sources`` sources, default 10,000; 1,000 facts per fact
file), measures the floor (read every source, normalise it, ``str.find``
each quote) and then runs ``factlang check`` in child processes, as a user
would, each after the previous one:

- ``first``: an empty cache folder, so a cold check (it fills the parse,
  results and run caches);
- ``unchanged``: the same command again (the run cache replays it);
- ``other arguments``: ``--format json``, so the run cache misses and every
  fact's verdict comes from the results cache;
- ``edited fact file``: one fact file changed (its 1,000 facts are verified
  again), and the same edit with the results cache deleted (how it was before);
- ``edited source``: one source changed (only the facts citing it are
  verified again).

Prints each time with its ratio to the floor and the child's peak memory.
:func:`rows` returns the table rows for ``make bench``.
Run: ``python benchmarks/bench_incremental.py [--facts N] [--sources M]``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _scratch import scratch_project
from bench_verify import floor_exact, generate


def run_check(root: Path, *args: str) -> tuple[float, float]:
    """``factlang check`` in a child process: seconds and the child's peak MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "factlang", "check", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(2)
    # ru_maxrss is the largest child so far (KiB on Linux): only a new peak is this run's.
    return seconds, (peak / 1024 if peak > before else float("nan"))


def measure(facts: int, sources: int, *, verbose: bool = True) -> dict[str, tuple[float, float]]:
    """Every measure of the module docstring: name -> (seconds, peak MiB); ``floor`` has no peak."""
    out: dict[str, tuple[float, float]] = {}

    def note(name: str, seconds: float, peak: float = float("nan")) -> None:
        out[name] = (seconds, peak)
        if verbose:
            floor = out["floor"][0]
            mem = "" if peak != peak else f", peak {peak:.0f} MiB"
            print(f"{name:<40} {seconds:8.3f} s  {seconds / floor:6.2f}x the floor{mem}", flush=True)

    with scratch_project("factlang-incremental-") as root:
        quotes = generate(root, sources, facts)
        note("floor", floor_exact(root, quotes))
        note("first check (cold, empty cache)", *run_check(root))
        note("warm unchanged check (replay)", *run_check(root))
        note("warm, other arguments (results cache)", *run_check(root, "--format", "json"))
        fact_file = root / "facts" / "part003.fact"
        fact_file.write_text("# edited\n" + fact_file.read_text(encoding="utf-8"), encoding="utf-8")
        note("after editing one fact file", *run_check(root))
        fact_file.write_text(fact_file.read_text(encoding="utf-8") + "\n# again\n", encoding="utf-8")
        shutil.rmtree(root / ".factlang_cache" / "results")
        note("  the same, without the results cache", *run_check(root))
        source = root / "sources" / "s00007.txt"
        source.write_text(source.read_text(encoding="utf-8") + "One more sentence.\n", encoding="utf-8")
        note("after editing one source", *run_check(root))
    return out


def rows(facts: int = 100_000, sources: int = 10_000) -> list[tuple[str, str, str]]:
    """The ``make bench`` rows: (measure, value, target), each as a ratio to the floor of the same run."""
    got = measure(facts, sources, verbose=False)
    floor = got["floor"][0]
    size = f"{facts // 1000}k facts / {sources // 1000}k sources"

    def ratio(name: str) -> str:
        return f"{got[name][0] / floor:.2f}x ({got[name][0]:.2f} s; floor {floor:.2f} s)"

    table = (
        ("warm unchanged check", "warm unchanged check (replay)", "<= 0.4x"),
        ("warm check, other arguments", "warm, other arguments (results cache)", "-"),
        ("check after editing one fact file", "after editing one fact file", "<= 1x"),
        ("  the same without the results cache (before)", "  the same, without the results cache", "-"),
        ("check after editing one source", "after editing one source", "-"),
    )
    return [(f"{label}, {size}, vs floor", ratio(name), target) for label, name, target in table]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--facts", type=int, default=100_000)
    args.add_argument("--sources", type=int, default=None, help="default: one per 10 facts")
    opts = args.parse_args(argv)
    sources = opts.sources or max(1, opts.facts // 10)
    print(f"facts: {opts.facts}, sources: {sources}")
    measure(opts.facts, sources)
    return 0


if __name__ == "__main__":
    sys.exit(main())
