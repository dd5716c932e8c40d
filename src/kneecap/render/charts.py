"""The Progress page's charts, drawn on the server: they work without JavaScript, print, and
scale to a phone.

Each chart is a week-by-week (or result-by-result) line or bar chart with its own
`<title>` and a `<desc>` summarising the data in words (the text alternative); see `svg` for
what every drawing shares.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kneecap.render import svg
from kneecap.render.svg import num

WIDTH, HEIGHT = 640, 240
COLOURS = ("#1f6f5c", "#c0562f", "#3a5fa8", "#8a6d1d")
RIGHT_COLOURS = ("#c0562f", "#3a5fa8", "#1d2430")  # right-axis lines, drawn dashed


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per x label; None leaves a gap
    kind: str = "line"  # line | bar
    colour: str | None = None
    dash: bool = False  # a dashed line
    marker: str = "dot"  # each value as: dot (small) | circle | square (large, outlined)


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
    # series on their own right-hand axis from 0 to `right_max` (e.g. pain 0-10)
    right: Series | Sequence[Series] | None = None
    right_max: float = 10.0

    @property
    def rights(self) -> tuple[Series, ...]:
        if self.right is None:
            return ()
        return (self.right,) if isinstance(self.right, Series) else tuple(self.right)


@dataclass(frozen=True)
class Frame:
    """A chart's drawing size and its text size, in the drawing's units. The page scales the
    drawing to its width, so the text is sized for the narrowest width each frame is shown at:
    `NARROW` on phones (about 310 CSS px wide at 360 px), `WIDE` from 600 px up; both keep text at
    12 CSS px or more there."""

    width: int
    height: int
    font: int
    labels: int  # x labels at most
    pad_l: int = 44
    pad_r: int = 12
    pad_b: int = 30

    @property
    def pad_t(self) -> int:
        return self.font + 8


WIDE = Frame(WIDTH, HEIGHT, font=14, labels=7)
NARROW = Frame(340, 260, font=14, labels=4, pad_l=40, pad_r=8)


def _value(v: float) -> str:
    """A value as people read it on a chart: whole from 10 up, one decimal below."""
    return num(v, 0 if abs(v) >= 10 else 1)


def _nice_max(values: list[float]) -> float:
    top = max(values, default=0.0)
    return svg.nice(top) if top > 0 else 1.0


def render_both(chart: Chart, ident: str, describe: str = "") -> str:
    """The chart twice, for a phone (`NARROW`, class "chart narrow") and for wider screens
    (`WIDE`, class "chart wide"): the page's style shows one."""
    return render(chart, f"{ident}-n", describe, NARROW) + render(chart, ident, describe, WIDE)


def render(chart: Chart, ident: str, describe: str = "", frame: Frame = WIDE) -> str:
    """The chart as SVG; `ident` makes its title and description ids unique on the page."""
    f = frame
    font = f.font
    rights = chart.rights
    WIDTH, HEIGHT, PAD_L, PAD_B = f.width, f.height, f.pad_l, f.pad_b
    PAD_R = f.pad_r + (round(1.6 * font) if rights else 0)  # room for the right axis's numbers
    legend = _legend(chart, font, WIDTH - 8)
    rows = 1 + max((row for _, row, _, _, _ in legend), default=0)
    PAD_T = f.pad_t + (rows - 1) * (font + 6) + 6  # the top number clears the legend
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
        svg.root(
            (0, 0, WIDTH, HEIGHT),
            chart.title,
            describe or _describe(chart),
            (f"{ident}-t", f"{ident}-d"),
            css_class="chart " + ("narrow" if frame is NARROW else "wide"),
        )
    ]
    for b in chart.bands:
        y1, y2 = y(b.high), y(b.low)
        parts.append(
            f'<rect x="{PAD_L}" y="{num(y1)}" width="{plot_w}" height="{num(max(y2 - y1, 1))}" '
            f'fill="#1f6f5c" opacity="0.12"><title>{svg.text(b.label)}</title></rect>'
        )
        parts.append(
            f'<text x="{PAD_L + 4}" y="{num(y1 + font + 1)}" font-size="{font}" fill="#1f6f5c">'
            f"{svg.text(b.label)}</text>"
        )
    for frac in (0, 0.5, 1):
        v = top * frac
        parts.append(
            f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{num(y(v))}" y2="{num(y(v))}" '
            'stroke="#d9ddd8" stroke-width="1"/>'
            f'<text x="{PAD_L - 6}" y="{num(y(v) + 4)}" font-size="{font}" text-anchor="end" '
            f'fill="#5b6576">{_value(v)}</text>'
        )
        if rights:
            parts.append(
                f'<text x="{WIDTH - PAD_R + 4}" y="{num(y(v) + 4)}" font-size="{font}" '
                f'fill="#5b6576">{_value(chart.right_max * frac)}</text>'
            )
    every = max(1, math.ceil(n / f.labels))
    for i, label in enumerate(chart.labels):
        if i % every == 0:
            parts.append(
                f'<text x="{num(x(i))}" y="{HEIGHT - 10}" font-size="{font}" text-anchor="middle" '
                f'fill="#5b6576">{svg.text(label)}</text>'
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
                    f'<rect x="{num(left)}" y="{num(y(value))}" width="{num(width)}" '
                    f'height="{num(PAD_T + plot_h - y(value))}" fill="{colour}">'
                    f"<title>{svg.text(s.name)} {svg.text(chart.labels[i])}: {_value(value)}"
                    "</title></rect>"
                )
        else:
            parts.append(_line(s, colour, x, y, dash=s.dash))
    for k, s in enumerate(rights):
        colour = s.colour or RIGHT_COLOURS[k % len(RIGHT_COLOURS)]
        parts.append(_line(s, colour, x, lambda v: y(v, chart.right_max), dash=True))
    for s, row, left, colour, on_right in legend:
        top_y = 2 + row * (font + 6)
        if s.kind == "bar":
            mark = (
                f'<rect x="{left}" y="{top_y}" width="{font - 2}" height="{font - 2}" '
                f'fill="{colour}"/>'
            )
        elif s.marker != "dot":
            mark = _mark(s.marker, left + font / 2, top_y + font / 2 - 1, colour)
        else:
            dashed = ' stroke-dasharray="5 3"' if s.dash or on_right else ""
            mark = (
                f'<line x1="{left}" x2="{left + font}" y1="{num(top_y + font / 2 - 1)}" '
                f'y2="{num(top_y + font / 2 - 1)}" stroke="{colour}" stroke-width="3"{dashed}/>'
            )
        parts.append(
            f'{mark}<text x="{left + font + 4}" y="{top_y + font - 2}" font-size="{font}" '
            f'fill="#1d2430">{svg.text(_legend_name(chart, s, on_right))}</text>'
        )
    if chart.y_label:
        parts.append(
            f'<text x="4" y="{PAD_T + 4}" font-size="{font}" fill="#5b6576">'
            f"{svg.text(chart.y_label)}</text>"
        )
    parts.append(svg.CLOSE)
    return "".join(parts)


def _legend_name(chart: Chart, s: Series, on_right: bool) -> str:
    """A series' name in the legend; a right-axis one says its scale."""
    return f"{s.name} (0-{_value(chart.right_max)}, right)" if on_right else s.name


def _legend(chart: Chart, font: int, room: float) -> list[tuple[Series, int, float, str, bool]]:
    """Each series' legend entry as (series, row, left x, colour, on the right axis), in rows
    no wider than `room`."""
    entries = [
        *((s, s.colour or COLOURS[k % len(COLOURS)], False) for k, s in enumerate(chart.series)),
        *(
            (s, s.colour or RIGHT_COLOURS[k % len(RIGHT_COLOURS)], True)
            for k, s in enumerate(chart.rights)
        ),
    ]
    out: list[tuple[Series, int, float, str, bool]] = []
    row, used = 0, 0.0
    for s, colour, on_right in entries:
        need = 2 * font + 4 + 0.6 * font * len(_legend_name(chart, s, on_right))
        if used and used + need > room:
            row, used = row + 1, 0.0
        out.append((s, row, 4 + used, colour, on_right))
        used += need
    return out


def _line(
    s: Series,
    colour: str,
    xf: Callable[[int], float],
    yf: Callable[[float], float],
    dash: bool = False,
) -> str:
    """A series as polylines broken at its gaps (a lone value is a dot), plus a dot with a
    tooltip at every value."""
    out: list[list[tuple[float, float]]] = []
    run: list[tuple[float, float]] = []
    for i, v in enumerate(s.values):
        if v is None:
            if run:
                out.append(run)
            run = []
            continue
        run.append((xf(i), yf(v)))
    if run:
        out.append(run)
    style = ' stroke-dasharray="5 4"' if dash else ""
    parts = []
    for r in out:
        if len(r) == 1:
            (cx, cy) = r[0]
            if s.marker == "dot":
                parts.append(f'<circle cx="{num(cx)}" cy="{num(cy)}" r="3" fill="{colour}"/>')
        else:
            parts.append(
                f'<polyline points="{svg.points(r)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{style}/>'
            )
    for i, v in enumerate(s.values):
        if v is not None:
            tip = f"<title>{svg.text(s.name)}: {_value(v)}</title>"
            parts.append(_mark(s.marker, xf(i), yf(v), colour, tip))
    return "".join(parts)


def _mark(marker: str, cx: float, cy: float, colour: str, inner: str = "") -> str:
    """One value's mark: a small dot, or a large circle or square outlined in white (which
    stands out on bars)."""
    if marker == "dot":
        return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="2.5" fill="{colour}">{inner}</circle>'
    outline = 'stroke="#fff" stroke-width="2"'
    if marker == "square":
        return (
            f'<rect x="{num(cx - 5.5)}" y="{num(cy - 5.5)}" width="11" height="11" '
            f'fill="{colour}" {outline}>{inner}</rect>'
        )
    return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="6" fill="{colour}" {outline}>{inner}</circle>'


def _describe(chart: Chart) -> str:
    bits = []
    for s in [*chart.series, *chart.rights]:
        known = [
            (label, v) for label, v in zip(chart.labels, s.values, strict=False) if v is not None
        ]
        if not known:
            bits.append(f"{s.name}: no data yet")
            continue
        first, last = known[0], known[-1]
        bits.append(
            f"{s.name}: {_value(first[1])} ({first[0]}) to {_value(last[1])} ({last[0]}), "
            f"{len(known)} values"
        )
    return "; ".join(bits) + "."
