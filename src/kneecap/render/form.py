"""The form check's drawings: the worst moment of a clip with the skeleton the pose model saw
drawn over it, and the knee's angle over the clip with each rep marked. Both are SVG through the
shared helper (`svg.root`, `num`, `text`); the frame is the worker's small JPEG, embedded as a
`data:` image, so the drawing needs nothing from outside itself.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from kneecap.core.form import BONES, KNEE, FormResult, Rep
from kneecap.render import svg
from kneecap.render.svg import num

LINE, JOINT, FAULT = "#1f9e89", "#ffffff", "#d7301f"
CHART_W, CHART_H = 640, 240
PAD_L, PAD_R, PAD_T, PAD_B = 44, 12, 14, 34
KNEES = set(KNEE.values())
JOINTS = sorted({i for bone in BONES for i in bone})


def _fault_knees(result: FormResult) -> set[int]:
    """The knee landmarks the drawn frame's fault is about."""
    for rep in result.reps:
        if rep.valgus_frame == result.worst_frame and rep.valgus_side is not None:
            sides = ("left", "right") if rep.valgus_side == "both" else (rep.valgus_side,)
            return {KNEE[s] for s in sides}
    return set()


def frame_svg(
    result: FormResult,
    points: npt.NDArray[np.float64],
    size: tuple[int, int],
    jpeg: bytes | None,
    ids: tuple[str, str] = ("form-frame-title", "form-frame-desc"),
) -> str:
    """The worst frame (or the deepest bottom) with the skeleton: `points` are the frame's 33
    landmarks in the video's pixels, `size` the video's width and height."""
    width, height = size
    title = f"The moment drawn: {result.worst_caption}"
    desc = (
        "A frame of the clip with the body's lines as the camera check saw them: shoulders, "
        "hips, knees and ankles joined"
        + ("; the knee that moved inwards is marked in red." if _fault_knees(result) else ".")
    )
    parts = [svg.root((0, 0, width, height), title, desc, ids, css_class="form-frame")]
    if jpeg:
        data = base64.b64encode(jpeg).decode("ascii")
        parts.append(
            f'<image href="data:image/jpeg;base64,{data}" x="0" y="0" '
            f'width="{width}" height="{height}" preserveAspectRatio="none"/>'
        )
    else:
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#1d2430"/>')
    stroke = max(2.0, max(width, height) / 160)
    faults = _fault_knees(result)
    for a, b in BONES:
        pa, pb = points[a], points[b]
        if not (np.isfinite(pa).all() and np.isfinite(pb).all()):
            continue
        colour = FAULT if a in faults or b in faults else LINE
        parts.append(
            f'<line x1="{num(pa[0])}" y1="{num(pa[1])}" x2="{num(pb[0])}" y2="{num(pb[1])}" '
            f'stroke="{colour}" stroke-width="{num(stroke)}" stroke-linecap="round"/>'
        )
    for i in JOINTS:
        p = points[i]
        if not np.isfinite(p).all():
            continue
        radius = stroke * (1.6 if i in faults else 1.0)
        colour = FAULT if i in faults else JOINT
        parts.append(
            f'<circle cx="{num(p[0])}" cy="{num(p[1])}" r="{num(radius)}" fill="{colour}" '
            f'stroke="{LINE}" stroke-width="{num(stroke / 3)}"/>'
        )
    parts.append(svg.CLOSE)
    return "".join(parts)


def _describe(result: FormResult) -> str:
    if not result.reps:
        return "No rep was seen in the clip."
    depths = [r.depth_deg for r in result.reps if r.depth_deg is not None]
    said = f"{len(result.reps)} rep{'s' if len(result.reps) != 1 else ''}"
    if depths:
        said += ", the knee bent to " + ", ".join(f"{d:.0f}°" for d in depths) + " at the bottom"
    return said + "."


def knee_chart(
    result: FormResult, ids: tuple[str, str] = ("form-chart-title", "form-chart-desc")
) -> str:
    """The knee's angle (180° straight) over the clip, each rep's span shaded and numbered."""
    t = result.times
    angle = result.knee_angle
    end = float(t[-1]) if len(t) else 1.0
    end = end if end > 0 else 1.0
    lo = 0.0
    finite = angle[np.isfinite(angle)]
    if len(finite):
        lo = max(0.0, math.floor((float(finite.min()) - 10) / 30) * 30)
    hi = 180.0
    plot_w, plot_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B

    def x(s: float) -> float:
        return PAD_L + plot_w * s / end

    def y(deg: float) -> float:
        return PAD_T + plot_h * (hi - deg) / (hi - lo)

    title = f"Your {result.knee_side} knee's angle over the clip"
    parts = [svg.root((0, 0, CHART_W, CHART_H), title, _describe(result), ids, css_class="chart")]
    parts.append(_rep_bands(result.reps, x, PAD_T, plot_h))
    step = 30.0
    deg = lo
    while deg <= hi + 1e-9:
        parts.append(
            f'<line x1="{PAD_L}" y1="{num(y(deg))}" x2="{CHART_W - PAD_R}" y2="{num(y(deg))}" '
            'stroke="#d8dde3" stroke-width="1"/>'
            f'<text x="{PAD_L - 6}" y="{num(y(deg) + 4)}" font-size="12" text-anchor="end">'
            f"{num(deg, 0)}°</text>"
        )
        deg += step
    seconds = svg.nice(end / 6)
    s = 0.0
    while s <= end + 1e-9:
        parts.append(
            f'<text x="{num(x(s))}" y="{CHART_H - PAD_B + 16}" font-size="12" '
            f'text-anchor="middle">{num(s)} s</text>'
        )
        s += seconds
    for run in _runs(t, angle):
        parts.append(
            f'<polyline points="{svg.points((x(a), y(b)) for a, b in run)}" fill="none" '
            f'stroke="{LINE}" stroke-width="2.5" stroke-linejoin="round"/>'
        )
    parts.append(
        f'<text x="{PAD_L}" y="{CHART_H - 4}" font-size="12">Knee angle (180° is straight), '
        "reps shaded</text>"
    )
    parts.append(svg.CLOSE)
    return "".join(parts)


def _rep_bands(reps: Sequence[Rep], x: Callable[[float], float], top: float, height: float) -> str:
    out = []
    for r in reps:
        left, right = x(r.start_s), x(r.end_s)
        out.append(
            f'<rect x="{num(left)}" y="{num(top)}" width="{num(max(1.0, right - left))}" '
            f'height="{num(height)}" fill="#e8f1ee"/>'
            f'<text x="{num((left + right) / 2)}" y="{num(top + 14)}" font-size="12" '
            f'text-anchor="middle">{svg.text(str(r.number))}</text>'
        )
    return "".join(out)


def _runs(
    t: npt.NDArray[np.float64], values: npt.NDArray[np.float64]
) -> list[list[tuple[float, float]]]:
    """The finite stretches of a series, as (time, value) pairs."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for a, b in zip(t, values, strict=True):
        if math.isfinite(float(b)):
            current.append((float(a), float(b)))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs
