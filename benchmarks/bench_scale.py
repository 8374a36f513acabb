"""Scale: one fact file with many facts, checked end to end (issues 10 and 14).

Generates the project of ``bench_parse`` with every fact in one file
(``--facts``, default 100,000), then runs ``factlang check --format json
-o report.json`` on it in a child process three times: with nothing cached
(``cold``, which fills the parse and run caches), reading the parse cache
but not the run cache (``warm``, another output file), and replaying the
run cache (``replay``). Each run's wall time and peak memory (the child's
own high-water mark, or its largest worker's) is printed beside a floor
measured in the same run: the peak of a bare Python that reads the
same fact files.

Then, in this process, the report of the same project is written as JSON
(``write_json``, as ``check`` does) and timed against its floor: encoding
the same JSON from plain data (``json.loads`` of the report, then one
``json.dumps``, the C encoder), the cost of the bytes alone.

Run: ``python benchmarks/bench_scale.py [--facts N]``. :func:`rows` gives
the lines of ``make bench``'s table. Do not run a million facts on a
shared machine (about 10 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from _scratch import scratch_project
from bench_parse import generate

MEMORY_TARGET_MB = 500

# A bare Python that reads every fact file: the least any check holds.
_FLOOR = (
    "import pathlib\n"
    "texts = [p.read_bytes().decode('utf-8') for p in sorted(pathlib.Path('facts').rglob('*.fact'))]\n"
)

# Every measured child runs under this wrapper, which reports its own peak
# (VmHWM: this process image only, not the benchmark it was forked from,
# which the child's ru_maxrss would include) and its workers' (ru_maxrss of
# its children) on stderr as it exits.
_MARK = "bench-peak-kib"
_WRAPPER = f"""
import atexit, resource, runpy, sys
def _peak():
    own = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("{_MARK}", max(own, kids), file=sys.stderr)
atexit.register(_peak)
if sys.argv[1] == "-c":
    exec(compile(sys.argv[2], "<floor>", "exec"))
else:
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def _child(root: Path, argv: list[str]) -> tuple[int, float, float, str]:
    """Run python ``argv`` in ``root``: exit code, seconds, peak MB (its own or a worker's), stderr."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    marks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith(_MARK)]
    peak = int(marks[-1]) * 1024 / 1e6 if marks else float("nan")
    return done.returncode, seconds, peak, done.stderr


def run_check(root: Path, *extra: str, output: str = "report.json") -> tuple[int, float, float]:
    """``factlang check --format json -o report.json`` in a child process: exit code, seconds, peak MB."""
    argv = ["factlang", "check", "--format", "json", "-o", output, *extra]
    code, seconds, peak, err = _child(root, argv)
    if "internal error" in err or "Traceback" in err:
        print(err[-3000:], file=sys.stderr)
        raise SystemExit(2)
    return code, seconds, peak


def floor_peak(root: Path) -> tuple[float, float]:
    """Seconds and peak MB of a bare Python reading the fact files."""
    _code, seconds, peak, _err = _child(root, ["-c", _FLOOR])
    return seconds, peak


def write_timing(root: Path) -> tuple[float, float, int]:
    """Seconds to write the report as JSON, seconds to encode the same JSON from plain data, bytes."""
    from factlang.config import load_config
    from factlang.loader import load_project
    from factlang.render.json import write_json
    from factlang.verify import verify

    here = Path.cwd()
    os.chdir(root)  # paths in the report are shown relative to the working directory
    try:
        config = load_config(root)
        base = load_project(config)
        report = verify(base, strict=config.strict, root=config.root, ignore=config.ignore)
        out = root / "written.json"
        start = time.perf_counter()
        with out.open("w", encoding="utf-8") as fh:
            write_json(report, fh)
        seconds = time.perf_counter() - start
        del report, base
        data = json.loads(out.read_text(encoding="utf-8"))
        start = time.perf_counter()
        with (root / "floor.json").open("w", encoding="utf-8") as fh:
            # dumps, not dump: json.dump always takes the pure-Python encoder.
            fh.write(json.dumps(data, ensure_ascii=False))
        floor = time.perf_counter() - start
        return seconds, floor, out.stat().st_size
    finally:
        os.chdir(here)


def measure(
    facts: int, *, keep: bool = False, cold_only: bool = False, log: IO[str] = sys.stdout
) -> dict[str, float]:
    """Every number of the benchmark, printed to ``log`` as it is measured."""
    out: dict[str, float] = {}

    def say(line: str) -> None:
        print(line, file=log, flush=True)

    with scratch_project("factlang-scale-", keep=keep) as root:
        generate(root, facts, 1)
        size = sum(p.stat().st_size for p in (root / "facts").iterdir()) / 1e6
        say(f"{facts} facts in one file ({size:.0f} MB)")
        seconds, floor = floor_peak(root)
        out["floor"] = floor
        say(f"  floor: {seconds:7.1f} s, peak {floor:7.0f} MB (a bare python reading the fact files)")
        # cold: nothing cached (the caches are filled); warm: the parse cache
        # read, the run cache missed (another output file); replay: the run cache.
        runs = (("cold", "report.json"), ("warm", "warm.json"), ("replay", "report.json"))
        for label, output in (("cold", "report.json"),) if cold_only else runs:
            code, seconds, peak = run_check(root, *(("--no-cache",) if cold_only else ()), output=output)
            out[label] = peak
            say(f"{label:>7}: exit {code}, {seconds:7.1f} s, peak {peak:7.0f} MB ({peak / floor:.1f}x floor)")
        if not cold_only:
            written, encoded, size_b = write_timing(root)
            out["write"], out["encode"] = written, encoded
            say(
                f"  write: {written:7.2f} s for {size_b / 1e6:.0f} MB of JSON "
                f"({written / encoded:.1f}x the floor: {encoded:.2f} s to encode the same data)"
            )
    return out


def rows(facts: int = 100_000) -> list[tuple[str, str, str]]:
    """The benchmark's lines of the issue's table: (measure, value beside its floor, target)."""
    got = measure(facts, log=sys.stderr)  # stdout is the table's
    peak = max(got["cold"], got["warm"], got["replay"])
    n = f"{facts // 1000}k" if facts % 1000 == 0 else str(facts)
    return [
        (
            f"peak memory, {n} facts (check --format json -o)",
            f"{peak:.0f} MB (floor {got['floor']:.0f} MB; cold {got['cold']:.0f}, "
            f"warm {got['warm']:.0f}, replay {got['replay']:.0f})",
            f"<= {MEMORY_TARGET_MB} MB",
        ),
        (
            f"report writing, {n} facts, JSON",
            f"{got['write']:.2f} s ({got['write'] / got['encode']:.1f}x floor {got['encode']:.2f} s)",
            "streamed, GC-quiet",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--facts", type=int, default=100_000)
    args.add_argument("--keep", action="store_true", help="keep the generated project")
    args.add_argument("--cold-only", action="store_true", help="only one run, with --no-cache")
    opts = args.parse_args(argv)
    measure(opts.facts, keep=opts.keep, cold_only=opts.cold_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
