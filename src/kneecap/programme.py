"""The runner's programme as the edges (CLI, later the web app) see it: stored profile and
clearances in, screening and plan out. One place that wires store and core together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecap.catalog import load_catalogue
from kneecap.core.catalogue import Catalogue
from kneecap.core.plan import Plan
from kneecap.core.planner import build_plan
from kneecap.core.profile import Profile
from kneecap.core.screening import Screening, screen
from kneecap.store.repository import Store


class NoProfile(LookupError):
    """The person has not done the intake yet."""


@dataclass(frozen=True)
class Programme:
    profile: Profile
    screening: Screening
    catalogue: Catalogue

    @classmethod
    def of(cls, store: Store, person_id: int) -> Programme:
        profile = store.profile(person_id)
        if profile is None:
            raise NoProfile("no profile yet: run 'kneecap init' first")
        return cls(profile, screen(profile, store.cleared_flags(person_id)), load_catalogue())

    def plan(self, first: dt.date, last: dt.date) -> Plan:
        return build_plan(self.profile, self.catalogue, self.screening, first, last)
