"""No cliffs (issue 14 item 5): many aliases, and drifted quotes in huge sources.

Two rows, each against a floor measured in the same run:

- entities: verifying a base of 5,000 entities with 30 aliases each, against
  the same facts and sources with no aliases (the floor). The base is loaded
  once and the aliases added to its entities, so the row measures the
  verifier, not the parser.
- drifted quote: locating a quote with two words changed in a 20 MB source,
  against the same kind of quote in a 5 KB source (the floor). Each document
  is folded and indexed before the clock starts: that is once per document,
  whatever the number of its citations (its cost is printed too).

Run: ``python benchmarks/bench_cliffs.py``; ``rows()`` gives the rows for
``make bench``'s table.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import attrs
from _scratch import scratch_project

from factlang.loader import load
from factlang.verify import verify
from factlang.verify.locate import locate
from factlang.verify.text import Document

ENTITIES = 5_000
ALIASES = 30
WORDS = [
    *("north", "south", "east", "west", "global", "united", "first", "national", "pacific", "atlantic"),
    *("royal", "digital", "capital", "metro", "analysts", "said", "results", "were", "broadly", "line"),
    *("with", "expectations", "company", "did", "not", "immediately", "respond", "request", "comment"),
    *("shares", "rivals", "little", "changed", "early", "trading", "regulators", "have", "when"),
]


def _project(root: Path, facts: int, sources: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    (root / "pyproject.toml").write_text(
        "[tool.factlang]\nfacts = ['facts']\nsources = ['sources']\n", encoding="utf-8"
    )
    (root / "sources").mkdir()
    (root / "facts").mkdir()
    decls = ["kind Company", "kind Region"]
    decls += [f"entity Company{i}: Company" for i in range(ENTITIES)]
    decls += [f"entity Region{i}: Region" for i in range(20)]
    decls.append("predicate share(company: Company, market: Region, year: Year) -> Percent")
    lines = ['use "common.fact"']
    per_source: list[list[str]] = [[] for _ in range(sources)]
    for f in range(facts):
        company, region, year = f % ENTITIES, rng.randrange(20), 2000 + f // ENTITIES
        value = f"{rng.randrange(1, 60)}.{rng.randrange(10)}%"
        quote = f"Company{company} posted a market share of {value} in Region{region} in {year}"
        src = rng.randrange(sources)
        per_source[src].append(f"{quote}, according to industry data.")
        lines.append(f'share(Company{company}, Region{region}, {year}) = {value}\n    @ s{src:05d} "{quote}"')
    for n, stated in enumerate(per_source):
        text = " ".join(f"{s} {' '.join(rng.choices(WORDS, k=12)).capitalize()}." for s in stated)
        (root / "sources" / f"s{n:05d}.txt").write_text(text + "\n", encoding="utf-8")
    (root / "facts" / "common.fact").write_text("\n".join(decls) + "\n", encoding="utf-8")
    (root / "facts" / "part.fact").write_text("\n".join(lines) + "\n", encoding="utf-8")


def entity_row(facts: int = 10_000, sources: int = 500, repeat: int = 2) -> tuple[float, float]:
    """Seconds to verify with no aliases and with 30 aliases per entity (best of ``repeat``, interleaved)."""
    with scratch_project("factlang-cliffs-") as root:
        _project(root, facts, sources)
        plain = load(root=root, cache=False)
        rng = random.Random(9)
        entities = {
            name: attrs.evolve(
                e,
                aliases=tuple(
                    f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} Holdings {name}-{k}"
                    for k in range(ALIASES)
                ),
            )
            for name, e in plain.entities.items()
        }
        aliased = attrs.evolve(plain, entities=entities)
        times: dict[str, list[float]] = {"plain": [], "aliased": []}
        for _ in range(repeat):
            for label, base in (("plain", plain), ("aliased", aliased)):
                start = time.perf_counter()
                report = verify(base, root=root)
                times[label].append(time.perf_counter() - start)
                assert all(r.verdict == "supported" for r in report.facts), label
    return min(times["plain"]), min(times["aliased"])


def _prose(rng: random.Random, size: int) -> str:
    """Sentences of words drawn as in real text (Zipf's law: a few common words, many rare ones)."""
    vocabulary = WORDS + [f"term{i}" for i in range(200_000)]
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]
    draws = iter(rng.choices(vocabulary, weights, k=size // 4))
    out: list[str] = []
    total = 0
    while total < size:
        sentence = " ".join(next(draws) for _ in range(rng.randrange(8, 25))).capitalize() + ". "
        out.append(sentence)
        total += len(sentence)
    return "".join(out)[:size]


def _drifted_quotes(rng: random.Random, text: str, n: int) -> list[str]:
    """Passages of about 15 words from the text, with two words changed."""
    quotes = []
    for _ in range(n):
        start = text.index(" ", rng.randrange(len(text) - 400)) + 1
        words = text[start:].split(" ", 16)[:15]
        for i in rng.sample(range(1, 14), 2):
            words[i] = words[i][:-1] + "x" if len(words[i]) > 3 else "zq"
        quotes.append(" ".join(words))
    return quotes


def quote_row(n: int = 20) -> tuple[float, float, float]:
    """Median ms to locate a drifted quote in a 5 KB and a 20 MB source; seconds to prepare the 20 MB one."""
    rng = random.Random(3)
    small, big = Document(_prose(rng, 5_000)), Document(_prose(rng, 20_000_000))
    start = time.perf_counter()
    _ = big.folded, big.blocks  # once per document
    prepare = time.perf_counter() - start
    _ = small.folded
    medians = []
    for doc in (small, big):
        times = []
        for quote in _drifted_quotes(rng, doc.text, n):
            start = time.perf_counter()
            match = locate(quote, doc)
            times.append(time.perf_counter() - start)
            assert match is not None, quote
            assert not match.exact, quote
        medians.append(statistics.median(times) * 1000)
    return medians[0], medians[1], prepare


def rows() -> list[tuple[str, str, str]]:
    """(measure, value, target) for each row, measured now."""
    plain, aliased = entity_row()
    small, big, prepare = quote_row()
    return [
        (
            f"{ENTITIES:,} entities x {ALIASES} aliases vs no aliases (verify)",
            f"{aliased / plain:.2f}x ({aliased:.2f} s vs floor {plain:.2f} s)",
            "<= 1.3x",
        ),
        (
            "drifted quote in a 20 MB source vs a 5 KB source",
            f"{big:.2f} ms vs floor {small:.2f} ms ({big / small:.1f}x; fold + index once: {prepare:.2f} s)",
            "<= 5 ms",
        ),
    ]


def main() -> int:
    for measure, value, target in rows():
        print(f"{measure}: {value}  (target {target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
