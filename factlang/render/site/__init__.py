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

import datetime as _dt
import hashlib
import math
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Final

import attrs

from factlang import values as v
from factlang.diagnostics import Diagnostic, LoadError
from factlang.model import Entity, Fact, Predicate, Source
from factlang.render.text import summary_line
from factlang.report import FACT_VERDICTS, CitationResult, FactResult, Report
from factlang.verify.corpus import Corpus

__all__ = ["ASSETS", "CSS", "JAVASCRIPT", "build_pages", "escape", "read_sources", "write_pages"]

# --------------------------------------------------------------------------
# Escaping
# --------------------------------------------------------------------------

# Characters that mean something to HTML or to Markdown (and its common
# extensions: attribute lists, emoji, magic links, template plugins).
# Each becomes a character reference, which Markdown passes through as
# text and the browser shows as the character.
_SIGNIFICANT: Final = "&<>\"'\\`*_{}[]()#+-.!|~^=:@$%"
_ESCAPES: Final[dict[int, str]] = {ord(c): f"&#{ord(c)};" for c in _SIGNIFICANT} | {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
}
_INLINE_SPACE: Final = re.compile(r"\s+")


def escape(text: str, *, newlines: bool = False) -> str:
    """Text as inert HTML and Markdown: it renders as itself and nothing else.

    HTML-significant characters become entities and Markdown-significant
    punctuation becomes numeric character references, so neither tags,
    attributes, links, emphasis, code, attribute lists nor template syntax
    can form. With ``newlines`` line breaks are kept (as ``&#10;``, for an
    element that preserves them); otherwise whitespace runs become one
    space, as table cells and headings need.
    """
    if newlines:
        out = text.replace("\r\n", "\n").translate(_ESCAPES)
        return out.replace("\n", "&#10;").replace("\r", "&#10;")
    return _INLINE_SPACE.sub(" ", text).strip().translate(_ESCAPES)


def _heading(text: str) -> str:
    """Text for a page's ``# title``: escaped, and without ``<`` or ``>`` even once unescaped.

    Themes put the page title into ``<title>`` through Jinja's ``striptags``,
    which unescapes entities; a title holding ``</title><script>`` would
    then close the element. Angle brackets become look-alike quotes here
    (the metadata table shows the title exactly).
    """
    return escape(text.replace("<", "‹").replace(">", "›"))


def _code(text: str) -> str:
    """Inline code without Markdown backticks (whose content could not be escaped)."""
    return f"<code>{escape(text)}</code>"


# --------------------------------------------------------------------------
# Assets
# --------------------------------------------------------------------------

#: Styles for badges, highlighted spans, the source text and charts.
CSS: Final = """\
/* factlang: generated styles for the fact pages */
.factlang-badge { display: inline-block; padding: 0 .5em; border-radius: 1em; font-size: .75em;
  font-weight: 700; line-height: 1.6; color: #fff; background: #616161; white-space: nowrap;
  vertical-align: middle; }
.factlang-badge--supported, .factlang-badge--reproduced { background: #2e7d32; }
.factlang-badge--refuted, .factlang-badge--disputed, .factlang-badge--failed,
.factlang-badge--conflict, .factlang-badge--no-longer-reproduced { background: #c62828; }
.factlang-badge--unverified, .factlang-badge--not-found, .factlang-badge--uncited { background: #e65100; }
.factlang-badge--known-error { background: #6a1b9a; }
.factlang-badge--warning { background: #f9a825; color: #000; }
.factlang-source { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.7;
  padding: .8em 1em; border-left: .2rem solid #9e9e9e; background: rgba(127, 127, 127, .06); }
mark.factlang-span { color: inherit; background: rgba(46, 125, 50, .22); border-radius: .15em;
  scroll-margin-top: 5rem; }
mark.factlang-span--failing { background: rgba(198, 40, 40, .22); }
mark.factlang-span--known-error { background: rgba(106, 27, 154, .22); text-decoration: line-through;
  text-decoration-color: rgba(106, 27, 154, .7); }
mark.factlang-span:target { outline: .15em solid #ff9800; background: rgba(255, 152, 0, .35); }
.factlang-quantity { font-weight: 700; }
.factlang-refs { font-size: .7em; }
.factlang-refs a { margin-left: .15em; }
.factlang-anchor { scroll-margin-top: 5rem; }
.factlang-anchor:target + strong, .factlang-anchor:target + a { background: rgba(255, 152, 0, .35); }
.factlang-chart svg { max-width: 100%; height: auto; font-family: inherit; }
.factlang-chart .factlang-axis { stroke: #9e9e9e; stroke-width: 1; }
.factlang-chart .factlang-grid { stroke: #9e9e9e; stroke-opacity: .25; stroke-width: 1; }
.factlang-chart text { fill: currentColor; font-size: 11px; }
.factlang-chart .factlang-point--failing { stroke: #c62828; stroke-width: 3; }
.factlang-filter input { width: 100%; max-width: 24rem; padding: .3em .5em; margin: .5em 0;
  font: inherit; border: 1px solid #9e9e9e; border-radius: .2em; background: transparent; color: inherit; }
[data-factlang-sortable] th { cursor: pointer; user-select: none; }
[data-factlang-sortable] th[aria-sort="ascending"]::after { content: " \\25B2"; }
[data-factlang-sortable] th[aria-sort="descending"]::after { content: " \\25BC"; }
"""

#: Progressive enhancement for the fact tables: click a header to sort, type
#: to filter. The tables are complete without it. It reads cell text with
#: ``textContent`` and writes none of it back as HTML.
JAVASCRIPT: Final = """\
// factlang: sortable, filterable fact tables (the tables work without this script).
(function () {
  "use strict";
  function key(cell) {
    var marked = cell.querySelector("[data-value]");
    if (marked) {
      var n = parseFloat(marked.getAttribute("data-value"));
      if (!isNaN(n)) { return n; }
    }
    return cell.textContent.trim().toLowerCase();
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    return String(a).localeCompare(String(b), undefined, {numeric: true});
  }
  function enhance(marker) {
    if (marker.getAttribute("data-ready")) { return; }
    var next = marker.nextElementSibling;
    var table = next && (next.tagName === "TABLE" ? next : next.querySelector("table"));
    if (!table || !table.tBodies.length) { return; }
    marker.setAttribute("data-ready", "1");
    table.setAttribute("data-factlang-sortable", "");  // a class would lose the theme's table style
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, column) {
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.slice().sort(function (r, s) {
          var c = compare(key(r.cells[column]), key(s.cells[column]));
          return ascending ? c : -c;
        }).forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter " + rows.length + " rows\\u2026";
    input.setAttribute("aria-label", "Filter the table");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
    marker.appendChild(input);
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".factlang-filter"), enhance);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // mkdocs-material instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
"""

#: The asset files written beside the pages, by path.
ASSETS: Final[dict[str, str]] = {"assets/factlang.css": CSS, "assets/factlang.js": JAVASCRIPT}

# --------------------------------------------------------------------------
# Reading sources
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Building pages
# --------------------------------------------------------------------------


def build_pages(report: Report, texts: Mapping[str, str]) -> dict[str, str]:
    """Every page for ``report``, as a mapping of relative path to Markdown (plus the assets).

    ``texts`` maps source ids to their text, exactly as the verifier read it
    (see :func:`read_sources`): spans are character offsets into it. A
    source missing from ``texts`` gets a page without its text. The result
    depends only on the arguments, so the same report gives the same pages.
    """
    return _Site(report, texts).build()


_SAFE_SLUG: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")
_UNSAFE_RUN: Final = re.compile(r"[^A-Za-z0-9_.\-]+")


def _slugs(names: Iterable[str]) -> dict[str, str]:
    """A file-name-safe, unique (also case-insensitively) slug for each name.

    Safe names are their own slug; others, and names that would clash with
    an ``index`` page or another name on a case-insensitive file system,
    get a readable stem and a short hash.
    """
    out: dict[str, str] = {}
    taken = {"index"}
    for name in sorted(set(names)):
        slug = name
        if not _SAFE_SLUG.match(name) or name.endswith(".") or name.lower() in taken:
            stem = _UNSAFE_RUN.sub("-", name).strip(".-")[:40] or "x"
            slug = f"{stem}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        out[name] = slug
        taken.add(slug.lower())
    return out


def _rel(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative Markdown link target from one page to another (and an anchor on it)."""
    if from_page == to_page and anchor:
        return f"#{anchor}"
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


def _link(text_html: str, target: str) -> str:
    """A Markdown link; ``text_html`` is already escaped, ``target`` made of slugs."""
    return f"[{text_html}]({target})"


def _badge(label: str, kind: str | None = None, title: str | None = None) -> str:
    tip = f' title="{escape(title)}"' if title else ""
    return f'<span class="factlang-badge factlang-badge--{kind or label}"{tip}>{escape(label)}</span>'


def _number(n: int) -> str:
    """A count in a table cell, sortable as a number."""
    return f'<span data-value="{n}">{n}</span>'


def _cell(text: str) -> str:
    """A table cell: never empty (an empty first cell confuses some Markdown tables)."""
    return text if text.strip() else "&#8203;"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], *, filterable: bool = False) -> list[str]:
    lines = ['<div class="factlang-filter"></div>', ""] if filterable else []
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    lines.append("")
    return lines


_VERDICT_RANK: Final = {
    "supported": 0,
    "failed": 1,
    "unverified": 2,
    "not-found": 3,
    "uncited": 4,
    "refuted": 5,
    "disputed": 6,
}


def _fact_label(result: FactResult, strict: bool) -> str:
    """The fact's verdict as shown: ``failed`` for a supported fact that still fails the run."""
    return result.label(strict)


def _citation_label(c: CitationResult) -> tuple[str, str]:
    """Label and badge kind of one citation's outcome."""
    if c.citation.contradicts:
        if c.verdict == "refuted":
            return "known error, reproduces", "reproduced"
        return f"known error, no longer reproduces ({c.verdict})", "no-longer-reproduced"
    return c.verdict, c.verdict


def _sort_value(value: v.Value | None) -> str | None:
    """A number to sort a value by, as text (``data-value``), where the value has one."""
    if isinstance(value, v.Percent | v.Money | v.Number):
        return format(value.total.normalize(), "f")
    if isinstance(value, v.Year | v.FiscalYear):
        return str(value.year)
    if isinstance(value, v.Quarter | v.Month | v.Date):
        return f"{_time_position(value):.4f}"
    return None


@attrs.frozen
class _Cite:
    """One citation of one fact, numbered: ``cite-FACT-K`` on its source's page."""

    fact_no: int
    k: int
    result: CitationResult

    @property
    def anchor(self) -> str:
        return f"cite-{self.fact_no}-{self.k}"

    @property
    def span_id(self) -> str | None:
        span = self.result.span
        return None if span is None else f"q-{span[0]}-{span[1]}"


class _Site:
    """The pages of one report (page paths relative to the site folder)."""

    def __init__(self, report: Report, texts: Mapping[str, str]) -> None:
        self.report = report
        self.base = report.base
        self.texts = texts
        self.results = report.facts
        self.number = {id(r.fact): n for n, r in enumerate(self.results, 1)}
        self.source_slug = _slugs(self.base.sources)
        self.entity_slug = _slugs(self.base.entities)
        self.predicate_slug = _slugs(self.base.predicates)
        self.cites: dict[str, list[_Cite]] = defaultdict(list)
        self.by_predicate: dict[str, list[FactResult]] = defaultdict(list)
        self.by_entity: dict[str, list[FactResult]] = defaultdict(list)
        for n, r in enumerate(self.results, 1):
            for k, c in enumerate(r.citations, 1):
                self.cites[c.citation.source].append(_Cite(n, k, c))
            self.by_predicate[r.fact.predicate].append(r)
            named = [a.name for a in (*r.fact.args, r.fact.value) if isinstance(a, v.EntityRef)]
            for name in dict.fromkeys(named):
                self.by_entity[name].append(r)

    # -- paths and links --------------------------------------------------------

    def source_page(self, sid: str) -> str:
        return f"sources/{self.source_slug[sid]}.md"

    def entity_page(self, name: str) -> str:
        return f"entities/{self.entity_slug[name]}.md"

    def predicate_page(self, name: str) -> str:
        return f"predicates/{self.predicate_slug[name]}.md"

    def fact_link(self, page: str, r: FactResult, text: str | None = None) -> str:
        """A link to the fact's entry on its predicate's page."""
        n = self.number[id(r.fact)]
        label = text if text is not None else escape(_fact_head(r.fact))
        if r.fact.predicate not in self.predicate_slug:
            return label
        return _link(label, _rel(page, self.predicate_page(r.fact.predicate), f"fact-{n}"))

    def cite_link(self, page: str, cite: _Cite) -> str:
        """A link from a fact to what it cites: the marked span, else the citation's entry."""
        c = cite.result
        sid = c.citation.source
        label = "@" + escape(sid) + (" (contradicts)" if c.citation.contradicts else "")
        if sid not in self.source_slug:
            return label
        anchor = cite.span_id if self.marked(cite) else cite.anchor
        return _link(label, _rel(page, self.source_page(sid), anchor))

    def marked(self, cite: _Cite) -> bool:
        """Whether the citation's span is marked in its source's text (so its anchor exists)."""
        text = self.texts.get(cite.result.citation.source)
        span = cite.result.span
        return text is not None and span is not None and 0 <= span[0] <= span[1] <= len(text)

    def value_html(self, page: str, value: v.Value) -> str:
        if isinstance(value, v.EntityRef) and value.name in self.entity_slug:
            return _link(escape(value.name), _rel(page, self.entity_page(value.name)))
        return escape(value.spelling())

    def cites_of(self, r: FactResult) -> list[_Cite]:
        n = self.number[id(r.fact)]
        return [_Cite(n, k, c) for k, c in enumerate(r.citations, 1)]

    def sources_cell(self, page: str, r: FactResult) -> str:
        links = [self.cite_link(page, cite) for cite in self.cites_of(r)]
        return ", ".join(links) if links else _badge("uncited")

    def verdict_cell(self, r: FactResult) -> str:
        label = _fact_label(r, self.report.strict)
        rank = _VERDICT_RANK.get(label, 9)
        extra = ""
        if r.warnings:
            extra = " " + _badge(
                f"{len(r.warnings)} warning" + ("s" if len(r.warnings) > 1 else ""), "warning"
            )
        return f'<span data-value="{rank}">{_badge(label)}</span>{extra}'

    def value_cell(self, f: Fact) -> str:
        if f.comparator is None or f.value is None:
            return ""
        key = _sort_value(f.value)
        shown = escape(f"{f.comparator} {f.value.spelling()}")
        return f'<span data-value="{key}">{shown}</span>' if key is not None else shown

    # -- the whole site -----------------------------------------------------------

    def build(self) -> dict[str, str]:
        pages: dict[str, str] = {"index.md": self.summary(), "conflicts.md": self.conflicts()}
        pages["sources/index.md"] = self.sources_index()
        for sid in sorted(self.base.sources):
            pages[self.source_page(sid)] = self.source(self.base.sources[sid])
        pages["entities/index.md"] = self.entities_index()
        for name in sorted(self.base.entities):
            pages[self.entity_page(name)] = self.entity(self.base.entities[name])
        pages["predicates/index.md"] = self.predicates_index()
        for name in sorted(self.base.predicates):
            pages[self.predicate_page(name)] = self.predicate(self.base.predicates[name])
        pages.update(ASSETS)
        return pages

    # -- summary ------------------------------------------------------------------

    def summary(self) -> str:
        page = "index.md"
        s = self.report.summary()
        out = ["# Fact base", ""]
        if self.report.ok:
            kind, title = "success", f"All {s['facts']} facts hold"
        else:
            parts = []
            if s["failed"]:
                parts.append(f"{s['failed']} of {s['facts']} facts fail")
            if s["conflicts"]:
                parts.append(f"{s['conflicts']} conflict" + ("s" if s["conflicts"] != 1 else ""))
            kind, title = "failure", ", ".join(parts)
        out += [
            f'<div class="admonition {kind}"><p class="admonition-title">{escape(title)}</p>'
            f"<p>{escape(summary_line(self.report))}</p></div>",
            "",
        ]
        rows = [[_badge(verdict), str(s[verdict])] for verdict in FACT_VERDICTS]
        rows.append([_badge("fail the run", "failed"), str(s["failed"])])
        if s["expected_failures"]:
            rows.append([_badge("known errors reproduced", "reproduced"), str(s["expected_failures"])])
        if s["unexpected_passes"]:
            rows.append(
                [
                    _badge("known errors no longer reproduced", "no-longer-reproduced"),
                    str(s["unexpected_passes"]),
                ]
            )
        rows.append([_link(_badge("conflicts", "conflict"), "conflicts.md"), str(s["conflicts"])])
        rows.append([_badge("warnings", "warning"), str(s["warnings"])])
        out += _table(["Verdict", "Facts"], rows)
        out += [
            f"Browse by {_link('source', 'sources/index.md')} ({len(self.base.sources)}), "
            f"{_link('entity', 'entities/index.md')} ({len(self.base.entities)}) or "
            f"{_link('predicate', 'predicates/index.md')} ({len(self.base.predicates)}); "
            f"see the {_link('conflicts and known errors', 'conflicts.md')}.",
            "",
            "## Facts",
            "",
        ]
        if not self.results:
            out += ["The fact base has no facts.", ""]
        else:
            rows = [
                [
                    _number(self.number[id(r.fact)]),
                    self.fact_link(page, r),
                    self.value_cell(r.fact),
                    self.verdict_cell(r),
                    self.sources_cell(page, r),
                    escape(str(r.fact.location)) if r.fact.location else "",
                ]
                for r in self.results
            ]
            out += _table(["#", "Fact", "Value", "Verdict", "Sources", "Written at"], rows, filterable=True)
        return "\n".join(out)

    # -- conflicts and known errors -------------------------------------------------------

    def conflicts(self) -> str:
        page = "conflicts.md"
        out = ["# Conflicts and known errors", ""]
        out += [
            "## Conflicts",
            "",
            "Facts with the same key whose values cannot all hold.",
            "",
        ]
        by_fact = {id(r.fact): r for r in self.results}
        if not self.report.conflicts:
            out += ["No conflicts.", ""]
        for conflict in self.report.conflicts:
            out += [f"### {escape(conflict.key)}", "", f"{_badge('conflict')} {escape(conflict.message)}", ""]
            rows = []
            for f in conflict.facts:
                r = by_fact.get(id(f))
                if r is None:  # pragma: no cover - conflicts are between the report's facts
                    continue
                rows.append(
                    [
                        self.fact_link(page, r, escape(f.claim)),
                        self.verdict_cell(r),
                        self.sources_cell(page, r),
                        escape(str(f.location)) if f.location else "",
                    ]
                )
            out += _table(["Fact", "Verdict", "Sources", "Written at"], rows)
        out += [
            "## Known errors",
            "",
            "Citations marked `contradicts`: the source is known to be wrong here. Each must still",
            "be refuted by its source; one that is not fails the run.",
            "",
        ]
        rows = []
        for r in self.results:
            for cite in self.cites_of(r):
                c = cite.result
                if not c.citation.contradicts:
                    continue
                label, kind = _citation_label(c)
                rows.append(
                    [
                        self.fact_link(page, r, escape(r.fact.claim)),
                        self.cite_link(page, cite),
                        escape(c.citation.quote) if c.citation.quote is not None else "(no quote)",
                        _badge(label, kind),
                    ]
                )
        if rows:
            out += _table(["Fact", "Source", "Quote", "Still reproduces?"], rows)
        else:
            out += ["No citation is marked `contradicts`.", ""]
        return "\n".join(out)

    # -- sources -----------------------------------------------------------------------

    def sources_index(self) -> str:
        page = "sources/index.md"
        out = ["# Sources", ""]
        rows = []
        for sid in sorted(self.base.sources):
            src = self.base.sources[sid]
            cites = self.cites.get(sid, [])
            rows.append(
                [
                    _link(escape(sid), _rel(page, self.source_page(sid))),
                    escape(src.title or ""),
                    escape(src.outlet or ""),
                    escape(src.published.isoformat()) if src.published else "",
                    _number(len(cites)),
                ]
            )
        if rows:
            out += _table(["Source", "Title", "Outlet", "Published", "Citations"], rows, filterable=True)
        else:
            out += ["The fact base has no sources.", ""]
        return "\n".join(out)

    def source(self, src: Source) -> str:
        page = self.source_page(src.id)
        cites = self.cites.get(src.id, [])
        out = [f"# {_heading(src.title or src.id)}", ""]
        rows = [["Source id", _code(src.id)], ["File", _code(src.path)]]
        for label, value in (("Title", src.title), ("Outlet", src.outlet), ("Author", src.author)):
            if value:
                rows.append([label, escape(value)])
        if src.url:
            rows.append(["URL", _url(src.url)])
        if src.published:
            rows.append(["Published", escape(src.published.isoformat())])
        for key in sorted(src.metadata):
            rows.append([escape(key), escape(str(src.metadata[key]))])
        same = [o for o in sorted(self.base.sources) if o != src.id and self.base.sources[o].path == src.path]
        if same:
            rows.append(
                ["Same file as", ", ".join(_link(escape(o), _rel(page, self.source_page(o))) for o in same)]
            )
        if src.location:
            rows.append(["Declared at", escape(str(src.location))])
        failing = sum(1 for c in cites if not c.result.ok)
        rows.append(["Citations", f"{len(cites)}" + (f" ({failing} failing)" if failing else "")])
        out += _table(["Field", "Value"], rows)
        out += ["## Text", ""]
        text = self.texts.get(src.id)
        if text is None:
            out += [
                '<div class="admonition warning"><p class="admonition-title">Text unavailable</p>'
                "<p>The source file could not be read when the pages were built.</p></div>",
                "",
            ]
        else:
            out += [self.highlighted(text, cites), ""]
        out += ["## Citations", ""]
        if not cites:
            out += ["No fact cites this source.", ""]
        for cite in cites:
            out += self.citation_entry(page, cite)
        return "\n".join(out)

    def highlighted(self, text: str, cites: Sequence[_Cite]) -> str:
        """The source text in one raw HTML block, every cited span in a ``<mark>``."""
        spans: dict[tuple[int, int], list[_Cite]] = defaultdict(list)
        quantities: set[tuple[int, int]] = set()
        n = len(text)
        for cite in cites:
            span = cite.result.span
            if span is None or not 0 <= span[0] <= span[1] <= n:
                continue
            spans[span].append(cite)
            q = cite.result.matched
            if q is not None and 0 <= q.start < q.end <= n:
                quantities.add((q.start, q.end))
        marks = [_Mark.of(span, group, self) for span, group in sorted(spans.items())]
        body = _render_marks(text, marks, sorted(quantities))
        return f'<div class="factlang-source" style="white-space: pre-wrap">{body}</div>'

    def citation_entry(self, page: str, cite: _Cite) -> list[str]:
        """One citation on its source's page: the fact, the outcome, the quote, the explanation."""
        c = cite.result
        r = self.results[cite.fact_no - 1]
        label, kind = _citation_label(c)
        back = ""
        if self.marked(cite):
            back = " " + _link("↑ in the text", f"#{cite.span_id}")
        head = (
            f'<a id="{cite.anchor}" class="factlang-anchor"></a>'
            f"{self.fact_link(page, r, '<strong>' + escape(r.fact.claim) + '</strong>')} "
            f"{_badge(label, kind)}{back}"
        )
        lines = [head, ""]
        details = []
        if c.citation.quote is not None:
            details.append(f"quote: “{escape(c.citation.quote)}”")
        else:
            details.append("no quote: evidence found by searching the source")
        real = c.source_text
        if (
            real is not None
            and c.citation.quote is not None
            and c.similarity is not None
            and c.similarity < 1
        ):
            details.append(f"the source reads: “{escape(real)}” (similarity {c.similarity:.2f})")
        details += [escape(m.message) for m in c.messages]
        details += [f"{_badge('warning')} {escape(w.message)}" for w in c.warnings]
        lines += [f"- {d}" for d in details]
        lines.append("")
        return lines

    # -- entities ------------------------------------------------------------------------

    def entities_index(self) -> str:
        page = "entities/index.md"
        out = ["# Entities", ""]
        mentions = self.by_entity
        by_kind: dict[str, list[Entity]] = defaultdict(list)
        for e in self.base.entities.values():
            by_kind[e.kind].append(e)
        if not by_kind:
            out += ["The fact base has no entities.", ""]
        for kind in sorted(by_kind):
            out += [f"## {escape(kind)}", ""]
            rows = [
                [
                    _link(escape(e.name), _rel(page, self.entity_page(e.name))),
                    escape(", ".join(e.aliases)),
                    _number(len(mentions.get(e.name, []))),
                ]
                for e in sorted(by_kind[kind], key=lambda e: e.name)
            ]
            out += _table(["Entity", "Also called", "Facts"], rows)
        return "\n".join(out)

    def entity(self, e: Entity) -> str:
        page = self.entity_page(e.name)
        facts = self.by_entity.get(e.name, [])
        out = [f"# {_heading(e.name)}", ""]
        info = f"A {_code(e.kind)}"
        if e.aliases:
            info += ", also called " + ", ".join(f"“{escape(a)}”" for a in e.aliases)
        if e.location:
            info += f"; declared at {escape(str(e.location))}"
        out += [info + ".", ""]
        if not facts:
            out += ["No fact mentions this entity.", ""]
            return "\n".join(out)
        out += [_fact_counts(facts, self.report.strict), ""]
        rows = [
            [
                self.fact_link(page, r),
                self.value_cell(r.fact),
                self.verdict_cell(r),
                self.sources_cell(page, r),
            ]
            for r in facts
        ]
        out += _table(["Fact", "Value", "Verdict", "Sources"], rows, filterable=len(rows) > 10)
        return "\n".join(out)

    # -- predicates ----------------------------------------------------------------------

    def predicates_index(self) -> str:
        page = "predicates/index.md"
        out = ["# Predicates", ""]
        counts = self.by_predicate
        rows = []
        for name in sorted(self.base.predicates):
            p = self.base.predicates[name]
            rows.append(
                [
                    _link(escape(name), _rel(page, self.predicate_page(name))),
                    _code(_signature(p)),
                    _number(len(counts.get(name, []))),
                    _fact_counts(counts[name], self.report.strict) if counts.get(name) else "",
                ]
            )
        if rows:
            out += _table(["Predicate", "Signature", "Facts", "Verdicts"], rows)
        else:
            out += ["The fact base has no predicates.", ""]
        return "\n".join(out)

    def predicate(self, p: Predicate) -> str:
        page = self.predicate_page(p.name)
        facts = self.by_predicate.get(p.name, [])
        out = [f"# {_heading(p.name)}", "", _code(_signature(p)), ""]
        if p.template:
            out += [f"<blockquote><p>{escape(p.template)}</p></blockquote>", ""]
        if not facts:
            out += ["No fact uses this predicate.", ""]
            return "\n".join(out)
        out += [_fact_counts(facts, self.report.strict), ""]
        for chart in _charts(p, facts, self.number):
            out += [chart, ""]
        header = [escape(param.name) for param in p.params]
        if not p.is_relation:
            header.append("Value")
        header += ["Verdict", "Sources"]
        rows = []
        for r in facts:
            n = self.number[id(r.fact)]
            args = [self.value_html(page, a) for a in r.fact.args]
            if args:
                args[0] = _link("¶", f"#fact-{n}") + " " + args[0]
            else:
                args = [_link("¶", f"#fact-{n}")]
            if r.fact.negated:
                args[0] += " (not)"
            row = [*args]
            if not p.is_relation:
                row.append(self.value_cell(r.fact))
            row += [self.verdict_cell(r), self.sources_cell(page, r)]
            rows.append(row)
        if not p.params:
            header.insert(0, "Fact")
        out += _table(header, rows, filterable=len(rows) > 10)
        out += ["## Facts", ""]
        for r in facts:
            out += self.fact_entry(page, p, r)
        return "\n".join(out)

    def fact_entry(self, page: str, p: Predicate, r: FactResult) -> list[str]:
        """A fact in detail, the target of every link to the fact."""
        n = self.number[id(r.fact)]
        label = _fact_label(r, self.report.strict)
        where = f" · {escape(str(r.fact.location))}" if r.fact.location else ""
        lines = [
            f'<a id="fact-{n}" class="factlang-anchor"></a>'
            f"<strong>{escape(r.fact.claim)}</strong> {_badge(label)}{where}",
            "",
        ]
        reading = _reading(p, r.fact)
        if reading:
            lines += [f"<em>{escape(reading)}</em>", ""]
        items = []
        for cite in self.cites_of(r):
            c = cite.result
            clabel, kind = _citation_label(c)
            quote = f" “{escape(c.citation.quote)}”" if c.citation.quote is not None else " (no quote)"
            text = f"{self.cite_link(page, cite)} {_badge(clabel, kind)}{quote}"
            notes = [escape(m.message) for m in c.messages] + [
                f"{_badge('warning')} {escape(w.message)}" for w in c.warnings
            ]
            if notes:
                text += " — " + "; ".join(notes)
            items.append(text)
        items += [escape(m.message) for m in r.messages]
        if not items:
            items.append("The fact has no citation.")
        lines += [f"- {item}" for item in items]
        lines.append("")
        return lines


def _fact_head(f: Fact) -> str:
    return f.head


def _fact_counts(results: Sequence[FactResult], strict: bool) -> str:
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[_fact_label(r, strict)] += 1
    parts = [f"{_badge(label)} {counts[label]}" for label in _VERDICT_RANK if counts.get(label)]
    return f"{len(results)} fact{'s' if len(results) != 1 else ''}: " + " ".join(parts)


def _signature(p: Predicate) -> str:
    params = ", ".join(f"{param.name}: {param.type}" for param in p.params)
    tail = f" -> {p.value_type}" if p.value_type else ""
    return f"predicate {p.name}({params}){tail}"


_SLOT: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _reading(p: Predicate, f: Fact) -> str | None:
    """The fact in words, from the predicate's template: "Huawei's ... share in China in 2024: = 16%"."""
    if not p.template:
        return None
    args = {param.name: a.spelling() for param, a in zip(p.params, f.args, strict=False)}
    text = _SLOT.sub(lambda m: args.get(m.group(1), m.group(0)), p.template)
    if f.negated:
        text = f"not: {text}"
    if f.comparator is not None and f.value is not None:
        text += f" {f.comparator} {f.value.spelling()}"
    return text


def _url(url: str) -> str:
    """A source's URL: a link for http(s), inert text for anything else (``javascript:``...)."""
    if re.match(r"https?://[^\s<>\"'`]+\Z", url, re.IGNORECASE):
        safe = escape(url)
        return f'<a href="{safe}" rel="noopener nofollow">{safe}</a>'
    return _code(url)


# --------------------------------------------------------------------------
# Highlighting cited spans
# --------------------------------------------------------------------------


@attrs.frozen
class _Mark:
    """A cited span of a source: its anchor, its look, its citations."""

    start: int
    end: int
    anchor: str
    css: str
    title: str
    refs: tuple[tuple[str, str], ...]  # (anchor, label)

    @classmethod
    def of(cls, span: tuple[int, int], cites: Sequence[_Cite], site: _Site) -> _Mark:
        results = [c.result for c in cites]
        if all(c.ok for c in results):
            css = "factlang-span--known-error" if all(c.citation.contradicts for c in results) else ""
        else:
            css = "factlang-span--failing"
        claims = []
        for cite in cites:
            r = site.results[cite.fact_no - 1]
            label, _ = _citation_label(cite.result)
            claims.append(f"{r.fact.claim} ({label})")
        refs = tuple((c.anchor, f"{c.fact_no}" if c.k == 1 else f"{c.fact_no}.{c.k}") for c in cites)
        anchor = cites[0].span_id or f"q-{span[0]}-{span[1]}"
        return cls(span[0], span[1], anchor, f"factlang-span {css}".strip(), "; ".join(claims), refs)

    def open(self, first: bool) -> str:
        """The opening tag: the first piece of a span carries its ``id``, the others ``data-span``."""
        ident = f'id="{self.anchor}"' if first else f'data-span="{self.anchor}"'
        return f'<mark {ident} class="{self.css}" title="{escape(self.title)}">'

    def refs_html(self) -> str:
        links = "".join(
            f'<a href="#{a}" title="citation {escape(label)}">[{escape(label)}]</a>' for a, label in self.refs
        )
        return f'<sup class="factlang-refs">{links}</sup>'


_Item = tuple[int, int, int, "_Mark | None"]  # start, end, order, the mark (None: a quantity)


def _render_marks(text: str, marks: Sequence[_Mark], quantities: Sequence[tuple[int, int]]) -> str:
    """The text, escaped, with every mark around its span and matched quantities in bold.

    Elements must nest, but spans may overlap: a span that starts inside
    another and ends after it is closed where the other ends and reopened
    just after (the continuation has no ``id``, only ``data-span``). Where
    spans nest properly each is one element. The links to a span's
    citations follow it.
    """
    n = len(text)
    # (start, end, order, mark or None for a quantity); longer spans open first.
    items: list[_Item] = [(m.start, m.end, 0, m) for m in marks]
    items += [(a, b, 1, None) for a, b in quantities]
    starts: dict[int, list[_Item]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i[0], -i[1], i[2], i[3].anchor if i[3] else "")):
        starts[item[0]].append(item)
    points = sorted({0, n, *(i[0] for i in items), *(i[1] for i in items)})
    stack: list[_Item] = []
    out: list[str] = []

    def open_(item: _Item, first: bool) -> str:
        mark = item[3]
        return mark.open(first) if mark is not None else '<strong class="factlang-quantity">'

    def close_to(p: int) -> None:
        if not any(i[1] == p for i in stack):
            return
        reopen: list[_Item] = []
        while any(i[1] == p for i in stack):
            top = stack.pop()
            out.append("</mark>" if top[3] is not None else "</strong>")
            if top[1] != p:
                reopen.append(top)
            elif top[3] is not None:
                out.append(top[3].refs_html())
        for item in reversed(reopen):
            out.append(open_(item, False))
            stack.append(item)

    pos = 0
    for p in points:
        out.append(escape(text[pos:p], newlines=True))
        pos = p
        close_to(p)
        for item in starts.get(p, []):
            out.append(open_(item, True))
            stack.append(item)
            close_to(p)  # an empty span closes at once
    return "".join(out)


# --------------------------------------------------------------------------
# Charts: numeric values over time, as inline SVG
# --------------------------------------------------------------------------

_PALETTE: Final = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#546e7a")
_W: Final = 640
_H: Final = 300
_LEFT: Final = 64
_RIGHT: Final = 16
_TOP: Final = 16
_BOTTOM: Final = 40


def _time_position(t: v.Value) -> float:
    """A time value as a point on a year axis (2024-Q3 is 2024.5)."""
    if isinstance(t, v.Year | v.FiscalYear):
        return float(t.year)
    if isinstance(t, v.Quarter):
        return t.year + (t.quarter - 1) / 4
    if isinstance(t, v.Month):
        return t.year + (t.month - 1) / 12
    if isinstance(t, v.Date):
        start = _dt.date(t.date.year, 1, 1)
        days = (_dt.date(t.date.year + 1, 1, 1) - start).days
        return t.date.year + (t.date - start).days / days
    raise TypeError(f"not a time value: {t!r}")


def _unit_key(value: v.Percent | v.Money | v.Number) -> str:
    if isinstance(value, v.Money):
        return f"Money {value.currency}"
    return type(value).__name__


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * mag:
            return mult * mag
    return 10 * mag  # pragma: no cover - the loop always returns


def _compact(x: float) -> str:
    """``185100000000`` -> ``185.1B``; small numbers as they are."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:.4g}{suffix}"
    return f"{x:.4g}"


def _tick_label(x: float, unit: str) -> str:
    if unit == "Percent":
        return f"{x:.4g}%"
    if unit.startswith("Money "):
        code = unit.split(" ", 1)[1]
        prefix = {"USD": "$", "EUR": "€", "GBP": "£", "¥": "¥", "HKD": "HK$"}.get(code, code + " ")
        sign = "-" if x < 0 else ""
        return f"{sign}{prefix}{_compact(abs(x))}"
    return _compact(x)


def _charts(p: Predicate, facts: Sequence[FactResult], number: Mapping[int, int]) -> list[str]:
    """Inline SVG charts of a predicate's numeric values over its (first) time argument.

    One chart per unit (percent, number, money of one currency); one line
    per combination of the other arguments. Only facts that state a value
    (``=`` or ``~``) are plotted; a failing fact's point is ringed in red.
    """
    times = [i for i, param in enumerate(p.params) if param.type in v.TIME_TYPES]
    if not times or p.is_relation:
        return []
    ti = times[0]
    groups: dict[str, dict[str, list[tuple[float, str, float, FactResult]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for r in facts:
        f = r.fact
        value = f.value
        if f.negated or f.comparator not in ("=", "~") or len(f.args) <= ti:
            continue
        if not isinstance(value, v.Percent | v.Money | v.Number):
            continue
        t = f.args[ti]
        if not isinstance(t, v.Year | v.FiscalYear | v.Quarter | v.Month | v.Date):
            continue
        series = ", ".join(a.spelling() for i, a in enumerate(f.args) if i != ti) or p.name
        groups[_unit_key(value)][series].append((_time_position(t), t.spelling(), float(value.total), r))
    return [_svg_chart(p, unit, series, number) for unit, series in sorted(groups.items())]


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _svg_chart(
    p: Predicate,
    unit: str,
    series: Mapping[str, list[tuple[float, str, float, FactResult]]],
    number: Mapping[int, int],
) -> str:
    points = [pt for pts in series.values() for pt in pts]
    xs = sorted({pt[0] for pt in points})
    ys = [pt[2] for pt in points]
    x0, x1 = xs[0], xs[-1]
    pad = min((b - a for a, b in pairwise(xs)), default=1.0) / 2
    x0, x1 = x0 - pad, x1 + pad  # room for the first and last points
    lo, hi = min(0.0, *ys), max(0.0, *ys)
    if lo == hi:
        hi = lo + 1
    step = _nice_step(hi - lo)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    pw, ph = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def px(x: float) -> float:
        return _LEFT + (x - x0) / (x1 - x0) * pw

    def py(y: float) -> float:
        return _TOP + (hi - y) / (hi - lo) * ph

    time_type = next(q for q in p.params if q.type in v.TIME_TYPES)
    title = f"{p.name}: {unit.replace('Money ', '')} by {time_type.name}"
    desc = "; ".join(
        f"{name}: "
        + ", ".join(f"{label} {_tick_label(y, unit)}" for _, label, y, _ in sorted(pts, key=lambda t: t[0]))
        for name, pts in sorted(series.items())
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H + 18 * ((len(series) + 2) // 3)}" '
        f'width="{_W}" role="img" aria-labelledby="chart-{escape(p.name)}-{_unit_slug(unit)}-title">',
        f'<title id="chart-{escape(p.name)}-{_unit_slug(unit)}-title">{escape(title)}</title>',
        f"<desc>{escape(desc)}</desc>",
    ]
    y = lo
    while y <= hi + step / 2:
        yy = _fmt(py(y))
        css = "factlang-axis" if y == 0 else "factlang-grid"
        parts.append(f'<line class="{css}" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{yy}" y2="{yy}"/>')
        parts.append(
            f'<text x="{_LEFT - 6}" y="{yy}" text-anchor="end" dy="0.35em">'
            f"{escape(_tick_label(y, unit))}</text>"
        )
        y += step
    parts.append(f'<line class="factlang-axis" x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP}" y2="{_TOP + ph}"/>')
    labels = {pt[0]: pt[1] for pt in points}
    every = max(1, math.ceil(len(xs) / 10))
    for i, x in enumerate(xs):
        if i % every:
            continue
        parts.append(
            f'<text x="{_fmt(px(x))}" y="{_TOP + ph + 16}" text-anchor="middle">{escape(labels[x])}</text>'
        )
    for s, (name, pts) in enumerate(sorted(series.items())):
        color = _PALETTE[s % len(_PALETTE)]
        pts = sorted(pts, key=lambda t: t[0])
        if len(pts) > 1:
            line = " ".join(f"{_fmt(px(x))},{_fmt(py(yv))}" for x, _, yv, _ in pts)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{line}"/>')
        for x, _, yv, r in pts:
            n = number[id(r.fact)]
            failing = "" if r.passed else " factlang-point--failing"
            tip = f"{r.fact.claim} — {r.verdict}"
            parts.append(
                f'<a href="#fact-{n}"><circle class="factlang-point{failing}" cx="{_fmt(px(x))}" '
                f'cy="{_fmt(py(yv))}" r="5" fill="{color}"><title>{escape(tip)}</title></circle></a>'
            )
        lx = _LEFT + (s % 3) * (pw // 3)
        ly = _H + 4 + 18 * (s // 3)
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{lx + 16}" y="{ly + 10}">{escape(name)}</text>')
    parts.append("</svg>")
    return f'<figure class="factlang-chart">{"".join(parts)}</figure>'


def _unit_slug(unit: str) -> str:
    return _UNSAFE_RUN.sub("-", unit).strip("-") or "unit"
