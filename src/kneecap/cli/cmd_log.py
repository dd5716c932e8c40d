"""Logging: the guided session, a session from a file, and the morning check-in."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from kneecap import settings
from kneecap.cli import intake, render
from kneecap.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_WITHHELD,
    DateOpt,
    app,
    fail,
    opened,
    out,
    programme,
)
from kneecap.cli.guide import Guide
from kneecap.core import dates
from kneecap.core.catalogue import Catalogue
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.phases import Phase
from kneecap.core.screening import screen
from kneecap.documents import DocumentError, load_many, validate

PainOpt = Annotated[int | None, typer.Option(min=0, max=10, help="0 (none) to 10 (worst).")]


def check_date(day: dt.date, field: str = "date", start: dt.date | None = None) -> None:
    """Logs may be for today, the past, or tomorrow at most (time zones); never further ahead,
    and never before the programme's `start` (`core.dates`)."""
    problem = dates.log_problem(day, start, settings.today(), field)
    if problem is not None:
        fail(problem)


def check_exercises(log: SessionLog, catalogue: Catalogue, source: str) -> None:
    for n, e in enumerate(log.entries):
        if e.exercise not in catalogue:
            fail(
                f"{source}: entries.{n}.exercise: unknown exercise '{e.exercise}' (see 'kneecap exercises' for the ids)"
            )


@app.command()
def session(
    ctx: typer.Context,
    date: DateOpt = None,
    speed: Annotated[
        float, typer.Option(help="Run the timers this many times faster.", hidden=True)
    ] = float(os.environ.get("KNEECAP_TIMER_SPEED", "1")),
) -> None:
    """Do today's session, guided: timers for holds and rests, then pain and effort per exercise.
    Ctrl-C saves what was done so far, marked partial."""
    day = date or settings.today()
    check_date(day)
    with opened(ctx) as (store, person):
        p = programme(store, person)
    check_date(day, start=p.profile.start_date)
    plan = p.plan(day, day)
    if plan.referral.needed:
        render.referral(out, plan.referral)
        raise typer.Exit(EXIT_WITHHELD)
    found = plan.day(day)
    if found is None:
        out.print(f"No session planned for {day:%A %d %B}. Rest, or go for an easy walk.")
        return
    limits = p.profile.limits
    limit = limits.settle_pain_limit if plan.phase is Phase.SETTLE else p.profile.pain_limit
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
    with opened(ctx) as (store, person):
        store.add_sessions(person, [log], settings.now_utc())
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
    try:
        logs = load_many(SessionLog, file)
    except DocumentError as exc:
        fail(str(exc))
    for n, log in enumerate(logs):
        check_date(log.date, "date" if len(logs) == 1 else f"item {n + 1}: date")
    with opened(ctx) as (store, person):
        p = programme(store, person)
        for n, log in enumerate(logs):
            where = "date" if len(logs) == 1 else f"item {n + 1}: date"
            check_date(log.date, where, p.profile.start_date)
            check_exercises(log, p.catalogue, str(file))
        store.add_sessions(person, logs, settings.now_utc())
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
                        "date": (date or settings.today()).isoformat(),
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
    for c in checkins:
        check_date(c.date)
    with opened(ctx) as (store, person):
        start = programme(store, person).profile.start_date  # a profile must exist
        for c in checkins:
            check_date(c.date, start=start)
        raised = store.add_checkins(person, checkins, settings.now_utc())
        profile = store.profile(person)
        cleared = store.cleared_flags(person)
    last = checkins[-1]
    more = f" ({len(checkins)} check-ins)" if len(checkins) > 1 else ""
    out.print(
        f"Check-in saved for {last.date:%A %d %B}: morning pain {last.morning_pain}/10{more}."
    )
    if raised and profile is not None:
        referral = screen(profile, cleared).referral
        render.referral(out, referral)
        raise typer.Exit(EXIT_WITHHELD)
