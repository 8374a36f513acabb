"""Peak memory of checking a large corpus: documents are released source by source (issue 14).

Generates ``--sources`` source texts of ``--mb`` megabytes each (default
1,000 x 1 MB: a 1 GB corpus) and ``--per-source`` facts citing each, then
runs ``factlang check --no-cache --jobs 1`` in a child process and reports
its peak memory (max RSS) beside two floors measured in the same run:

- ``floor``: a child that reads and normalises (:func:`fold`) the largest
  source and finds one quote in it, the least any checker holds at once;
- ``corpus``: the corpus's size on disk, what keeping every document costs
  at the very least.

Run: ``python benchmarks/bench_memory.py [--sources N] [--mb M]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from _scratch import scratch_project
from bench_scale import _child
from bench_verify import FILLER, sentence

TARGET_MIB = 1536  # the target for a 1 GB corpus of 1,000 sources


def generate(root: Path, sources: int, mb: float, per_source: int, seed: int = 5) -> int:
    """Write the project; returns the corpus size in bytes."""
    rng = random.Random(seed)
    (root / "pyproject.toml").write_text(
        "[tool.factlang]\nfacts = ['facts']\nsources = ['sources']\n", encoding="utf-8"
    )
    (root / "sources").mkdir()
    (root / "facts").mkdir()
    decls = ["kind Company", "kind Region"]
    decls += [f"entity Company{i}: Company" for i in range(200)]
    decls += [f"entity Region{i}: Region" for i in range(20)]
    decls.append("predicate share(company: Company, market: Region, year: Year) -> Percent")
    (root / "facts" / "common.fact").write_text("\n".join(decls) + "\n", encoding="utf-8")
    size = 0
    target = int(mb * 1_000_000)
    keys = iter([(c, r, y) for c in range(200) for r in range(20) for y in range(2000, 2025)] * 20)
    for n in range(sources):
        facts: list[str] = ['use "common.fact"']
        parts: list[str] = []
        length = 0
        stated = 0
        while length < target:
            if stated < per_source and rng.random() < 0.01:
                company, region, year = next(keys)
                text, value, quote = sentence(rng, company, region, year)
                quote, _, year_text = quote.partition("|")
                head = f"share(Company{company}, Region{region}, {year_text}) = {value}"
                facts.append(f'{head}\n    @ s{n:05d} "{quote}"')
                stated += 1
            else:
                text = rng.choice(FILLER)
            parts.append(text)
            length += len(text) + 1
        body = " ".join(parts) + "\n"
        (root / "sources" / f"s{n:05d}.txt").write_text(body, encoding="utf-8")
        size += len(body)
        # One fact file per source, so facts of a key never repeat within a file.
        (root / "facts" / f"part{n:05d}.fact").write_text("\n".join(facts) + "\n", encoding="utf-8")
    return size


def _peak_of(argv: list[str], cwd: Path) -> tuple[int, float, float, str]:
    """Run python ``argv`` in a child: exit code, seconds, its own peak MiB (VmHWM), stderr.

    The child's own high-water mark, not ``ru_maxrss``, which on Linux also
    counts the benchmark process it was forked from.
    """
    code, seconds, peak_mb, err = _child(cwd, argv)
    return code, seconds, peak_mb * 1e6 / 2**20, err


_FLOOR = """
import sys
from pathlib import Path
from factlang.verify.text import fold
largest = max(Path("sources").iterdir(), key=lambda p: p.stat().st_size)
text = fold(largest.read_text(encoding="utf-8"))
print(text.find("Company"))
"""


def measure(
    sources: int, mb: float, per_source: int, check_args: str = "--no-cache --jobs 1 -q"
) -> dict[str, float]:
    """Generate the corpus, check it, and measure the floor; the numbers by name."""
    with scratch_project("factlang-memory-") as root:
        size = generate(root, sources, mb, per_source)
        code, seconds, peak, err = _peak_of(["factlang", "check", *check_args.split()], root)
        if code != 0 or "Traceback" in err:
            print(err[-3000:], file=sys.stderr)
            raise SystemExit(2)
        _, _, floor, _ = _peak_of(["-c", _FLOOR], root)
        return {"corpus_mib": size / 2**20, "peak": peak, "seconds": seconds, "floor": floor}


def rows(sources: int = 1000, mb: float = 1.0, per_source: int = 10) -> list[tuple[str, str, str]]:
    """The row of the issue's table: (measure, value with its floor, target)."""
    m = measure(sources, mb, per_source)
    corpus = f"{m['corpus_mib'] / 1024:.2f} GB corpus of {sources:,} sources"
    value = f"{m['peak']:,.0f} MiB (floor {m['floor']:,.0f} MiB: one source read and folded)"
    return [(f"peak memory, {corpus}", value, f"<= {TARGET_MIB:,} MiB")]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--sources", type=int, default=1000)
    args.add_argument("--mb", type=float, default=1.0, help="megabytes per source")
    args.add_argument("--per-source", type=int, default=10, help="facts citing each source")
    args.add_argument(
        "--check-args", default="--no-cache --jobs 1 -q", help="the arguments of the measured check"
    )
    opts = args.parse_args(argv)
    m = measure(opts.sources, opts.mb, opts.per_source, opts.check_args)
    print(f"corpus: {opts.sources} sources, {m['corpus_mib']:,.0f} MiB")
    print(f"check ({opts.check_args}): {m['seconds']:.1f} s, peak {m['peak']:,.0f} MiB")
    print(f"floor (read + fold the largest source): peak {m['floor']:,.0f} MiB")
    print(f"ratio: {m['peak'] / m['floor']:.1f}x the floor; target <= {TARGET_MIB:,} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
