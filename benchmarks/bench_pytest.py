"""The pytest plugin at scale: a generated fact base run as tests, against bare pytest.

Generates the project of ``bench_verify.py`` (``--sources`` sources, default
2,000; ``--facts`` facts, default 20,000, in files of 1,000) and, beside it,
a floor project of as many trivial test functions (``def test_n(): pass``)
in as many modules. Each is run by pytest in a subprocess, serially and with
``-n 2`` (pytest-xdist), after one ``--collect-only`` run of each to warm the
parse cache and the bytecode:

- ``bare``: pytest running the trivial items, the least any plugin can cost;
- ``plugin``: pytest collecting the fact files, one item per fact.

Targets (issue 14): the plugin serial <= 1.5x bare serial; ``-n 2`` adds no
more over serial for the plugin than it does for bare pytest (on 2 cores bare
``-n 2`` is itself slower than serial). Each time is the best of
``--repeat`` runs (default 1). Prints the times and both ratios;
:func:`rows` gives them to the ``make bench`` table.
Run: ``python benchmarks/bench_pytest.py [--sources N] [--facts M] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from _scratch import scratch_project
from bench_verify import generate

#: pytest's settings for both projects: quiet, and nothing written between runs.
PYTEST_INI = '\n[tool.pytest.ini_options]\naddopts = ["-q", "-p", "no:cacheprovider"]\n'

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


def run_pytest(root: Path, *args: str, expect: int) -> float:
    """Run pytest in ``root`` in a subprocess; return its wall time (it must pass ``expect`` items)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    tail = done.stdout.strip().splitlines()[-1:] or [""]
    wanted = "collected" if "--collect-only" in args else "passed"
    if done.returncode != 0 or f"{expect} {wanted}" not in tail[0].replace(" tests ", " "):
        output = done.stdout[-3000:] + done.stderr[-3000:]
        raise SystemExit(f"pytest {' '.join(args)} in {root} failed:\n{output}")
    return elapsed


def measure(sources: int, facts: int, repeat: int = 1) -> dict[str, float]:
    """Wall times of the four runs (best of ``repeat``), in seconds."""
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
        return {
            name: min(run_pytest(where, *args, expect=facts) for _ in range(repeat))
            for name, (where, args) in runs.items()
        }


def ratios(times: dict[str, float]) -> tuple[float, float, float]:
    """Plugin serial vs bare serial; ``-n 2`` vs serial for the plugin, and for bare pytest."""
    return (
        times["plugin"] / times["bare"],
        times["plugin -n 2"] / times["plugin"],
        times["bare -n 2"] / times["bare"],
    )


def rows(sources: int = 2000, facts: int = 20_000, repeat: int = 1) -> list[tuple[str, str, str]]:
    """The benchmark's rows for the ``make bench`` table: (measure, value, target)."""
    times = measure(sources, facts, repeat)
    serial, plugin_xdist, bare_xdist = ratios(times)
    k = f"{facts // 1000}k" if facts % 1000 == 0 else str(facts)
    return [
        (
            f"pytest, {k} facts: serial vs bare pytest running {k} trivial items",
            f"{serial:.2f}x ({times['plugin']:.1f} s vs {times['bare']:.1f} s)",
            "<= 1.5x",
        ),
        (
            f"pytest, {k} facts: `-n 2` vs serial (bare pytest's own beside it)",
            f"{plugin_xdist:.2f}x (bare {bare_xdist:.2f}x)",
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
    serial, plugin_xdist, bare_xdist = ratios(times)
    print(f"sources: {opts.sources}, facts: {opts.facts} (best of {opts.repeat})")
    for name, seconds in times.items():
        print(f"{name + ':':<13} {seconds:6.2f} s")
    print(f"plugin serial vs bare serial: {serial:.2f}x (target <= 1.5x)")
    print(f"-n 2 vs serial: plugin {plugin_xdist:.2f}x, bare {bare_xdist:.2f}x (target: plugin <= bare)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
