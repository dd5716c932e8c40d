"""Intake, profile, clearance, plan and today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kneecap.app import BadInput, NoProfile
from kneecap.cli.common import (
    EXIT_NOTHING,
    DateOpt,
    JsonOpt,
    app,
    clock,
    fail,
    finish,
    opened,
    out,
    profile_app,
    use,
)

if TYPE_CHECKING:
    from kneecap.core.profile import Profile

# --- intake ---------------------------------------------------------------------------------


@app.command()
def init(
    ctx: typer.Context,
    profile: Annotated[
        Path | None, typer.Option("--profile", help="A profile as YAML or JSON (docs/profile.md).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer the intake (or load it from a file) and get your plan."""
    from kneecap.app import profile as intake_cases
    from kneecap.cli import intake, render

    day = clock(ctx).today()
    new = intake.interview(out, day) if profile is None else load_profile(profile, day)
    with opened(ctx) as home:
        started = use(intake_cases.start, home, new)
    finish(render.start(started, as_json))


def load_profile(path: Path, today: dt.date) -> Profile:
    """A profile from a file: valid, and with every safety answer stated (never assumed)."""
    from kneecap.core.intake import missing_answers
    from kneecap.core.profile import Profile
    from kneecap.documents import DocumentError, parse, read_text, validate

    try:
        data, lines = parse(read_text(path), str(path))
        if isinstance(data, dict):
            data.setdefault("start_date", today.isoformat())
        profile = validate(Profile, data, str(path), lines)
        missing = missing_answers(data)
        if missing:
            raise DocumentError(str(path), [_located(m, lines) for m in missing])
    except DocumentError as exc:
        fail(str(exc))
    return profile


def _located(problem: str, lines: dict[tuple[str, ...], int]) -> str:
    """'line N: ' before a missing answer whose section is in the file."""
    section = tuple(problem.split(":", 1)[0].split(".")[:-1])
    line = lines.get(section) if section else None
    return f"line {line}: {problem}" if line else problem


@app.command()
def start(ctx: typer.Context) -> None:
    """First run: the intake if there is no profile yet, then today's session and the week."""
    from kneecap.app import profile as intake_cases
    from kneecap.cli import intake, render

    with opened(ctx) as home:
        existing = use(intake_cases.profile_or_none, home)
    new = intake.interview(out, clock(ctx).today()) if existing is None else None
    with opened(ctx) as home:
        started = use(intake_cases.start, home, new)
    finish(render.start(started, as_json=False))


@app.command()
def clearance(
    ctx: typer.Context,
    clinician: Annotated[str, typer.Option(help="Who examined you and cleared you for exercise.")],
    profession: Annotated[
        str | None,
        typer.Option(help="Their profession, e.g. physiotherapist, doctor, sports physician."),
    ] = None,
    date: DateOpt = None,
    note: Annotated[str | None, typer.Option(help="Anything the clinician said.")] = None,
) -> None:
    """Record that a clinician has examined the warning signs you reported and cleared you."""
    from kneecap.app import clearance as clearances
    from kneecap.cli import render

    with opened(ctx) as home:
        try:
            flags = clearances.record_clearance(home, clinician, profession, date, note)
        except BadInput as exc:  # the fields are this command's options
            fail("\n".join(f"--{p}" for p in exc.problems))
        except NoProfile:
            fail("no profile yet: run 'kneecap init' first", EXIT_NOTHING)
    render.cleared(flags, clinician, profession)


# --- profile ----------------------------------------------------------------------------------


@profile_app.callback()
def profile_main(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(profile_show, ctx=ctx)


@profile_app.command("show")
def profile_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show your profile."""
    from kneecap.app import profile as intake_cases
    from kneecap.cli import render

    with opened(ctx) as home:
        p = use(intake_cases.profile, home)
    render.profile(p, as_json)


@profile_app.command("set")
def profile_set(
    ctx: typer.Context,
    field: Annotated[
        str, typer.Argument(help="A dotted field, e.g. availability.minutes_per_session")
    ],
    value: Annotated[
        str, typer.Argument(help="The new value (YAML: 30, true, [mat, band], mon,wed)")
    ],
) -> None:
    """Change one field of your profile; the whole profile is checked before it is saved."""
    from kneecap.app import profile as intake_cases

    with opened(ctx) as home:
        use(intake_cases.set_field, home, field, value)
    out.print(f"Saved: {field} = {value}")


# --- plan -------------------------------------------------------------------------------------


@app.command()
def plan(
    ctx: typer.Context,
    from_: Annotated[
        dt.date | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First day (default today)."),
    ] = None,
    weeks: Annotated[int, typer.Option(min=1, max=52, help="How many weeks.")] = 1,
    as_json: JsonOpt = False,
    ics: Annotated[
        Path | None, typer.Option(help="Also write the plan as an iCalendar file.")
    ] = None,
) -> None:
    """Your plan, a week (or more) at a time."""
    from kneecap.app import read
    from kneecap.cli import render

    with opened(ctx) as home:
        planned = use(read.planned, home, from_, 7 * weeks, "--from", calendar=ics is not None)
    if ics is not None and planned.calendar is not None:
        write_calendar(ics, planned.calendar)
    finish(render.plan_view(planned, as_json, None if ics is None else str(ics)))


def write_calendar(path: Path, calendar: bytes) -> None:
    from kneecap.settings import write_private

    try:
        write_private(path, calendar)
    except OSError as exc:
        fail(f"--ics {path}: cannot write ({exc.strerror})")


@app.command()
def today(ctx: typer.Context, date: DateOpt = None, as_json: JsonOpt = False) -> None:
    """Today's session (or another day's with --date)."""
    from kneecap.app import read
    from kneecap.cli import render

    now = clock(ctx).today()
    if date is not None:
        check_view(date, now, "--date")
    with opened(ctx) as home:
        planned = use(read.planned, home, date or now, 1)
    finish(render.today_view(planned, as_json))


def check_view(day: dt.date, today: dt.date, option: str) -> None:
    """A day to show lies within a year either side of today (`core.dates`)."""
    from kneecap.core import dates

    problem = dates.view_problem(day, today, option)
    if problem is not None:
        fail(problem)
