"""Issue 14's table of targets, every row measured with its floor in the same run.

Each benchmark module has ``rows()``: ``(measure, value with its floor,
target)`` tuples, measured when called. This script calls them in turn and
prints one Markdown table (``make bench``). ``--only NAME`` runs one module.

Run: ``python benchmarks/targets.py [--only bench_verify]``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

#: The benchmark modules with a ``rows()``, in the order of the issue's table.
MODULES = (
    "bench_verify",
    "bench_incremental",
    "bench_scale",
    "bench_memory",
    "bench_cliffs",
    "bench_site",
    "bench_pytest",
    "bench_parse",
)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--only", action="append", metavar="MODULE", help="run only these modules")
    opts = args.parse_args(argv)
    table: list[tuple[str, str, str]] = []
    for name in opts.only or MODULES:
        start = time.perf_counter()
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            print(f"{name}: not run ({err})", file=sys.stderr)
            continue
        rows = getattr(module, "rows", None)
        if rows is None:
            print(f"{name}: has no rows()", file=sys.stderr)
            continue
        got = rows()
        table.extend(got)
        print(f"{name}: {len(got)} rows in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        for row in got:
            print("  " + " | ".join(row), file=sys.stderr)
    print("| measure | value (with its floor) | target |")
    print("|---|---|---|")
    for measure, value, target in table:
        print(f"| {measure} | {value} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
