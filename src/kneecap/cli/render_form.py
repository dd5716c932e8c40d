"""The form check in the terminal: the reps with their measures, then the feedback; or the
JSON of docs/form.md alone. Imported inside the command only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kneecap.cli.common import emit_json, out

if TYPE_CHECKING:
    from kneecap.app.form import FormCheck


def _measures(rep: dict[str, float | None]) -> str:
    said = [f"down {float(rep['bottom_s'] or 0) - float(rep['start_s'] or 0):.1f} s"]
    said.append(f"up {float(rep['end_s'] or 0) - float(rep['bottom_s'] or 0):.1f} s")
    if rep["depth_deg"] is not None:
        said.append(f"knee at {rep['depth_deg']:.0f}° at the bottom")
    if rep["valgus_deg"] is not None:
        said.append(f"knee line {rep['valgus_deg']:.0f}°")
    if rep["pelvic_drop_deg"] is not None:
        said.append(f"pelvic drop {rep['pelvic_drop_deg']:.0f}°")
    return ", ".join(said)


def result(checked: FormCheck, as_json: bool) -> None:
    data = checked.to_dict()
    if as_json:
        emit_json(data)
        return
    r = checked.result
    out.print(
        f"[bold]{r.move.name.capitalize()}, filmed from the {r.view}:[/] "
        f"{len(r.reps)} rep{'s' if len(r.reps) != 1 else ''} "
        f"({r.frames_analysed} frames analysed)"
    )
    for n, rep in enumerate(data["per_rep"], 1):
        out.print(f"  Rep {n} at {rep['start_s']:.1f} s: {_measures(rep)}")
    for line in r.feedback:
        out.print(line)
    if r.view == "side":
        out.print(
            "[dim]Knee control and pelvic drop are read from the front: film again facing the camera.[/]"
        )
    else:
        out.print("[dim]Depth is read from the side: film again side-on to the camera.[/]")
