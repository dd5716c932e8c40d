"""The reads a programme is made of (`kneecap.programme.Programme.of` and the review it runs),
as a protocol: SQLAlchemy's `Store` answers them for every database, and
`store.sqlite_reads.SqliteReads` for an embedded SQLite file without loading SQLAlchemy
(`kneecap today`). Neither this module nor what it names imports SQLAlchemy."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from kneecap.core import decisions, holds
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.overrides import Override
from kneecap.core.profile import Profile
from kneecap.core.rtr import EntryCheck
from kneecap.core.running import RunRecord


class Reads(Protocol):
    def profile(self, person_id: int) -> Profile | None: ...

    def cleared_flags(self, person_id: int) -> frozenset[str]: ...

    def clearances(self, person_id: int) -> list[holds.ClearanceRecord]: ...

    def hold_history(
        self, person_id: int
    ) -> tuple[list[holds.Version], list[decisions.ClearanceEntry]]: ...

    def flag_raised_on(self, person_id: int, flag: str) -> dt.date | None: ...

    def sessions(self, person_id: int) -> list[SessionLog]: ...

    def checkins(self, person_id: int) -> list[CheckIn]: ...

    def akps(self, person_id: int) -> list[tuple[dt.date, int]]: ...

    def activities(self, person_id: int) -> list[RunRecord]: ...

    def entry_checks(self, person_id: int) -> list[EntryCheck]: ...

    def overrides(self, person_id: int) -> list[Override]: ...
