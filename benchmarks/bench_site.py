"""Site size and speed: ``mkdocs build`` of a generated fact base, against a bare build of as many pages.

Generates the same project as ``bench_verify.py`` (``--sources`` sources,
default 2,000; ``--facts`` facts, default 20,000) and builds its site with
MkDocs (theme material, the search plugin and the ``factlang`` plugin),
then reports the build's time (wall clock and the CPU time of the build
process), the site's total size and its largest HTML page.

The floor, measured in the same run: ``mkdocs build`` of a site with the
same theme and search plugin and as many trivial pages (one heading and a
line each, outside the nav like the generated pages), the least MkDocs
itself costs for that many pages. The check alone (load and verify, in this
process) is timed too: a site build includes one, which a cache of checked
results can replace.

No page may grow with the fact base: :func:`largest_pages` generates a
base of ``--many`` sources and as many entities (default 20,000 each, with
as many facts) and builds its pages in this process (no MkDocs: a build of
40,000 pages would take minutes), then reports the largest page's content
(the theme adds the same few tens of KB to every page) and the largest index
page's. The index pages of sources, entities, predicates and conflicts are
paginated like the fact tables, so their size does not depend on the count.

Targets (issue 14): a site of 20k facts built in <= 30 s, <= 150 MB in all,
no page over 1 MB. :func:`rows` gives them as (measure, value, target) for
``make bench``. Run: ``python benchmarks/bench_site.py [--sources N] [--facts M]
[--many K] [--markdown]`` (``--markdown`` also times ``factlang site``'s
Markdown pages).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import attrs
from _scratch import scratch_project
from bench_verify import generate

from factlang.config import load_config
from factlang.loader import load_project
from factlang.render.site import build_html_pages, read_sources, write_pages
from factlang.verify import verify

THEME = """\
theme:
  name: material
  font: false
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc
"""
MKDOCS_YML = f"""\
site_name: Bench
{THEME}plugins:
  - search
  - factlang:
      failures: info
nav:
  - index.md
  - facts/index.md
"""
FLOOR_YML = f"""\
site_name: Floor
{THEME}plugins:
  - search
nav:
  - index.md
"""
TARGET_SECONDS = 30.0
TARGET_TOTAL = 150e6
TARGET_PAGE = 1e6


@attrs.frozen
class Build:
    """One ``mkdocs build``: wall-clock and CPU seconds, total bytes, HTML pages, the largest."""

    wall: float
    cpu: float
    total: int
    pages: int
    largest: int
    largest_name: str
    search_index: int


@attrs.frozen
class Pages:
    """The generated pages of a base of many sources and entities: how many, the largest two."""

    sources: int
    entities: int
    pages: int
    largest: int
    largest_name: str
    largest_index: int
    largest_index_name: str


@attrs.frozen
class Result:
    """What one run measured."""

    sources: int
    facts: int
    generated_pages: int
    check: float
    site: Build
    floor: Build
    markdown: tuple[float, int, int] | None = None  # seconds, bytes, largest page


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


def mkdocs_build(root: Path) -> Build:
    """``mkdocs build`` in ``root`` (a subprocess): its wall-clock and CPU time, and the site's sizes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    total, pages, largest, name = tree_size(root / "site", ".html")
    index = root / "site" / "search" / "search_index.json"
    return Build(wall, cpu, total, pages, largest, name, index.stat().st_size if index.exists() else 0)


def floor_build(root: Path, pages: int) -> Build:
    """A bare site of ``pages`` trivial pages besides its home page: what MkDocs costs for that many."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Floor\n\nA page.\n", encoding="utf-8")
    for i in range(pages):
        folder = docs / f"d{i // 500}"
        folder.mkdir(exist_ok=True)
        (folder / f"p{i}.md").write_text(f"# Page {i}\n\nThe text of page {i}.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(FLOOR_YML, encoding="utf-8")
    return mkdocs_build(root)


def measure(
    sources: int = 2000, facts: int = 20_000, *, markdown: bool = False, keep: bool = False
) -> Result:
    """Generate the project, build its site and the floor, and return what was measured."""
    with scratch_project("factlang-site-bench-", keep=keep) as root:
        project = root / "project"
        project.mkdir()
        generate(project, sources, facts)
        config = load_config(project)
        start = time.process_time()  # CPU: comparable with the build's CPU time
        report = verify(load_project(config), root=config.root)
        check = time.process_time() - start
        texts, _ = read_sources(report, project)
        generated = len(build_html_pages(report, texts))
        md_result = None
        if markdown:
            start = time.perf_counter()
            write_pages(report, root / "pages")
            elapsed = time.perf_counter() - start
            total, _, largest, _ = tree_size(root / "pages", ".md")
            md_result = (elapsed, total, largest)
        del report, texts
        (project / "docs").mkdir()
        (project / "docs" / "index.md").write_text(
            "# Bench\n\nThe [facts](facts/index.md).\n", encoding="utf-8"
        )
        (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        site = mkdocs_build(project)
        floor = floor_build(root / "floor", generated)
        return Result(sources, facts, generated, check, site, floor, md_result)


def largest_pages(many: int = 20_000) -> Pages:
    """Generate ``many`` sources, entities and facts, build the HTML pages, and find the largest.

    The sizes are characters of a page's content (:attr:`HtmlPage.size
    <factlang.render.site.writer.HtmlPage.size>`), before the theme wraps it.
    """
    with scratch_project("factlang-site-pages-") as root:
        generate(root, many, many)
        # As many entities as sources (the generated base has a few hundred), each with
        # aliases, on the entities' index. Declared in a file of their own.
        extra = ['use "common.fact"']
        extra += [f'entity Firm{i}: Company aka "Firm {i} Holdings", "Firm {i} Group"' for i in range(many)]
        (root / "facts" / "entities.fact").write_text("\n".join(extra) + "\n", encoding="utf-8")
        config = load_config(root)
        report = verify(load_project(config), root=config.root)
        texts, _ = read_sources(report, root)
        pages = build_html_pages(report, texts)
        sizes = {path: page.size for path, page in pages.items()}
        indexes = {  # the sections' indexes and the conflicts, with their further pages
            path: size
            for path, size in sizes.items()
            if path.endswith("/index.md") or "/index/" in path or path.startswith("conflicts")
        }
        name = max(sizes, key=sizes.__getitem__)
        index = max(indexes, key=indexes.__getitem__)
        return Pages(
            len(report.base.sources),
            len(report.base.entities),
            len(pages),
            sizes[name],
            name,
            indexes[index],
            index,
        )


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def kb(n: float) -> str:
    return f"{n / 1e3:.0f} KB"


def rows(result: Result | None = None, pages: Pages | None = None) -> list[tuple[str, str, str]]:
    """The issue's table rows for the site: (measure, value, target); runs the benchmarks if needed."""
    r = result or measure()
    many = pages or largest_pages()
    site, floor = r.site, r.floor
    k = f"{r.facts // 1000}k" if r.facts >= 1000 else str(r.facts)
    return [
        (
            f"site of {k} facts: mkdocs build time",
            f"{site.wall:.1f} s, {site.cpu:.1f} s CPU ({site.cpu / floor.cpu:.1f}x the CPU of a bare build "
            f"of {floor.pages} pages, {floor.cpu:.1f} s; the check is about {r.check:.1f} s of it)",
            f"<= {TARGET_SECONDS:.0f} s",
        ),
        (
            f"site of {k} facts: total size",
            f"{mb(site.total)} ({mb(floor.total)} for the bare build)",
            f"<= {mb(TARGET_TOTAL)}",
        ),
        (
            f"site of {k} facts: largest page",
            f"{mb(site.largest)} ({site.largest_name})",
            f"<= {mb(TARGET_PAGE)}",
        ),
        (
            f"pages of {many.sources:,} sources and {many.entities:,} entities: largest page",
            f"{mb(many.largest)} of content ({many.largest_name}); largest index page "
            f"{kb(many.largest_index)} ({many.largest_index_name})",
            f"<= {mb(TARGET_PAGE)}",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--sources", type=int, default=2000)
    args.add_argument("--facts", type=int, default=20_000)
    args.add_argument("--many", type=int, default=20_000, help="sources and entities for the largest page")
    args.add_argument("--markdown", action="store_true", help="also time `factlang site`'s Markdown pages")
    args.add_argument("--keep", action="store_true")
    opts = args.parse_args(argv)
    r = measure(opts.sources, opts.facts, markdown=opts.markdown, keep=opts.keep)
    many = largest_pages(opts.many)
    site, floor = r.site, r.floor
    print(f"sources: {r.sources}, facts: {r.facts}, generated pages: {r.generated_pages}")
    print(f"check (load + verify, in process):  {r.check:6.2f} s CPU")
    print(
        f"floor: bare mkdocs build, {floor.pages} trivial pages: {floor.wall:6.2f} s, "
        f"{floor.cpu:6.2f} s CPU, {mb(floor.total)}"
    )
    print(
        f"site:  mkdocs build with factlang:   {site.wall:6.2f} s, {site.cpu:6.2f} s CPU "
        f"({site.cpu / floor.cpu:.1f}x the floor's CPU; about {site.cpu - r.check:.1f} s without the check)"
    )
    print(
        f"  {site.pages} HTML pages, {mb(site.total)} in all, largest {mb(site.largest)} "
        f"({site.largest_name}), search index {mb(site.search_index)}"
    )
    if r.markdown is not None:
        elapsed, total, largest = r.markdown
        print(f"factlang site (Markdown pages): {elapsed:.2f} s, {mb(total)} in all, largest {mb(largest)}")
    print(
        f"pages of {many.sources} sources and {many.entities} entities: {many.pages} pages, largest "
        f"{mb(many.largest)} ({many.largest_name}), largest index {kb(many.largest_index)} "
        f"({many.largest_index_name})"
    )
    print()
    for measure_, value, target in rows(r, many):
        print(f"{measure_}: {value}  [target {target}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
