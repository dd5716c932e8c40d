"""Exercise figures drawn from joint-angle keyframes of a simple body model.

Every strength, stretch and soft-tissue exercise has a figure file,
`kneecap/catalog/figures/<exercise-id>.yaml`, holding poses rather than pictures. The package
reads those files with the catalogue's loader (`keyframes`, which also documents the schema),
turns each pose into body-point positions by forward kinematics (`body`, which documents the
body model and its joint angles), flattens a pose and its props into shapes through a camera
(`scene`), and draws the shapes as an animated or static SVG (`svg_drawing`) or as characters
for the terminal (`ascii_drawing`).
"""

from __future__ import annotations

from kneecap.render.figures.ascii_drawing import ascii
from kneecap.render.figures.body import (
    JOINTS,
    LIMBS,
    POINTS,
    SHIN,
    THIGH,
    TRUNK_HALF_DEPTH,
    Pose,
    figure_pose,
)
from kneecap.render.figures.keyframes import (
    Figure,
    Keyframe,
    Prop,
    figure_ids,
    has_figure,
    load_figure,
    load_figures,
    parse_figure,
    pose,
)
from kneecap.render.figures.scene import ARM_WIDTH, FAR, LEG_WIDTH, NEAR
from kneecap.render.figures.svg_drawing import svg

__all__ = [
    "ARM_WIDTH",
    "FAR",
    "JOINTS",
    "LEG_WIDTH",
    "LIMBS",
    "NEAR",
    "POINTS",
    "SHIN",
    "THIGH",
    "TRUNK_HALF_DEPTH",
    "Figure",
    "Keyframe",
    "Pose",
    "Prop",
    "ascii",
    "figure_ids",
    "figure_pose",
    "has_figure",
    "load_figure",
    "load_figures",
    "parse_figure",
    "pose",
    "svg",
]
