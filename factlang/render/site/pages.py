"""The pages of a report: summary, conflicts, sources, entities, predicates.

Long lists are paginated (:data:`PAGE_SIZE` facts a page), so no page grows
with the fact base: the summary's table continues on ``all/2.md``..., a
predicate's table and fact entries on ``predicates/<name>/2.md``..., an
entity's on ``entities/<name>/2.md``..., a source's citations (and, for a
long text, its text, :data:`TEXT_SIZE` characters a page, cut between
cited spans) on ``sources/<id>/2.md``...; the indexes of sources, entities
and predicates on ``sources/index/2.md``..., and the conflicts and known
errors on ``conflicts/2.md``.... Page 1 keeps its address; a pager links
the first and last pages and those near the current one, so it stays small
too.

The pages are written through a :mod:`~factlang.render.site.writer`: as
Markdown (:func:`build_pages`, ``factlang site``) or as HTML blocks in a
small Markdown skeleton (:func:`build_html_pages`, the MkDocs plugin).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Final, TypeVar

import attrs

from factlang import values as v
from factlang._workers import fork_processes
from factlang.model import Entity, Fact, Location, Predicate, Source
from factlang.render.explain import explain
from factlang.render.site.assets import ASSETS
from factlang.render.site.charts import _charts, entity_colours
from factlang.render.site.common import (
    _VERDICT_RANK,
    _badge,
    _citation_label,
    _Cite,
    _fact_counts,
    _fact_head,
    _fact_label,
    _number,
    _sentence,
    _signature,
    _slugs,
    _sort_value,
)
from factlang.render.site.escape import _code, _heading, _url, escape, md
from factlang.render.site.marks import _Mark, _render_marks
from factlang.render.site.writer import HtmlPage, HtmlWriter, MarkdownWriter, Writer
from factlang.report import FACT_VERDICTS, Conflict, FactResult, Report

__all__ = [
    "CITATIONS_SIZE",
    "PAGE_SIZE",
    "TEXT_SIZE",
    "build_html_pages",
    "build_pages",
    "conflict_is_explained",
]

#: Facts (or rows) per page of a long list.
PAGE_SIZE: Final = 200
#: Citations listed per page of a source.
CITATIONS_SIZE: Final = 200
#: Characters of a source's text per page: a longer text continues on the next page.
TEXT_SIZE: Final = 200_000
#: Pages a pager links to either side of the current one (and always the first and the last).
_PAGER_NEAR: Final = 3
#: Aliases (an entity's other names, a source's other ids) shown in an index's row; its page has all.
_ALIASES_SHOWN: Final = 5
#: Failing facts listed at the top of the summary (the table lists every one).
_FAILING_SHOWN: Final = 25
_T = TypeVar("_T")
_REPO_URL: Final = re.compile(r"https?://[^\s<>\"'`]+\Z", re.IGNORECASE)


def build_pages(report: Report, texts: Mapping[str, str], *, repo_url: str | None = None) -> dict[str, str]:
    """Every page for ``report``, as a mapping of relative path to Markdown (plus the assets).

    ``texts`` maps source ids to their text, exactly as the verifier read it
    (see :func:`~factlang.render.site.read_sources`): spans are character
    offsets into it. A source missing from ``texts`` gets a page without its
    text. ``repo_url``, when given, is the web address of the project root's
    files (``https://github.com/o/r/blob/main/``): "Written at" then links to
    the fact's line there. The result depends only on the arguments, so the
    same report gives the same pages.
    """
    writer = MarkdownWriter()
    pages: dict[str, str] = {
        path: writer.page(lines) for path, lines in _Site(report, texts, repo_url).pages()
    }
    pages.update(ASSETS)
    return pages


def build_html_pages(
    report: Report,
    texts: Mapping[str, str],
    *,
    repo_url: str | None = None,
    directory_urls: bool = True,
    jobs: int = 1,
) -> dict[str, HtmlPage]:
    """The pages of :func:`build_pages` as :class:`~factlang.render.site.writer.HtmlPage` (for MkDocs).

    The same pages with the same content, but each is a small Markdown
    skeleton (title, section headings) with its content as HTML blocks, and
    every link is the URL MkDocs gives the target (``directory_urls`` as
    MkDocs' ``use_directory_urls``). The assets are not included (see
    :data:`~factlang.render.site.ASSETS`). ``jobs`` is how many processes
    make the pages (0: one per core, when there are enough pages to pay for
    them and this process runs no other thread); the pages are the same.
    """
    writer = HtmlWriter(directory_urls=directory_urls)
    site = _Site(report, texts, repo_url, writer)
    todo = site.page_list()
    workers = _page_workers(jobs, len(todo))
    if workers > 1:
        made = _made_in_processes(todo, writer, workers)
        if made is not None:
            return made
    return {path: writer.page(make()) for path, make in todo}


#: Pages below which a site is made in one process (a fork and the pages' way back cost more).
PARALLEL_PAGES: Final = 500

#: The pages to make and their writer, for the worker processes (inherited by fork, never pickled).
_WORK: tuple[list[tuple[str, Callable[[], list[str]]]], HtmlWriter] | None = None


def _page_workers(jobs: int, pages: int) -> int:
    """How many processes make ``pages`` pages: ``jobs``, or for 0 the cores when it pays and is safe."""
    return min(fork_processes(jobs, pages >= PARALLEL_PAGES), 8)


def _page_worker(start: int, step: int) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Pages ``start``, ``start + step``, ... of the work, as plain tuples (quick to pickle)."""
    assert _WORK is not None
    todo, writer = _WORK
    out = []
    for _, make in todo[start::step]:
        page = writer.page(make())
        out.append((page.markdown, page.blocks, page.late))
    return out


def _made_in_processes(
    todo: list[tuple[str, Callable[[], list[str]]]], writer: HtmlWriter, workers: int
) -> dict[str, HtmlPage] | None:
    """The pages, every ``workers``-th made here and the others in forked workers (None: they failed)."""
    global _WORK
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _WORK = (todo, writer)
    try:
        # An executor, not a Pool: a worker that dies (out of memory) is an error, not a hang.
        with ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_page_worker, i, workers) for i in range(1, workers)]
            mine = [writer.page(make()) for _, make in todo[0::workers]]  # meanwhile, here
            theirs = [f.result() for f in futures]
    except Exception:  # a worker that could not run: the pages are made here instead
        return None
    finally:
        _WORK = None
    made: list[HtmlPage | None] = [None] * len(todo)
    made[0::workers] = mine
    for i, pages in enumerate(theirs, 1):
        made[i::workers] = [HtmlPage(*page) for page in pages]
    return {path: page for (path, _), page in zip(todo, made, strict=True) if page is not None}


def conflict_is_explained(
    conflict: Conflict, results: Mapping[int, FactResult], strict: bool = False
) -> bool:
    """Whether a conflict only exists because its facts fail verification.

    The rule: when at most one of a conflict's facts passes, the others are
    already failures of the run (refuted, unverified, ...), and dropping them
    leaves nothing in conflict. Such a conflict is shown with those failures
    (marked on their rows and entries, listed on the conflicts page as
    explained) and not counted again. ``results`` maps ``id(fact)`` to its
    result.
    """
    passing = sum(
        1 for f in conflict.facts if (r := results.get(id(f))) is not None and r.passes(strict=strict)
    )
    return passing <= 1


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def _pages_of(count: int, size: int) -> int:
    return max(1, -(-count // size))


def _pager_pages(k: int, pages: int) -> list[int | None]:
    """The pages a pager links to, in order, None for each run of pages left out.

    Page 1, the last page, and :data:`_PAGER_NEAR` pages either side of ``k``;
    a run of one page left out is shown (a "…" would take its place anyway).
    """
    shown = sorted({1, pages, *range(max(1, k - _PAGER_NEAR), min(pages, k + _PAGER_NEAR) + 1)})
    out: list[int | None] = []
    prev = 0
    for i in shown:
        if i - prev == 2:
            out.append(i - 1)
        elif i - prev > 2:
            out.append(None)
        out.append(i)
        prev = i
    return out


def _some(names: Sequence[str]) -> tuple[Sequence[str], str]:
    """The names an index's row shows, the first few, and what it says of the rest (their page has all)."""
    more = len(names) - _ALIASES_SHOWN
    return names[:_ALIASES_SHOWN], f" and {more} more" if more > 0 else ""


def _chunk(items: Sequence[_T], k: int, size: int | None = None) -> Sequence[_T]:
    size = size or PAGE_SIZE
    return items[(k - 1) * size : k * size]


def _cuts(text: str, cites: Sequence[_Cite], size: int) -> list[int]:
    """Where each part of ``text`` starts, parts of about ``size`` characters (see ``_Site.parts``)."""
    n = len(text)
    if n <= size:
        return [0]
    taken: list[tuple[int, int]] = []
    for cite in cites:
        c = cite.result
        for a, b in c.spans or ((c.span,) if c.span is not None else ()):
            if 0 <= a < b <= n:
                taken.append((a, b))
        if c.matched is not None and 0 <= c.matched.start < c.matched.end <= n:
            taken.append((c.matched.start, c.matched.end))
    # The cited stretches, merged: a part may end at their edges, never inside one.
    merged: list[list[int]] = []
    for a, b in sorted(taken):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in merged]

    def outside(c: int, low: int) -> int:
        """``c``, or the nearest edge of the stretch it falls inside (past ``low``)."""
        i = bisect.bisect_right(starts, c) - 1
        if i >= 0 and merged[i][0] < c < merged[i][1]:
            return merged[i][0] if merged[i][0] > low else merged[i][1]
        return c

    cuts = [0]
    while n - cuts[-1] > size:
        low, limit = cuts[-1], cuts[-1] + size
        # Prefer a line break in the second half of the part, then a space.
        at = text.rfind("\n", low + size // 2, limit)
        if at < 0:
            at = text.rfind(" ", low + size // 2, limit)
        cut = outside(at + 1 if at >= 0 else limit, low)
        if cut >= n:
            break
        cuts.append(cut)
    return cuts


class _Site:
    """The pages of one report (page paths relative to the site folder)."""

    def __init__(
        self,
        report: Report,
        texts: Mapping[str, str],
        repo_url: str | None = None,
        writer: Writer | None = None,
    ) -> None:
        self.w = writer or MarkdownWriter()
        self.report = report
        self.base = report.base
        self.strict = report.strict
        self.results = report.facts
        self.repo_url = repo_url if repo_url and _REPO_URL.match(repo_url) else None
        if self.repo_url and not self.repo_url.endswith("/"):
            self.repo_url += "/"
        self.number = {id(r.fact): n for n, r in enumerate(self.results, 1)}
        self._repo_paths: dict[str, str | None] = {}
        self._labels: dict[int, str] = {}
        self._counts: dict[int, str] = {}
        # One page per source file: the declared id names it, its file stem (and any
        # other id for the same file) is an alias.
        by_path: dict[str, list[Source]] = defaultdict(list)
        for sid in sorted(self.base.sources):
            by_path[self.base.sources[sid].path].append(self.base.sources[sid])
        self.canonical: dict[str, str] = {}
        self.aliases: dict[str, list[str]] = {}
        for group in by_path.values():
            main = min(group, key=lambda s: (s.location is None, s.id)).id
            self.aliases[main] = [s.id for s in group if s.id != main]
            for s in group:
                self.canonical[s.id] = main
        self.texts: dict[str, str] = {}
        for sid, main in self.canonical.items():
            if sid in texts and main not in self.texts:
                self.texts[main] = texts[sid]
        self.source_slug = _slugs(self.aliases)
        self.entity_slug = _slugs(self.base.entities)
        self.predicate_slug = _slugs(self.base.predicates)
        # The rows of the index pages, in order (PAGE_SIZE a page).
        self.source_ids = sorted(self.aliases)
        self.entity_rows = sorted(self.base.entities.values(), key=lambda e: (e.kind, e.name))
        self.predicate_names = sorted(self.base.predicates)
        self.colours = entity_colours(self.base.entities)
        self.cites: dict[str, list[_Cite]] = defaultdict(list)
        self.cite_at: dict[tuple[int, int], int] = {}  # (fact, citation) -> its place in its source's list
        self._parts: dict[str, list[int]] = {}
        # Cells a fact shows in every table it is in, by what they depend on (see Writer.base).
        self._cells: dict[tuple[object, ...], str] = {}
        self.by_predicate: dict[str, list[FactResult]] = defaultdict(list)
        self.by_entity: dict[str, list[FactResult]] = defaultdict(list)
        self.fact_page: dict[int, str] = {}
        for n, r in enumerate(self.results, 1):
            for k, c in enumerate(r.citations, 1):
                listed = self.cites[self.canonical.get(c.citation.source, c.citation.source)]
                self.cite_at[n, k] = len(listed)
                listed.append(_Cite(n, k, c))
            facts = self.by_predicate[r.fact.predicate]
            facts.append(r)
            if r.fact.predicate in self.predicate_slug:
                self.fact_page[n] = self.predicate_page(r.fact.predicate, 1 + (len(facts) - 1) // PAGE_SIZE)
            named = [a.name for a in (*r.fact.args, r.fact.value) if isinstance(a, v.EntityRef)]
            for name in dict.fromkeys(named):
                self.by_entity[name].append(r)
        self.by_fact = by_fact = {id(r.fact): r for r in self.results}
        self.conflicts: list[tuple[int, Conflict, bool]] = []
        self.conflicts_of: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for i, conflict in enumerate(report.conflicts, 1):
            explained = conflict_is_explained(conflict, by_fact, self.strict)
            self.conflicts.append((i, conflict, explained))
            for f in conflict.facts:
                self.conflicts_of[id(f)].append((i, explained))
        # Every citation marked `contradicts`, listed on the conflicts pages (PAGE_SIZE a page).
        self.known_errors = [
            (r, _Cite(n, k, c))
            for n, r in enumerate(self.results, 1)
            for k, c in enumerate(r.citations, 1)
            if c.citation.contradicts
        ]

    def label(self, r: FactResult) -> str:
        """The fact's verdict as shown (computed once per fact)."""
        key = id(r.fact)
        if key not in self._labels:
            self._labels[key] = _fact_label(r, self.strict)
        return self._labels[key]

    def counts_of(self, facts: Sequence[FactResult]) -> str:
        """``8 facts: supported 4 ...`` for a list of facts (computed once per list, not per page)."""
        key = id(facts)
        if key not in self._counts:
            self._counts[key] = _fact_counts(facts, self.strict)
        return self._counts[key]

    # -- paths and links --------------------------------------------------------

    def source_page(self, sid: str, k: int = 1) -> str:
        slug = self.source_slug[self.canonical.get(sid, sid)]
        return f"sources/{slug}.md" if k == 1 else f"sources/{slug}/{k}.md"

    def source_pages(self, sid: str) -> int:
        """How many pages a source takes: one per part of its text or page of its citations."""
        return max(len(self.parts(sid)), _pages_of(len(self.cites.get(sid, ())), CITATIONS_SIZE))

    def parts(self, sid: str) -> list[int]:
        """Where each page's part of a source's text starts (``[0]`` for a text that fits one page).

        A part ends near :data:`TEXT_SIZE` characters, at a line break when
        there is one, and never inside a cited span or a matched quantity:
        each mark is whole on one page.
        """
        main = self.canonical.get(sid, sid)
        if main not in self._parts:
            text = self.texts.get(main)
            self._parts[main] = [0] if text is None else _cuts(text, self.cites.get(main, ()), TEXT_SIZE)
        return self._parts[main]

    def text_page(self, sid: str, position: int) -> str:
        """The page of a source that shows the text at ``position``."""
        return self.source_page(sid, bisect.bisect_right(self.parts(sid), position))

    def citation_page(self, cite: _Cite) -> str:
        """The page of a source that lists the citation."""
        sid = cite.result.citation.source
        return self.source_page(sid, 1 + self.cite_at[cite.fact_no, cite.k] // CITATIONS_SIZE)

    def entity_page(self, name: str, k: int = 1) -> str:
        slug = self.entity_slug[name]
        return f"entities/{slug}.md" if k == 1 else f"entities/{slug}/{k}.md"

    def predicate_page(self, name: str, k: int = 1) -> str:
        slug = self.predicate_slug[name]
        return f"predicates/{slug}.md" if k == 1 else f"predicates/{slug}/{k}.md"

    @staticmethod
    def summary_page(k: int) -> str:
        return "index.md" if k == 1 else f"all/{k}.md"

    @staticmethod
    def index_page(section: str, k: int = 1) -> str:
        """Page ``k`` of a section's index: ``sources/index.md``, then ``sources/index/2.md``...

        No source, entity or predicate has the slug ``index`` (see ``_slugs``),
        so no other page of the section is there.
        """
        return f"{section}/index.md" if k == 1 else f"{section}/index/{k}.md"

    @staticmethod
    def conflicts_page_of(k: int) -> str:
        return "conflicts.md" if k == 1 else f"conflicts/{k}.md"

    def conflict_page(self, i: int) -> str:
        """The page that shows conflict ``i`` (1-based)."""
        return self.conflicts_page_of(1 + (i - 1) // PAGE_SIZE)

    def fact_link(self, page: str, r: FactResult, text: str | None = None) -> str:
        """A link to the fact's entry on its predicate's page."""
        n = self.number[id(r.fact)]
        target = self.fact_page.get(n)
        key = ("fact", n, self.w.base(page), target == page)
        if text is None and key in self._cells:
            return self._cells[key]
        label = text if text is not None else md(_fact_head(r.fact))
        link = label if target is None else self.w.link(label, self.w.href(page, target, f"fact-{n}"))
        if text is None:
            self._cells[key] = link
        return link

    def has_source(self, sid: str) -> bool:
        return sid in self.canonical

    def cite_link(self, page: str, cite: _Cite) -> str:
        """A link from a fact to what it cites: the marked span, else the citation's entry."""
        c = cite.result
        sid = c.citation.source
        label = "@" + md(sid) + (" (contradicts)" if c.citation.contradicts else "")
        if not self.has_source(sid):
            return label
        if self.marked(cite):
            span = cite.result.span
            assert span is not None  # marked
            return self.w.link(label, self.w.href(page, self.text_page(sid, span[0]), cite.span_id))
        return self.w.link(label, self.w.href(page, self.citation_page(cite), cite.anchor))

    def marked(self, cite: _Cite) -> bool:
        """Whether the citation's span is marked in its source's text (so its anchor exists)."""
        text = self.texts.get(self.canonical.get(cite.result.citation.source, ""))
        span = cite.result.span
        return text is not None and span is not None and 0 <= span[0] <= span[1] <= len(text)

    def value_html(self, page: str, value: v.Value) -> str:
        if isinstance(value, v.EntityRef) and value.name in self.entity_slug:
            return self.w.link(md(value.name), self.w.href(page, self.entity_page(value.name)))
        return md(value.spelling())

    def cites_of(self, r: FactResult) -> list[_Cite]:
        n = self.number[id(r.fact)]
        return [_Cite(n, k, c) for k, c in enumerate(r.citations, 1)]

    def sources_cell(self, page: str, r: FactResult) -> str:
        """The links to what a fact cites, for a row of a table (never on a source's page)."""
        key = ("sources", id(r.fact), self.w.base(page))
        if key not in self._cells:
            links = [self.cite_link(page, cite) for cite in self.cites_of(r)]
            self._cells[key] = ", ".join(links) if links else _badge("uncited")
        return self._cells[key]

    def conflict_marks(self, page: str, r: FactResult) -> str:
        """A badge linking to each conflict the fact is part of."""
        out = []
        for i, explained in self.conflicts_of.get(id(r.fact), ()):
            if explained:
                badge = _badge(
                    "conflict, explained", "conflict-explained", "in conflict, but it fails anyway"
                )
            else:
                badge = _badge("conflict", "conflict", "in conflict with another fact of the same key")
            out.append(self.w.link(badge, self.w.href(page, self.conflict_page(i), f"conflict-{i}")))
        return " ".join(out)

    def verdict_cell(self, page: str, r: FactResult) -> str:
        """The verdict's badge (sortable by rank), its warnings and conflicts (not on the conflicts page)."""
        key = ("verdict", id(r.fact), self.w.base(page))
        if key not in self._cells:
            self._cells[key] = self._verdict_cell(page, r)
        return self._cells[key]

    def _verdict_cell(self, page: str, r: FactResult) -> str:
        label = self.label(r)
        rank = _VERDICT_RANK.get(label, 9)
        extra = ""
        if r.warnings:
            extra = " " + _badge(
                f"{len(r.warnings)} warning" + ("s" if len(r.warnings) > 1 else ""), "warning"
            )
        marks = self.conflict_marks(page, r)
        if marks:
            extra += " " + marks
        return f'<span data-value="{rank}">{_badge(label)}</span>{extra}'

    def value_cell(self, f: Fact) -> str:
        """The fact's comparator and value, sortable by the value's number."""
        key = ("value", id(f))
        if key not in self._cells:
            self._cells[key] = self._value_cell(f)
        return self._cells[key]

    def _value_cell(self, f: Fact) -> str:
        if f.comparator is None or f.value is None:
            return ""
        key = _sort_value(f.value)
        shown = md(f"{f.comparator} {f.value.spelling()}")
        return f'<span data-value="{key}">{shown}</span>' if key is not None else shown

    def where(self, location: Location | None) -> str:
        """Where the fact is written; a link to its line in the repository when known."""
        if location is None:
            return ""
        shown = md(f"{location.path}:{location.line}")
        rel = self.repo_path(location.path)
        if self.repo_url is None or rel is None:
            return f'<span class="factlang-where">{shown}</span>'
        href = escape(f"{self.repo_url}{rel}#L{location.line}")
        return f'<a class="factlang-where" href="{href}" rel="noopener">{shown}</a>'

    def repo_path(self, path: str) -> str | None:
        """A fact file's path relative to the project root, or None when outside it."""
        if path not in self._repo_paths:
            self._repo_paths[path] = self._repo_path(path)
        return self._repo_paths[path]

    def _repo_path(self, path: str) -> str | None:
        try:
            full = Path(path) if Path(path).is_absolute() else Path.cwd() / path
            rel = full.resolve().relative_to(Path(self.base.root).resolve())
        except (ValueError, OSError):
            return None
        return "/".join(rel.parts)

    def pager(self, page: str, k: int, pages: int, at: Callable[[int], str]) -> list[str]:
        """Links to the pages of a paginated list (nothing when there is one page).

        The first and last pages and those near page ``k``, with "…" for the
        rest: the pager stays small however many pages the list has.
        """
        if pages <= 1:
            return []

        def link(i: int | None) -> str:
            if i is None:
                return "…"
            return f"<strong>{i}</strong>" if i == k else self.w.link(str(i), self.w.href(page, at(i)))

        return self.w.pager(f"Page {k} of {pages}: " + " ".join(map(link, _pager_pages(k, pages))))

    # -- the whole site -----------------------------------------------------------

    def pages(self) -> Iterator[tuple[str, list[str]]]:
        """Every page (its path and its lines for the writer), one at a time."""
        for path, make in self.page_list():
            yield path, make()

    def page_list(self) -> list[tuple[str, Callable[[], list[str]]]]:
        """Every page, in order: its path, and what makes its lines.

        A page's lines depend on the report alone (what pages share is only
        memoised), so the pages may be made in any order, or in other processes.
        """
        todo: list[tuple[str, Callable[[], list[str]]]] = []

        def run(path: Callable[[int], str], make: Callable[..., list[str]], n: int, *head: object) -> None:
            # Pages 1..n of one list: make(*head, k, n) makes page k.
            todo.extend((path(k), partial(make, *head, k, n)) for k in range(1, n + 1))

        run(self.summary_page, self.summary, _pages(len(self.results)))
        count = max(_pages(len(self.conflicts)), _pages(len(self.known_errors)))
        run(self.conflicts_page_of, self.conflicts_page, count)
        run(partial(self.index_page, "sources"), self.sources_index, _pages(len(self.source_ids)))
        for sid in self.source_ids:
            run(partial(self.source_page, sid), self.source, self.source_pages(sid), self.base.sources[sid])
        run(partial(self.index_page, "entities"), self.entities_index, _pages(len(self.entity_rows)))
        for name in sorted(self.base.entities):
            count = _pages(len(self.by_entity.get(name, [])))
            run(partial(self.entity_page, name), self.entity, count, self.base.entities[name])
        run(partial(self.index_page, "predicates"), self.predicates_index, _pages(len(self.predicate_names)))
        for name in self.predicate_names:
            count = _pages(len(self.by_predicate.get(name, [])))
            run(partial(self.predicate_page, name), self.predicate, count, self.base.predicates[name])
        return todo

    # -- summary ------------------------------------------------------------------

    def open_conflicts(self) -> int:
        return sum(1 for _, _, explained in self.conflicts if not explained)

    def status(self) -> tuple[str, str]:
        """The admonition kind and the one-line answer to "does it hold?"."""
        s = self.report.summary()
        failed, conflicts = s["failed"], self.open_conflicts()
        if not failed and not conflicts:
            return "success", f"All {s['facts']} facts hold"
        parts = []
        if failed:
            parts.append(f"{failed} of {s['facts']} facts fail")
        if conflicts:
            parts.append(f"{conflicts} conflict" + ("s" if conflicts != 1 else ""))
        return "failure", ", ".join(parts)

    def counts(self, page: str) -> str:
        """The counts as compact badges (only those that are not zero)."""
        s = self.report.summary()
        parts = [f"{_badge(verdict)} {s[verdict]}" for verdict in FACT_VERDICTS if s[verdict]]
        if s["expected_failures"]:
            parts.append(f"{_badge('known errors reproduced', 'reproduced')} {s['expected_failures']}")
        if s["unexpected_passes"]:
            badge = _badge("known errors no longer reproduced", "no-longer-reproduced")
            parts.append(f"{badge} {s['unexpected_passes']}")
        if self.conflicts:
            explained = len(self.conflicts) - self.open_conflicts()
            label = f"{self.open_conflicts()}" + (
                f", {explained} explained by failing facts" if explained else ""
            )
            parts.append(
                self.w.link(_badge("conflicts", "conflict"), self.w.href(page, "conflicts.md")) + f" {label}"
            )
        if s["warnings"]:
            parts.append(f"{_badge('warnings', 'warning')} {s['warnings']}")
        if not parts:
            return ""
        return '<span class="factlang-counts">' + " ".join(f"<span>{p}</span>" for p in parts) + "</span>"

    def summary(self, k: int = 1, pages: int = 1) -> list[str]:
        page = self.summary_page(k)
        w = self.w
        out = w.heading(1, "Fact base" if k == 1 else f"All facts, page {k} of {pages}")
        if k == 1:
            kind, title = self.status()
            out += w.raw(
                f'<div class="admonition {kind}"><p class="admonition-title">{escape(title)}</p></div>'
            )
            counts = self.counts(page)
            if counts:
                out += w.para(counts)
            failing = list(self.report.failed)
            if failing:
                out += w.heading(2, "Failing facts")
                items = []
                for r in failing[:_FAILING_SHOWN]:
                    label = md(self.sentence_or_claim(r))
                    marks = self.conflict_marks(page, r)
                    items.append(
                        f"{self.fact_link(page, r, label)} {_badge(self.label(r))}"
                        + (f" {marks}" if marks else "")
                    )
                if len(failing) > _FAILING_SHOWN:
                    items.append(
                        f"… and {len(failing) - _FAILING_SHOWN} more: filter the table below by verdict."
                    )
                out += w.items(items)

            def to(text: str, target: str) -> str:
                return w.link(text, w.href(page, target))

            out += w.para(
                f"Browse by {to('source', 'sources/index.md')} ({len(self.aliases)}), "
                f"{to('entity', 'entities/index.md')} ({len(self.base.entities)}) or "
                f"{to('predicate', 'predicates/index.md')} ({len(self.base.predicates)}); "
                f"see the {to('conflicts and known errors', 'conflicts.md')}."
            )
            out += w.heading(2, "All facts")
        if not self.results:
            out += w.para("The fact base has no facts.")
            return out
        out += self.pager(page, k, pages, self.summary_page)
        rows = [
            [
                self.verdict_cell(page, r),
                self.fact_link(page, r),
                self.value_cell(r.fact),
                self.sources_cell(page, r),
                self.where(r.fact.location),
            ]
            for r in _chunk(self.results, k)
        ]
        # The verdict first: on a phone it is the column that shows without scrolling the table.
        out += w.table(["Verdict", "Fact", "Value", "Sources", "Written at"], rows, filterable=True)
        out += self.pager(page, k, pages, self.summary_page)
        return out

    def sentence_or_claim(self, r: FactResult) -> str:
        return _sentence(self.base.predicates.get(r.fact.predicate), r.fact) or r.fact.claim

    # -- conflicts and known errors -------------------------------------------------------

    def conflicts_page(self, k: int = 1, pages: int = 1) -> list[str]:
        """Page ``k`` of the conflicts and known errors (:data:`PAGE_SIZE` of each a page)."""
        page = self.conflicts_page_of(k)
        w = self.w
        title = "Conflicts and known errors" + ("" if k == 1 else f", page {k} of {pages}")
        out = w.heading(1, title)
        out += self.pager(page, k, pages, self.conflicts_page_of)
        conflicts = _chunk(self.conflicts, k)
        if k == 1 or conflicts:
            out += w.heading(2, "Conflicts")
        if k == 1:
            out += w.prose(
                "Facts with the same key whose values cannot all hold. A conflict whose facts all fail "
                "verification but one is *explained*: those failures already fail the run, and once they "
                "are fixed or removed nothing is left in conflict, so it is shown with them and not "
                "counted again."
            )
        by_fact = self.by_fact
        if not self.conflicts:
            out += w.para("No conflicts.")
        for i, conflict, explained in conflicts:
            badge = _badge("conflict, explained", "conflict-explained") if explained else _badge("conflict")
            out += w.raw(f'<h3 id="conflict-{i}">{escape(conflict.key)}</h3>')
            out += w.para(f"{badge} {md(conflict.message)}")
            if explained:
                failing = [
                    f
                    for f in conflict.facts
                    if (r := by_fact.get(id(f))) and not r.passes(strict=self.strict)
                ]
                out += w.para(
                    f"Explained: {len(failing)} of its {len(conflict.facts)} facts fail verification "
                    "(see their verdicts below)."
                )
            rows = []
            for f in conflict.facts:
                r = by_fact.get(id(f))
                if r is None:  # pragma: no cover - conflicts are between the report's facts
                    continue
                rows.append(
                    [
                        self.fact_link(page, r, md(f.claim)),
                        _badge(self.label(r)),
                        self.sources_cell(page, r),
                        self.where(f.location),
                    ]
                )
            out += self.w.table(["Fact", "Verdict", "Sources", "Written at"], rows)
        known = _chunk(self.known_errors, k)
        if k == 1 or known:
            out += w.heading(2, "Known errors")
        if k == 1:
            out += w.prose(
                "Citations marked `contradicts`: the source is known to be wrong here. Each must still",
                "be refuted by its source; one that is not fails the run.",
            )
        rows = []
        for r, cite in known:
            c = cite.result
            label, kind = _citation_label(c)
            rows.append(
                [
                    self.fact_link(page, r, md(r.fact.claim)),
                    self.cite_link(page, cite),
                    md(c.citation.quote) if c.citation.quote is not None else "(no quote)",
                    _badge(label, kind),
                ]
            )
        if rows:
            out += self.w.table(["Fact", "Source", "Quote", "Still reproduces?"], rows)
        elif not self.known_errors:
            out += w.prose("No citation is marked `contradicts`.")
        out += self.pager(page, k, pages, self.conflicts_page_of)
        return out

    # -- indexes -----------------------------------------------------------------------

    def index_start(self, name: str, k: int, pages: int, listed: bool) -> tuple[str, list[str]]:
        """Page ``k`` of the ``name`` index: its address, and its heading with the pager above its table.

        When nothing is ``listed``, a line saying so instead of the pager.
        """
        page = self.index_page(name, k)
        w = self.w
        out = w.heading(1, name.capitalize() + ("" if k == 1 else f", page {k} of {pages}"))
        if not listed:
            return page, out + w.para(f"The fact base has no {name}.")
        return page, out + self.index_pager(name, page, k, pages)

    def index_pager(self, name: str, page: str, k: int, pages: int) -> list[str]:
        """The links to the other pages of the ``name`` index, from its page ``k``."""
        return self.pager(page, k, pages, lambda i: self.index_page(name, i))

    # -- sources -----------------------------------------------------------------------

    def sources_index(self, k: int = 1, pages: int = 1) -> list[str]:
        """Page ``k`` of the sources (:data:`PAGE_SIZE` a page, by id)."""
        page, out = self.index_start("sources", k, pages, bool(self.source_ids))
        if not self.source_ids:
            return out
        w = self.w
        rows = []
        for sid in _chunk(self.source_ids, k):
            src = self.base.sources[sid]
            cites = self.cites.get(sid, [])
            aliases = self.aliases[sid]
            name = w.link(md(sid), w.href(page, self.source_page(sid)))
            if aliases:
                shown, more = _some(aliases)
                name += " (also " + ", ".join(md(a) for a in shown) + more + ")"
            rows.append(
                [
                    name,
                    md(src.title or ""),
                    md(src.outlet or ""),
                    md(src.published.isoformat()) if src.published else "",
                    _number(len(cites)),
                ]
            )
        out += w.table(["Source", "Title", "Outlet", "Published", "Citations"], rows, filterable=True)
        out += self.index_pager("sources", page, k, pages)
        return out

    def source(self, src: Source, k: int = 1, pages: int = 1) -> list[str]:
        """Page ``k`` of a source: metadata (on the first), a legend, its text's part ``k``, citations."""
        w = self.w
        page = self.source_page(src.id, k)
        cites = self.cites.get(src.id, [])
        title = _heading(src.title or src.id) + ("" if k == 1 else f", page {k} of {pages}")
        out = w.heading(1, title)
        if k > 1:
            out += self.pager(page, k, pages, lambda i: self.source_page(src.id, i))
            out += self.source_body(src, page, cites, k)
            return out
        failing = sum(1 for c in cites if not c.result.ok)
        brief = [x for x in (src.outlet, src.published.isoformat() if src.published else None) if x]
        brief.append(f"{len(cites)} citation" + ("s" if len(cites) != 1 else ""))
        if failing:
            brief.append(f"{failing} failing")
        fields = [("Source id", _code(src.id))]
        if self.aliases.get(src.id):
            fields.append(("Also cited as", ", ".join(_code(a) for a in self.aliases[src.id])))
        fields.append(("File", _code(src.path)))
        for label, value in (("Title", src.title), ("Outlet", src.outlet), ("Author", src.author)):
            if value:
                fields.append((label, escape(value)))
        if src.url:
            fields.append(("URL", _url(src.url)))
        if src.published:
            fields.append(("Published", escape(src.published.isoformat())))
        for key in sorted(src.metadata):
            fields.append((escape(key), escape(str(src.metadata[key]))))
        if src.location:
            fields.append(("Declared at", escape(str(src.location))))
        dl = "".join(f"<dt>{k}</dt><dd>{val}</dd>" for k, val in fields)
        out += w.raw(
            f'<details class="factlang-meta"><summary>{escape(" · ".join(brief))}</summary>'
            f"<dl>{dl}</dl></details>"
        )
        if self.texts.get(src.id) is None:
            out += w.raw(
                '<div class="admonition warning"><p class="admonition-title">Text unavailable</p>'
                "<p>The source file could not be read when the pages were built.</p></div>"
            )
        out += self.pager(page, k, pages, lambda i: self.source_page(src.id, i))
        out += self.source_body(src, page, cites, k)
        return out

    def source_body(self, src: Source, page: str, cites: Sequence[_Cite], k: int) -> list[str]:
        """A source page's part of the text (with its legend) and its page of citations."""
        w = self.w
        out: list[str] = []
        text = self.texts.get(src.id)
        parts = self.parts(src.id)
        if text is not None and k <= len(parts):
            end = parts[k] if k < len(parts) else len(text)
            body, used = self.highlighted(text, cites, page, parts[k - 1], end)
            if used:
                out += w.raw(self.legend(used))
            out += w.heading(2, "Text")
            out += w.raw(body)
        shown = _chunk(cites, k, CITATIONS_SIZE)
        if shown or k == 1:
            out += w.heading(2, "Citations")
        if not cites:
            out += w.para("No fact cites this source.")
        entries: list[str] = []
        for cite in shown:
            entries += self.citation_entry(page, cite)
        # Not for the search: each entry repeats a fact's own entry (its claim, quote and verdict).
        out += w.unindexed(entries)
        if len(parts) > 1 or len(cites) > CITATIONS_SIZE:
            out += self.pager(page, k, self.source_pages(src.id), lambda i: self.source_page(src.id, i))
        return out

    def highlighted(
        self, text: str, cites: Sequence[_Cite], page: str = "", start: int = 0, end: int | None = None
    ) -> tuple[str, set[str]]:
        """The source text from ``start`` to ``end`` in one raw HTML block; the marks used.

        Every cited span (and matched quantity) in the part is in a ``<mark>``.
        """
        spans: dict[tuple[int, int], list[_Cite]] = defaultdict(list)
        quantities: set[tuple[int, int]] = set()
        n = len(text)
        end = n if end is None else end
        last = end == n  # the last part also holds the empty spans at the very end

        def here(a: int, b: int) -> bool:
            return start <= a and (a < end or (last and a == n)) and b <= end

        for cite in cites:
            # A quote with elisions marks every located part; the first is the citation's anchor.
            parts = cite.result.spans or ((cite.result.span,) if cite.result.span is not None else ())
            parts = tuple(p for p in parts if 0 <= p[0] <= p[1] <= n and here(*p))
            if not parts:
                continue
            for part in parts:
                spans[part].append(cite)
            q = cite.result.matched
            if q is not None and 0 <= q.start < q.end <= n and here(q.start, q.end):
                quantities.add((q.start - start, q.end - start))

        def href(cite: _Cite) -> str:
            return self.w.href(page, self.citation_page(cite), cite.anchor)

        marks = [
            attrs.evolve(m, start=m.start - start, end=m.end - start) if start else m
            for m in (_Mark.of(span, group, self.results, href) for span, group in sorted(spans.items()))
        ]
        used = {m.kind for m in marks}
        ordered = sorted(marks, key=lambda m: (m.start, -m.end))
        if any(b.start < a.end for a, b in pairwise(ordered)):
            used.add("overlap")
        if quantities:
            used.add("quantity")
        piece = text if start == 0 and end == n else text[start:end]
        body = _render_marks(piece, marks, sorted(quantities))
        return f'<div class="factlang-source" style="white-space: pre-wrap">{body}</div>', used

    @staticmethod
    def legend(used: set[str]) -> str:
        """What each mark in the text means (only the marks used on the page)."""
        items = []
        if "supported" in used:
            items.append('<mark class="factlang-span">quote that supports a fact</mark>')
        if "failing" in used:
            items.append('<mark class="factlang-span factlang-span--failing">quote that fails</mark>')
        if "known-error" in used:
            items.append(
                '<mark class="factlang-span factlang-span--known-error">known error in the source</mark>'
            )
        if "overlap" in used:
            items.append(
                '<mark class="factlang-span">quotes <mark class="factlang-span">overlapping</mark></mark>'
                " (the inner one underlined)"
            )
        if "quantity" in used:
            items.append('<strong class="factlang-quantity">16%</strong> the value that was matched')
        items.append(
            '<sup class="factlang-refs"><a>[3]</a></sup> the facts citing a quote (3.2: its second citation)'
        )
        lis = "".join(f"<li>{item}</li>" for item in items)
        return f'<ul class="factlang-legend factlang-legend--marks" aria-label="Legend">{lis}</ul>'

    def citation_entry(self, page: str, cite: _Cite) -> list[str]:
        """One citation on its source's page: the fact, the outcome, the quote, the explanation."""
        c = cite.result
        r = self.results[cite.fact_no - 1]
        label, kind = _citation_label(c)
        back = ""
        if self.marked(cite) and c.span is not None:
            target = self.w.href(page, self.text_page(c.citation.source, c.span[0]), cite.span_id)
            back = " " + self.w.link("↑ in the text", target)
        head = (
            f'<a id="{cite.anchor}" class="factlang-anchor"></a>'
            f"{self.fact_link(page, r, '<strong>' + md(r.fact.claim) + '</strong>')} "
            f"{_badge(label, kind)}{back}"
        )
        lines = self.w.para(head)
        details = []
        if c.citation.source != self.canonical.get(c.citation.source, c.citation.source):
            details.append(f"cited as {_code(c.citation.source)}")
        if c.citation.quote is not None:
            details.append(f"quote: “{md(c.citation.quote)}”")
        else:
            details.append("no quote: evidence found by searching the source")
        real = c.source_text
        if (
            real is not None
            and c.citation.quote is not None
            and c.similarity is not None
            and c.similarity < 1
        ):
            details.append(f"the source reads: “{md(real)}” (similarity {c.similarity:.2f})")
        details += [md(m.message) for m in c.messages]
        details += [f"{_badge('warning')} {md(w.message)}" for w in c.warnings]
        lines += self.w.items(details)
        return lines

    # -- entities ------------------------------------------------------------------------

    def entities_index(self, k: int = 1, pages: int = 1) -> list[str]:
        """Page ``k`` of the entities (:data:`PAGE_SIZE` a page), a table per kind."""
        page, out = self.index_start("entities", k, pages, bool(self.entity_rows))
        if not self.entity_rows:
            return out
        w = self.w
        mentions = self.by_entity
        shown = _chunk(self.entity_rows, k)
        before = self.entity_rows[(k - 1) * PAGE_SIZE - 1].kind if k > 1 else None
        for kind, group in itertools.groupby(shown, key=lambda e: e.kind):
            out += w.heading(2, md(kind) + (" (continued)" if kind == before else ""))
            rows = []
            for e in group:
                aliases, more = _some(e.aliases)
                rows.append(
                    [
                        w.link(md(e.name), w.href(page, self.entity_page(e.name))),
                        md(", ".join(aliases)) + more,
                        _number(len(mentions.get(e.name, []))),
                    ]
                )
            out += w.table(["Entity", "Also called", "Facts"], rows, filterable=len(rows) > 20)
        out += self.index_pager("entities", page, k, pages)
        return out

    def entity(self, e: Entity, k: int = 1, pages: int = 1) -> list[str]:
        page = self.entity_page(e.name, k)
        facts = self.by_entity.get(e.name, [])
        title = _heading(e.name) + ("" if k == 1 else f", page {k} of {pages}")
        out = self.w.heading(1, title)
        info = f"A {_code(e.kind)}"
        if e.aliases:
            info += ", also called " + ", ".join(f"“{md(a)}”" for a in e.aliases)
        if e.location:
            info += f"; declared at {md(str(e.location))}"
        out += self.w.para(info + ".")
        if not facts:
            out += self.w.para("No fact mentions this entity.")
            return out
        out += self.w.para(self.counts_of(facts))
        out += self.pager(page, k, pages, lambda i: self.entity_page(e.name, i))
        rows = [
            [
                self.verdict_cell(page, r),
                self.fact_link(page, r),
                self.value_cell(r.fact),
                self.sources_cell(page, r),
            ]
            for r in _chunk(facts, k)
        ]
        out += self.w.table(["Verdict", "Fact", "Value", "Sources"], rows, filterable=len(rows) > 10)
        out += self.pager(page, k, pages, lambda i: self.entity_page(e.name, i))
        return out

    # -- predicates ----------------------------------------------------------------------

    def predicates_index(self, k: int = 1, pages: int = 1) -> list[str]:
        """Page ``k`` of the predicates (:data:`PAGE_SIZE` a page, by name)."""
        page, out = self.index_start("predicates", k, pages, bool(self.predicate_names))
        if not self.predicate_names:
            return out
        w = self.w
        counts = self.by_predicate
        rows = []
        for name in _chunk(self.predicate_names, k):
            p = self.base.predicates[name]
            rows.append(
                [
                    w.link(md(name), w.href(page, self.predicate_page(name))),
                    _code(_signature(p)),
                    _number(len(counts.get(name, []))),
                    self.counts_of(counts[name]) if counts.get(name) else "",
                ]
            )
        out += w.table(["Predicate", "Signature", "Facts", "Verdicts"], rows)
        out += self.index_pager("predicates", page, k, pages)
        return out

    def predicate(self, p: Predicate, k: int = 1, pages: int = 1) -> list[str]:
        w = self.w
        page = self.predicate_page(p.name, k)
        facts = self.by_predicate.get(p.name, [])
        title = _heading(p.name) + ("" if k == 1 else f", page {k} of {pages}")
        out = w.heading(1, title) + w.para(_code(_signature(p)))
        if p.template:
            out += w.raw(f"<blockquote><p>{md(p.template)}</p></blockquote>")
        if not facts:
            out += w.para("No fact uses this predicate.")
            return out
        out += w.para(self.counts_of(facts))
        if k == 1:
            links = {self.number[id(r.fact)]: self.fact_href(page, r) for r in facts}
            for chart in _charts(p, facts, self.number, self.colours, links):
                out += w.raw(chart, indexed=False)  # its data is in the facts, indexed
        out += self.pager(page, k, pages, lambda i: self.predicate_page(p.name, i))
        shown = _chunk(facts, k)
        header = [escape(param.name) for param in p.params]
        if not p.is_relation:
            header.append("Value")
        header += ["Verdict", "Sources"]
        rows = []
        for r in shown:
            n = self.number[id(r.fact)]
            args = [self.value_html(page, a) for a in r.fact.args]
            if args:
                args[0] = self.w.link("¶", f"#fact-{n}") + " " + args[0]
            else:
                args = [self.w.link("¶", f"#fact-{n}")]
            if r.fact.negated:
                args[0] += " (not)"
            row = [*args]
            if not p.is_relation:
                row.append(self.value_cell(r.fact))
            row += [self.verdict_cell(page, r), self.sources_cell(page, r)]
            rows.append(row)
        if not p.params:
            header.insert(0, "Fact")
        out += w.table(header, rows, filterable=len(rows) > 10)
        out += w.heading(2, "Facts")
        for r in shown:
            out += self.fact_entry(page, p, r)
        out += self.pager(page, k, pages, lambda i: self.predicate_page(p.name, i))
        return out

    def fact_href(self, page: str, r: FactResult) -> str:
        """The target of a chart point's link: the fact's entry (in Markdown only when it is on ``page``).

        (MkDocs does not rewrite links in raw HTML, so in Markdown pages only
        same-page anchors are safe; the HTML writer gives final URLs.)
        """
        n = self.number[id(r.fact)]
        target = self.fact_page.get(n)
        if target == page:
            return f"#fact-{n}"
        return self.w.href(page, target, f"fact-{n}") if self.w.html and target is not None else ""

    def fact_entry(self, page: str, p: Predicate, r: FactResult) -> list[str]:
        """A fact in detail, the target of every link to the fact: its sentence, key, verdict, citations.

        The entry is a heading (``<h3 id="fact-N">``), so the site's search
        indexes each fact on its own: the sentence, then the key, the
        entities, the verdict and the quotes.
        """
        n = self.number[id(r.fact)]
        label = self.label(r)
        sentence = _sentence(p, r.fact)
        head = sentence or r.fact.claim
        lines = self.w.raw(f'<h3 id="fact-{n}" class="factlang-fact">{md(head)}</h3>')
        meta = f"{_code(r.fact.claim)} {_badge(label)}"
        marks = self.conflict_marks(page, r)
        if marks:
            meta += f" {marks}"
        where = self.where(r.fact.location)
        if where:
            meta += f" · {where}"
        lines += self.w.para(meta)
        items = []
        for cite in self.cites_of(r):
            c = cite.result
            clabel, kind = _citation_label(c)
            quote = f" “{md(c.citation.quote)}”" if c.citation.quote is not None else " (no quote)"
            text = f"{self.cite_link(page, cite)} {_badge(clabel, kind)}{quote}"
            notes = [md(m.message) for m in c.messages] + [
                f"{_badge('warning')} {md(w.message)}" for w in c.warnings
            ]
            if notes:
                text += " — " + "; ".join(notes)
            items.append(text)
        items += [md(m.message) for m in r.messages]
        if not items:
            items.append("The fact has no citation.")
        lines += self.w.items(items)
        if not r.passes(strict=self.strict):
            # The shared explainer's account (the one `check`, pytest and the build log give).
            why = escape(explain(r, strict=self.strict), newlines=True)
            lines += self.w.raw(
                f'<details class="factlang-why"><summary>Why it fails</summary><pre>{why}</pre></details>'
            )
        return lines
