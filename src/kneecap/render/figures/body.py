"""The body model and its posing: joint angles in, body-point positions (cm) out.

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
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from kneecap.render.figures.keyframes import Figure, Keyframe, Root

Vec = npt.NDArray[np.float64]

# --- the body (centimetres) -----------------------------------------------------------------

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


def figure_pose(figure: Figure, keyframe: Keyframe) -> Pose:
    return _place(figure.view, keyframe.root, keyframe.joints)


def blend(figure: Figure, a: Keyframe, b: Keyframe, t: float) -> Pose:
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
