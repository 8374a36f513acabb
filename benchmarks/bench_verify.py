"""Verification speed: `factlang check` against a bare floor, in one run.

Generates ``--sources`` source texts (default 2,000) and ``--facts`` facts
(default 20,000) whose quotes are taken from those sources, then times:

- ``floor``: only read every source, normalise it the way the verifier does
  (:func:`factlang.verify.text.fold`) and find each quote with ``str.find``;
- ``check``: ``factlang check`` (text output) on the project, in this process: with
  empty caches, with ``--no-cache`` (in the processes it chooses, then in one), with
  warm caches and other arguments (parse and results caches), and unchanged (a replay
  from the run cache); output discarded.

Prints both and their ratio; ``--profile`` adds where the time goes.
Run: ``python benchmarks/bench_verify.py [--sources N] [--facts M]``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

from _scratch import scratch_project

from factlang.cli import main as cli_main
from factlang.verify.text import fold

FILLER = [
    "Analysts said the results were broadly in line with expectations.",
    "The company did not immediately respond to a request for comment.",
    "Shares of rivals were little changed in early trading.",
    "Regulators have not said when a decision is expected.",
    "The chief executive told investors the outlook remained uncertain.",
    "Competition from local brands has intensified over the past year.",
]


def sentence(rng: random.Random, company: int, region: int, year: int) -> tuple[str, str, str]:
    """A sentence stating a share, the fact's value and the quote to cite."""
    whole, tenth = rng.randrange(1, 60), rng.randrange(10)
    quote = f"Company{company} posted a market share of {whole}.{tenth}% in Region{region} in {year}"
    text = f"{quote}, according to industry data."
    return text, f"{whole}.{tenth}%", quote + f"|{year}"


def generate(root: Path, sources: int, facts: int, seed: int = 11) -> list[tuple[str, int]]:
    """Write the project; returns each fact's quote and the index of the source it cites."""
    rng = random.Random(seed)
    (root / "pyproject.toml").write_text(
        "[tool.factlang]\nfacts = ['facts']\nsources = ['sources']\n", encoding="utf-8"
    )
    (root / "sources").mkdir()
    (root / "facts").mkdir()
    per_source: list[list[tuple[str, str, int, int]]] = []
    # Every stated share has its own key, so no two facts conflict; more
    # companies when the sources state more shares than 200 can hold.
    companies = max(200, -(-sources * 30 // 500))
    keys = [(c, r, y) for c in range(companies) for r in range(20) for y in range(2000, 2025)]
    rng.shuffle(keys)
    for n in range(sources):
        parts: list[str] = []
        stated: list[tuple[str, str, int, int]] = []
        for _ in range(30):
            if rng.random() < 0.5:
                company, region, year = keys.pop()
                text, value, quote = sentence(rng, company, region, year)
                stated.append((value, quote, company, region))
                parts.append(text)
            else:
                parts.append(rng.choice(FILLER))
        (root / "sources" / f"s{n:05d}.txt").write_text(" ".join(parts) + "\n", encoding="utf-8")
        per_source.append(stated)
    decls = ["kind Company", "kind Region"]
    decls += [f"entity Company{i}: Company" for i in range(companies)]
    decls += [f"entity Region{i}: Region" for i in range(20)]
    decls.append("predicate share(company: Company, market: Region, year: Year) -> Percent")
    (root / "facts" / "common.fact").write_text("\n".join(decls) + "\n", encoding="utf-8")
    quotes: list[tuple[str, int]] = []
    files = max(1, facts // 1000)
    lines: list[list[str]] = [['use "common.fact"'] for _ in range(files)]
    for i in range(facts):
        src = rng.randrange(sources)
        while not per_source[src]:
            src = rng.randrange(sources)
        value, quote_year, company, region = rng.choice(per_source[src])
        quote, _, year_text = quote_year.partition("|")
        quotes.append((quote, src))
        lines[i % files].append(
            f'share(Company{company}, Region{region}, {year_text}) = {value}\n    @ s{src:05d} "{quote}"'
        )
    for n, body in enumerate(lines):
        (root / "facts" / f"part{n:03d}.fact").write_text("\n".join(body) + "\n", encoding="utf-8")
    return quotes


def floor_exact(root: Path, quotes: list[tuple[str, int]]) -> float:
    """The floor: read, normalise, and find each quote in the source it cites."""
    start = time.perf_counter()
    folded = [fold(p.read_text(encoding="utf-8")) for p in sorted((root / "sources").iterdir())]
    hits = sum(folded[s].find(fold(q)) >= 0 for q, s in quotes)
    elapsed = time.perf_counter() - start
    assert hits == len(quotes), "every generated quote is in its source"
    return elapsed


def check(root: Path, profile: bool = False, argv: tuple[str, ...] = ("check",)) -> float:
    """Run `factlang check` in this process; return its wall time."""
    cwd = Path.cwd()
    os.chdir(root)
    try:
        sink = io.StringIO()
        prof = cProfile.Profile() if profile else None
        start = time.perf_counter()
        with contextlib.redirect_stdout(sink):
            if prof is not None:
                prof.enable()
            code = cli_main(list(argv))
            if prof is not None:
                prof.disable()
        elapsed = time.perf_counter() - start
    finally:
        os.chdir(cwd)
    assert code == 0, f"check failed with {code}: {sink.getvalue()[:2000]}"
    if prof is not None:
        stats = pstats.Stats(prof, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(25)
    return elapsed


def rows(sources: int = 2000, facts: int = 20_000) -> list[tuple[str, str, str]]:
    """The row of the issue's table: (measure, value with its floor, target)."""
    with scratch_project("factlang-verify-bench-") as root:
        quotes = generate(root, sources, facts)
        base = floor_exact(root, quotes)
        cold = check(root, argv=("check", "--no-cache"))
        one = check(root, argv=("check", "--no-cache", "--jobs", "1"))
    value = (
        f"{cold / base:.1f}x ({cold:.2f} s; one process {one / base:.1f}x; "
        f"floor {base:.2f} s: read + normalise + str.find)"
    )
    return [(f"cold check, {facts // 1000}k facts / {sources // 1000}k sources, vs floor", value, "<= 3x")]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--sources", type=int, default=2000)
    args.add_argument("--facts", type=int, default=20_000)
    args.add_argument("--profile", action="store_true")
    args.add_argument("--keep", action="store_true")
    opts = args.parse_args(argv)
    with scratch_project("factlang-verify-bench-", keep=opts.keep) as root:
        quotes = generate(root, opts.sources, opts.facts)
        base = floor_exact(root, quotes)
        cold = check(root)
        # --no-cache: parse and verify everything again, in as many processes as it decides.
        fresh = check(root, argv=("check", "--no-cache"))
        single = check(root, argv=("check", "--no-cache", "--jobs", "1"))
        # Other arguments are another run: the run cache misses, the parse and results caches hit.
        warm = check(root, profile=opts.profile, argv=("check", "facts"))
        replay = check(root, argv=("check", "facts"))
        print(f"sources: {opts.sources}, facts: {opts.facts}")
        print(f"floor (read + normalise + str.find):     {base:.2f} s")
        for label, took in (
            ("empty caches (fills them)", cold),
            ("--no-cache", fresh),
            ("--no-cache --jobs 1", single),
            ("warm caches, other arguments", warm),
        ):
            print(f"factlang check, {label + ':':<30} {took:.2f} s  ({took / base:.1f}x the floor)")
        print(f"factlang check, {'unchanged (replay):':<30} {replay:.3f} s  ({replay / base:.2f}x the floor)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
