"""`form`: the camera form check of a video file (docs/form.md): reps, depth, knee control and
pelvic drop, analysed on this computer. The pose model and the decoder are imported inside the
worker process the command starts, never when the commands are listed."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kneecap.cli.common import JsonOpt, app, use

ExerciseOpt = Annotated[
    str | None,
    typer.Option(
        "--exercise",
        help="The exercise filmed (chair-squat, wall-sit, step-up, step-down, "
        "single-leg-balance, glute-bridge, ...); a plain squat if left out.",
    ),
]


class Camera(StrEnum):
    front = "front"
    side = "side"


ViewOpt = Annotated[
    Camera | None,
    typer.Option("--view", help="Where the camera stood; guessed from the body if left out."),
]


@app.command("form")
def form(
    video: Annotated[Path, typer.Argument(help="The video file (MP4, WebM, MOV), at most 60 s.")],
    exercise: ExerciseOpt = None,
    view: ViewOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check your form from a video: reps, depth (from the side), knee control and pelvic
    drop (from the front), tempo. Exit 2 with the reason for a file that cannot be analysed."""
    from kneecap.app import form as form_cases
    from kneecap.cli import render_form

    checked = use(form_cases.analyse_clip, video, exercise, view and view.value)
    render_form.result(checked, as_json)
