"""The site: a verified :class:`~factlang.report.Report` as Markdown pages.

:func:`build_pages` is a pure function from a report and the source texts
to a mapping of page paths to page contents; :func:`write_pages` writes
them to a folder (``factlang site --out DIR``). :func:`build_html_pages`
gives the same pages as :class:`HtmlPage` (a Markdown skeleton and ready
HTML blocks), which the MkDocs plugin (:mod:`factlang.mkdocs_plugin`) adds
to a build without touching the docs folder. The modules: :mod:`.escape`
(text as inert HTML/Markdown), :mod:`.assets` (the stylesheet and script,
package data), :mod:`.common` (links, badges, tables, labels), :mod:`.marks`
(cited spans in a source text), :mod:`.charts` (SVG charts), :mod:`.pages`
(the pages) and :mod:`.writer` (Markdown or HTML). The
pages, relative to wherever they are placed::

    index.md                 summary: does it hold, the failing facts, counts, a table of facts
    all/<k>.md               the table of facts continued (PAGE_SIZE facts a page)
    conflicts.md             conflicts (open or explained by failing facts), and known errors
                             (continued on conflicts/<k>.md)
    sources/index.md         every source (a file cited by several ids is one source; index/<k>.md)
    sources/<id>.md          one source: metadata, a legend, its text with every cited span marked
                             (its citations, and a long text, continued on <id>/<k>.md)
    entities/index.md        every entity, by kind (continued on entities/index/<k>.md)
    entities/<name>.md       every fact that mentions one entity (continued on <name>/<k>.md)
    predicates/index.md      every predicate (continued on predicates/index/<k>.md)
    predicates/<name>.md     one predicate: charts, a table, each fact in detail (and <name>/<k>.md)
    assets/factlang.css      badge, highlight and chart styles
    assets/factlang.js       makes the fact tables sortable and filterable (optional)

Links go both ways: a fact links to the ``<mark id="q-START-END">`` of
each span it cites, and each mark links to the citations of it
(``#cite-FACT-N``), which link to the fact (``#fact-N`` on its predicate's
page, a heading, so the site search finds each fact).

Everything that comes from a fact file or a source (text, quotes, titles,
names, paths) is escaped: :func:`escape` turns every HTML- and
Markdown-significant character into a character reference (for raw HTML
blocks and attributes), :func:`md` only what would form markup in running
Markdown text, so the written pages stay readable. Either way a source
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
from factlang.render.site.escape import escape, md
from factlang.render.site.pages import PAGE_SIZE, build_html_pages, build_pages, conflict_is_explained
from factlang.render.site.writer import HtmlPage
from factlang.report import Report
from factlang.verify.corpus import Corpus

__all__ = [
    "ASSETS",
    "CSS",
    "JAVASCRIPT",
    "PAGE_SIZE",
    "HtmlPage",
    "build_html_pages",
    "build_pages",
    "conflict_is_explained",
    "escape",
    "md",
    "read_sources",
    "write_pages",
]


def read_sources(report: Report, root: Path | None = None) -> tuple[dict[str, str], tuple[Diagnostic, ...]]:
    """The text of every source of the report's fact base, by id, as the verifier read it.

    The texts the verifier read come from :attr:`Report.texts <factlang.report.Report.texts>`
    (never read twice); only sources no fact cites, which the verifier did not
    read, are read here. Sources that cannot be read are left out and reported
    as diagnostics (their pages say the text is unavailable).
    """
    base = report.base
    texts: dict[str, str] = {}
    by_path: dict[str, str] = {}
    for sid, text in report.texts.items():
        source = base.sources.get(sid)
        if source is not None:
            texts[sid] = by_path[source.path] = text
    problems: list[Diagnostic] = []
    corpus: Corpus | None = None
    for sid, source in sorted(base.sources.items()):
        if sid in texts:
            continue
        if source.path in by_path:
            texts[sid] = by_path[source.path]
            continue
        corpus = corpus or Corpus(root or Path(base.root), dict(base.sources))
        try:
            texts[sid] = by_path[source.path] = corpus.read(source)
        except LoadError as err:
            problems.extend(err.diagnostics)
    return texts, tuple(problems)


def write_pages(report: Report, out_dir: Path, *, repo_url: str | None = None) -> int:
    """Write the pages (and their assets) for ``report`` into ``out_dir``; return how many pages.

    The sources are read from the fact base's project root. Existing files
    of the same names are replaced; nothing else in ``out_dir`` is touched.
    """
    texts, _ = read_sources(report)
    pages = build_pages(report, texts, repo_url=repo_url)
    for rel, content in pages.items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")
    return sum(1 for rel in pages if rel.endswith(".md"))
