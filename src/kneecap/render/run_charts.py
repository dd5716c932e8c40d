"""A run's elevation profile and route map, drawn on the server from the recorded track: no map
tiles, nothing from the network.

Downhill stretches (the run's descents: steeper than `DOWNHILL_GRADE` and dropping enough to
count, the LOAD-DOWNHILL rule) are coloured the same way in both drawings, and each drawing's
`<desc>` says in words what it shows; see `svg` for what every drawing shares.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from kneecap.core.activity import Activity
from kneecap.core.analysis import DOWNHILL_GRADE, GRID_M, ElevationProfile, descents
from kneecap.render import svg
from kneecap.render.svg import num

LEVEL_COLOUR = "#1f6f5c"
DOWNHILL_COLOUR = "#c0562f"
DOWNHILL_LABEL = f"Downhill, steeper than {DOWNHILL_GRADE * 100:.0f}%".replace("-", "\u2212")
LEVEL_LABEL = "Level or uphill"
FONT = 14  # SVG text size (user units: about 7 px on a 360-px phone)
MAX_POINTS = 1500  # points drawn per SVG line, after thinning
EARTH_RADIUS_M = 6_371_008.8


def _samples(n: int) -> list[int]:
    """The indices of at most about MAX_POINTS of n points, first and last included."""
    step = max(1, math.ceil(n / MAX_POINTS))
    return [*range(0, n - 1, step), n - 1]


def _flags(mask: Any, idx: list[int]) -> list[bool]:
    """Whether each drawn step (between consecutive sampled points) is mostly in `mask`."""
    return [bool(mask[a:b].mean() >= 0.5) for a, b in itertools.pairwise(idx)]


def _nice_step(span: float, ticks: int) -> float:
    return svg.nice(max(span / ticks, 1e-9))


def _runs_of(flags: list[bool]) -> list[tuple[int, int, bool]]:
    """Maximal runs of equal flags as (first step, last step + 1, flag)."""
    out: list[tuple[int, int, bool]] = []
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            out.append((start, i, flags[start]))
            start = i
    return out


def _track_lines(
    pts: list[tuple[float, float]], flags: list[bool], widths: tuple[float, float]
) -> str:
    """The track as polylines, downhill runs in DOWNHILL_COLOUR (width `widths[0]`), the rest
    in LEVEL_COLOUR (`widths[1]`)."""
    parts = []
    for a, b, flag in _runs_of(flags):
        colour, w = (DOWNHILL_COLOUR, widths[0]) if flag else (LEVEL_COLOUR, widths[1])
        parts.append(
            f'<polyline points="{svg.points(pts[a : b + 1])}" fill="none" stroke="{colour}" '
            f'stroke-width="{num(w)}" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    return "".join(parts)


def profile_svg(p: ElevationProfile) -> str:
    """Altitude over distance, the area under downhill stretches shaded orange."""
    width, height = 640, 240
    left, right, top, bottom = 54, 16, 34, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    km = p.distance_m / 1000
    alt = p.altitude_m
    lo, hi = float(alt.min()), float(alt.max())
    if hi - lo < 20:
        mid = (hi + lo) / 2
        lo, hi = mid - 10, mid + 10
    step_y = _nice_step(hi - lo, 3)
    lo, hi = math.floor(lo / step_y) * step_y, math.ceil(hi / step_y) * step_y
    total_km = max(float(km[-1]), 1e-6)

    def x(v: float) -> float:
        return left + plot_w * v / total_km

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    idx = _samples(len(alt))
    flags = _flags(downhill_mask(p), idx)
    pts = [(x(float(km[i])), y(float(alt[i]))) for i in idx]
    base = top + plot_h
    parts = [
        svg.root(
            (0, 0, width, height),
            "Elevation profile",
            _profile_words(p),
            ("profile-title", "profile-desc"),
            css_class="chart profile",
        )
    ]
    v = lo
    while v <= hi + 1e-9:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{num(y(v))}" y2="{num(y(v))}" '
            'stroke="#d9ddd8" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{num(y(v) + 4)}" font-size="{FONT}" text-anchor="end" '
            f'fill="#5b6576">{num(v, 0)}</text>'
        )
        v += step_y
    step_x = _nice_step(total_km, 8)
    v = 0.0
    while v <= total_km + 1e-9:
        parts.append(
            f'<text x="{num(x(v))}" y="{height - 24}" font-size="{FONT}" text-anchor="middle" '
            f'fill="#5b6576">{num(v, 3)}</text>'
        )
        v += step_x
    parts.append(
        f'<text x="{width - right}" y="{height - 3}" font-size="{FONT}" text-anchor="end" '
        'fill="#5b6576">distance (km)</text>'
        f'<text x="4" y="16" font-size="{FONT}" fill="#5b6576">altitude (m)</text>'
    )
    floor = [(float(left), base), *pts, (pts[-1][0], base)]
    parts.append(f'<polygon points="{svg.points(floor)}" fill="#e3efe9"/>')
    for a, b, flag in _runs_of(flags):
        if flag:
            under = [(pts[a][0], base), *pts[a : b + 1], (pts[b][0], base)]
            parts.append(f'<polygon class="downhill" points="{svg.points(under)}" fill="#f6dccf"/>')
    parts.append(_track_lines(pts, flags, (3.5, 2)))
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" stroke="#5b6576"/>'
    )
    parts.append(svg.CLOSE)
    return "".join(parts)


def downhill_mask(p: ElevationProfile) -> Any:
    """Per profile step: inside one of the run's descents (`analysis.descents`: stretches steeper
    than DOWNHILL_GRADE that drop enough to count), so the drawing agrees with the downhill
    distance in the figures and ignores a lone steep step of GPS wobble."""
    mask = np.zeros(len(p.grade), dtype=bool)
    for d in descents(p):
        first = round(d.start_m / GRID_M)
        mask[first : first + round(d.length_m / GRID_M)] = True
    return mask


def _stretches(p: ElevationProfile) -> list[tuple[float, float]]:
    """The downhill stretches as (start km, end km)."""
    return [(d.start_m / 1000, (d.start_m + d.length_m) / 1000) for d in descents(p)]


def _profile_words(p: ElevationProfile) -> str:
    alt = p.altitude_m
    stretches = _stretches(p)
    down_km = sum(b - a for a, b in stretches)
    words = (
        f"Altitude over {p.distance_m[-1] / 1000:.2f} km: starts at {alt[0]:.0f} m, lowest "
        f"{alt.min():.0f} m, highest {alt.max():.0f} m, ends at {alt[-1]:.0f} m. "
    )
    if not stretches:
        return words + "No stretch is steeper than " + f"{DOWNHILL_GRADE * 100:.0f}% downhill."
    listed = ", ".join(f"km {a:.2f} to {b:.2f}" for a, b in stretches[:6])
    more = f" and {len(stretches) - 6} more" if len(stretches) > 6 else ""
    return words + (
        f"{len(stretches)} downhill stretch{'es' if len(stretches) > 1 else ''} steeper than "
        f"{DOWNHILL_GRADE * 100:.0f}%, {down_km:.2f} km in all, drawn in orange: {listed}{more}."
    )


def route_svg(a: Activity, track: Any, p: ElevationProfile | None) -> str | None:
    """The route seen from above (north up), downhill stretches orange when `p` is given;
    None when fewer than two points have a position."""
    ok = np.isfinite(a.lat) & np.isfinite(a.lon)
    if ok.sum() < 2:
        return None
    lat, lon, dist = a.lat[ok], a.lon[ok], np.asarray(track)[ok]
    lat0 = float(np.radians(lat.mean()))
    # Equirectangular: east and north in metres from the mean position.
    east = np.radians(lon - lon.mean()) * EARTH_RADIUS_M * math.cos(lat0)
    north = np.radians(lat - lat.mean()) * EARTH_RADIUS_M
    width, height, pad = 640, 420, 28
    span_e = max(float(east.max() - east.min()), 1.0)
    span_n = max(float(north.max() - north.min()), 1.0)
    scale = min((width - 2 * pad) / span_e, (height - 2 * pad) / span_n)
    mid_e, mid_n = float(east.max() + east.min()) / 2, float(north.max() + north.min()) / 2
    xs = width / 2 + (east - mid_e) * scale
    ys = height / 2 - (north - mid_n) * scale
    if p is not None and len(p.grade):
        cell = np.clip((dist / GRID_M).astype(np.int64), 0, len(p.grade) - 1)
        down = downhill_mask(p)[cell]
    else:
        down = np.zeros(len(xs), dtype=bool)
    idx = _samples(len(xs))
    pts = [(float(xs[i]), float(ys[i])) for i in idx]
    flags = _flags(down, idx)
    km = float(dist[-1] - dist[0]) / 1000
    words = (
        f"The route, {km:.2f} km, drawn from the recorded positions "
        f"({span_e / 1000:.2f} km east to west, {span_n / 1000:.2f} km north to south). "
        "The start is a green circle, the finish a dark square."
    )
    if p is not None:
        words += " Downhill stretches steeper than " + f"{DOWNHILL_GRADE * 100:.0f}% are orange."
    parts = [
        svg.root(
            (0, 0, width, height),
            "Route map",
            words,
            ("route-title", "route-desc"),
            css_class="chart route",
        ),
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f4f6f2"/>',
        _track_lines(pts, flags, (5, 3)),
        _scale_bar(scale, height),
    ]
    (sx, sy), (fx, fy) = pts[0], pts[-1]
    parts.append(
        f'<rect x="{num(fx - 7)}" y="{num(fy - 7)}" width="14" height="14" fill="#1d2430" '
        'stroke="#fff" stroke-width="2"><title>Finish</title></rect>'
        f'<circle cx="{num(sx)}" cy="{num(sy)}" r="8" fill="#2e9d4f" stroke="#fff" '
        'stroke-width="2"><title>Start</title></circle>'
    )
    if math.hypot(fx - sx, fy - sy) > 60:
        parts.append(_label("Start", sx, sy, _side(sx, width)))
        parts.append(_label("Finish", fx, fy, _side(fx, width)))
    else:
        parts.append(_label("Start and finish", sx, sy, _side(sx, width, 150)))
    parts.append(svg.CLOSE)
    return "".join(parts)


def _side(x: float, width: int, room: int = 80) -> int:
    return 1 if x < width - room else -1


def _label(words: str, x: float, y: float, side: int) -> str:
    anchor = "start" if side > 0 else "end"
    return (
        f'<text x="{num(x + 13 * side)}" y="{num(y + 4)}" font-size="{FONT + 2}" '
        f'font-weight="700" text-anchor="{anchor}" fill="#1d2430" stroke="#fff" '
        f'stroke-width="3" paint-order="stroke">{svg.text(words)}</text>'
    )


def _scale_bar(px_per_m: float, height: int) -> str:
    metres = _nice_step(120 / px_per_m, 1)
    length = metres * px_per_m
    label = f"{num(metres / 1000, 3)} km" if metres >= 1000 else f"{num(metres, 3)} m"
    y = height - 12
    return (
        f'<line x1="12" x2="{num(12 + length)}" y1="{y}" y2="{y}" stroke="#1d2430" '
        'stroke-width="2"/>'
        f'<line x1="12" x2="12" y1="{y - 4}" y2="{y + 4}" stroke="#1d2430" stroke-width="2"/>'
        f'<line x1="{num(12 + length)}" x2="{num(12 + length)}" y1="{y - 4}" y2="{y + 4}" '
        'stroke="#1d2430" stroke-width="2"/>'
        f'<text x="{num(16 + length)}" y="{y + 4}" font-size="{FONT}" fill="#1d2430">'
        f"{svg.text(label)}</text>"
    )
