"""Charts: numeric values over time, as inline SVG."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Final

from factlang import values as v
from factlang.model import Predicate
from factlang.render.site.common import _UNSAFE_RUN, _time_position
from factlang.render.site.escape import escape
from factlang.report import FactResult

_PALETTE: Final = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#546e7a")
_W: Final = 640
_H: Final = 300
_LEFT: Final = 64
_RIGHT: Final = 16
_TOP: Final = 16
_BOTTOM: Final = 40


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
