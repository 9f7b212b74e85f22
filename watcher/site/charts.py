"""Charts drawn on the server as inline SVG: no script to load, readable without JavaScript,
and as quick as the query behind them."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from watcher.site.numbers import MONEY_UNITS, format_value, plain

PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d")
WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 26


def _nice_step(span: float, count: int = 5) -> float:
    """1, 2 or 5 times a power of ten, so axis labels read 0, 50, 100 rather than 0, 33.33, 66.67."""
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _ticks(low: float, high: float) -> tuple[list[float], float]:
    """Tick values and the axis top they imply."""
    step = _nice_step(high - low)
    top = math.ceil(high / step) * step
    ticks, tick = [], low
    while tick <= top + step / 2:
        ticks.append(tick)
        tick += step
    return ticks, top


def _axis_label(tick: float, unit: str | None) -> str:
    """Axis labels carry % and 亿元/万元 (they change how the number reads), not 次 or 件."""
    return format_value(round(tick, 6), unit) if unit in (*MONEY_UNITS, "%") else plain(round(tick, 6))


def line_chart(series: dict[str, list[tuple[int, float]]], unit: str | None = None, title: str = "") -> Markup:
    """Values by year, one line per series (a place, or an indicator), points labelled on hover."""
    points = [(x, y) for values in series.values() for x, y in values if x is not None and y is not None]
    if not points:
        return Markup("")
    xs = sorted({x for x, _ in points})
    low, high = min(0.0, min(y for _, y in points)), max(y for _, y in points)
    high = high if high > low else low + 1
    ticks, high = _ticks(low, high)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: int) -> float:
        return LEFT + (plot_w / 2 if len(xs) == 1 else plot_w * xs.index(x) / (len(xs) - 1))

    def py(y: float) -> float:
        return TOP + plot_h * (1 - (y - low) / (high - low))

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in ticks:
        y = py(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{escape(_axis_label(tick, unit))}</text>')
    step = max(1, len(xs) // 6)
    for x in xs[::step]:
        parts.append(f'<text x="{px(x):.1f}" y="{HEIGHT - 8}" text-anchor="middle">{x}</text>')
    for i, (name, values) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        values = sorted((x, y) for x, y in values if x is not None and y is not None)
        if len(values) > 1:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in values)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in values:
            label = f"{name} {x}: {format_value(y, unit)}"
            parts.append(
                f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{colour}"><title>{escape(label)}</title></circle>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(names: list[str]) -> Markup:
    items = "".join(
        f'<li><span style="background:{PALETTE[i % len(PALETTE)]}"></span>{escape(name)}</li>' for i, name in enumerate(names)
    )
    return Markup(f'<ul class="legend">{items}</ul>')
