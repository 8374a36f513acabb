"""Parse throughput: the fast path vs Lark vs a floor, and a cold load of the fact base vs its floor.

Generates a project of ``--facts`` facts (default 100,000) spread over
``--files`` fact files that ``use`` one declarations file, then measures,
all in this run (ratios to a floor measured beside them, best of three,
CPU time of this process, so other load on the machine disturbs less):

- ``parse``: :func:`factlang.parser.parse` (the fast path, which takes every
  file here) and the Lark path alone, on 20,000 facts, one core, in facts/s;
  the floor is reading the same bytes, decoding them and splitting their lines;
- ``cache``: a parse cache entry written (pickled, signed) and read back,
  against parsing the file again;
- ``cold``: loading the whole fact base (read, parse, static checks) with no
  parse cache, then filling one, and ``warm`` reading it, against the floor
  of reading every fact file and splitting its lines.

:func:`rows` gives the lead's ``make bench`` table its lines (on 20,000
facts, to stay quick). Run: ``python benchmarks/bench_parse.py [--facts N] [--files K]``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _scratch import scratch_project

from factlang import cache
from factlang._gc import paused_gc
from factlang._rows import from_rows, to_rows
from factlang.config import Config
from factlang.larkparse import parse_with_lark
from factlang.loader import load_project
from factlang.parser import parse
from factlang.syntax import ParsedFile

COMPANIES = 300
REGIONS = 30
#: Facts in the parse measurements (and in every measurement of :func:`rows`).
PARSE_FACTS = 20_000


def generate(root: Path, facts: int, files: int, seed: int = 7) -> None:
    """Write a project with ``facts`` facts over ``files`` fact files."""
    rng = random.Random(seed)
    (root / "pyproject.toml").write_text("[tool.factlang]\nfacts = ['facts']\n", encoding="utf-8")
    folder = root / "facts"
    folder.mkdir()
    (root / "src.txt").write_text("A source text.\n", encoding="utf-8")
    decls = ["kind Company", "kind Region", 'source src = "src.txt" {', '    title: "Generated"', "}"]
    decls += [f'entity C{i}: Company aka "Company {i}"' for i in range(COMPANIES)]
    decls += [f"entity R{i}: Region" for i in range(REGIONS)]
    decls += [
        "predicate share(company: Company, market: Region, year: Year) -> Percent",
        '    "{company} market share in {market} in {year}"',
        "predicate revenue(company: Company, period: Quarter) -> Money",
        "predicate partner(a: Company, b: Company)",
    ]
    (folder / "common.fact").write_text("\n".join(decls) + "\n", encoding="utf-8")
    per_file = -(-facts // files)
    made = 0
    for n in range(files):
        lines = ['use "common.fact"', ""]
        for _ in range(min(per_file, facts - made)):
            c, r = rng.randrange(COMPANIES), rng.randrange(REGIONS)
            kind = rng.random()
            if kind < 0.6:
                year, share = rng.randrange(1990, 2026), f"{rng.randrange(100)}.{rng.randrange(10)}%"
                lines.append(f"share(C{c}, R{r}, {year}) = {share}")
                lines.append(
                    f'    @ src "Company {c} posted a market share of {rng.randrange(100)}% in region {r}"'
                )
            elif kind < 0.9:
                quarter = f"{rng.randrange(2000, 2026)}-Q{rng.randrange(1, 5)}"
                amount = f"${rng.randrange(1, 999)}.{rng.randrange(10)} billion"
                lines.append(f"revenue(C{c}, {quarter}) ~ {amount}")
                lines.append(f'    @ src "revenue of company {c} was large"  # generated')
            else:
                lines.append(f"partner(C{c}, C{rng.randrange(COMPANIES)})")
                lines.append("    @ src")
            lines.append("")
            made += 1
        (folder / f"part{n:04d}.fact").write_text("\n".join(lines), encoding="utf-8")


def best(run: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time of ``repeat`` runs of ``run`` (the least disturbed one), with the GC paused."""
    least = float("inf")
    for _ in range(repeat):
        with paused_gc():
            start = time.process_time()
            run()
            least = min(least, time.process_time() - start)
    return least


def fact_files(root: Path) -> list[Path]:
    """The generated project's fact files."""
    return sorted((root / "facts").glob("*.fact"))


def floor(paths: list[Path]) -> float:
    """Reading every file, decoding it and splitting its lines: less than any parse can do."""
    return best(lambda: [p.read_bytes().decode("utf-8").split("\n") for p in paths])


def measure_parse(root: Path) -> dict[str, float]:
    """Seconds to parse the project's part files: fast path (``parse``), Lark alone, and the floor."""
    paths = [p for p in fact_files(root) if p.name.startswith("part")]
    texts = [(str(p), p.read_bytes()) for p in paths]
    decoded = [(name, data.decode("utf-8")) for name, data in texts]
    parse("kind Warm", "warm")  # build both parsers outside the timing
    parse_with_lark("kind Warm", "warm")
    return {
        "fast": best(lambda: [parse(data, name) for name, data in texts]),
        "lark": best(lambda: [parse_with_lark(text, name) for name, text in decoded]),
        "floor": floor(paths),
    }


def measure_cache(root: Path) -> dict[str, float]:
    """Seconds to write and read the parse cache entries of the part files, against parsing them.

    As the loader stores them (plain tuple rows) and as attrs pickles of the nodes.
    """
    paths = [p for p in fact_files(root) if p.name.startswith("part")]
    datas = [(str(p), p.read_bytes()) for p in paths]
    parsed = [parse(data, name) for name, data in datas]
    keys = [cache.key(name, data) for name, data in datas]
    out = {"parse": best(lambda: [parse(data, name) for name, data in datas])}
    rows = cache_round_trip(keys, parsed, to_rows, from_rows)
    nodes = cache_round_trip(keys, parsed, lambda p: p, lambda p: p)
    if rows is None or nodes is None:  # no signing key here: the cache is off
        return {}
    out["put rows"], out["get rows"] = rows
    out["put attrs"], out["get attrs"] = nodes
    return out


def cache_round_trip(
    keys: list[str],
    parsed: list[ParsedFile],
    encode: Callable[[ParsedFile], object],
    decode: Callable[[Any], ParsedFile],
) -> tuple[float, float] | None:
    """Seconds to write every entry, and to read every entry back (None if the cache is off)."""
    with tempfile.TemporaryDirectory() as folder:
        cache_dir = Path(folder)

        def write() -> None:
            for k, p in zip(keys, parsed, strict=True):
                cache.put(cache_dir, k, encode(p))

        def read() -> list[ParsedFile | None]:
            found = [cache.get(cache_dir, k, object) for k in keys]
            return [decode(f) if f is not None else None for f in found]

        put = best(write)
        if any(g is None for g in read()):
            return None
        return put, best(read)


def measure_load(root: Path) -> dict[str, float]:
    """Seconds for a cold load (no parse cache), a warm one (the cache filled), and the floor."""
    paths = fact_files(root)
    config = Config(root=root, facts=("facts",), cache=None)
    load_project(config)  # imports and the parser's tables outside the timing
    # Once each: a load of 100k facts takes long enough to be timed alone.
    cold = best(lambda: load_project(config), repeat=1)
    cached = Config(root=root, facts=("facts",), cache=".factlang_cache")
    filling = best(lambda: load_project(cached), repeat=1)  # the cache's first run writes it
    warm = best(lambda: load_project(cached), repeat=1)
    return {"cold": cold, "filling": filling, "warm": warm, "floor": floor(paths)}


def rows() -> list[tuple[str, str, str]]:
    """The lines of ``make bench``'s table: (measure, value, target), on 20,000 facts."""
    with scratch_project("factlang-bench-") as root:
        generate(root, PARSE_FACTS, PARSE_FACTS // 200)
        p = measure_parse(root)
        load = measure_load(root)
    n = PARSE_FACTS
    return [
        (
            "parse, 20k facts: fast path vs Lark",
            f"{n / p['fast']:,.0f} vs {n / p['lark']:,.0f} facts/s ({p['lark'] / p['fast']:.1f}x)",
            "-",
        ),
        ("parse, 20k facts: fast path vs floor (read + split lines)", f"{p['fast'] / p['floor']:.1f}x", "-"),
        (
            "cold load (parse + static checks), 20k facts, vs floor",
            f"{load['cold'] / load['floor']:.0f}x (parse {p['fast'] / load['cold']:.0%} of it)",
            "-",
        ),
        (
            "cold load filling the parse cache, 20k facts, vs floor",
            f"{load['filling'] / load['floor']:.0f}x; warm {load['warm'] / load['floor']:.0f}x",
            "-",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--facts", type=int, default=100_000)
    args.add_argument("--files", type=int, default=100)
    args.add_argument("--keep", action="store_true", help="keep the generated project")
    opts = args.parse_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with scratch_project("factlang-bench-", keep=opts.keep) as root:
        generate(root, PARSE_FACTS, PARSE_FACTS // 200)
        p = measure_parse(root)
        c = measure_cache(root)
    n = PARSE_FACTS
    print(f"cores: {cores}; CPU seconds, best of 3")
    print(f"parse, {n:,} facts in {n // 200} files, one core:")
    print(f"  fast path: {n / p['fast']:>10,.0f} facts/s  {p['fast'] / p['floor']:5.1f}x floor")
    print(f"  Lark:      {n / p['lark']:>10,.0f} facts/s  {p['lark'] / p['floor']:5.1f}x floor")
    print(f"  floor:     {n / p['floor']:>10,.0f} facts/s  (read, decode, split lines)")
    print(f"  fast path / Lark: {p['lark'] / p['fast']:.1f}x faster")
    if c:
        print("parse cache, same files (CPU seconds):")
        print(f"  as rows (the loader's):  write {c['put rows']:.3f}  read {c['get rows']:.3f}")
        print(f"  as attrs pickles:        write {c['put attrs']:.3f}  read {c['get attrs']:.3f}")
        print(f"  parsing again:           {c['parse']:.3f}")
    with scratch_project("factlang-bench-", keep=opts.keep) as root:
        generate(root, opts.facts, opts.files)
        load = measure_load(root)
        print(f"load, {opts.facts:,} facts in {opts.files} files (parse + static checks):")
        print(f"  cold (no parse cache): {load['cold']:.2f} s  {load['cold'] / load['floor']:.1f}x floor")
        filling = load["filling"]
        print(f"  cold, filling the cache: {filling:.2f} s  {filling / load['floor']:.1f}x floor")
        print(f"  warm (parse cache):    {load['warm']:.2f} s  {load['warm'] / load['floor']:.1f}x floor")
        print(f"  floor (read + split lines): {load['floor']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
