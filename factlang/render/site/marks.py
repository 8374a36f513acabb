"""Cited spans of a source text, highlighted with ``<mark>`` and linked to their citations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import attrs

from factlang.render.site.common import _citation_label, _Cite
from factlang.render.site.escape import escape
from factlang.report import FactResult


@attrs.frozen
class _Mark:
    """A cited span of a source: its anchor, its look, its citations."""

    start: int
    end: int
    anchor: str
    kind: str  # supported, failing or known-error (for the legend)
    css: str
    title: str
    refs: tuple[tuple[str, str], ...]  # (link to the citation's entry, label)

    @classmethod
    def of(
        cls,
        span: tuple[int, int],
        cites: Sequence[_Cite],
        facts: Sequence[FactResult],
        href: Callable[[_Cite], str] | None = None,
    ) -> _Mark:
        """The mark of one span; ``href`` links to a citation's entry (``#cite-N-K`` by default)."""
        results = [c.result for c in cites]
        if all(c.ok for c in results):
            known = all(c.citation.contradicts for c in results)
            kind, css = ("known-error", "factlang-span--known-error") if known else ("supported", "")
        else:
            kind, css = "failing", "factlang-span--failing"
        claims = []
        for cite in cites:
            r = facts[cite.fact_no - 1]
            label, _ = _citation_label(cite.result)
            claims.append(f"{r.fact.claim} ({label})")
        link = href or (lambda c: f"#{c.anchor}")
        refs = tuple((link(c), f"{c.fact_no}" if c.k == 1 else f"{c.fact_no}.{c.k}") for c in cites)
        anchor = f"q-{span[0]}-{span[1]}"  # each part of an elided quote is its own mark
        return cls(span[0], span[1], anchor, kind, f"factlang-span {css}".strip(), "; ".join(claims), refs)

    def open(self, first: bool) -> str:
        """The opening tag: the first piece of a span carries its ``id``, the others ``data-span``."""
        ident = f'id="{self.anchor}"' if first else f'data-span="{self.anchor}"'
        return f'<mark {ident} class="{self.css}" title="{escape(self.title)}">'

    def refs_html(self) -> str:
        links = "".join(
            f'<a href="{a}" title="citation {escape(label)}">[{escape(label)}]</a>' for a, label in self.refs
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
