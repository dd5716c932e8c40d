"""Synthetic pose series for the form check's tests, posed by the exercise figures' body model
(`render/figures/body.py`): a squat or a single-leg squat seen from the front or the side, with
a known amount of knee valgus (the hips turned inwards at the bottom, which carries the knees
inside the hip-ankle line) or pelvic drop (the pelvis tilted down on the free side), projected
by the figures' camera into a 720 x 1280 frame, with pixel noise, as MediaPipe's 33 landmarks."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kneecap.core.form import Series
from kneecap.render.figures.body import blend
from kneecap.render.figures.keyframes import Camera, Figure, Keyframe, Root
from kneecap.render.figures.scene import Projection

WIDTH, HEIGHT = 720, 1280
PX_PER_CM = 4.5
# The body model's points as MediaPipe's landmarks: "near" is the person's right (the body
# faces the camera in a front view; in a side view it faces right, its right side nearer).
LANDMARK_OF = {
    "head": (0,),
    "eye": (2, 5),
    "near_shoulder": (12,),
    "far_shoulder": (11,),
    "near_elbow": (14,),
    "far_elbow": (13,),
    "near_hand": (16,),
    "far_hand": (15,),
    "near_hip": (24,),
    "far_hip": (23,),
    "near_knee": (26,),
    "far_knee": (25,),
    "near_ankle": (28,),
    "far_ankle": (27,),
    "near_heel": (30,),
    "far_heel": (29,),
    "near_toe": (32,),
    "far_toe": (31,),
}


@dataclass(frozen=True)
class Clip:
    fps: float = 10.0
    reps: int = 3
    rest_s: float = 1.5  # standing between reps
    down_s: float = 1.8
    up_s: float = 1.4
    hip: float = 70.0  # hip flexion at the bottom
    knee: float = 85.0  # knee bend at the bottom
    valgus_turn: float = 0.0  # inward turn of both hips at the bottom (two-leg) or the stance hip
    drop: float = 0.0  # pelvic tilt at the bottom, down on the free side (single-leg)
    single_leg: bool = False
    hold_s: float = 0.0  # held at the bottom this long (a wall sit, a balance)
    view: str = "front"
    turn: float = 0.0  # the camera's turn about the vertical
    noise_px: float = 2.0
    seed: int = 0


def _keyframes(c: Clip) -> tuple[Keyframe, Keyframe]:
    free = {"near_hip": 45.0, "near_knee": 80.0} if c.single_leg else {}
    start_joints = {"near_hip": 5.0, "far_hip": 5.0, "near_knee": 8.0, "far_knee": 8.0, **free}
    trunk = 0.55 * c.hip
    if c.single_leg:
        stance = {"far_hip": c.hip, "far_knee": c.knee, "far_hip_rot": -c.valgus_turn}
        bottom = {**free, "trunk": trunk, **stance, "far_ankle": 0.6 * c.knee}
    else:
        bottom = {
            "trunk": trunk,
            **{f"{limb}_hip": c.hip for limb in ("near", "far")},
            **{f"{limb}_knee": c.knee for limb in ("near", "far")},
            **{f"{limb}_ankle": 0.5 * c.knee for limb in ("near", "far")},
            **{f"{limb}_hip_rot": -c.valgus_turn for limb in ("near", "far")},
        }
    joints = {k: max(-90.0, min(180.0, v)) for k, v in bottom.items()}
    # The standing foot stays on the floor where it is (the pelvis moves over it).
    pin = "far_ankle" if c.single_leg else "near_ankle"
    at = (0.0 if c.view == "side" else (9.0 if c.single_leg else -9.0), 8.0)
    start = Keyframe(name="start", text="standing", root=Root(at=at, pin=pin), joints=start_joints)
    end = Keyframe(
        name="end", text="bottom", root=Root(at=at, lean=-c.drop, pin=pin), joints=joints
    )
    return start, end


def _phase(c: Clip, t: float) -> float:
    """0 standing, 1 at the bottom: rest, down, up, repeated."""
    period = c.rest_s + c.down_s + c.hold_s + c.up_s
    k, u = divmod(t, period)
    if k >= c.reps or u < c.rest_s:
        return 0.0
    u -= c.rest_s
    if u < c.down_s:
        return 0.5 - 0.5 * math.cos(math.pi * u / c.down_s)
    if u < c.down_s + c.hold_s:
        return 1.0
    u -= c.down_s + c.hold_s
    return 0.5 + 0.5 * math.cos(math.pi * u / c.up_s)


def series(c: Clip) -> Series:
    start, end = _keyframes(c)
    figure = Figure(exercise="chair-squat", view=c.view, moves="squat", keyframes=(start, end))  # type: ignore[arg-type]
    camera = Projection.of(Camera(turn=c.turn))
    duration = c.reps * (c.rest_s + c.down_s + c.hold_s + c.up_s) + c.rest_s
    times = np.arange(0.0, duration, 1.0 / c.fps)
    rng = np.random.default_rng(c.seed)
    points = np.full((len(times), 33, 2), np.nan)
    for i, t in enumerate(times):
        pose = blend(figure, start, end, _phase(c, t))
        for name, indices in LANDMARK_OF.items():
            x, y, _depth = camera.project(pose[name])
            for j in indices:
                points[i, j] = (WIDTH / 2 + PX_PER_CM * x, HEIGHT - 60 - PX_PER_CM * y)
    # the landmarks nobody reads sit with the nose
    for j in range(33):
        if np.isnan(points[0, j, 0]):
            points[:, j] = points[:, 0]
    points += rng.normal(0.0, c.noise_px, points.shape)
    visibility = np.full((len(times), 33), 0.95)
    if c.view == "side":
        visibility[:, [11, 13, 15, 23, 25, 27, 29, 31]] = 0.6
    return Series(times, points, visibility, np.full(len(times), 120.0), WIDTH, HEIGHT)
