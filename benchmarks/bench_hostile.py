"""Hostile source text: seconds per MB for every pass over it, against ordinary prose.

Every pass the verifier makes over a source text (folding, the offset map,
sentence splitting, quantity extraction per sentence and over the whole
text, locating a quote) must be linear with a small constant (issue 10
item 2): at most about 1 s per MB whatever the shape of the text. This
script builds a text of ``--size`` bytes for each shape below, times the
passes, and prints seconds per MB and the ratio to ordinary article text
measured in the same run (the floor).

Run: ``python benchmarks/bench_hostile.py [--size BYTES] [--only NAME ...]``.
A quadratic shape shows as s/MB growing with ``--size``; compare two sizes.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from factlang.verify.locate import locate
from factlang.verify.quantities import extract
from factlang.verify.text import Document

ARTICLE = (
    "Apple will work with Chinese tech giant Alibaba to roll out AI services in the world's biggest "
    "market for mobile phones. Shares of Alibaba rose 7.8% to HK$113.10 on Thursday, equivalent to "
    "$14.53, while Baidu fell 4.5%. In 2023, Apple was the top seller in the country with 19% of "
    "market share; revenue from Greater China fell 11% to $18.5 billion in the quarter ended "
    "December 28.\nAnalysts said the results were broadly in line with expectations.\n\n"
)

#: name -> the repeated unit (a text is the unit repeated to the size).
SHAPES: dict[str, str] = {
    "123 ": "123 ",
    "aA": "aA",
    ".": ".",
    "usersThe": "usersThe",
    "1-": "1-",
    "(1": "(1",
    "1 to 2 to 3 to": "1 to 2 to 3 to ",
    "digits+nbsp": "1\u00a0",
    "digits+soft hyphen": "1\u00ad",
    "1,": "1,",
    "$1 ": "$1 ",
    "1.": "1.",
    "Jan 1 ": "Jan 1 ",
    "more than ": "more than ",
    "rose 1% and ": "rose 1% and ",
    "A. ": "A. ",
    "\\n": "\n",
    "x\\n": "x\n",
    "...": "... ",
    "[…]": "[…] ",
    "word ": "word ",
    "1 000 ": "1 000 ",
    "two-thirds ": "two-thirds ",
}


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _passes(text: str) -> None:
    doc = Document(text)
    _ = doc.folded
    doc.to_original(0, len(doc.folded))
    for start, end in doc.sentences:
        extract(text[start:end])
    extract(text)
    quote = text[len(text) // 2 : len(text) // 2 + 60]
    if quote.strip():
        locate(quote, doc)


def _seconds(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    """Print s/MB for each shape and its ratio to ordinary article text."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200_000, help="bytes of text per shape")
    parser.add_argument("--only", nargs="*", help="shape names to run")
    args = parser.parse_args()
    mb = args.size / 1_000_000
    floor = min(_seconds(lambda: _passes(_text(ARTICLE, args.size))) for _ in range(3)) / mb
    print(f"{'shape':<22} {'s/MB':>8} {'x floor':>8}")
    print(f"{'article (floor)':<22} {floor:8.3f} {1:8.1f}")
    worst = 0.0
    for name, unit in SHAPES.items():
        if args.only and name not in args.only:
            continue
        text = _text(unit, args.size)
        per_mb = _seconds(lambda text=text: _passes(text)) / mb  # type: ignore[misc]
        worst = max(worst, per_mb)
        print(f"{name!r:<22} {per_mb:8.3f} {per_mb / floor:8.1f}")
    print(f"worst: {worst:.3f} s/MB ({worst / floor:.1f}x the floor)")


if __name__ == "__main__":
    main()
