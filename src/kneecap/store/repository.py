"""The runner's data: people, their profile versions and clinician clearances.

Every write happens in one transaction: a failed save changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from kneecap.core.profile import Profile
from kneecap.store.engine import make_engine, migrate
from kneecap.store.tables import Clearance, Person, ProfileVersion


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> Store:
        """Open (creating if needed) the database at `url` and apply any pending migrations."""
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def person_id(self, name: str, now: dt.datetime) -> int:
        """The id of the person called `name`, created on first use."""
        with self._sessions.begin() as s:
            found = s.scalar(select(Person.id).where(Person.name == name))
            if found is not None:
                return found
            person = Person(name=name, created_at=now)
            s.add(person)
            s.flush()
            return person.id

    def save_profile(self, person_id: int, profile: Profile, now: dt.datetime) -> None:
        with self._sessions.begin() as s:
            s.add(
                ProfileVersion(
                    person_id=person_id, created_at=now, data=profile.model_dump(mode="json")
                )
            )

    def profile(self, person_id: int) -> Profile | None:
        with self._sessions() as s:
            row = self._latest(s, person_id)
            return None if row is None else Profile.model_validate(row.data)

    def record_clearance(
        self,
        person_id: int,
        cleared_on: dt.date,
        clinician: str,
        note: str | None,
        now: dt.datetime,
    ) -> frozenset[str]:
        """Record that a clinician cleared the red flags of the current profile; returns them."""
        with self._sessions.begin() as s:
            row = self._latest(s, person_id)
            if row is None:
                raise LookupError("no profile yet")
            flags = Profile.model_validate(row.data).red_flags.raised()
            s.add(
                Clearance(
                    person_id=person_id,
                    profile_id=row.id,
                    cleared_on=cleared_on,
                    clinician=clinician,
                    flags=sorted(flags),
                    note=note,
                    created_at=now,
                )
            )
            return flags

    def cleared_flags(self, person_id: int) -> frozenset[str]:
        """Flags covered by a clearance recorded after the flag was last newly raised.

        A flag that goes away and comes back is a new episode and needs a new clearance.
        """
        with self._sessions() as s:
            versions = s.scalars(
                select(ProfileVersion)
                .where(ProfileVersion.person_id == person_id)
                .order_by(ProfileVersion.id)
            ).all()
            raised_at: dict[str, int] = {}
            previous: frozenset[str] = frozenset()
            for v in versions:
                current = Profile.model_validate(v.data).red_flags.raised()
                for flag in current - previous:
                    raised_at[flag] = v.id
                previous = current
            clearances = s.scalars(select(Clearance).where(Clearance.person_id == person_id)).all()
            return frozenset(
                flag
                for flag in previous
                if any(flag in c.flags and c.profile_id >= raised_at[flag] for c in clearances)
            )

    @staticmethod
    def _latest(s: Session, person_id: int) -> ProfileVersion | None:
        return s.scalar(
            select(ProfileVersion)
            .where(ProfileVersion.person_id == person_id)
            .order_by(ProfileVersion.id.desc())
            .limit(1)
        )
