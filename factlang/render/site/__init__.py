"""The site: a verified :class:`~factlang.report.Report` as Markdown pages.

:func:`build_pages` is a pure function from a report and the source texts
to a mapping of page paths to page contents; :func:`write_pages` writes
them to a folder (``factlang site --out DIR``) and the MkDocs plugin
(:mod:`factlang.mkdocs_plugin`) adds them to a build without touching the
docs folder. The pages, relative to wherever they are placed::

    index.md                 summary: counts by verdict, a table of every fact
    conflicts.md             conflicts, and every known error (``contradicts``)
    sources/index.md         every source
    sources/<id>.md          one source: metadata, its text with every cited span marked
    entities/index.md        every entity, by kind
    entities/<name>.md       every fact that mentions one entity
    predicates/index.md      every predicate
    predicates/<name>.md     one predicate: a table, a chart over time, each fact in detail
    assets/factlang.css      badge, highlight and chart styles
    assets/factlang.js       makes the fact tables sortable and filterable (optional)

Links go both ways: a fact links to the ``<mark id="q-START-END">`` of
each span it cites, and each mark links to the citations of it
(``#cite-FACT-N``), which link to the fact (``#fact-N`` on its predicate's
page).

Everything that comes from a fact file or a source (text, quotes, titles,
names, paths) goes through :func:`escape`, which turns HTML-significant
and Markdown-significant characters into character references: a source
cannot add markup, script or links to the site, whatever it contains.
The pages use Markdown only for headings, tables, lists and relative
links, and plain HTML elements beyond that, so they need no Markdown
extension beyond tables; the styles read better with mkdocs-material.
"""

from __future__ import annotations

from pathlib import Path

from factlang.diagnostics import Diagnostic, LoadError
from factlang.render.site.assets import ASSETS, CSS, JAVASCRIPT
from factlang.render.site.escape import _url as _url  # the tests check URL linking
from factlang.render.site.escape import escape
from factlang.render.site.pages import build_pages
from factlang.report import Report
from factlang.verify.corpus import Corpus

__all__ = ["ASSETS", "CSS", "JAVASCRIPT", "build_pages", "escape", "read_sources", "write_pages"]


def read_sources(report: Report, root: Path | None = None) -> tuple[dict[str, str], tuple[Diagnostic, ...]]:
    """The text of every source of the report's fact base, by id, as the verifier read it.

    Sources that cannot be read are left out and reported as diagnostics
    (their pages say the text is unavailable).
    """
    base = report.base
    corpus = Corpus(root or Path(base.root), dict(base.sources))
    texts: dict[str, str] = {}
    problems: list[Diagnostic] = []
    by_path: dict[str, str] = {}
    for sid, source in sorted(base.sources.items()):
        if source.path in by_path:
            texts[sid] = by_path[source.path]
            continue
        try:
            texts[sid] = by_path[source.path] = corpus.read(source)
        except LoadError as err:
            problems.extend(err.diagnostics)
    return texts, tuple(problems)


def write_pages(report: Report, out_dir: Path) -> int:
    """Write the pages (and their assets) for ``report`` into ``out_dir``; return how many pages.

    The sources are read from the fact base's project root. Existing files
    of the same names are replaced; nothing else in ``out_dir`` is touched.
    """
    texts, _ = read_sources(report)
    pages = build_pages(report, texts)
    for rel, content in pages.items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")
    return sum(1 for rel in pages if rel.endswith(".md"))
