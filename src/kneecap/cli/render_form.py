"""The form check in the terminal: the reps with their measures, then the feedback; or the
JSON of docs/form.md alone. Imported inside the command only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kneecap.cli.common import emit_json, out
from kneecap.core.form import rep_words

if TYPE_CHECKING:
    from kneecap.app.form import FormCheck


def result(checked: FormCheck, as_json: bool) -> None:
    data = checked.to_dict()
    if as_json:
        emit_json(data)
        return
    r = checked.result
    out.print(
        f"[bold]{r.move.name.capitalize()}, filmed from the {r.view}:[/] "
        f"{r.counted()} ({r.frames_analysed} frames analysed)"
    )
    for rep in r.reps:
        out.print(
            f"  {r.unit.capitalize()} {rep.number} at {rep.start_s:.1f} s: {rep_words(rep, r.move)}"
        )
    for line in r.feedback:
        out.print(line)
    if r.view == "side":
        out.print(
            "[dim]Knee control and pelvic drop are read from the front: film again facing the camera.[/]"
        )
    else:
        out.print("[dim]Depth is read from the side: film again side-on to the camera.[/]")
