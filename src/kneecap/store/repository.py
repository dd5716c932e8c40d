"""The runner's data: people, their profile versions and clinician clearances.

Every write happens in one transaction: a failed save changes nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from kneecap.core import decisions, holds
from kneecap.core.history import CheckIn, Logged, SessionLog
from kneecap.core.overrides import Override
from kneecap.core.profile import Profile
from kneecap.core.rtr import EntryCheck
from kneecap.core.running import RunRecord
from kneecap.store import mapping, queries, upsert
from kneecap.store.engine import lock_person, make_engine, migrate, writer
from kneecap.store.tables import (
    ActivityRecord,
    AkpsRecord,
    CheckInRecord,
    Clearance,
    EntryCheckRecord,
    Person,
    PreferenceRecord,
    SessionRecord,
)
from kneecap.store.writer import Writer

if TYPE_CHECKING:
    from kneecap.core.activity import Activity  # numpy: only for runs' samples


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(writer(engine), expire_on_commit=False)
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, url: str) -> Store:
        """Open (creating if needed) the database at `url` and apply any pending migrations."""
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def person_id(self, name: str, now: dt.datetime) -> int:
        """The id of the person called `name`, created on first use (once, however many
        processes start together)."""
        query = select(Person.id).where(Person.name == name)
        with self._sessions() as s:
            found = s.scalar(query)
        if found is not None:
            return found
        with self._write() as s:
            upsert.add_new(s, Person.__table__, {"name": name, "created_at": now}, ["name"])
            return int(s.scalars(query).one())

    # --- reads ----------------------------------------------------------------------------------

    def profile(self, person_id: int) -> Profile | None:
        with self._sessions() as s:
            row = queries.latest(s, person_id)
            return None if row is None else mapping.profile(row.data)

    def cleared_flags(self, person_id: int) -> frozenset[str]:
        """Flags covered by a clearance recorded after the flag was last newly raised
        (`core.holds.cleared`: a flag that comes back is a new episode)."""
        with self._sessions() as s:
            return holds.cleared(queries.versions(s, person_id), queries.clearances(s, person_id))

    def clearances(self, person_id: int) -> list[holds.ClearanceRecord]:
        with self._sessions() as s:
            return queries.clearances(s, person_id)

    def person_name(self, person_id: int) -> str:
        """The name the person's data is kept under."""
        with self._sessions() as s:
            return str(s.scalars(select(Person.name).where(Person.id == person_id)).one())

    def person_seed(self, person_id: int) -> str:
        """What never changes about the person (the name their data is kept under and when they
        were first seen; a restore keeps both), to derive a pseudonymous key from, never to
        show (the FHIR export)."""
        with self._sessions() as s:
            name, created = s.execute(
                select(Person.name, Person.created_at).where(Person.id == person_id)
            ).one()
            return f"{name}/{queries.utc(created).isoformat()}"

    def clearance_notes(
        self, person_id: int
    ) -> list[tuple[dt.date, str, str | None, list[str], str | None]]:
        """Each recorded clearance as the runner wrote it, oldest first: the date, the
        clinician, their profession, the flags cleared and the note."""
        with self._sessions() as s:
            rows = s.scalars(
                select(Clearance).where(Clearance.person_id == person_id).order_by(Clearance.id)
            )
            return [(c.cleared_on, c.clinician, c.profession, list(c.flags), c.note) for c in rows]

    def hold_history(
        self, person_id: int
    ) -> tuple[list[holds.Version], list[decisions.ClearanceEntry]]:
        """The profile versions (the flags each raised, the day) and the clearances with who
        recorded them, oldest first: the holds and clearances of the decisions timeline."""
        with self._sessions() as s:
            found = s.scalars(
                select(Clearance).where(Clearance.person_id == person_id).order_by(Clearance.id)
            )
            entries = [
                mapping.clearance_entry(
                    c.profile_id, c.flags, c.cleared_on, c.clinician, c.profession
                )
                for c in found
            ]
            return queries.versions(s, person_id), entries

    def flag_raised_on(self, person_id: int, flag: str) -> dt.date | None:
        """The (UTC) day `flag` was last newly raised, or None when it is not raised now."""
        with self._sessions() as s:
            return holds.raised_on(queries.versions(s, person_id), flag)

    def sessions(self, person_id: int) -> list[SessionLog]:
        """The sessions the engine replays: each at its latest version, undone ones left out."""
        return self._dated(SessionRecord, SessionLog, person_id)

    def logged_sessions(
        self, person_id: int, first: dt.date, last: dt.date, deleted: bool = False
    ) -> list[Logged]:
        """The current versions of the sessions dated `first`..`last` (undone ones too when
        `deleted`), oldest first, each with its id and version."""
        with self._sessions() as s:
            query = select(SessionRecord).where(
                SessionRecord.person_id == person_id,
                SessionRecord.date >= first,
                SessionRecord.date <= last,
                SessionRecord.replaced_at.is_(None),
            )
            if not deleted:
                query = query.where(SessionRecord.deleted_at.is_(None))
            rows = s.scalars(query.order_by(SessionRecord.date, SessionRecord.id))
            return [queries.logged(s, r) for r in rows]

    def checkins(self, person_id: int) -> list[CheckIn]:
        return self._dated(CheckInRecord, CheckIn, person_id)

    def akps(self, person_id: int) -> list[tuple[dt.date, int]]:
        with self._sessions() as s:
            rows = s.execute(
                select(AkpsRecord.date, AkpsRecord.score)
                .where(AkpsRecord.person_id == person_id)
                .order_by(AkpsRecord.date, AkpsRecord.id)
            )
            return [(d, score) for d, score in rows]

    def akps_answers(self, person_id: int) -> list[tuple[dt.date, list[int], int]]:
        """Each day's Kujala result, oldest first: the date, the option index chosen for each
        item (none for results stored before the answers were) and the total."""
        with self._sessions() as s:
            rows = s.execute(
                select(AkpsRecord.date, AkpsRecord.answers, AkpsRecord.score)
                .where(AkpsRecord.person_id == person_id)
                .order_by(AkpsRecord.date, AkpsRecord.id)
            )
            return [(day, list(answers or []), score) for day, answers, score in rows]

    def activities(self, person_id: int) -> list[RunRecord]:
        """Every stored activity, oldest first, without the samples."""
        with self._sessions() as s:
            rows = s.execute(
                select(
                    ActivityRecord.id,
                    ActivityRecord.sport,
                    ActivityRecord.sub_sport,
                    ActivityRecord.start,
                    ActivityRecord.local_date,
                    ActivityRecord.source,
                    ActivityRecord.file_name,
                    ActivityRecord.summary,
                    ActivityRecord.pain_during,
                    ActivityRecord.pain_next_morning,
                )
                .where(ActivityRecord.person_id == person_id, ActivityRecord.deleted_at.is_(None))
                .order_by(ActivityRecord.start, ActivityRecord.id)
            ).all()
            return [mapping.run_record(r) for r in rows]

    def deleted_activities(self, person_id: int) -> list[tuple[RunRecord, dt.datetime]]:
        """The deleted activities (kept, so a delete can be undone), newest deletion first."""
        with self._sessions() as s:
            rows = s.scalars(
                select(ActivityRecord)
                .where(
                    ActivityRecord.person_id == person_id, ActivityRecord.deleted_at.is_not(None)
                )
                .order_by(ActivityRecord.deleted_at.desc())
            ).all()
            return [
                (mapping.run_record(r), queries.utc(r.deleted_at or r.created_at)) for r in rows
            ]

    def activity(self, person_id: int, activity_id: int) -> tuple[RunRecord, Activity] | None:
        """One stored activity with its samples, or None (also for another person's)."""
        with self._sessions() as s:
            r = s.scalar(
                select(ActivityRecord).where(
                    ActivityRecord.person_id == person_id,
                    ActivityRecord.id == activity_id,
                    ActivityRecord.deleted_at.is_(None),
                )
            )
            if r is None:
                return None
            record = mapping.run_record(r)
            from kneecap.store import tracks  # numpy: loaded only when samples are read

            samples = tracks.unpack(r.track, record.sport, record.start, r.source, r.sub_sport)
            return record, samples

    def preferences(self, person_id: int) -> dict[str, str] | None:
        """The person's stored preferences (`reminder_time`, `units`, `theme`), or None."""
        with self._sessions() as s:
            row = s.get(PreferenceRecord, person_id)
            if row is None:
                return None
            return {"reminder_time": row.reminder_time, "units": row.units, "theme": row.theme}

    def entry_checks(self, person_id: int) -> list[EntryCheck]:
        return self._dated(EntryCheckRecord, EntryCheck, person_id)

    def overrides(self, person_id: int) -> list[Override]:
        """The clinician's overrides, oldest first (`queries.overrides`)."""
        with self._sessions() as s:
            return queries.overrides(s, person_id)

    def _dated(
        self,
        table: type[SessionRecord] | type[CheckInRecord] | type[EntryCheckRecord],
        model: type[mapping.R],
        person_id: int,
    ) -> list[mapping.R]:
        """The person's records kept as JSON in `table`, oldest first, validated as `model`."""
        with self._sessions() as s:
            # the JSON column alone: rows, not objects the session would track
            query = select(table.data).where(table.person_id == person_id)
            if table is SessionRecord:  # the latest version of each, undone ones left out
                query = query.where(
                    SessionRecord.replaced_at.is_(None), SessionRecord.deleted_at.is_(None)
                )
            found = s.scalars(query.order_by(table.date, table.id)).all()
            return [mapping.dated(model, data) for data in found]

    @contextmanager
    def transaction(self, person_id: int) -> Iterator[Writer]:
        """One write transaction for a use case: everything written through the `Writer` is
        stored together or not at all, and the person's revision moves once."""
        with self._writing(person_id) as s:
            yield Writer(s, person_id)

    def version(self, person_id: int) -> int:
        """A number that changes with every write of the person's data (by any process)."""
        with self._sessions() as s:
            return int(s.scalar(select(Person.revision).where(Person.id == person_id)) or 0)

    @contextmanager
    def _writing(self, person_id: int) -> Iterator[Session]:
        """A write transaction (see `_write`) that holds the person's write lock
        (`store.engine.lock_person`) and bumps their revision (see `version`)."""
        with self._write() as s:
            lock_person(s, person_id)
            yield s
            s.execute(
                update(Person).where(Person.id == person_id).values(revision=Person.revision + 1)
            )

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A write transaction, begun IMMEDIATE (`store.engine.writer`). This process's writers
        queue on a lock rather than on SQLite's busy handler, whose ever longer sleeps let one
        writer wait seconds while later ones get through; other processes still wait under the
        busy timeout."""
        with self._write_lock, self._writes.begin() as s:
            yield s
