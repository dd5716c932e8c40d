"""Recording what was done: sessions (the guided player, a form, a file) and the morning
check-ins. The date rules (`core.dates`) and the catalogue check are made here, once for both
faces; each call is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput, NoProfile
from kneecap.catalog import load_catalogue
from kneecap.core import dates
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.profile import Profile


def current_profile(home: Home) -> Profile:
    """The person's profile, or NoProfile."""
    profile = home.store.profile(home.person)
    if profile is None:
        raise NoProfile()
    return profile


def dated_problems(home: Home, days: Sequence[tuple[str, dt.date]], profile: Profile) -> list[str]:
    """The date rule of every log: from the programme's start to tomorrow (`core.dates`)."""
    today = home.clock.today()
    found = (dates.log_problem(day, profile.start_date, today, where) for where, day in days)
    return [p for p in found if p is not None]


def _where(count: int) -> Callable[[int], str]:
    """How the n-th of `count` records' date is named in a message."""
    return (lambda n: f"item {n + 1}: date") if count > 1 else (lambda n: "date")


def log_sessions(home: Home, logs: Sequence[SessionLog], source: str = "session") -> None:
    """Store sessions, all or none: each dated within the programme, each exercise known."""
    require(home.actor, Action.LOG, home.person)
    profile = current_profile(home)
    catalogue = load_catalogue()
    where = _where(len(logs))
    problems = dated_problems(home, [(where(n), s.date) for n, s in enumerate(logs)], profile)
    for log in logs:
        for i, e in enumerate(log.entries):
            if e.exercise not in catalogue:
                problems.append(
                    f"{source}: entries.{i}.exercise: unknown exercise '{e.exercise[:40]}' "
                    "(see 'kneecap exercises' for the ids)"
                )
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        w.add_sessions(list(logs), home.clock.now())


def record_checkins(home: Home, checkins: Sequence[CheckIn]) -> frozenset[str]:
    """Store morning check-ins (each replacing an earlier one that day); the red flags they
    raise go into the profile in the same transaction. Returns the flags newly raised."""
    require(home.actor, Action.LOG, home.person)
    profile = current_profile(home)
    where = _where(len(checkins))
    problems = dated_problems(home, [(where(n), c.date) for n, c in enumerate(checkins)], profile)
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        return w.add_checkins(list(checkins), home.clock.now())
