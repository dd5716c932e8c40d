"""The runner's programme as the edges (CLI, later the web app) see it: stored profile and
clearances in, screening and plan out. One place that wires store and core together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from kneecap.catalog import load_catalogue
from kneecap.core.catalogue import Catalogue
from kneecap.core.engine import Status, decide
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.plan import Plan
from kneecap.core.planner import build_plan
from kneecap.core.profile import Profile
from kneecap.core.screening import Reason, Screening, screen
from kneecap.store.repository import Store


class NoProfile(LookupError):
    """The person has not done the intake yet."""


@dataclass(frozen=True)
class Programme:
    profile: Profile
    screening: Screening
    catalogue: Catalogue
    sessions: tuple[SessionLog, ...]
    checkins: tuple[CheckIn, ...]
    status: Status
    akps: tuple[tuple[dt.date, int], ...] = ()

    @classmethod
    def of(cls, store: Store, person_id: int, today: dt.date) -> Programme:
        """Everything known about the runner, with the engine's view as of `today`."""
        profile = store.profile(person_id)
        if profile is None:
            raise NoProfile("no profile yet: run 'kneecap init' first")
        catalogue = load_catalogue()
        screening = screen(profile, store.cleared_flags(person_id))
        sessions = tuple(store.sessions(person_id))
        checkins = tuple(store.checkins(person_id))
        status = decide(profile, catalogue, screening.phase, sessions, checkins, today)
        return cls(
            profile, screening, catalogue, sessions, checkins, status, tuple(store.akps(person_id))
        )

    def plan(self, first: dt.date, last: dt.date) -> Plan:
        plan = build_plan(
            self.profile, self.catalogue, self.screening, first, last, status=self.status
        )
        advice = tuple(Reason("PMM-SHARP", a) for a in self.status.advice)
        return replace(plan, notes=advice + plan.notes) if advice else plan
