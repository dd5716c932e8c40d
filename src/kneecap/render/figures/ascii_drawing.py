"""A figure in characters for the terminal: the start and end poses side by side."""

from __future__ import annotations

import itertools
import math

from kneecap.render.figures.body import figure_pose
from kneecap.render.figures.keyframes import load_figure
from kneecap.render.figures.scene import Projection, depth_range, frames_of, scene_props, scene_span

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
    cam = Projection.of(figure.camera)
    frames = frames_of(
        figure,
        [figure_pose(figure, figure.keyframes[0]), figure_pose(figure, figure.keyframes[-1])],
    )
    x0, y0, x1, y1 = scene_span(figure, frames)
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
        props = scene_props(figure, cam, (x0, x1), depth_range(figure))
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
