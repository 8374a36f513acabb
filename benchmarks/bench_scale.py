"""Scale: one fact file with a million facts, checked end to end (issue 10).

Generates the project of ``bench_parse`` with every fact in one file
(``--facts``, default 1,000,000), then runs ``factlang check`` on it in a
child process, with and without the parse cache, and reports the wall
time and the child's peak memory (max RSS). The run must finish; nothing
is asserted about the time.

Run: ``python benchmarks/bench_scale.py [--facts N]``.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from _scratch import scratch_project
from bench_parse import generate


def run_check(root: Path, *extra: str) -> tuple[int, float, float]:
    """``factlang check`` in a child process: exit code, seconds, peak MiB of that child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "factlang", "check", "--format", "json", "-o", "report.json", *extra],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if "internal error" in done.stderr or "Traceback" in done.stderr:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(2)
    # ru_maxrss is the largest child so far (KiB on Linux): only a new peak is this run's.
    return done.returncode, seconds, max(peak, before) / 1024


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--facts", type=int, default=1_000_000)
    args.add_argument("--keep", action="store_true", help="keep the generated project")
    args.add_argument("--cold-only", action="store_true", help="only the run without the parse cache")
    opts = args.parse_args(argv)
    with scratch_project("factlang-scale-", keep=opts.keep) as root:
        generate(root, opts.facts, 1)
        size = sum(p.stat().st_size for p in (root / "facts").iterdir()) / 1e6
        print(f"{opts.facts} facts in one file ({size:.0f} MB)")
        runs = (("cold", ("--no-cache",)), ("cached", ()), ("warm", ()))
        for label, extra in runs[:1] if opts.cold_only else runs:
            code, seconds, peak = run_check(root, *extra)
            print(f"{label:>7}: exit {code}, {seconds:7.1f} s, peak {peak:7.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
