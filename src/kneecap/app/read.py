"""The programme as the faces read it: everything known about the runner, replayed by the
engine as of today (`kneecap.programme.Programme`), and the views made from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecap.app.context import Action, Home, require
from kneecap.core import akps as kujala
from kneecap.core import progress as prog
from kneecap.core.criteria import NextPhase
from kneecap.programme import Programme


def programme(home: Home) -> Programme:
    """The runner's programme as of the clock's today; NoProfile before the intake."""
    require(home.actor, Action.READ, home.person)
    return Programme.of(home.store, home.person, home.clock.today(), home.clock.now())


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
