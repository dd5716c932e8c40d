"""A figure as a self-contained SVG: animated start -> end -> start, or two still panels."""

from __future__ import annotations

import itertools

from kneecap.catalog import load_catalogue
from kneecap.render import svg as doc
from kneecap.render.figures.body import Pose, blend, figure_pose
from kneecap.render.figures.keyframes import Figure, load_figure
from kneecap.render.figures.scene import (
    STYLES,
    Projection,
    Shape,
    depth_range,
    frames_of,
    scene_props,
    scene_span,
)
from kneecap.render.svg import num

CYCLE_S = 4.0
STEPS_PER_MOVE = 8


def _ease(t: float) -> float:
    # Smoothstep: starts and ends slowly, as a controlled exercise does.
    return t * t * (3 - 2 * t)


def _timeline(figure: Figure) -> tuple[list[Pose], list[float]]:
    """Poses through one loop and their key times: out to the end (37.5 %), hold, back to the
    start (37.5 %), hold; about 1.5 s each way and 0.5 s pauses in a 4 s cycle."""
    keys = figure.keyframes
    forward: list[Pose] = []
    for a, b in itertools.pairwise(keys):
        for i in range(STEPS_PER_MOVE):
            forward.append(blend(figure, a, b, _ease(i / STEPS_PER_MOVE)))
    forward.append(figure_pose(figure, keys[-1]))
    n = len(forward) - 1
    poses = forward + forward[::-1] + [forward[0]]
    times = (
        [0.375 * i / n for i in range(n + 1)] + [0.5 + 0.375 * i / n for i in range(n + 1)] + [1.0]
    )
    return poses, times


def _path_d(shape: Shape, dx: float = 0.0) -> str:
    pts = [f"{num(x + dx)} {num(-y)}" for x, y in shape.points]
    return "M" + " L".join(pts) + (" Z" if shape.closed else "")


def _attrs(style: str, width: float) -> str:
    stroke, fill = STYLES[style]
    return (
        f'stroke="{stroke}" fill="{fill}" stroke-width="{num(width)}" '
        'stroke-linecap="round" stroke-linejoin="round"'
    )


def _element(shape: Shape, dx: float = 0.0, animate: str = "") -> str:
    if shape.kind == "circle":
        (x, y) = shape.points[0]
        stroke, fill = STYLES[shape.style]
        return (
            f'<circle cx="{num(x + dx)}" cy="{num(-y)}" r="{num(shape.radius)}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5">{animate}</circle>'
        )
    if shape.kind == "capsule":
        (ax, ay), (bx, by) = shape.points
        stroke, fill = STYLES[shape.style]
        return (
            f'<path d="M{num(ax + dx)} {num(-ay)} L{num(bx + dx)} {num(-by)}" '
            f'stroke="{fill}" stroke-width="{num(shape.width)}" stroke-linecap="round"/>'
        )
    return f'<path d="{_path_d(shape, dx)}" {_attrs(shape.style, shape.width)}>{animate}</path>'


def _exercise_name(exercise_id: str) -> str:
    catalogue = load_catalogue()
    return catalogue[exercise_id].name if exercise_id in catalogue else exercise_id


def _description(figure: Figure) -> str:
    start, end = figure.keyframes[0], figure.keyframes[-1]
    return f"{figure.moves} Start: {start.text}. End: {end.text}."


def svg(exercise_id: str, animated: bool = True) -> str:
    """A self-contained SVG of the exercise: animated start → end → start (first frame is the
    start pose), or with `animated=False` two labelled panels, start | end, for print and for
    people who prefer reduced motion."""
    figure = load_figure(exercise_id)
    name = _exercise_name(exercise_id)
    cam = Projection.of(figure.camera)
    start, end = figure.keyframes[0], figure.keyframes[-1]
    key_frames = frames_of(figure, [figure_pose(figure, start), figure_pose(figure, end)])
    if animated:
        poses, times = _timeline(figure)
        frames = frames_of(figure, poses)
    else:
        frames = key_frames
    x0, y0, x1, y1 = scene_span(figure, frames + key_frames)
    w, h = x1 - x0, y1 - y0
    label_h = 0.0 if animated else 16.0
    panels = 1 if animated else 2
    gap = 0.0 if animated else 10.0
    total_w = w * panels + gap * (panels - 1)
    zrange = depth_range(figure)
    uid = f"fig-{exercise_id}" + ("" if animated else "-static")
    out = [
        doc.root(
            (x0, -y1, total_w, h + label_h),
            name,
            _description(figure),
            (f"{uid}-title", f"{uid}-desc"),
            size=(total_w * 2, (h + label_h) * 2),
        )
    ]
    props = scene_props(figure, cam, (x0, x1), zrange)
    if animated:
        out.extend(_element(s) for s in props)
        out.extend(_animated_body(frames, times))
    for panel, label in enumerate(("start", "end") if not animated else ()):
        # Each panel is a nested viewport, which clips its floor and walls to the panel so
        # a turned view's floor cannot spill into the neighbouring pose.
        out.append(
            f'<svg x="{num(x0 + panel * (w + gap))}" y="{num(-y1)}" '
            f'width="{num(w)}" height="{num(h)}" '
            f'viewBox="{num(x0)} {num(-y1)} {num(w)} {num(h)}">'
        )
        out.extend(_element(s) for s in props)
        out.extend(_element(s) for s in frames[panel])
        out.append(doc.CLOSE)
        out.append(
            f'<text x="{num(x0 + panel * (w + gap) + w / 2)}" y="{num(-y0 + label_h - 4)}" '
            'text-anchor="middle" font-family="sans-serif" font-size="12" '
            f'fill="#333333">{label}</text>'
        )
    out.append(doc.CLOSE)
    return "\n".join(out) + "\n"


def _animated_body(frames: list[list[Shape]], times: list[float]) -> list[str]:
    key_times = ";".join(num(t, 4) for t in times)
    common = (
        f'dur="{num(CYCLE_S)}s" repeatCount="indefinite" calcMode="linear" keyTimes="{key_times}"'
    )
    first = frames[0]
    elements: list[str] = []
    # Every frame has the same shapes in the same order (the draw order is fixed by the start
    # pose), so each element can animate through the matching shape of every frame.
    for i, shape in enumerate(first):
        track = [frame[i] for frame in frames]
        if shape.kind == "circle":
            cx = ";".join(num(s.points[0][0]) for s in track)
            cy = ";".join(num(-s.points[0][1]) for s in track)
            anim = (
                f'<animate attributeName="cx" values="{cx}" {common}/>'
                f'<animate attributeName="cy" values="{cy}" {common}/>'
            )
        else:
            values = ";".join(_path_d(s) for s in track)
            anim = f'<animate attributeName="d" values="{values}" {common}/>'
        elements.append(_element(shape, 0.0, anim))
    return elements
