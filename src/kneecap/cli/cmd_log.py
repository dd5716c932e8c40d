"""Logging: the guided session, a session from a file, and the morning check-in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecap.cli.common import DateOpt, app, fail, finish, opened, out, today, use

if TYPE_CHECKING:
    from kneecap.core.history import CheckIn, SessionLog

PainOpt = Annotated[int | None, typer.Option(min=0, max=10, help="0 (none) to 10 (worst).")]


@app.command()
def session(
    ctx: typer.Context,
    date: DateOpt = None,
    speed: Annotated[
        float,
        typer.Option(
            help="Run the timers this many times faster.", hidden=True, envvar="KNEECAP_TIMER_SPEED"
        ),
    ] = 1.0,
) -> None:
    """Do today's session, guided: timers for holds and rests, then pain and effort per exercise.
    Ctrl-C saves what was done so far, marked partial."""
    from kneecap.app import diary
    from kneecap.cli import guide, render

    with opened(ctx) as home:
        planned = use(diary.session_day, home, date or today(ctx))
    blocked = render.session_blocked(planned)
    if blocked is not None:
        raise typer.Exit(blocked)
    log = guide.session(out, planned, speed)
    with opened(ctx) as home:
        use(diary.log_sessions, home, [log])
    render.session_saved(log, planned)


@app.command("log")
def log_file(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Option("--file", help="A session, or a list of sessions, as JSON or YAML.")
    ],
) -> None:
    """Log a session (strength, cardio or a run) from a file; a list logs several at once."""
    from kneecap.app import diary
    from kneecap.cli import render

    logs = read_sessions(file)
    with opened(ctx) as home:
        use(diary.log_sessions, home, logs, str(file))
    render.logged(logs)


def read_sessions(file: Path) -> list[SessionLog]:
    from kneecap.core.history import SessionLog
    from kneecap.documents import DocumentError, load_many

    try:
        return load_many(SessionLog, file)
    except DocumentError as exc:
        fail(str(exc))


@app.command()
def checkin(
    ctx: typer.Context,
    date: DateOpt = None,
    morning_pain: PainOpt = None,
    stiffness: PainOpt = None,
    swelling: Annotated[bool, typer.Option("--swelling", help="The knee is swollen.")] = False,
    limp: Annotated[bool, typer.Option("--limp", help="You are limping this morning.")] = False,
    pain_stairs: PainOpt = None,
    pain_sitting: PainOpt = None,
    file: Annotated[Path | None, typer.Option("--file", help="A check-in as JSON or YAML.")] = None,
) -> None:
    """The morning check-in: how the knee answered yesterday (PMM-2)."""
    from kneecap.app import diary
    from kneecap.cli import render

    given = {
        "date": (date or today(ctx)).isoformat(),
        "morning_pain": morning_pain,
        "stiffness": stiffness,
        "swelling": swelling,
        "limp": limp,
        "pain_stairs": pain_stairs,
        "pain_sitting": pain_sitting,
    }
    checkins = read_checkins(file, given)
    with opened(ctx) as home:
        screening = use(diary.record_checkins_and_screen, home, checkins)
    finish(render.checked_in(checkins, screening))


def read_checkins(file: Path | None, given: dict[str, Any]) -> list[CheckIn]:
    """The check-ins in `file`, or the one `given` by the options (a morning pain required)."""
    from kneecap.core.history import CheckIn
    from kneecap.documents import DocumentError, load_many, validate

    try:
        if file is not None:
            return load_many(CheckIn, file)
        if given["morning_pain"] is None:
            fail("--morning-pain: required (0-10), or give --file")
        return [validate(CheckIn, given, "checkin")]
    except DocumentError as exc:
        fail(str(exc))
