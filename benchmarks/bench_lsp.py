"""Language-server latency: from a ``didChange`` to its ``publishDiagnostics``, over stdio.

Starts ``factlang lsp`` with a real client (tests/lsp_client.py) and, for
each fact base, opens one fact file, then types into it: each edit changes
one fact's value near the end of the file. Two latencies per edit:

- ``static``: until the diagnostics of the parse and the static checks (the
  first publish for the new version);
- ``verified``: until the verdicts (the next publish for that version); it
  includes the debounce delay, which is reported separately.

A hover's round trip is reported too: the part of every latency that is
the protocol, the pipes and the scheduler, not the work.

Fact bases: the seed base (facts/ and seeds/), a generated 1,000-line file
and a generated 20,000-fact file. The floor, measured in the same run, is
an in-process :func:`factlang.parse` of the same text; ratios are to it.
Targets (issue 13): static under 100 ms for a 1,000-line file, verified under
1 s after typing stops.

Run: ``python benchmarks/bench_lsp.py [--edits N] [--facts M]``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

from _scratch import scratch_project
from bench_verify import FILLER, sentence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factlang import parse  # noqa: E402 - after the path is set for tests.lsp_client
from tests.lsp_client import LspClient  # noqa: E402

DELAY = 0.3  # the server's debounce, set explicitly below


def generated(root: Path, facts: int, sources: int = 200, seed: int = 13) -> Path:
    """A project with one fact file of ``facts`` two-line facts; returns that file."""
    rng = random.Random(seed)
    (root / "pyproject.toml").write_text(
        "[tool.factlang]\nfacts = ['facts']\nsources = ['sources']\n", "utf-8"
    )
    (root / "sources").mkdir()
    (root / "facts").mkdir()
    keys = [(c, r, y) for c in range(200) for r in range(20) for y in range(2000, 2025)]
    rng.shuffle(keys)
    stated: list[list[tuple[str, str, int, int, int]]] = []
    for n in range(sources):
        parts, found = [], []
        for _ in range(40):
            if rng.random() < 0.6:
                company, region, year = keys.pop()
                text, value, quote = sentence(rng, company, region, year)
                found.append((value, quote.partition("|")[0], company, region, year))
                parts.append(text)
            else:
                parts.append(rng.choice(FILLER))
        (root / "sources" / f"s{n:04d}.txt").write_text(" ".join(parts) + "\n", "utf-8")
        stated.append(found)
    lines = ["kind Company", "kind Region"]
    lines += [f"entity Company{i}: Company" for i in range(200)]
    lines += [f"entity Region{i}: Region" for i in range(20)]
    lines += ["predicate share(company: Company, market: Region, year: Year) -> Percent", ""]
    for _ in range(facts):
        src = rng.randrange(sources)
        value, quote, company, region, year = rng.choice(stated[src])
        lines.append(f'share(Company{company}, Region{region}, {year}) = {value}\n    @ s{src:04d} "{quote}"')
    path = root / "facts" / "all.fact"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def seed_base(root: Path) -> Path:
    """A copy of the project's own fact base; returns its largest fact file."""
    shutil.copytree(ROOT / "facts", root / "facts")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "pyproject.toml").write_text("[tool.factlang]\nfacts = ['facts']\nsources = ['seeds']\n", "utf-8")
    return root / "facts" / "ai_models.fact"


def floor(text: str) -> float:
    """Best of three in-process parses of the text."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        parse(text)
        best = min(best, time.perf_counter() - start)
    return best


def edited(text: str, n: int) -> str:
    """The text with one value near the end changed (a different one each time)."""
    at = text.rfind(" = ", 0, len(text) - 10 * n - 1)
    end = text.index("\n", at)
    return f"{text[: at + 3]}{n + 1}%{text[end:]}" if text[at + 3 : end].endswith("%") else text + f"# {n}\n"


def measure(name: str, root: Path, path: Path, edits: int) -> None:
    text = path.read_text("utf-8")
    client = LspClient(root, {"FACTLANG_LSP_DELAY": str(DELAY)})
    try:
        client.initialize(root)
        uri = path.as_uri()
        start = time.perf_counter()
        client.open(path, text)
        client.diagnostics(uri, version=1, timeout=600)
        opened = time.perf_counter() - start
        client.diagnostics(uri, version=1, timeout=600)
        opened_verified = time.perf_counter() - start
        # The floor of a round trip through the server: a hover on the first line.
        trips: list[float] = []
        for _ in range(5):
            start = time.perf_counter()
            client.request(
                "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}
            )
            trips.append(time.perf_counter() - start)
        static: list[float] = []
        verified: list[float] = []
        for n in range(edits):
            new = edited(text, n)
            version = n + 2
            start = time.perf_counter()
            client.change(uri, new, version)
            client.diagnostics(uri, version=version, timeout=600)
            static.append(time.perf_counter() - start)
            client.diagnostics(uri, version=version, timeout=600)
            verified.append(time.perf_counter() - start)
    finally:
        client.shutdown()
    base = floor(text)
    lines = text.count("\n") + 1
    facts = len(parse(text).facts)
    s, v = statistics.median(static), statistics.median(verified)
    print(f"{name}: {lines} lines, {facts} facts in the file")
    print(f"  open: static {opened * 1000:.0f} ms, verified {opened_verified * 1000:.0f} ms")
    print(f"  edit (median of {edits}): static {s * 1000:.0f} ms, verified {v * 1000:.0f} ms")
    print(
        f"  verified after typing stops (minus the {DELAY * 1000:.0f} ms debounce): "
        f"{(v - DELAY) * 1000:.0f} ms"
    )
    print(f"  floor (parse in process) {base * 1000:.1f} ms; static / floor = {s / base:.1f}")
    print(f"  a round trip (hover) {statistics.median(trips) * 1000:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--edits", type=int, default=5)
    args.add_argument("--facts", type=int, default=20000)
    ns = args.parse_args(argv)
    with scratch_project("factlang-bench-lsp-seed-") as root:
        measure("seed base", root, seed_base(root), ns.edits)
    with scratch_project("factlang-bench-lsp-1k-") as root:
        measure("1,000-line file", root, generated(root, 390), ns.edits)
    with scratch_project("factlang-bench-lsp-20k-") as root:
        measure(f"{ns.facts:,}-fact file", root, generated(root, ns.facts), ns.edits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
