"""The pages of a report, as Markdown: summary, conflicts, sources, entities, predicates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from factlang import values as v
from factlang.model import Entity, Fact, Predicate, Source
from factlang.render.site.assets import ASSETS
from factlang.render.site.charts import _charts
from factlang.render.site.common import (
    _VERDICT_RANK,
    _badge,
    _citation_label,
    _Cite,
    _fact_counts,
    _fact_head,
    _fact_label,
    _link,
    _number,
    _reading,
    _rel,
    _signature,
    _slugs,
    _sort_value,
    _table,
)
from factlang.render.site.escape import _code, _heading, _url, escape
from factlang.render.site.marks import _Mark, _render_marks
from factlang.render.text import summary_line
from factlang.report import FACT_VERDICTS, FactResult, Report

__all__ = ["build_pages"]


def build_pages(report: Report, texts: Mapping[str, str]) -> dict[str, str]:
    """Every page for ``report``, as a mapping of relative path to Markdown (plus the assets).

    ``texts`` maps source ids to their text, exactly as the verifier read it
    (see :func:`read_sources`): spans are character offsets into it. A
    source missing from ``texts`` gets a page without its text. The result
    depends only on the arguments, so the same report gives the same pages.
    """
    return _Site(report, texts).build()


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
        marks = [_Mark.of(span, group, self.results) for span, group in sorted(spans.items())]
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
        details += [escape(m) for m in c.messages]
        details += [f"{_badge('warning')} {escape(w)}" for w in c.warnings]
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
            notes = [escape(m) for m in c.messages] + [f"{_badge('warning')} {escape(w)}" for w in c.warnings]
            if notes:
                text += " — " + "; ".join(notes)
            items.append(text)
        items += [escape(m) for m in r.messages]
        if not items:
            items.append("The fact has no citation.")
        lines += [f"- {item}" for item in items]
        lines.append("")
        return lines
