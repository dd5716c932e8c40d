"""Looking back: the engine's decisions (`why`), the AKPS questionnaire and `progress`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kneecap.cli.common import JsonOpt, app, fail, opened, out, programme, use


@app.command()
def why(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every decision the programme made (progress, hold, regress, substitute, stop), newest
    first; a hold repeated session after session is one row with its count and dates."""
    from kneecap.cli import render_progress

    with opened(ctx) as home:
        p = programme(home)
    render_progress.why(p, as_json)


@app.command()
def akps(
    ctx: typer.Context,
    answers: Annotated[
        Path | None, typer.Option(help='A file: {"answers": [13 option indexes, 0-based]}.')
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The Kujala Anterior Knee Pain Scale (0-100, higher is better), every 2-4 weeks."""
    from kneecap.app.kujala import record_akps
    from kneecap.cli import intake, render_progress

    given = intake.ask_akps(out) if answers is None else answers_file(answers)
    with opened(ctx) as home:
        recorded = use(record_akps, home, given, str(answers or "answers"))
    render_progress.akps(recorded, as_json)


def answers_file(path: Path) -> list[Any]:
    """The answers in a file, `{"answers": [...]}`; each is checked when the result is scored."""
    from kneecap.documents import DocumentError, parse, read_text

    try:
        data, _ = parse(read_text(path), str(path))
    except DocumentError as exc:
        fail(str(exc))
    if (
        not isinstance(data, dict)
        or set(data) != {"answers"}
        or not isinstance(data["answers"], list)
    ):
        fail(f'{path}: expected {{"answers": [13 option indexes]}}')
    given: list[Any] = data["answers"]
    return given


@app.command("progress")
def progress_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Pain trends, adherence, AKPS, the phase and what the next one needs."""
    from kneecap.app import read
    from kneecap.cli import render_progress

    with opened(ctx) as home:
        report = use(read.progress, home)
    render_progress.progress(report, as_json)
