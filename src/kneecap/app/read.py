"""The programme as the faces read it: everything known about the runner, replayed by the
engine as of today (`kneecap.programme.Programme`), and the views made from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput
from kneecap.core import akps as kujala
from kneecap.core import progress as prog
from kneecap.core.criteria import NextPhase
from kneecap.core.engine import Moment
from kneecap.core.plan import Plan
from kneecap.programme import Programme


def programme(home: Home, looks: Sequence[Moment] = ()) -> Programme:
    """The runner's programme as of the clock's today (and the engine's views at `looks`,
    `Programme.looked`); NoProfile before the intake. The review
    flags the read finds due (`Programme.due`: RF-SOON, no improvement after six weeks) are
    the review's own conclusion, not the reader's edit: they are stored here, in one
    transaction, and the programme is read again with them, on hold."""
    require(home.actor, Action.READ, home.person)
    today = home.clock.today()
    p = Programme.of(home.store, home.person, today, looks)
    if not p.due:
        return p
    with home.store.transaction(home.person) as w:
        w.raise_flags(p.due, home.clock.now())
    return Programme.of(home.store, home.person, today, looks)


def revision(home: Home) -> int:
    """Changes with every write of the person's data, by any process (for caches)."""
    require(home.actor, Action.READ, home.person)
    return home.store.version(home.person)


@dataclass(frozen=True)
class Progress:
    """Where the runner stands: the weeks so far, the next phase's criteria and whether the
    AKPS questionnaire is due ('due', 'offered' or 'not yet')."""

    today: dt.date
    programme: Programme
    weeks: list[prog.Week]
    next_phase: NextPhase
    akps_due: str


def progress(home: Home, last_weeks: int | None = None) -> Progress:
    """The programme's progress as of today: every week from the first record, or only the
    `last_weeks` up to this one."""
    p = programme(home)
    today = home.clock.today()
    return Progress(
        today,
        p,
        prog.weeks(
            p.profile, p.catalogue, p.screening, p.status, p.sessions, p.checkins, today, last_weeks
        ),
        prog.next_phase(p.status, p.catalogue, p.sessions, p.checkins, today),
        kujala.due(p.akps[-1][0] if p.akps else None, today),
    )


@dataclass(frozen=True)
class Planned:
    """The plan for some days from `first`, with the programme it came from (its profile,
    catalogue and log), as of `today`; `calendar` the plan as iCalendar when it was asked for
    and the plan is not on hold."""

    programme: Programme
    plan: Plan
    first: dt.date
    today: dt.date
    calendar: bytes | None = None


def planned(
    home: Home,
    first: dt.date | None = None,
    days: int = 7,
    where: str | None = None,
    calendar: bool = False,
) -> Planned:
    """The plan for `days` days from `first`, or from today (the programme's start, when that
    is later). A `first` given is checked to lie within the dates shown (`core.dates`), named as
    `where` in the refusal, when `where` is given."""
    p = programme(home)
    if first is not None and where is not None:
        from kneecap.core import dates

        problem = dates.view_problem(first, home.clock.today(), where)
        if problem is not None:
            raise BadInput(problem)
    return plan_for(home, p, first, days, calendar)


def plan_for(
    home: Home, p: Programme, first: dt.date | None, days: int, calendar: bool = False
) -> Planned:
    """`planned` for a programme already read (no checks)."""
    found = plan_of(p, home.clock.today(), first, days)
    if not calendar or found.plan.referral.needed:
        return found
    from kneecap.app.reminders import reminder_time
    from kneecap.render.ical import plan_to_ics

    ics = plan_to_ics(found.plan, p.catalogue, home.clock.now(), reminder_time(home))
    return replace(found, calendar=ics)


def plan_of(p: Programme, today: dt.date, first: dt.date | None, days: int) -> Planned:
    """The plan of a programme already read, for `days` days from `first`, or from `today`
    (the programme's start, when that is later)."""
    start = first or max(today, p.profile.start_date)
    return Planned(p, p.plan(start, start + dt.timedelta(days=days - 1)), start, today)
