"""The keyframe files: their schema, and loading them from the catalogue.

Every strength, stretch and soft-tissue exercise has a figure file,
`kneecap/catalog/figures/<exercise-id>.yaml`, holding poses rather than pictures (the body and
its joint angles: `body`). They are read by the catalogue's own loader and validated here.

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

from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kneecap.catalog import load_documents
from kneecap.documents import parse, validate
from kneecap.render.figures.body import JOINTS, Pose, figure_pose

FIGURES_FOLDER = "figures"  # in the catalogue package


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


@cache
def load_figures() -> dict[str, Figure]:
    """Every figure by exercise id (sorted), read by the catalogue's loader: a bad file, or one
    whose `exercise` is not its file name, raises `DocumentError`."""
    figures = load_documents(FIGURES_FOLDER, Figure, key="exercise")
    return {f.exercise: f for f in sorted(figures, key=lambda f: f.exercise)}


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


def pose(exercise_id: str, keyframe: str) -> Pose:
    """World positions (cm) of every body point in one keyframe of an exercise's figure."""
    figure = load_figure(exercise_id)
    k = figure.keyframe(keyframe)
    return figure_pose(figure, k)
