"""Small server-side SVG charts: they work without JavaScript, print, and scale to a phone.

Every chart is a self-contained `<svg role="img">` with a `<title>` and a `<desc>` summarising
the data in words (the text alternative). Values are escaped; no external references.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

WIDTH, HEIGHT = 640, 240
PAD_L, PAD_R, PAD_T, PAD_B = 44, 12, 14, 30
COLOURS = ("#1f6f5c", "#c0562f", "#3a5fa8", "#8a6d1d")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per x label; None leaves a gap
    kind: str = "line"  # line | bar
    colour: str | None = None


@dataclass(frozen=True)
class Band:
    """A shaded horizontal range, e.g. the AKPS meaningful-change band."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    labels: Sequence[str]
    series: Sequence[Series]
    y_max: float | None = None
    y_label: str = ""
    bands: Sequence[Band] = field(default_factory=tuple)
    right: Series | None = None  # a second series on its own right-hand axis (e.g. pain 0-10)
    right_max: float = 10.0


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v) >= 10 or v == int(v) else f"{v:.1f}"


def _nice_max(values: list[float]) -> float:
    top = max(values, default=0.0)
    if top <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(top))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= top:
            return float(step * magnitude)
    return top


def render(chart: Chart, ident: str, describe: str = "") -> str:
    """The chart as SVG; `ident` makes its title and description ids unique on the page."""
    n = max(1, len(chart.labels))
    numbers = [v for s in chart.series for v in s.values if v is not None]
    top = chart.y_max if chart.y_max is not None else _nice_max(numbers)
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    step = plot_w / n

    def x(i: int) -> float:
        return PAD_L + step * (i + 0.5)

    def y(v: float, scale: float = top) -> float:
        return PAD_T + plot_h * (1 - min(max(v / scale, 0.0), 1.0))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(chart.title)}</title>',
        f'<desc id="{ident}-d">{escape(describe or _describe(chart))}</desc>',
    ]
    for b in chart.bands:
        y1, y2 = y(b.high), y(b.low)
        parts.append(
            f'<rect x="{PAD_L}" y="{y1:.1f}" width="{plot_w}" height="{max(y2 - y1, 1):.1f}" '
            f'fill="#1f6f5c" opacity="0.12"><title>{escape(b.label)}</title></rect>'
        )
        parts.append(
            f'<text x="{PAD_L + 4}" y="{y1 + 12:.1f}" font-size="11" fill="#1f6f5c">'
            f"{escape(b.label)}</text>"
        )
    for frac in (0, 0.5, 1):
        v = top * frac
        parts.append(
            f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#d9ddd8" stroke-width="1"/>'
            f'<text x="{PAD_L - 6}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#5b6576">{_fmt(v)}</text>'
        )
    every = max(1, math.ceil(n / 8))
    for i, label in enumerate(chart.labels):
        if i % every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 10}" font-size="11" text-anchor="middle" '
                f'fill="#5b6576">{escape(label)}</text>'
            )
    bars = [s for s in chart.series if s.kind == "bar"]
    width = step * 0.8 / max(1, len(bars))
    for k, s in enumerate(chart.series):
        colour = s.colour or COLOURS[k % len(COLOURS)]
        if s.kind == "bar":
            slot = bars.index(s)
            for i, value in enumerate(s.values):
                if value is None:
                    continue
                left = x(i) - step * 0.4 + slot * width
                parts.append(
                    f'<rect x="{left:.1f}" y="{y(value):.1f}" width="{width:.1f}" '
                    f'height="{PAD_T + plot_h - y(value):.1f}" fill="{colour}">'
                    f"<title>{escape(s.name)} {escape(chart.labels[i])}: {_fmt(value)}</title></rect>"
                )
        else:
            parts.append(_line(s, colour, x, y))
    if chart.right is not None:
        parts.append(_line(chart.right, "#c0562f", x, lambda v: y(v, chart.right_max), dash=True))
        parts.append(
            f'<text x="{WIDTH - PAD_R}" y="{PAD_T - 2}" font-size="11" text-anchor="end" '
            f'fill="#c0562f">{escape(chart.right.name)} (0-{_fmt(chart.right_max)})</text>'
        )
    legend_x = PAD_L
    for k, s in enumerate(chart.series):
        colour = s.colour or COLOURS[k % len(COLOURS)]
        parts.append(
            f'<rect x="{legend_x}" y="2" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="11" font-size="11" fill="#1d2430">{escape(s.name)}</text>'
        )
        legend_x += 24 + 7 * len(s.name)
    if chart.y_label:
        parts.append(
            f'<text x="4" y="{PAD_T + 4}" font-size="11" fill="#5b6576">{escape(chart.y_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _line(
    s: Series,
    colour: str,
    xf: Callable[[int], float],
    yf: Callable[[float], float],
    dash: bool = False,
) -> str:
    out: list[list[str]] = []
    run: list[str] = []
    for i, v in enumerate(s.values):
        if v is None:
            if run:
                out.append(run)
            run = []
            continue
        run.append(f"{xf(i):.1f},{yf(v):.1f}")
    if run:
        out.append(run)
    style = ' stroke-dasharray="5 4"' if dash else ""
    parts = []
    for r in out:
        if len(r) == 1:
            cx, cy = r[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
        else:
            parts.append(
                f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{style}/>'
            )
    for i, v in enumerate(s.values):
        if v is not None:
            parts.append(
                f'<circle cx="{xf(i):.1f}" cy="{yf(v):.1f}" r="2.5" fill="{colour}">'
                f"<title>{escape(s.name)}: {_fmt(v)}</title></circle>"
            )
    return "".join(parts)


def _describe(chart: Chart) -> str:
    bits = []
    for s in [*chart.series, *([chart.right] if chart.right else [])]:
        known = [
            (label, v) for label, v in zip(chart.labels, s.values, strict=False) if v is not None
        ]
        if not known:
            bits.append(f"{s.name}: no data yet")
            continue
        first, last = known[0], known[-1]
        bits.append(
            f"{s.name}: {_fmt(first[1])} ({first[0]}) to {_fmt(last[1])} ({last[0]}), "
            f"{len(known)} values"
        )
    return "; ".join(bits) + "."
