"""The pytest plugin at scale: a generated fact base run as tests, against bare pytest.

Generates the project of ``bench_verify.py`` (``--sources`` sources, default
2,000; ``--facts`` facts, default 20,000, in files of 1,000) and, beside it,
a floor project of as many trivial test functions (``def test_n(): pass``)
in as many modules. Each is run by pytest in a subprocess, serially and with
``-n 2`` (pytest-xdist), after one ``--collect-only`` run of each to warm the
parse cache and the bytecode. Each run's wall time is measured, and its CPU
time (with its workers') beside it, steadier when other work shares the
machine:

- ``bare``: pytest running the trivial items, the least any plugin can cost;
- ``plugin``: pytest collecting the fact files, one item per fact.

Targets (issue 14), in wall time: the plugin serial <= 1.5x bare serial;
``-n 2`` adds no more over serial for the plugin than it does for bare
pytest (on 2 cores bare ``-n 2`` is itself slower than serial). Each time is
the least of ``--repeat`` runs (default 1). Prints the times and both ratios;
:func:`rows` gives them to the ``make bench`` table, each time the least of 2
runs: on a shared 2-core machine one run's wall time swings by a fifth
(bare ``-n 2`` alone measured 1.26x and 1.93x of serial in two runs).
Run: ``python benchmarks/bench_pytest.py [--sources N] [--facts M] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Final, NamedTuple

from _scratch import scratch_project
from bench_verify import generate

#: pytest's settings for both projects: quiet, and nothing written between runs.
PYTEST_INI = '\n[tool.pytest.ini_options]\naddopts = ["-q", "-p", "no:cacheprovider"]\n'

#: Bytecode is written (the warm-up runs write it), as in a usual environment:
#: otherwise every run compiles factlang afresh, and assertion-rewrites it (pytest
#: rewrites the modules of a plugin's distribution).
ENV: Final = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

#: Trivial tests per floor module, like the generated fact files' 1,000 facts.
PER_MODULE = 1000


def write_bare(root: Path, items: int) -> None:
    """A project of ``items`` trivial test functions, ``PER_MODULE`` to a module."""
    root.mkdir()
    (root / "pyproject.toml").write_text(PYTEST_INI, encoding="utf-8")
    (root / "tests").mkdir()
    for m, start in enumerate(range(0, items, PER_MODULE)):
        names = range(start, min(items, start + PER_MODULE))
        body = "".join(f"def test_{n}():\n    pass\n\n\n" for n in names)
        (root / "tests" / f"test_part{m:03d}.py").write_text(body, encoding="utf-8")


class Timing(NamedTuple):
    """One pytest run: wall time, and CPU time of it and its workers (user + system), in seconds."""

    wall: float
    cpu: float


def run_pytest(root: Path, *args: str, expect: int) -> Timing:
    """Run pytest in ``root`` in a subprocess; it must pass (or collect) ``expect`` items."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "pytest", *args]
    done = subprocess.run(command, cwd=root, env=ENV, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    tail = done.stdout.strip().splitlines()[-1:] or [""]
    wanted = "collected" if "--collect-only" in args else "passed"
    if done.returncode != 0 or f"{expect} {wanted}" not in tail[0].replace(" tests ", " "):
        output = done.stdout[-3000:] + done.stderr[-3000:]
        raise SystemExit(f"pytest {' '.join(args)} in {root} failed:\n{output}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def measure(sources: int, facts: int, repeat: int = 1) -> dict[str, Timing]:
    """The four runs' times, each the least of ``repeat`` runs (taken in turn, so load drifts evenly)."""
    with scratch_project("factlang-pytest-bench-") as root:
        project = root / "plugin"
        project.mkdir()
        generate(project, sources, facts)
        with (project / "pyproject.toml").open("a", encoding="utf-8") as f:
            f.write(PYTEST_INI)
        write_bare(root / "bare", facts)
        # Warm the parse cache and the bytecode, so every measured run starts alike.
        run_pytest(project, "--collect-only", "facts", expect=facts)
        run_pytest(root / "bare", "--collect-only", "tests", expect=facts)
        runs = {
            "bare": (root / "bare", ("tests",)),
            "plugin": (project, ("facts",)),
            "bare -n 2": (root / "bare", ("-n", "2", "tests")),
            "plugin -n 2": (project, ("-n", "2", "facts")),
        }
        best: dict[str, Timing] = {}
        for _ in range(repeat):
            for name, (where, args) in runs.items():
                got = run_pytest(where, *args, expect=facts)
                old = best.get(name, got)
                best[name] = Timing(min(old.wall, got.wall), min(old.cpu, got.cpu))
        return best


def ratios(times: dict[str, Timing], field: str = "wall") -> tuple[float, float, float]:
    """Plugin serial vs bare serial; ``-n 2`` vs serial for the plugin, and for bare pytest."""
    t = {name: getattr(timing, field) for name, timing in times.items()}
    return t["plugin"] / t["bare"], t["plugin -n 2"] / t["plugin"], t["bare -n 2"] / t["bare"]


def rows(sources: int = 2000, facts: int = 20_000, repeat: int = 2) -> list[tuple[str, str, str]]:
    """The benchmark's rows for the ``make bench`` table: (measure, value, target)."""
    return _rows(measure(sources, facts, repeat), facts)


def _rows(times: dict[str, Timing], facts: int) -> list[tuple[str, str, str]]:
    serial, plugin_xdist, bare_xdist = ratios(times)
    cpu_serial, cpu_plugin_xdist, cpu_bare_xdist = ratios(times, "cpu")
    k = f"{facts // 1000}k" if facts % 1000 == 0 else str(facts)
    plugin, bare = times["plugin"].wall, times["bare"].wall
    return [
        (
            f"pytest, {k} facts: serial vs bare pytest running {k} trivial items",
            f"{serial:.2f}x ({plugin:.1f} s vs {bare:.1f} s; CPU {cpu_serial:.2f}x)",
            "<= 1.5x",
        ),
        (
            f"pytest, {k} facts: `-n 2` vs serial, bare pytest's own beside it",
            f"{plugin_xdist:.2f}x, bare {bare_xdist:.2f}x"
            f" (CPU {cpu_plugin_xdist:.2f}x, bare {cpu_bare_xdist:.2f}x)",
            "<= bare's own",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--sources", type=int, default=2000)
    args.add_argument("--facts", type=int, default=20_000)
    args.add_argument("--repeat", type=int, default=1)
    opts = args.parse_args(argv)
    times = measure(opts.sources, opts.facts, opts.repeat)
    print(f"sources: {opts.sources}, facts: {opts.facts} (least of {opts.repeat} runs each)")
    for name, timing in times.items():
        print(f"{name + ':':<13} {timing.wall:6.2f} s wall, {timing.cpu:6.2f} s CPU")
    for measure_, value, target in _rows(times, opts.facts):
        print(f"{measure_}: {value} (target {target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
