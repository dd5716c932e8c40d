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
from kneecap.render import svg, units
from kneecap.render.svg import num

LEVEL_COLOUR = "#1f6f5c"
DOWNHILL_COLOUR = "#c0562f"
DOWNHILL_LABEL = f"Downhill, steeper than {DOWNHILL_GRADE * 100:.0f}%".replace("-", "\u2212")
LEVEL_LABEL = "Level or uphill"
FONT = 14  # SVG text size in user units; each drawing is made for a phone and for wider screens
# (width, height) of each drawing, wide (from 600 px up: 14 units >= 12 CSS px there) and narrow
# (phones: about 310 CSS px wide at 360 px, so 14 units are 12.8 px)
PROFILE = {True: (640, 240), False: (340, 230)}
ROUTE = {True: (640, 420), False: (340, 300)}
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


def _suffix(wide: bool) -> str:
    return "" if wide else "-n"


def _css(name: str, wide: bool) -> str:
    return f"chart {name} {'wide' if wide else 'narrow'}"


def profile_both(p: ElevationProfile, unit: str = "km") -> str:
    """The profile for a phone and for wider screens (the page's style shows one)."""
    return profile_svg(p, unit, wide=False) + profile_svg(p, unit, wide=True)


def profile_svg(p: ElevationProfile, unit: str = "km", wide: bool = True) -> str:
    """Altitude over distance (in `unit`, "km" or "mi"; the altitude in metres, or in feet with
    miles), the area under downhill stretches shaded orange."""
    width, height = PROFILE[wide]
    left, right, top, bottom = (54, 16, 34, 44) if wide else (48, 12, 34, 44)
    plot_w, plot_h = width - left - right, height - top - bottom
    along = p.distance_m / 1000 / (units.KM_PER_MILE if unit == "mi" else 1)
    alt = p.altitude_m * units.per_metre(unit)
    least = 20 * units.per_metre(unit)  # the smallest span drawn: 20 m
    lo, hi = float(alt.min()), float(alt.max())
    if hi - lo < least:
        mid = (hi + lo) / 2
        lo, hi = mid - least / 2, mid + least / 2
    step_y = _nice_step(hi - lo, 3)
    lo, hi = math.floor(lo / step_y) * step_y, math.ceil(hi / step_y) * step_y
    total = max(float(along[-1]), 1e-6)

    def x(v: float) -> float:
        return left + plot_w * v / total

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    idx = _samples(len(alt))
    flags = _flags(downhill_mask(p), idx)
    pts = [(x(float(along[i])), y(float(alt[i]))) for i in idx]
    base = top + plot_h
    parts = [
        svg.root(
            (0, 0, width, height),
            "Elevation profile",
            _profile_words(p, unit),
            (f"profile-title{_suffix(wide)}", f"profile-desc{_suffix(wide)}"),
            css_class=_css("profile", wide),
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
    step_x = _nice_step(total, 8 if wide else 4)
    v = 0.0
    while v <= total + 1e-9:
        parts.append(
            f'<text x="{num(x(v))}" y="{height - 24}" font-size="{FONT}" text-anchor="middle" '
            f'fill="#5b6576">{num(v, 3)}</text>'
        )
        v += step_x
    parts.append(
        f'<text x="{width - right}" y="{height - 3}" font-size="{FONT}" text-anchor="end" '
        f'fill="#5b6576">distance ({unit})</text>'
        f'<text x="4" y="16" font-size="{FONT}" fill="#5b6576">'
        f"altitude ({units.height_unit(unit)})</text>"
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


def _stretches(p: ElevationProfile, unit: str) -> list[tuple[float, float]]:
    """The downhill stretches as (start, end) in `unit`."""
    return [
        (
            units.distance(d.start_m / 1000, unit),
            units.distance((d.start_m + d.length_m) / 1000, unit),
        )
        for d in descents(p)
    ]


def _profile_words(p: ElevationProfile, unit: str) -> str:
    alt = p.altitude_m
    stretches = _stretches(p, unit)
    down = units.distance_text(sum(d.length_m for d in descents(p)) / 1000, unit)
    words = (
        f"Altitude over {units.distance_text(p.distance_m[-1] / 1000, unit)}: starts at "
        f"{units.height_text(float(alt[0]), unit)}, lowest "
        f"{units.height_text(float(alt.min()), unit)}, highest "
        f"{units.height_text(float(alt.max()), unit)}, ends at "
        f"{units.height_text(float(alt[-1]), unit)}. "
    )
    if not stretches:
        return words + "No stretch is steeper than " + f"{DOWNHILL_GRADE * 100:.0f}% downhill."
    listed = ", ".join(f"{unit} {a:.2f} to {b:.2f}" for a, b in stretches[:6])
    more = f" and {len(stretches) - 6} more" if len(stretches) > 6 else ""
    return words + (
        f"{len(stretches)} downhill stretch{'es' if len(stretches) > 1 else ''} steeper than "
        f"{DOWNHILL_GRADE * 100:.0f}%, {down} in all, drawn in orange: {listed}{more}."
    )


def route_both(a: Activity, track: Any, p: ElevationProfile | None, unit: str = "km") -> str | None:
    """The route for a phone and for wider screens (the page's style shows one); None when
    fewer than two points have a position."""
    narrow = route_svg(a, track, p, unit, wide=False)
    return None if narrow is None else narrow + (route_svg(a, track, p, unit) or "")


def route_svg(
    a: Activity, track: Any, p: ElevationProfile | None, unit: str = "km", wide: bool = True
) -> str | None:
    """The route seen from above (north up), downhill stretches orange when `p` is given, its
    scale bar in `unit`; None when fewer than two points have a position."""
    ok = np.isfinite(a.lat) & np.isfinite(a.lon)
    if ok.sum() < 2:
        return None
    lat, lon, dist = a.lat[ok], a.lon[ok], np.asarray(track)[ok]
    lat0 = float(np.radians(lat.mean()))
    # Equirectangular: east and north in metres from the mean position.
    east = np.radians(lon - lon.mean()) * EARTH_RADIUS_M * math.cos(lat0)
    north = np.radians(lat - lat.mean()) * EARTH_RADIUS_M
    width, height = ROUTE[wide]
    pad = 28 if wide else 22
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
    length = units.distance_text(float(dist[-1] - dist[0]) / 1000, unit)
    words = (
        f"The route, {length}, drawn from the recorded positions "
        f"({units.distance_text(span_e / 1000, unit)} east to west, "
        f"{units.distance_text(span_n / 1000, unit)} north to south). "
        "The start is a green circle, the finish a dark square."
    )
    if p is not None:
        words += " Downhill stretches steeper than " + f"{DOWNHILL_GRADE * 100:.0f}% are orange."
    parts = [
        svg.root(
            (0, 0, width, height),
            "Route map",
            words,
            (f"route-title{_suffix(wide)}", f"route-desc{_suffix(wide)}"),
            css_class=_css("route", wide),
        ),
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f4f6f2"/>',
        _track_lines(pts, flags, (5, 3)),
        _scale_bar(scale, height, unit, 120 if wide else 70),
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
        parts.append(_label("Start and finish", sx, sy, _side(sx, width, 160)))
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


def _scale_bar(px_per_m: float, height: int, unit: str = "km", near: float = 120) -> str:
    """A bar of a round length of at least `near` drawing units, in metres or km, or miles."""
    if unit == "mi":
        metres_per = units.KM_PER_MILE * 1000
        miles = _nice_step(near / px_per_m / metres_per, 1)
        metres, label = miles * metres_per, f"{num(miles, 3)} mi"
    else:
        metres = _nice_step(near / px_per_m, 1)
        label = f"{num(metres / 1000, 3)} km" if metres >= 1000 else f"{num(metres, 3)} m"
    length = metres * px_per_m
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
