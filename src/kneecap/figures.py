"""Exercise figures drawn from joint-angle keyframes of a simple body model.

Every strength, stretch and soft-tissue exercise has a figure file,
`kneecap/catalog/figures/<exercise-id>.yaml`, holding poses rather than pictures. This module
validates those files, turns each pose into body-point positions (forward kinematics) and
renders them as an animated or static SVG, or as characters for the terminal.

The body model
--------------
A stick figure of an adult about 175 cm tall, measured in centimetres: pelvis (the root, halfway
between the hip joints), trunk 50 from pelvis to the base of the neck, head (radius 11) on a
short neck, shoulders 17 either side of the spine, upper arm 29, forearm and hand 30, hip joints
9 either side of the pelvis, thigh 44, shin 43, ankle 8 above the floor when standing, and a foot
running from the heel to the toes. Limbs come in pairs, "near" (towards the viewer in a side
view, drawn darker and in front) and "far" (drawn lighter and behind), so left and right read
clearly without naming a body side.

World axes: x runs left to right across the picture, y is up (the floor is y = 0), z points at
the viewer. In a `side` view the person faces +x; in a `front` view they face the viewer.

Joint angles, in degrees, all measured from standing upright with the arms by the sides:

- `trunk`: forward bend of the trunk at the hips (positive bends forward);
  `trunk_side`: sideways lean towards the near side.
- `neck`: head bent forward (chin to chest) when positive.
- `<limb>_hip`: hip flexion, the thigh swinging forward; `<limb>_hip_abd`: the thigh moving out
  to its own side; `<limb>_hip_rot`: outward turn about the thigh (with the knee bent it brings
  the foot in towards the other leg, the clamshell action).
- `<limb>_knee`: knee bend (0 is straight); `<limb>_ankle`: toes drawn up towards the shin.
- `<limb>_shoulder`: arm raised forward (180 is overhead); `<limb>_shoulder_abd`: arm raised out
  to the side; `<limb>_elbow`: elbow bend.

where `<limb>` is `near` or `far`. An angle left out is 0.

The keyframe schema
-------------------
::

    exercise: wall-sit          # the exercise id; must match the file name
    view: side                  # side | front
    camera: {turn: 0, tilt: 0}  # optional: turn about the vertical, tilt to look down (degrees)
    moves: The back slides down the wall until the thighs are level.   # what moves, in words
    props:                      # simple drawn objects, in world centimetres
      - {kind: floor}
      - {kind: wall, x: 0}                        # x = the surface; facing: right (default)
      - {kind: step, x: 40, width: 35, height: 20}
      - {kind: chair, x: 0, facing: right}        # x = front edge of the seat
      - {kind: roller, x: 30, y: 7.5, r: 7.5}     # roller/ball/towel: centre and radius
      - {kind: band, between: [near_knee, far_knee]}   # follows two body points
      - {kind: ice, follows: near_knee}                # follows one body point
    keyframes:                  # two or more: the first is `start`, the last `end`
      - name: start
        text: standing with the back flat against the wall
        root: {at: [10, 80], lean: 0, pin: pelvis}
        joints: {near_hip: 45, near_knee: 28, ...}

`root.at` places the body point named by `pin` (default the pelvis) at those x, y (and
optionally z) world coordinates, which lets a pose be pinned by a heel on the floor or a hand on
a wall. `root.lean` turns the whole body clockwise in the picture: 90 lies a side-view person
face down with the head to the right, -90 on their back with the head to the left.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Literal
from xml.sax.saxutils import escape

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kneecap.documents import DocumentError, parse, validate

Vec = npt.NDArray[np.float64]

# --- body model (centimetres) -------------------------------------------------------------

HIP_HALF_WIDTH = 9.0
TRUNK = 50.0
SHOULDER_DROP = 4.0  # shoulders sit a little below the base of the neck
SHOULDER_HALF_WIDTH = 17.0
NECK_TO_HEAD_CENTRE = 17.0
HEAD_RADIUS = 11.0
UPPER_ARM = 29.0
FOREARM = 30.0
THIGH = 44.0
SHIN = 43.0
ANKLE_HEIGHT = 8.0
# The foot is drawn as a stroke whose centre line runs 3 cm above the sole, so the stroke's
# lower edge, not its centre, meets the floor.
HEEL = (-4.0, -3.0)
TOE = (15.0, -3.0)
TRUNK_HALF_DEPTH = 10.0  # half the drawn trunk thickness: pelvis centre to the back surface

LIMBS = ("near", "far")
LIMB_JOINTS = (
    "hip",
    "hip_abd",
    "hip_rot",
    "knee",
    "ankle",
    "shoulder",
    "shoulder_abd",
    "elbow",
)
JOINTS = (
    "trunk",
    "trunk_side",
    "neck",
    *tuple(f"{limb}_{joint}" for limb in LIMBS for joint in LIMB_JOINTS),
)
POINTS = (
    "pelvis",
    "neck",
    "head",
    "eye",
    *tuple(
        f"{limb}_{part}"
        for limb in LIMBS
        for part in ("hip", "knee", "ankle", "heel", "toe", "shoulder", "elbow", "hand")
    ),
)

FIGURES_PACKAGE = "kneecap.catalog"
FIGURES_FOLDER = "figures"

# --- the schema -----------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


Angle = Annotated[float, Field(ge=-180, le=180)]
Point = Literal[
    "pelvis",
    "neck",
    "head",
    "eye",
    "near_hip",
    "near_knee",
    "near_ankle",
    "near_heel",
    "near_toe",
    "near_shoulder",
    "near_elbow",
    "near_hand",
    "far_hip",
    "far_knee",
    "far_ankle",
    "far_heel",
    "far_toe",
    "far_shoulder",
    "far_elbow",
    "far_hand",
]


class Camera(_Model):
    turn: Annotated[float, Field(ge=-90, le=90)] = 0.0
    tilt: Annotated[float, Field(ge=0, le=80)] = 0.0


class Root(_Model):
    at: tuple[float, float] | tuple[float, float, float]
    lean: Angle = 0.0
    pin: Point = "pelvis"


class Keyframe(_Model):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    text: Annotated[str, Field(min_length=1)]
    root: Root
    joints: dict[str, Angle] = Field(default_factory=dict)

    @field_validator("joints")
    @classmethod
    def _known_joints(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(JOINTS))
        if unknown:
            raise ValueError(f"unknown joint {unknown[0]!r} (allowed: {', '.join(JOINTS)})")
        return value


PropKind = Literal["floor", "wall", "step", "chair", "roller", "ball", "towel", "band", "ice"]
# Which fields each kind of prop needs; anything else it is given is a mistake.
PROP_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "floor": (set(), set()),
    "wall": ({"x"}, {"facing"}),
    "step": ({"x", "width", "height"}, set()),
    "chair": ({"x", "facing"}, set()),
    "roller": ({"x", "y", "r"}, set()),
    "ball": ({"x", "y", "r"}, set()),
    "towel": ({"x", "y", "r"}, set()),
    "band": ({"between"}, set()),
    "ice": ({"follows"}, set()),
}


class Prop(_Model):
    kind: PropKind
    x: float | None = None
    y: float | None = None
    r: Annotated[float, Field(gt=0, le=40)] | None = None
    width: Annotated[float, Field(gt=0, le=200)] | None = None
    height: Annotated[float, Field(gt=0, le=200)] | None = None
    facing: Literal["left", "right"] | None = None
    between: tuple[Point, Point] | None = None
    follows: Point | None = None

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Prop:
        required, optional = PROP_FIELDS[self.kind]
        given = {f for f in type(self).model_fields if f != "kind" and getattr(self, f) is not None}
        missing = sorted(required - given)
        if missing:
            raise ValueError(f"a {self.kind} needs {', '.join(missing)}")
        extra = sorted(given - required - optional)
        if extra:
            raise ValueError(f"a {self.kind} does not take {', '.join(extra)}")
        return self


class Figure(_Model):
    exercise: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    view: Literal["side", "front"]
    camera: Camera = Camera()
    moves: Annotated[str, Field(min_length=1)]
    props: tuple[Prop, ...] = ()
    keyframes: tuple[Keyframe, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _start_and_end(self) -> Figure:
        names = [k.name for k in self.keyframes]
        if names[0] != "start" or names[-1] != "end":
            raise ValueError("keyframes: the first must be named 'start' and the last 'end'")
        if len(set(names)) != len(names):
            raise ValueError("keyframes: names must be unique")
        return self

    def keyframe(self, name: str) -> Keyframe:
        for k in self.keyframes:
            if k.name == name:
                return k
        raise KeyError(f"{self.exercise}: no keyframe {name!r}")


# --- loading --------------------------------------------------------------------------------


def parse_figure(text: str, source: str) -> Figure:
    """Validate one figure file's text; errors name `source`, the line and the field."""
    data, lines = parse(text, source)
    return validate(Figure, data, source, lines)


def _files() -> dict[str, tuple[str, str]]:
    root = resources.files(FIGURES_PACKAGE).joinpath(FIGURES_FOLDER)
    found: dict[str, tuple[str, str]] = {}
    for f in root.iterdir():
        if f.name.endswith(".yaml"):
            source = f"catalog/{FIGURES_FOLDER}/{f.name}"
            found[f.name.removesuffix(".yaml")] = (source, f.read_text(encoding="utf-8"))
    return dict(sorted(found.items()))


@cache
def load_figures() -> dict[str, Figure]:
    """Every figure by exercise id, validated; a bad file raises `DocumentError`."""
    figures: dict[str, Figure] = {}
    for stem, (source, text) in _files().items():
        figure = parse_figure(text, source)
        if figure.exercise != stem:
            raise DocumentError(
                source, [f"exercise: '{figure.exercise}' does not match the file name '{stem}'"]
            )
        figures[stem] = figure
    return figures


def figure_ids() -> list[str]:
    """The exercise ids that have a figure, sorted."""
    return list(load_figures())


def has_figure(exercise_id: str) -> bool:
    return exercise_id in load_figures()


def load_figure(exercise_id: str) -> Figure:
    try:
        return load_figures()[exercise_id]
    except KeyError:
        raise KeyError(f"no figure for exercise {exercise_id!r}") from None


# --- forward kinematics ------------------------------------------------------------------


def _rot_s(deg: float) -> Vec:
    """About the segment's sideways axis: turns its forward axis towards its up axis."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _rot_f(deg: float) -> Vec:
    """About the segment's forward axis: turns its up axis towards the near side."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def _rot_u(deg: float) -> Vec:
    """About the segment's long (up) axis: turns its near side towards its forward axis."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


# Frames are 3x3 matrices whose columns are the forward, up and near-side axes in world
# coordinates; a side-view body starts facing +x with its near side towards the viewer.
_BASE = {
    "side": np.eye(3),
    "front": np.array([[0.0, 0.0, -1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
}


Pose = dict[str, Vec]


def _pose_at_origin(view: str, lean: float, joints: dict[str, float]) -> Pose:
    def j(name: str) -> float:
        return joints.get(name, 0.0)

    # The root turns clockwise in the picture by `lean`: a rotation about the world z axis,
    # which has the same matrix as a turn about a side-view body's sideways axis.
    pelvis = _rot_s(-lean) @ _BASE[view]
    origin = np.zeros(3)
    pts: Pose = {"pelvis": origin}
    trunk = pelvis @ _rot_s(-j("trunk")) @ _rot_f(j("trunk_side"))
    neck = origin + trunk @ np.array([0.0, TRUNK, 0.0])
    pts["neck"] = neck
    head_frame = trunk @ _rot_s(-j("neck"))
    pts["head"] = neck + head_frame @ np.array([0.0, NECK_TO_HEAD_CENTRE, 0.0])
    pts["eye"] = pts["head"] + head_frame @ np.array([6.0, 2.0, 0.0])
    for limb, side in (("near", 1.0), ("far", -1.0)):
        hip = origin + pelvis @ np.array([0.0, 0.0, side * HIP_HALF_WIDTH])
        # Abduction and the outward turn mirror between the two sides, hence `side`.
        thigh = (
            pelvis
            @ _rot_s(j(f"{limb}_hip"))
            @ _rot_f(-side * j(f"{limb}_hip_abd"))
            @ _rot_u(-side * j(f"{limb}_hip_rot"))
        )
        knee = hip + thigh @ np.array([0.0, -THIGH, 0.0])
        shin = thigh @ _rot_s(-j(f"{limb}_knee"))
        ankle = knee + shin @ np.array([0.0, -SHIN, 0.0])
        foot = shin @ _rot_s(j(f"{limb}_ankle"))
        pts[f"{limb}_hip"] = hip
        pts[f"{limb}_knee"] = knee
        pts[f"{limb}_ankle"] = ankle
        pts[f"{limb}_heel"] = ankle + foot @ np.array([HEEL[0], HEEL[1], 0.0])
        pts[f"{limb}_toe"] = ankle + foot @ np.array([TOE[0], TOE[1], 0.0])
        shoulder = neck + trunk @ np.array([0.0, -SHOULDER_DROP, side * SHOULDER_HALF_WIDTH])
        arm = trunk @ _rot_s(j(f"{limb}_shoulder")) @ _rot_f(-side * j(f"{limb}_shoulder_abd"))
        elbow = shoulder + arm @ np.array([0.0, -UPPER_ARM, 0.0])
        forearm = arm @ _rot_s(j(f"{limb}_elbow"))
        pts[f"{limb}_shoulder"] = shoulder
        pts[f"{limb}_elbow"] = elbow
        pts[f"{limb}_hand"] = elbow + forearm @ np.array([0.0, -FOREARM, 0.0])
    return pts


def _place(view: str, root: Root, joints: dict[str, float]) -> Pose:
    pts = _pose_at_origin(view, root.lean, joints)
    target = np.array([*root.at, 0.0][:3], dtype=np.float64)
    if len(root.at) == 2:
        # An x, y pin keeps the pinned point's own depth, so the body stays centred in depth.
        target[2] = pts[root.pin][2]
    shift = target - pts[root.pin]
    return {name: p + shift for name, p in pts.items()}


def pose(exercise_id: str, keyframe: str) -> Pose:
    """World positions (cm) of every body point in one keyframe of an exercise's figure."""
    figure = load_figure(exercise_id)
    k = figure.keyframe(keyframe)
    return _place(figure.view, k.root, k.joints)


def figure_pose(figure: Figure, keyframe: Keyframe) -> Pose:
    return _place(figure.view, keyframe.root, keyframe.joints)


def _blend(figure: Figure, a: Keyframe, b: Keyframe, t: float) -> Pose:
    """A pose between two keyframes: angles and root are interpolated, so limbs keep their
    length (interpolating drawn coordinates directly would shrink a swinging leg)."""
    joints = {
        name: (1 - t) * a.joints.get(name, 0.0) + t * b.joints.get(name, 0.0)
        for name in set(a.joints) | set(b.joints)
    }
    pa = _place(figure.view, a.root, a.joints)
    pb = _place(figure.view, b.root, b.joints)
    lean = (1 - t) * a.root.lean + t * b.root.lean
    pts = _pose_at_origin(figure.view, lean, joints)
    # Move the pinned point of each end smoothly between where the two keyframes put it.
    anchor_a = pa[a.root.pin]
    anchor_b = pb[a.root.pin]
    target = (1 - t) * anchor_a + t * anchor_b
    shift = target - pts[a.root.pin]
    return {name: p + shift for name, p in pts.items()}


# --- projection and drawing primitives ------------------------------------------------------


@dataclass(frozen=True)
class _Camera:
    matrix: Vec

    @classmethod
    def of(cls, camera: Camera) -> _Camera:
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
class _Shape:
    """One drawn thing in picture coordinates (y up). `kind` decides how it is drawn."""

    kind: Literal["stroke", "poly", "circle", "capsule"]
    points: tuple[XY, ...]
    width: float
    style: str  # a key into _STYLES
    depth: float
    radius: float = 0.0
    closed: bool = False


NEAR, FAR, BODY = "#1d4f7a", "#93b7d8", "#2b6496"
_STYLES: dict[str, tuple[str, str]] = {
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


def _body_shapes(pts: Pose, cam: _Camera) -> list[_Shape]:
    def p2(name: str) -> XY:
        x, y, _ = cam.project(pts[name])
        return (x, y)

    def depth(names: Iterable[str]) -> float:
        ds = [cam.project(pts[n])[2] for n in names]
        return sum(ds) / len(ds)

    shapes: list[_Shape] = []
    for limb in LIMBS:
        leg = (f"{limb}_hip", f"{limb}_knee", f"{limb}_ankle", f"{limb}_heel", f"{limb}_toe")
        arm = (f"{limb}_shoulder", f"{limb}_elbow", f"{limb}_hand")
        shapes.append(_Shape("stroke", tuple(p2(n) for n in leg), LEG_WIDTH, limb, depth(leg)))
        shapes.append(_Shape("stroke", tuple(p2(n) for n in arm), ARM_WIDTH, limb, depth(arm)))
    # The torso: a thick spine for the side view plus the hip-shoulder outline, which only
    # opens up into a body shape when seen from the front.
    outline = ("near_hip", "far_hip", "far_shoulder", "near_shoulder")
    trunk_depth = depth(("pelvis", "neck"))
    shapes.append(
        _Shape("poly", tuple(p2(n) for n in outline), 10.0, "torso", trunk_depth, closed=True)
    )
    shapes.append(
        _Shape("stroke", (p2("pelvis"), p2("neck")), TRUNK_WIDTH, "body", trunk_depth + 0.01)
    )
    shapes.append(_Shape("stroke", (p2("neck"), p2("head")), 8.0, "body", trunk_depth + 0.02))
    shapes.append(
        _Shape("circle", (p2("head"),), 0.0, "head", trunk_depth + 0.03, radius=HEAD_RADIUS)
    )
    # The eye shows which way the face points; it is left out when the face is towards the
    # viewer, where a dot in the middle of the head would read as a nose.
    hx, hy = p2("head")
    ex, ey = p2("eye")
    if math.hypot(ex - hx, ey - hy) > 4.5:
        shapes.append(_Shape("circle", ((ex, ey),), 0.0, "eye", trunk_depth + 0.04, radius=2.0))
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


def _solid(corners: list[Vec], cam: _Camera, style: str, depth: float) -> _Shape:
    xy = [cam.project(c)[:2] for c in corners]
    return _Shape(
        "poly", _hull([(round(x, 3), round(y, 3)) for x, y in xy]), 1.5, style, depth, closed=True
    )


def _scene_props(
    figure: Figure, cam: _Camera, span: tuple[float, float], depth: tuple[float, float]
) -> list[_Shape]:
    """Props fixed in the world, drawn behind the body (depth -1000). `span` is the world x
    range to draw floors across and `depth` the world z range the body uses."""
    back = -1000.0
    x0, x1 = span
    z0, z1 = min(depth[0] - 15.0, -30.0), max(depth[1] + 15.0, 30.0)
    shapes: list[_Shape] = []
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
                shapes.append(_Shape("capsule", (a[:2], b[:2]), 2 * prop.r, style, back + 1))
            shapes.append(_Shape("circle", (b[:2],), 0.0, style, back + 2, radius=prop.r))
    return shapes


def _body_props(figure: Figure, pts: Pose, cam: _Camera) -> list[_Shape]:
    """Props that follow the body (a band round the knees, an ice pack), drawn in front."""
    front = 1000.0
    shapes: list[_Shape] = []
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
                _Shape(
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
            shapes.append(_Shape("poly", pack, 2.0, "ice", front, closed=True))
    return shapes


def _depth_range(figure: Figure) -> tuple[float, float]:
    """The world z range the body uses over its keyframes, so floors and walls reach it."""
    zs = [float(p[2]) for k in figure.keyframes for p in figure_pose(figure, k).values()]
    return min(zs), max(zs)


def _frame_shapes(figure: Figure, pts: Pose, cam: _Camera) -> list[_Shape]:
    body = sorted(_body_shapes(pts, cam), key=lambda s: s.depth)
    return body + _body_props(figure, pts, cam)


def _shape_points(shapes: Iterable[_Shape]) -> list[XY]:
    out: list[XY] = []
    for s in shapes:
        pad = s.width / 2 + s.radius
        for x, y in s.points:
            out += [(x - pad, y - pad), (x + pad, y + pad)]
    return out


# --- SVG -------------------------------------------------------------------------------------

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
            forward.append(_blend(figure, a, b, _ease(i / STEPS_PER_MOVE)))
    forward.append(figure_pose(figure, keys[-1]))
    n = len(forward) - 1
    poses = forward + forward[::-1] + [forward[0]]
    times = (
        [0.375 * i / n for i in range(n + 1)] + [0.5 + 0.375 * i / n for i in range(n + 1)] + [1.0]
    )
    return poses, times


def _fmt(v: float) -> str:
    text = f"{v:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def _path_d(shape: _Shape, dx: float = 0.0) -> str:
    pts = [f"{_fmt(x + dx)} {_fmt(-y)}" for x, y in shape.points]
    return "M" + " L".join(pts) + (" Z" if shape.closed else "")


def _attrs(style: str, width: float) -> str:
    stroke, fill = _STYLES[style]
    return (
        f'stroke="{stroke}" fill="{fill}" stroke-width="{_fmt(width)}" '
        'stroke-linecap="round" stroke-linejoin="round"'
    )


def _element(shape: _Shape, dx: float = 0.0, animate: str = "") -> str:
    if shape.kind == "circle":
        (x, y) = shape.points[0]
        stroke, fill = _STYLES[shape.style]
        return (
            f'<circle cx="{_fmt(x + dx)}" cy="{_fmt(-y)}" r="{_fmt(shape.radius)}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5">{animate}</circle>'
        )
    if shape.kind == "capsule":
        (ax, ay), (bx, by) = shape.points
        stroke, fill = _STYLES[shape.style]
        return (
            f'<path d="M{_fmt(ax + dx)} {_fmt(-ay)} L{_fmt(bx + dx)} {_fmt(-by)}" '
            f'stroke="{fill}" stroke-width="{_fmt(shape.width)}" stroke-linecap="round"/>'
        )
    return f'<path d="{_path_d(shape, dx)}" {_attrs(shape.style, shape.width)}>{animate}</path>'


def _exercise_name(exercise_id: str) -> str:
    from kneecap.catalog import load_catalogue  # the catalogue is only needed for the name

    catalogue = load_catalogue()
    return catalogue[exercise_id].name if exercise_id in catalogue else exercise_id


def _description(figure: Figure) -> str:
    start, end = figure.keyframes[0], figure.keyframes[-1]
    return f"{figure.moves} Start: {start.text}. End: {end.text}."


def _scene_span(figure: Figure, frames: list[list[_Shape]]) -> tuple[float, float, float, float]:
    """Picture bounds (x0, y0, x1, y1 with y up) of the body over all frames and its props."""
    pts = [p for shapes in frames for p in _shape_points(shapes)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    cam = _Camera.of(figure.camera)
    # Floors and walls are cut to the body's surroundings; other props count in full.
    solid = figure.model_copy(
        update={"props": tuple(p for p in figure.props if p.kind not in ("floor", "wall"))}
    )
    for sx, sy in _shape_points(_scene_props(solid, cam, (x0, x1), _depth_range(figure))):
        x0, x1, y0, y1 = min(x0, sx), max(x1, sx), min(y0, sy), max(y1, sy)
    has_floor = any(p.kind == "floor" for p in figure.props)
    for prop in figure.props:
        if prop.kind == "wall" and prop.x is not None:
            wx = cam.project(np.array([prop.x, 0.0, 0.0]))[0]
            thick = WALL_THICKNESS if prop.facing == "left" else -WALL_THICKNESS
            x0, x1 = min(x0, wx, wx + thick), max(x1, wx, wx + thick)
    if has_floor:
        z_near = max(_depth_range(figure)[1] + 15.0, 30.0)
        y0 = min(y0, cam.project(np.array([0.0, -FLOOR_THICKNESS, z_near]))[1])
    margin = 8.0
    return x0 - margin, y0 - margin, x1 + margin, y1 + margin


def _frames(figure: Figure, poses: list[Pose]) -> list[list[_Shape]]:
    cam = _Camera.of(figure.camera)
    return [_frame_shapes(figure, p, cam) for p in poses]


def svg(exercise_id: str, animated: bool = True) -> str:
    """A self-contained SVG of the exercise: animated start → end → start (first frame is the
    start pose), or with `animated=False` two labelled panels, start | end, for print and for
    people who prefer reduced motion."""
    figure = load_figure(exercise_id)
    name = _exercise_name(exercise_id)
    cam = _Camera.of(figure.camera)
    start, end = figure.keyframes[0], figure.keyframes[-1]
    key_frames = _frames(figure, [figure_pose(figure, start), figure_pose(figure, end)])
    if animated:
        poses, times = _timeline(figure)
        frames = _frames(figure, poses)
    else:
        frames = key_frames
    x0, y0, x1, y1 = _scene_span(figure, frames + key_frames)
    w, h = x1 - x0, y1 - y0
    label_h = 0.0 if animated else 16.0
    panels = 1 if animated else 2
    gap = 0.0 if animated else 10.0
    total_w = w * panels + gap * (panels - 1)
    zrange = _depth_range(figure)
    uid = f"fig-{exercise_id}" + ("" if animated else "-static")
    desc = _description(figure)
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{_fmt(x0)} {_fmt(-y1)} {_fmt(total_w)} {_fmt(h + label_h)}" '
        f'width="{_fmt(total_w * 2)}" height="{_fmt((h + label_h) * 2)}" '
        f'role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(name)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
    ]
    props = _scene_props(figure, cam, (x0, x1), zrange)
    if animated:
        out.extend(_element(s) for s in props)
        out.extend(_animated_body(frames, times))
    for panel, label in enumerate(("start", "end") if not animated else ()):
        # Each panel is a nested viewport, which clips its floor and walls to the panel so
        # a turned view's floor cannot spill into the neighbouring pose.
        out.append(
            f'<svg x="{_fmt(x0 + panel * (w + gap))}" y="{_fmt(-y1)}" '
            f'width="{_fmt(w)}" height="{_fmt(h)}" '
            f'viewBox="{_fmt(x0)} {_fmt(-y1)} {_fmt(w)} {_fmt(h)}">'
        )
        out.extend(_element(s) for s in props)
        out.extend(_element(s) for s in frames[panel])
        out.append("</svg>")
        out.append(
            f'<text x="{_fmt(x0 + panel * (w + gap) + w / 2)}" y="{_fmt(-y0 + label_h - 4)}" '
            'text-anchor="middle" font-family="sans-serif" font-size="12" '
            f'fill="#333333">{label}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _animated_body(frames: list[list[_Shape]], times: list[float]) -> list[str]:
    key_times = ";".join(f"{t:.4f}".rstrip("0").rstrip(".") or "0" for t in times)
    common = (
        f'dur="{_fmt(CYCLE_S)}s" repeatCount="indefinite" calcMode="linear" keyTimes="{key_times}"'
    )
    first = frames[0]
    elements: list[str] = []
    # Every frame has the same shapes in the same order (the draw order is fixed by the start
    # pose), so each element can animate through the matching shape of every frame.
    for i, shape in enumerate(first):
        track = [frame[i] for frame in frames]
        if shape.kind == "circle":
            cx = ";".join(_fmt(s.points[0][0]) for s in track)
            cy = ";".join(_fmt(-s.points[0][1]) for s in track)
            anim = (
                f'<animate attributeName="cx" values="{cx}" {common}/>'
                f'<animate attributeName="cy" values="{cy}" {common}/>'
            )
        else:
            values = ";".join(_path_d(s) for s in track)
            anim = f'<animate attributeName="d" values="{values}" {common}/>'
        elements.append(_element(shape, 0.0, anim))
    return elements


# --- ASCII -------------------------------------------------------------------------------

_CHARS = {
    "near": "#",
    "far": "+",
    "body": "#",
    "torso": "#",
    "head": "O",
    "eye": "O",
    "floor": "=",
    "wall": "|",
    "wood": ":",
    "roller": "@",
    "ball": "@",
    "towel": "@",
    "band": "~",
    "ice": "*",
}


def ascii(exercise_id: str, width: int = 40, height: int = 12) -> str:
    """The start and end poses side by side in characters, `height` lines of `width`
    characters, the last line labelling the panels "start" and "end"."""
    if width < 21 or height < 5:
        raise ValueError("ascii figures need at least 21 columns and 5 lines")
    figure = load_figure(exercise_id)
    cam = _Camera.of(figure.camera)
    frames = _frames(
        figure,
        [figure_pose(figure, figure.keyframes[0]), figure_pose(figure, figure.keyframes[-1])],
    )
    x0, y0, x1, y1 = _scene_span(figure, frames)
    panel_w, rows = (width - 1) // 2, height - 1
    # A character cell is about twice as tall as it is wide.
    scale = max((x1 - x0) / panel_w, (y1 - y0) / (rows * 2))
    grid = [[" "] * width for _ in range(rows)]
    # Sit the drawing on the bottom line (next to the labels) and centre it across the panel.
    top = max(0, rows - math.ceil((y1 - y0) / (2 * scale)))
    indent = max(0, (panel_w - math.ceil((x1 - x0) / scale)) // 2)

    def plot(px: float, py: float, ch: str, left: int) -> None:
        c = left + indent + int((px - x0) / scale)
        r = top + int((y1 - py) / (2 * scale))
        if 0 <= r < rows and left <= c < left + panel_w:
            grid[r][c] = ch

    for panel, shapes in enumerate(frames):
        left = 0 if panel == 0 else width - panel_w
        props = _scene_props(figure, cam, (x0, x1), _depth_range(figure))
        for shape in props + shapes:
            ch = _CHARS[shape.style]
            if shape.style == "eye":
                continue
            if shape.kind == "circle":
                (cx, cy), r = shape.points[0], shape.radius
                for a in range(0, 360, 15):
                    plot(
                        cx + r * math.cos(math.radians(a)),
                        cy + r * math.sin(math.radians(a)),
                        ch,
                        left,
                    )
                continue
            pts = list(shape.points) + ([shape.points[0]] if shape.closed else [])
            for (ax, ay), (bx, by) in itertools.pairwise(pts):
                n = max(1, int(math.hypot(bx - ax, by - ay) / (scale * 0.5)))
                for i in range(n + 1):
                    plot(ax + (bx - ax) * i / n, ay + (by - ay) * i / n, ch, left)
    lines = ["".join(row) for row in grid]
    labels = [" "] * width
    for text, left in (("start", 0), ("end", width - panel_w)):
        at = left + max(0, (panel_w - len(text)) // 2)
        labels[at : at + len(text)] = list(text)
    lines.append("".join(labels))
    return "\n".join(lines)


__all__ = [
    "Figure",
    "ascii",
    "figure_ids",
    "has_figure",
    "load_figure",
    "load_figures",
    "parse_figure",
    "pose",
    "svg",
]
