"""Running: `import` activity files, list `runs`, one run's profile, weekly `load`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from kneecap.cli.common import JsonOpt, app, fail, finish, opened, use
from kneecap.importers import formats

runs_app = typer.Typer(help="Your imported activities.", invoke_without_command=True)
app.add_typer(runs_app, name="runs")


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=f"Files ({' '.join(formats.SUFFIXES)}, optionally {formats.GZIP}), folders or "
            f"export {formats.ZIP} files."
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Import runs from your watch or phone: single files, folders or a whole export archive."""
    from kneecap.app import activities
    from kneecap.cli import render_running

    bar = render_running.import_bar(paths, quiet=as_json)
    with opened(ctx) as home, bar as advance:
        report = use(activities.import_files, home, paths, on_file=advance)
    finish(render_running.import_report(report, as_json))


@runs_app.callback()
def runs(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Your activities with distance, time, climb, downhill and cadence."""
    from kneecap.app import activities
    from kneecap.cli import render_running

    if ctx.invoked_subcommand is not None:
        return
    with opened(ctx) as home:
        records = use(activities.runs, home)
    finish(render_running.runs(records, as_json))


@runs_app.command("show")
def show(
    ctx: typer.Context,
    activity_id: Annotated[int, typer.Argument(help="The id from 'kneecap runs'.")],
    as_json: JsonOpt = False,
) -> None:
    """One activity: its figures and an elevation profile with the downhill parts marked."""
    from kneecap.app import activities
    from kneecap.cli import render_running

    with opened(ctx) as home:
        found = use(activities.run_profile, home, activity_id)
    if found is None:
        fail(f"no activity with id {activity_id}: see 'kneecap runs' for the ids")
    render_running.run(found, as_json)


def _no_run(activity_id: int, deleted: bool = False) -> NoReturn:
    where = "among the deleted runs" if deleted else "('kneecap runs' lists the ids)"
    fail(f"no run with id {activity_id} {where}")


@runs_app.command("delete")
def delete(
    ctx: typer.Context,
    activity_id: Annotated[int, typer.Argument(help="The id from 'kneecap runs'.")],
    as_json: JsonOpt = False,
) -> None:
    """Delete a run: it is kept, left out of every figure, and 'kneecap runs restore' brings it
    back."""
    from kneecap.app import activities
    from kneecap.cli import render_running

    with opened(ctx) as home:
        try:
            record = use(activities.delete_run_record, home, activity_id)
        except activities.NoSuchRun:
            _no_run(activity_id)
    render_running.deleted(activity_id, record, as_json)


@runs_app.command("restore")
def restore(
    ctx: typer.Context,
    activity_id: Annotated[int, typer.Argument(help="The id of a deleted run.")],
    as_json: JsonOpt = False,
) -> None:
    """Bring a deleted run back."""
    from kneecap.app import activities
    from kneecap.cli import render_running

    with opened(ctx) as home:
        try:
            use(activities.undo_delete_run, home, activity_id)
        except activities.NoSuchRun:
            _no_run(activity_id, deleted=True)
    render_running.restored(activity_id, as_json)


@runs_app.command("pain")
def pain(
    ctx: typer.Context,
    activity_id: Annotated[int, typer.Argument(help="The id from 'kneecap runs'.")],
    during: Annotated[
        int | None, typer.Option("--during", help="Knee pain during the run, 0 (none) to 10.")
    ] = None,
    next_morning: Annotated[
        int | None,
        typer.Option("--next-morning", help="Knee pain the next morning, 0 (none) to 10."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """How the knee felt during a run and the next morning (0-10 each); an answer not given is
    kept as it was."""
    from kneecap.app import activities
    from kneecap.cli import render_running

    if during is None and next_morning is None:
        fail("give --during N, --next-morning N or both (0 = none, 10 = worst)")
    with opened(ctx) as home:
        try:
            answers = use(activities.answer_run_keeping, home, activity_id, during, next_morning)
        except activities.NoSuchRun:
            _no_run(activity_id)
    render_running.run_pain(activity_id, answers, as_json)


@app.command()
def load(
    ctx: typer.Context,
    weeks: Annotated[int, typer.Option(min=1, max=520, help="How many weeks back.")] = 12,
    as_json: JsonOpt = False,
) -> None:
    """Weekly running load beside pain: distance, change (LOAD-SPIKE), downhill, cadence."""
    from kneecap.app import activities
    from kneecap.cli import render_running

    with opened(ctx) as home:
        found = use(activities.running_load, home, weeks)
    finish(render_running.load(found, as_json))
