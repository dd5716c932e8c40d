"""Logging: the guided session, a session from a file, and the morning check-in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kneecap.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_WITHHELD,
    DateOpt,
    app,
    fail,
    opened,
    out,
    programme,
    today,
    use,
)

if TYPE_CHECKING:
    from kneecap.core.history import Entry

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
    from kneecap.cli import intake, render
    from kneecap.cli.guide import Guide
    from kneecap.core import dates
    from kneecap.core.history import SessionLog

    day = date or today(ctx)
    with opened(ctx) as home:
        p = programme(home)
    problem = dates.log_problem(day, p.profile.start_date, today(ctx))
    if problem is not None:
        fail(problem)
    plan = p.plan(day, day)
    if plan.referral.needed:
        render.referral(out, plan.referral)
        raise typer.Exit(EXIT_WITHHELD)
    found = plan.day(day)
    if found is None:
        out.print(f"No session planned for {day:%A %d %B}. Rest, or go for an easy walk.")
        return
    limit = p.profile.limit_in(plan.phase)
    guide = Guide(out, p.catalogue, speed, limit)
    items = [i for s in found.sessions for i in s.items]
    out.print(
        f"[bold]{day:%A %d %B}: {len(items)} exercises.[/] Keep pain during each at {limit}/10 or less; stop on sharp pain."
    )
    entries: list[Entry] = []
    interrupted = False
    try:
        for n, item in enumerate(items, 1):
            entries.append(guide.item(item, n, len(items)))
        pain_after = intake.ask("Pain now, after the session (0-10)", intake.int_between(0, 10))
    except (KeyboardInterrupt, typer.Abort):
        interrupted = True
        pain_after = None
    if not entries:
        out.print("\nNothing was done, so nothing was saved.")
        raise typer.Exit(1 if interrupted else 0)
    log = SessionLog(date=day, entries=tuple(entries), pain_after=pain_after, partial=interrupted)
    with opened(ctx) as home:
        use(diary.log_sessions, home, [log])
    what = "Partial session saved" if interrupted else "Session saved"
    out.print(
        f"\n[bold green]{what}[/] ({len(entries)} of {len(items)} exercises). Check in tomorrow morning: 'kneecap checkin --morning-pain N'."
    )


@app.command("log")
def log_file(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Option("--file", help="A session, or a list of sessions, as JSON or YAML.")
    ],
) -> None:
    """Log a session (strength, cardio or a run) from a file; a list logs several at once."""
    from kneecap.app import diary
    from kneecap.core.history import SessionLog
    from kneecap.documents import DocumentError, load_many

    try:
        logs = load_many(SessionLog, file)
    except DocumentError as exc:
        fail(str(exc))
    with opened(ctx) as home:
        use(diary.log_sessions, home, logs, str(file))
    entries = sum(len(log.entries) for log in logs)
    out.print(f"Logged {len(logs)} session(s), {entries} exercise(s).")


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
    from kneecap.core.history import CheckIn
    from kneecap.documents import DocumentError, load_many, validate

    try:
        if file is not None:
            checkins = load_many(CheckIn, file)
        else:
            if morning_pain is None:
                fail("--morning-pain: required (0-10), or give --file")
            checkins = [
                validate(
                    CheckIn,
                    {
                        "date": (date or today(ctx)).isoformat(),
                        "morning_pain": morning_pain,
                        "stiffness": stiffness,
                        "swelling": swelling,
                        "limp": limp,
                        "pain_stairs": pain_stairs,
                        "pain_sitting": pain_sitting,
                    },
                    "checkin",
                )
            ]
    except DocumentError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    with opened(ctx) as home:
        raised = use(diary.record_checkins, home, checkins)
        screening = programme(home).screening if raised else None
    last = checkins[-1]
    more = f" ({len(checkins)} check-ins)" if len(checkins) > 1 else ""
    out.print(
        f"Check-in saved for {last.date:%A %d %B}: morning pain {last.morning_pain}/10{more}."
    )
    if screening is not None and screening.referral.needed:
        render.referral(out, screening.referral)
        raise typer.Exit(EXIT_WITHHELD)
