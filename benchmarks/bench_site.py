"""Site size and speed: the pages of a generated fact base, and optionally the MkDocs build.

Generates the same project as ``bench_verify.py`` (``--sources`` sources,
default 2,000; ``--facts`` facts, default 20,000), verifies it once, then
times :func:`factlang.render.site.build_pages` plus writing the pages
(``site``), and reports the pages' total size and the largest page. With
``--mkdocs`` it also runs ``mkdocs build`` with the ``factlang`` plugin and
reports the HTML site's time, size and largest page.

The floor is the time to read every source and write it out again once, as
plain pages: the least any site of the sources can cost. Targets (issue 14):
a site build of 20k facts in <= 30 s, <= 150 MB, no page over 1 MB.
Run: ``python benchmarks/bench_site.py [--sources N] [--facts M] [--mkdocs]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from _scratch import scratch_project
from bench_verify import generate

from factlang.config import load_config
from factlang.loader import load_project
from factlang.render.site import write_pages
from factlang.verify import verify

MKDOCS_YML = """\
site_name: Bench
theme:
  name: material
  font: false
plugins:
  - search
  - factlang:
      failures: info
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc
"""


def tree_size(folder: Path, suffix: str) -> tuple[int, int, int, str]:
    """Total bytes of every file, how many ``suffix`` pages, the largest page's bytes and path."""
    total, pages, largest, name = 0, 0, 0, ""
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.name.endswith(suffix):
            pages += 1
            if size > largest:
                largest, name = size, path.relative_to(folder).as_posix()
    return total, pages, largest, name


def floor(root: Path, out: Path) -> float:
    """Read every source and write it out as one page each: the least a site can cost."""
    start = time.perf_counter()
    out.mkdir()
    for path in sorted((root / "sources").iterdir()):
        (out / f"{path.stem}.md").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return time.perf_counter() - start


def mkdocs_build(root: Path) -> float:
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Bench\n\nThe [facts](facts/index.md).\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    return time.perf_counter() - start


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--sources", type=int, default=2000)
    args.add_argument("--facts", type=int, default=20_000)
    args.add_argument("--mkdocs", action="store_true", help="also time a real `mkdocs build`")
    args.add_argument("--keep", action="store_true")
    opts = args.parse_args(argv)
    with scratch_project("factlang-site-bench-", keep=opts.keep) as root:
        generate(root, opts.sources, opts.facts)
        base = floor(root, root / "floor")
        config = load_config(root)
        start = time.perf_counter()
        report = verify(load_project(config), root=config.root)
        checked = time.perf_counter() - start
        start = time.perf_counter()
        write_pages(report, root / "pages")
        built = time.perf_counter() - start
        total, pages, largest, name = tree_size(root / "pages", ".md")
        print(f"sources: {opts.sources}, facts: {opts.facts}")
        print(f"floor (read + write every source once): {base:.2f} s")
        print(f"load + verify (not part of the site):   {checked:.2f} s")
        print(f"site pages (build_pages + write):       {built:.2f} s  ({built / base:.1f}x the floor)")
        print(f"  {pages} pages, {mb(total)} in all, largest {mb(largest)} ({name})")
        if opts.mkdocs:
            elapsed = mkdocs_build(root)
            total, pages, largest, name = tree_size(root / "site", ".html")
            print(f"mkdocs build (load, verify, pages, HTML, search index): {elapsed:.2f} s")
            print(f"  {pages} HTML pages, {mb(total)} in all, largest {mb(largest)} ({name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
