"""Incremental checking: what a re-check costs when little or nothing changed (issue 14, item 1).

Generates the project of ``bench_verify`` (``--facts`` facts, default
100,000, over ``--sources`` sources, default 10,000; 1,000 facts per fact
file), and runs ``factlang check`` in child processes, as a user would, each
after the previous one, each beside a floor measured just before it (read
every source, normalise it, ``str.find`` each quote):

- ``first``: an empty cache folder, so a cold check (it fills the parse,
  results and run caches);
- ``unchanged``: the same command again (the run cache replays it);
- ``other arguments``: ``--format json``, so the run cache misses and every
  fact's verdict comes from the results cache;
- ``edited fact file``: one fact file changed (its 1,000 facts are verified
  again), and the same edit with the results cache deleted (how it was before);
- ``edited source``: one source changed (only the facts citing it are
  verified again).

Prints each time with its ratio to its floor and the child's peak memory
(shown only when it is a new peak: ``ru_maxrss`` covers all children).
:func:`rows` returns the table rows for ``make bench``.
Run: ``python benchmarks/bench_incremental.py [--facts N] [--sources M]``.
"""

from __future__ import annotations

import argparse
import os
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
    # Byte-compiled modules are kept, as in an installed factlang (pip compiles
    # them): without, every child compiled all of factlang again (0.2 s).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-m", "factlang", "check", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(2)
    # ru_maxrss is the largest child so far (KiB on Linux): only a new peak is this run's.
    return seconds, (peak / 1024 if peak > before else float("nan"))


def measure(facts: int, sources: int, *, verbose: bool = True) -> dict[str, tuple[float, float, float]]:
    """Every measure of the module docstring: name -> (seconds, the floor beside it, peak MiB).

    The floor is measured again just before each check, and each check is
    compared with that one: on a shared machine the load changes from one
    minute to the next.
    """
    out: dict[str, tuple[float, float, float]] = {}

    with scratch_project("factlang-incremental-") as root:
        quotes = generate(root, sources, facts)

        def note(name: str, *args: str) -> None:
            floor = floor_exact(root, quotes)
            seconds, peak = run_check(root, *args)
            out[name] = (seconds, floor, peak)
            if verbose:
                mem = "" if peak != peak else f", peak {peak:.0f} MiB"
                print(
                    f"{name:<40} {seconds:8.3f} s  {seconds / floor:6.2f}x the floor ({floor:.3f} s){mem}",
                    flush=True,
                )

        note("first check (cold, empty cache)")
        note("warm unchanged check (replay)")
        note("warm, other arguments (results cache)", "--format", "json")
        parts = sorted((root / "facts").glob("part*.fact"))
        fact_file = parts[len(parts) // 2]
        fact_file.write_text("# edited\n" + fact_file.read_text(encoding="utf-8"), encoding="utf-8")
        note("after editing one fact file")
        fact_file.write_text(fact_file.read_text(encoding="utf-8") + "\n# again\n", encoding="utf-8")
        shutil.rmtree(root / ".factlang_cache" / "results")
        note("  the same, without the results cache")
        source = sorted((root / "sources").iterdir())[sources // 2]
        source.write_text(source.read_text(encoding="utf-8") + "One more sentence.\n", encoding="utf-8")
        note("after editing one source")
    return out


def rows(facts: int = 100_000, sources: int = 10_000) -> list[tuple[str, str, str]]:
    """The ``make bench`` rows: (measure, value, target), each as a ratio to the floor of the same run."""
    got = measure(facts, sources, verbose=False)
    size = f"{facts:,} facts / {sources:,} sources"

    def ratio(name: str) -> str:
        seconds, floor, _ = got[name]
        return f"{seconds / floor:.2f}x ({seconds:.2f} s; floor {floor:.2f} s)"

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
