"""`rtr`: where the runner stands on the way back to running (`rtr status`, the default) and
the return-to-run entry check (`rtr check`, RTR-ENTRY): timed tests in the terminal, or the
results read from a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kneecap.cli.common import DateOpt, JsonOpt, app, fail, opened, out, programme, today, use

if TYPE_CHECKING:
    from kneecap.core import rtr

rtr_app = typer.Typer(
    help="Return to running: where you are (the default), and the entry check.",
    invoke_without_command=True,
)
app.add_typer(rtr_app, name="rtr")

SpeedOpt = Annotated[
    float,
    typer.Option(
        "--speed", envvar="KNEECAP_TIMER_SPEED", hidden=True, help="Run the test timers faster."
    ),
]


@rtr_app.callback()
def rtr_default(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Where you are on the way back to running: `kneecap rtr` is `kneecap rtr status`."""
    if ctx.invoked_subcommand is None:
        status(ctx, as_json)


@rtr_app.command("status")
def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Your stage, the passes at it, the next run and what moves you on."""
    from kneecap.app import rtr as rtr_cases
    from kneecap.cli import render_rtr

    with opened(ctx) as home:
        view = use(rtr_cases.status, home)
    render_rtr.status(view, as_json)


@rtr_app.command("check")
def check(
    ctx: typer.Context,
    date: DateOpt = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="The results as JSON or YAML (docs/running.md).")
    ] = None,
    speed: SpeedOpt = 1.0,
    as_json: JsonOpt = False,
) -> None:
    """The RTR-ENTRY check: timed wall sit, balance and step-downs, with their pain and the
    quality questions; passed only when your logged week agrees."""
    from kneecap.app import rtr as rtr_cases
    from kneecap.cli import render_rtr

    entry = entry_file(file) if file is not None else entry_guided(ctx, date or today(ctx), speed)
    with opened(ctx) as home:
        result = use(rtr_cases.check_entry, home, entry)
    render_rtr.entry(result, as_json)


def entry_file(path: Path) -> rtr.EntryCheck:
    from kneecap.core import rtr
    from kneecap.documents import DocumentError, load

    try:
        return load(rtr.EntryCheck, path)
    except DocumentError as exc:
        fail(str(exc))


def entry_guided(ctx: typer.Context, day: dt.date, speed: float) -> rtr.EntryCheck:
    """The tests timed in the terminal, once a profile exists."""
    from kneecap.cli import guide
    from kneecap.core import rtr
    from kneecap.documents import DocumentError, validate

    with opened(ctx) as home:
        programme(home)  # a profile must exist before the tests are run
    answers = guide.entry_check(out, day, speed)
    try:
        return validate(rtr.EntryCheck, answers, "rtr check")
    except DocumentError as exc:
        fail(str(exc))
