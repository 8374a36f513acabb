"""Small pieces every page uses: slugs, links, badges, tables, labels, numbered citations."""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from factlang import values as v
from factlang.model import TEMPLATE_SLOT, Fact, Predicate
from factlang.render.site.escape import escape, md
from factlang.report import CitationResult, FactResult

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
    target = _relpath(posixpath.dirname(from_page) or ".", to_page)
    return f"{target}#{anchor}" if anchor else target


@functools.lru_cache(maxsize=8192)
def _relpath(from_dir: str, to_page: str) -> str:
    # Pages link to a few folders from a few folders: computed once per pair.
    return posixpath.relpath(to_page, from_dir)


def _link(text_html: str, target: str) -> str:
    """A Markdown link; ``text_html`` is already escaped, ``target`` made of slugs."""
    return f"[{text_html}]({target})"


def _badge(label: str, kind: str | None = None, title: str | None = None) -> str:
    tip = f' title="{escape(title)}"' if title else ""
    return f'<span class="factlang-badge factlang-badge--{kind or label}"{tip}>{md(label)}</span>'


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


_SLOT: Final = TEMPLATE_SLOT


_COMPARED: Final = {
    "=": "{v}",
    "~": "about {v}",
    ">": "more than {v}",
    ">=": "at least {v}",
    "<": "less than {v}",
    "<=": "at most {v}",
    "!=": "not {v}",
}


def _value_words(f: Fact) -> str | None:
    """The fact's value as a sentence states it: ``16%``, ``more than 5%``."""
    if f.comparator is None or f.value is None:
        return None
    return _COMPARED.get(f.comparator, f.comparator + " {v}").format(v=f.value.spelling())


def _sentence(p: Predicate | None, f: Fact) -> str | None:
    """The fact in words, from its predicate's template (SPEC §2), or None without one.

    Slots take the arguments; ``{value}`` takes the value with its comparator
    in words ("more than 5%"). A template without ``{value}`` is followed by
    the value: "Huawei's smartphone market share in China in 2024: 16%".
    """
    if p is None or not p.template:
        return None
    args = {param.name: a.spelling() for param, a in zip(p.params, f.args, strict=False)}
    value = _value_words(f)
    if value is not None:
        args.setdefault("value", value)
    text = _SLOT.sub(lambda m: args.get(m.group(1), m.group(0)), p.template)
    if value is not None and "value" not in _SLOT.findall(p.template):
        text += f": {value}"
    return f"Not so: {text}" if f.negated else text


def _time_position(t: v.Value) -> float:
    """A time value as a point on a year axis, at the first day it covers (2024-Q3 is 2024.5)."""
    period = v.time_period(t)
    if period is None:
        raise TypeError(f"not a time value: {t!r}")
    first = period[0]
    start = _dt.date(first.year, 1, 1)
    days = (_dt.date(first.year + 1, 1, 1) - start).days
    return first.year + (first - start).days / days
