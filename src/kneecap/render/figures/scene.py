"""A posed figure as flat shapes: the body, its props and the camera that projects them.

Both drawings, SVG and characters, draw these shapes; picture coordinates have y up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kneecap.render.figures.body import HEAD_RADIUS, LIMBS, TRUNK_HALF_DEPTH, Pose, Vec, figure_pose
from kneecap.render.figures.keyframes import Camera, Figure


@dataclass(frozen=True)
class Projection:
    """The figure's camera as a matrix: world centimetres to picture x, y (up) and depth."""

    matrix: Vec

    @classmethod
    def of(cls, camera: Camera) -> Projection:
        t, u = math.radians(camera.tilt), math.radians(-camera.turn)
        tilt = np.array(
            [[1.0, 0.0, 0.0], [0.0, math.cos(t), -math.sin(t)], [0.0, math.sin(t), math.cos(t)]]
        )
        turn = np.array(
            [[math.cos(u), 0.0, math.sin(u)], [0.0, 1.0, 0.0], [-math.sin(u), 0.0, math.cos(u)]]
        )
        return cls(tilt @ turn)

    def project(self, p: Vec) -> tuple[float, float, float]:
        """Picture x, picture y (up) and depth (larger is nearer the viewer)."""
        q = self.matrix @ p
        return float(q[0]), float(q[1]), float(q[2])


XY = tuple[float, float]


@dataclass(frozen=True)
class Shape:
    """One drawn thing in picture coordinates (y up). `kind` decides how it is drawn."""

    kind: Literal["stroke", "poly", "circle", "capsule"]
    points: tuple[XY, ...]
    width: float
    style: str  # a key into STYLES
    depth: float
    radius: float = 0.0
    closed: bool = False


NEAR, FAR, BODY = "#1d4f7a", "#93b7d8", "#2b6496"
STYLES: dict[str, tuple[str, str]] = {
    # style: (stroke, fill)
    "near": (NEAR, "none"),
    "far": (FAR, "none"),
    "body": (BODY, "none"),
    "torso": (BODY, BODY),
    "head": (BODY, BODY),
    "eye": ("#ffffff", "#ffffff"),
    "floor": ("#9a9a9a", "#e4e4e4"),
    "wall": ("#8a8a8a", "#d6d6d6"),
    "wood": ("#8a6a44", "#c9a77c"),
    "roller": ("#2f7d5b", "#6fbf98"),
    "ball": ("#b5542c", "#e8875c"),
    "towel": ("#a08a3c", "#e6d28a"),
    "band": ("#d2452f", "none"),
    "ice": ("#3d7fae", "#bfe3f7"),
}

WALL_THICKNESS, FLOOR_THICKNESS = 14.0, 6.0
LEG_WIDTH, ARM_WIDTH, TRUNK_WIDTH = 11.0, 8.0, 2 * TRUNK_HALF_DEPTH


def _body_shapes(pts: Pose, cam: Projection) -> list[Shape]:
    def p2(name: str) -> XY:
        x, y, _ = cam.project(pts[name])
        return (x, y)

    def depth(names: Iterable[str]) -> float:
        ds = [cam.project(pts[n])[2] for n in names]
        return sum(ds) / len(ds)

    shapes: list[Shape] = []
    for limb in LIMBS:
        leg = (f"{limb}_hip", f"{limb}_knee", f"{limb}_ankle", f"{limb}_heel", f"{limb}_toe")
        arm = (f"{limb}_shoulder", f"{limb}_elbow", f"{limb}_hand")
        shapes.append(Shape("stroke", tuple(p2(n) for n in leg), LEG_WIDTH, limb, depth(leg)))
        shapes.append(Shape("stroke", tuple(p2(n) for n in arm), ARM_WIDTH, limb, depth(arm)))
    # The torso: a thick spine for the side view plus the hip-shoulder outline, which only
    # opens up into a body shape when seen from the front.
    outline = ("near_hip", "far_hip", "far_shoulder", "near_shoulder")
    trunk_depth = depth(("pelvis", "neck"))
    shapes.append(
        Shape("poly", tuple(p2(n) for n in outline), 10.0, "torso", trunk_depth, closed=True)
    )
    shapes.append(
        Shape("stroke", (p2("pelvis"), p2("neck")), TRUNK_WIDTH, "body", trunk_depth + 0.01)
    )
    shapes.append(Shape("stroke", (p2("neck"), p2("head")), 8.0, "body", trunk_depth + 0.02))
    shapes.append(
        Shape("circle", (p2("head"),), 0.0, "head", trunk_depth + 0.03, radius=HEAD_RADIUS)
    )
    # The eye shows which way the face points; it is left out when the face is towards the
    # viewer, where a dot in the middle of the head would read as a nose.
    hx, hy = p2("head")
    ex, ey = p2("eye")
    if math.hypot(ex - hx, ey - hy) > 4.5:
        shapes.append(Shape("circle", ((ex, ey),), 0.0, "eye", trunk_depth + 0.04, radius=2.0))
    return shapes


def _box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float) -> list[Vec]:
    return [np.array([x, y, z]) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]


def _hull(points: Sequence[XY]) -> tuple[XY, ...]:
    """Convex hull (monotone chain), to draw a projected box as one outline."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return tuple(pts)

    def cross(o: XY, a: XY, b: XY) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[XY] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[XY] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return tuple(lower[:-1] + upper[:-1])


def _solid(corners: list[Vec], cam: Projection, style: str, depth: float) -> Shape:
    xy = [cam.project(c)[:2] for c in corners]
    return Shape(
        "poly", _hull([(round(x, 3), round(y, 3)) for x, y in xy]), 1.5, style, depth, closed=True
    )


def scene_props(
    figure: Figure, cam: Projection, span: tuple[float, float], depth: tuple[float, float]
) -> list[Shape]:
    """Props fixed in the world, drawn behind the body (depth -1000). `span` is the world x
    range to draw floors across and `depth` the world z range the body uses."""
    back = -1000.0
    x0, x1 = span
    z0, z1 = min(depth[0] - 15.0, -30.0), max(depth[1] + 15.0, 30.0)
    shapes: list[Shape] = []
    for prop in figure.props:
        if prop.kind == "floor":
            shapes.append(_solid(_box(x0, x1, -FLOOR_THICKNESS, 0.0, z0, z1), cam, "floor", back))
        elif prop.kind == "wall" and prop.x is not None:
            # `x` is the wall's surface; the wall itself lies behind it, away from `facing`.
            thick = -WALL_THICKNESS if prop.facing != "left" else WALL_THICKNESS
            lo, hi = sorted((prop.x, prop.x + thick))
            shapes.append(_solid(_box(lo, hi, 0.0, 200.0, z0, z1), cam, "wall", back))
        elif prop.kind == "step" and prop.x is not None and prop.width and prop.height:
            box = _box(prop.x, prop.x + prop.width, 0.0, prop.height, -40.0, 40.0)
            shapes.append(_solid(box, cam, "wood", back))
        elif prop.kind == "chair" and prop.x is not None:
            sign = 1.0 if prop.facing == "right" else -1.0
            front, rear = prop.x, prop.x - sign * 42.0
            lo, hi = min(front, rear), max(front, rear)
            parts = [
                _box(lo, hi, 42.0, 47.0, -22.0, 22.0),  # seat
                _box(rear - sign * 4.0, rear, 47.0, 92.0, -22.0, 22.0),  # back rest
                _box(front - sign * 3.0, front, 0.0, 42.0, -22.0, -18.0),  # legs
                _box(rear + sign * 3.0, rear, 0.0, 42.0, -22.0, -18.0),
                _box(front - sign * 3.0, front, 0.0, 42.0, 18.0, 22.0),
                _box(rear + sign * 3.0, rear, 0.0, 42.0, 18.0, 22.0),
            ]
            shapes.extend(_solid(p, cam, "wood", back) for p in parts)
        elif prop.kind in ("roller", "ball", "towel") and prop.r and prop.x is not None:
            centre = np.array([prop.x, prop.y or 0.0, 0.0])
            half = {"roller": 40.0, "towel": 15.0, "ball": 0.0}[prop.kind]
            a = cam.project(centre + np.array([0.0, 0.0, -half]))
            b = cam.project(centre + np.array([0.0, 0.0, half]))
            style = "roller" if prop.kind == "roller" else prop.kind
            # Props that sit under the body are drawn before it.
            if half:
                shapes.append(Shape("capsule", (a[:2], b[:2]), 2 * prop.r, style, back + 1))
            shapes.append(Shape("circle", (b[:2],), 0.0, style, back + 2, radius=prop.r))
    return shapes


def _body_props(figure: Figure, pts: Pose, cam: Projection) -> list[Shape]:
    """Props that follow the body (a band round the knees, an ice pack), drawn in front."""
    front = 1000.0
    shapes: list[Shape] = []
    for prop in figure.props:
        if prop.kind == "band" and prop.between:
            a = np.array(cam.project(pts[prop.between[0]])[:2])
            b = np.array(cam.project(pts[prop.between[1]])[:2])
            d = b - a
            n = float(np.hypot(*d))
            # Reach past both limbs so the band reads as a loop around them, not a bar between.
            ext = d / n * (LEG_WIDTH / 2 + 2) if n > 1e-6 else np.array([0.0, 0.0])
            p, q = a - ext, b + ext
            shapes.append(
                Shape(
                    "stroke",
                    ((float(p[0]), float(p[1])), (float(q[0]), float(q[1]))),
                    4.0,
                    "band",
                    front,
                )
            )
        elif prop.kind == "ice" and prop.follows:
            x, y, _ = cam.project(pts[prop.follows])
            pack = (
                (x - 8.0, y + 5.0),
                (x + 8.0, y + 5.0),
                (x + 8.0, y + 11.0),
                (x - 8.0, y + 11.0),
            )
            shapes.append(Shape("poly", pack, 2.0, "ice", front, closed=True))
    return shapes


def depth_range(figure: Figure) -> tuple[float, float]:
    """The world z range the body uses over its keyframes, so floors and walls reach it."""
    zs = [float(p[2]) for k in figure.keyframes for p in figure_pose(figure, k).values()]
    return min(zs), max(zs)


def _frame_shapes(figure: Figure, pts: Pose, cam: Projection) -> list[Shape]:
    body = sorted(_body_shapes(pts, cam), key=lambda s: s.depth)
    return body + _body_props(figure, pts, cam)


def _shape_points(shapes: Iterable[Shape]) -> list[XY]:
    out: list[XY] = []
    for s in shapes:
        pad = s.width / 2 + s.radius
        for x, y in s.points:
            out += [(x - pad, y - pad), (x + pad, y + pad)]
    return out


def scene_span(figure: Figure, frames: list[list[Shape]]) -> tuple[float, float, float, float]:
    """Picture bounds (x0, y0, x1, y1 with y up) of the body over all frames and its props."""
    pts = [p for shapes in frames for p in _shape_points(shapes)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    cam = Projection.of(figure.camera)
    # Floors and walls are cut to the body's surroundings; other props count in full.
    solid = figure.model_copy(
        update={"props": tuple(p for p in figure.props if p.kind not in ("floor", "wall"))}
    )
    for sx, sy in _shape_points(scene_props(solid, cam, (x0, x1), depth_range(figure))):
        x0, x1, y0, y1 = min(x0, sx), max(x1, sx), min(y0, sy), max(y1, sy)
    has_floor = any(p.kind == "floor" for p in figure.props)
    for prop in figure.props:
        if prop.kind == "wall" and prop.x is not None:
            wx = cam.project(np.array([prop.x, 0.0, 0.0]))[0]
            thick = WALL_THICKNESS if prop.facing == "left" else -WALL_THICKNESS
            x0, x1 = min(x0, wx, wx + thick), max(x1, wx, wx + thick)
    if has_floor:
        z_near = max(depth_range(figure)[1] + 15.0, 30.0)
        y0 = min(y0, cam.project(np.array([0.0, -FLOOR_THICKNESS, z_near]))[1])
    margin = 8.0
    return x0 - margin, y0 - margin, x1 + margin, y1 + margin


def frames_of(figure: Figure, poses: list[Pose]) -> list[list[Shape]]:
    """Each pose's shapes, body back to front, then the props that follow the body."""
    cam = Projection.of(figure.camera)
    return [_frame_shapes(figure, p, cam) for p in poses]
