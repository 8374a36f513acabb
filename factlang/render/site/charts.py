"""Charts: a predicate's numeric values over its time argument, as inline SVG with a data table.

A chart is drawn at a width of :data:`_W` user units with text of
:data:`_FONT` units, and scales down to its column: on a 390 px phone the
content column is about 358 px, so text renders at ``15 * 358 / 480`` = 11 px
or more. Each series takes the colour of its first entity, the same on every
page of the site (:func:`entity_colours`). When the time argument takes one
value the chart is a bar chart (one bar per series); otherwise a line per
series over a time axis. Every point carries its value as a label, the
legend is HTML (it wraps on a phone), and a table of the same data follows
each chart for readers who cannot see it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Final

import attrs

from factlang import values as v
from factlang.model import Predicate
from factlang.render.site.common import _UNSAFE_RUN, _time_position
from factlang.render.site.escape import escape
from factlang.report import FactResult

# Colour-blind-safe hues (Okabe-Ito and Tableau), dark enough for white and light backgrounds.
_PALETTE: Final = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#8c6d00",
    "#56b4e9",
    "#6a3d9a",
    "#b15928",
    "#1b9e77",
    "#e7298a",
)
_W: Final = 480
_FONT: Final = 15
_LEFT: Final = 64
_RIGHT: Final = 24
_TOP: Final = 24
_PLOT_H: Final = 200
_BOTTOM: Final = 30
_BAR: Final = 18
_BAR_ROW: Final = 48
#: Above these the chart would not read: the table alone shows the values.
MAX_SERIES: Final = 10
MAX_POINTS: Final = 120


def entity_colours(names: Iterable[str]) -> dict[str, str]:
    """A colour for each entity, the same on every page (by sorted name)."""
    return {name: _PALETTE[i % len(_PALETTE)] for i, name in enumerate(sorted(set(names)))}


@attrs.frozen
class _Point:
    x: float  # position on the time axis
    label: str  # the time value as written
    y: float
    shown: str  # the value as written
    fact_no: int
    passed: bool
    claim: str


@attrs.frozen
class _Series:
    name: str
    colour: str
    points: tuple[_Point, ...]


def _unit_key(value: v.Percent | v.Money | v.Number) -> str:
    if isinstance(value, v.Money):
        return f"Money {value.currency}"
    return type(value).__name__


def _nice_step(span: float, ticks: int = 4) -> float:
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
        prefix = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}.get(code, code + " ")
        sign = "-" if x < 0 else ""
        return f"{sign}{prefix}{_compact(abs(x))}"
    return _compact(x)


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _unit_slug(unit: str) -> str:
    return _UNSAFE_RUN.sub("-", unit).strip("-") or "unit"


def _charts(
    p: Predicate,
    facts: Sequence[FactResult],
    number: Mapping[int, int],
    colours: Mapping[str, str],
    link: Mapping[int, str],
) -> list[str]:
    """The charts of a predicate's facts: one per unit (percent, number, money of one currency).

    One series per combination of the other arguments. Only facts that state a
    value (``=`` or ``~``) are plotted; a failing fact's point is ringed in
    red. ``link`` maps a fact's number to the link target of its entry.
    """
    times = [i for i, param in enumerate(p.params) if param.type in v.TIME_TYPES]
    if not times or p.is_relation:
        return []
    ti = times[0]
    # The points are made only for a chart that is drawn (a large predicate's is only a note).
    groups: dict[str, dict[str, list[tuple[FactResult, v.Value, v.Percent | v.Money | v.Number]]]]
    groups = defaultdict(lambda: defaultdict(list))
    firsts: dict[str, str] = {}
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
        others = [a for i, a in enumerate(f.args) if i != ti]
        series = ", ".join(a.spelling() for a in others) or p.name
        entity = next((a.name for a in others if isinstance(a, v.EntityRef)), None)
        if entity is not None:
            firsts.setdefault(series, entity)
        groups[_unit_key(value)][series].append((r, t, value))
    out = []
    for unit, by_series in sorted(groups.items()):
        count = sum(len(found) for found in by_series.values())
        if len(by_series) > MAX_SERIES or count > MAX_POINTS:
            out.append(_too_many(len(by_series), count))
            continue
        fallback = iter(_PALETTE * (1 + len(by_series) // len(_PALETTE)))
        lines = []
        for name, found in sorted(by_series.items()):
            pts = [
                _Point(
                    _time_position(t),
                    t.spelling(),
                    float(value.total),
                    value.spelling(),
                    number[id(r.fact)],
                    r.passed,
                    r.fact.claim,
                )
                for r, t, value in found
            ]
            colour = colours.get(firsts.get(name, ""), "") or next(fallback)
            lines.append(_Series(name, colour, tuple(sorted(pts, key=lambda pt: (pt.x, pt.fact_no)))))
        out.append(_figure(p, unit, lines, link))
    return out


def _too_many(series: int, points: int) -> str:
    # The page's own (paginated) table lists the values: a second copy here would grow with them.
    return (
        f'<p class="factlang-chart-note">{series} series and {points} values are too '
        "many to chart legibly; the table below lists them.</p>"
    )


def _figure(p: Predicate, unit: str, series: Sequence[_Series], link: Mapping[int, str]) -> str:
    """One chart (or, when it would not read, only a note) with its legend and data table."""
    time_param = next(q for q in p.params if q.type in v.TIME_TYPES)
    what = unit.replace("Money ", "")
    title = f"{p.name}: {what} by {time_param.name}"
    ident = f"chart-{_UNSAFE_RUN.sub('-', p.name)}-{_unit_slug(unit)}"
    points = [pt for s in series for pt in s.points]
    times = {pt.x for pt in points}
    if len(series) > MAX_SERIES or len(points) > MAX_POINTS:
        return _too_many(len(series), len(points))
    else:
        svg = (
            _bars(ident, title, unit, series, link)
            if len(times) == 1
            else _lines(ident, title, unit, series, link)
        )
        legend = _legend(series)
    caption = f"<figcaption>{escape(title)}</figcaption>"
    return (
        f'<figure class="factlang-chart" id="{ident}">{caption}{svg}{legend}'
        f"{_data_table(time_param.name, unit, series)}</figure>"
    )


def _legend(series: Sequence[_Series]) -> str:
    items = "".join(
        f'<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" rx="2" '
        f'fill="{s.colour}"/></svg> {escape(s.name)}</li>'
        for s in series
    )
    return f'<ul class="factlang-legend">{items}</ul>'


def _data_table(time_name: str, unit: str, series: Sequence[_Series]) -> str:
    rows = "".join(
        f"<tr><td>{escape(s.name)}</td><td>{escape(pt.label)}</td><td>{escape(pt.shown)}</td>"
        f"<td>{'holds' if pt.passed else 'fails'}</td></tr>"
        for s in series
        for pt in s.points
    )
    head = f"<tr><th>Series</th><th>{escape(time_name)}</th><th>Value</th><th>Verdict</th></tr>"
    return (
        '<details class="factlang-chart-data"><summary>The chart as a table</summary>'
        f"<table><thead>{head}</thead><tbody>{rows}</tbody></table></details>"
    )


def _scale(values: Sequence[float]) -> tuple[float, float, float]:
    lo, hi = min(0.0, *values), max(0.0, *values)
    if lo == hi:
        hi = lo + 1
    step = _nice_step(hi - lo)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _svg_open(ident: str, title: str, height: float, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_fmt(height)}" width="{_W}" '
        f'font-size="{_FONT}" role="img" aria-labelledby="{ident}-title">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f"<desc>{escape(desc)}</desc>",
    ]


def _describe(unit: str, series: Sequence[_Series]) -> str:
    return "; ".join(
        f"{s.name}: " + ", ".join(f"{pt.label} {_tick_label(pt.y, unit)}" for pt in s.points) for s in series
    )


def _linked(element: str, href: str) -> str:
    return f'<a href="{href}">{element}</a>' if href else element  # href: "#fact-N", made here


def _point(pt: _Point, colour: str, cx: float, cy: float, link: Mapping[int, str], r: int = 6) -> str:
    failing = "" if pt.passed else " factlang-point--failing"
    tip = f"{pt.claim} — {'holds' if pt.passed else 'fails'}"
    circle = (
        f'<circle class="factlang-point{failing}" cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{r}" fill="{colour}">'
        f"<title>{escape(tip)}</title></circle>"
    )
    return _linked(circle, link.get(pt.fact_no, ""))


def _lines(ident: str, title: str, unit: str, series: Sequence[_Series], link: Mapping[int, str]) -> str:
    points = [pt for s in series for pt in s.points]
    xs = sorted({pt.x for pt in points})
    x0, x1 = xs[0], xs[-1]
    pad = min((b - a for a, b in pairwise(xs)), default=1.0) / 2
    x0, x1 = x0 - pad, x1 + pad  # room for the first and last points
    lo, hi, step = _scale([pt.y for pt in points])
    pw = _W - _LEFT - _RIGHT

    def px(x: float) -> float:
        return _LEFT + (x - x0) / (x1 - x0) * pw

    def py(y: float) -> float:
        return _TOP + (hi - y) / (hi - lo) * _PLOT_H

    parts = _svg_open(ident, title, _TOP + _PLOT_H + _BOTTOM, _describe(unit, series))
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
    parts.append(f'<line class="factlang-axis" x1="{_LEFT}" x2="{_LEFT}" y1="{_TOP}" y2="{_TOP + _PLOT_H}"/>')
    labels = {pt.x: pt.label for pt in points}
    # Time labels 15 units high need about 8 units a character: thin them out to fit.
    widest = max(len(label) for label in labels.values()) * 8 + 12
    every = max(1, math.ceil(len(xs) * widest / pw))
    for i, x in enumerate(xs):
        if i % every == 0:
            parts.append(
                f'<text x="{_fmt(px(x))}" y="{_TOP + _PLOT_H + 20}" text-anchor="middle">'
                f"{escape(labels[x])}</text>"
            )
    for s in series:
        if len(s.points) > 1:
            line = " ".join(f"{_fmt(px(pt.x))},{_fmt(py(pt.y))}" for pt in s.points)
            parts.append(f'<polyline fill="none" stroke="{s.colour}" stroke-width="2.5" points="{line}"/>')
    label_values = len(points) <= 40
    # Value labels: at each time the highest point's above it, the others below, stacked so
    # that no two overlap.
    label_y: dict[int, float] = {}
    by_x: dict[float, list[_Point]] = defaultdict(list)
    for pt in points:
        by_x[pt.x].append(pt)
    for pts in by_x.values():
        pts.sort(key=lambda pt: -pt.y)
        below = -math.inf
        for i, pt in enumerate(pts):
            cy = py(pt.y)
            if i == 0:
                label_y[id(pt)] = cy - 11
            else:
                below = max(cy + 22, below + _FONT + 2)
                label_y[id(pt)] = below
    for s in series:
        for pt in s.points:
            cx, cy = px(pt.x), py(pt.y)
            parts.append(_point(pt, s.colour, cx, cy, link))
            if label_values:
                parts.append(
                    f'<text class="factlang-value" x="{_fmt(cx)}" y="{_fmt(label_y[id(pt)])}" '
                    f'text-anchor="middle">{escape(pt.shown)}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def _bars(ident: str, title: str, unit: str, series: Sequence[_Series], link: Mapping[int, str]) -> str:
    """Horizontal bars, one row per series (label above its bar): the time takes one value."""
    points = [(s, pt) for s in series for pt in s.points]
    lo, hi, _ = _scale([pt.y for _, pt in points])
    left, right = 8, _W - 90  # room for the value label after the bar

    def px(y: float) -> float:
        return left + (y - lo) / (hi - lo) * (right - left)

    height = _TOP + _BAR_ROW * len(points)
    parts = _svg_open(ident, title, height, _describe(unit, series))
    when = points[0][1].label
    parts.append(f'<text x="{left}" y="{_TOP - 8}" class="factlang-muted">{escape(when)}</text>')
    zero = px(0.0)
    for i, (s, pt) in enumerate(points):
        top = _TOP + i * _BAR_ROW
        a, b = sorted((zero, px(pt.y)))
        parts.append(f'<text x="{left}" y="{top + 14}">{escape(s.name)}</text>')
        failing = "" if pt.passed else " factlang-point--failing"
        tip = f"{pt.claim} — {'holds' if pt.passed else 'fails'}"
        bar = (
            f'<rect class="factlang-bar{failing}" x="{_fmt(a)}" y="{top + 20}" width="{_fmt(max(b - a, 1))}" '
            f'height="{_BAR}" fill="{s.colour}"><title>{escape(tip)}</title></rect>'
        )
        parts.append(_linked(bar, link.get(pt.fact_no, "")))
        parts.append(
            f'<text class="factlang-value" x="{_fmt(b + 6)}" y="{top + 20 + _BAR - 4}">'
            f"{escape(pt.shown)}</text>"
        )
    parts.append(
        f'<line class="factlang-axis" x1="{_fmt(zero)}" x2="{_fmt(zero)}" y1="{_TOP}" y2="{height}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
