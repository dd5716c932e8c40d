"""The runner's data: people, their profile versions and clinician clearances.

Every write happens in one transaction: a failed save changes nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from kneecap.core import holds
from kneecap.core.activity import Activity, Sport
from kneecap.core.analysis import Summary
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.profile import Profile, RedFlags
from kneecap.core.rtr import EntryCheck
from kneecap.core.running import RunRecord
from kneecap.store import tracks, upsert
from kneecap.store.engine import make_engine, migrate, writer
from kneecap.store.tables import (
    ActivityRecord,
    AkpsRecord,
    CheckInRecord,
    Clearance,
    EntryCheckRecord,
    FlagReport,
    Person,
    ProfileVersion,
    SessionRecord,
)

DUPLICATE_START_S = 120  # the same run recorded in two files starts within two minutes
DUPLICATE_DURATION = 0.1  # and lasts within 10% as long


def _utc(t: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)


def _run_record(r: Any) -> RunRecord:
    """A stored activity row (or a row of its columns) as core's record, without samples."""
    return RunRecord(
        id=r.id,
        sport=Sport(r.sport),
        sub_sport=r.sub_sport,
        start=_utc(r.start),
        date=r.local_date,
        source=r.source,
        file=r.file_name,
        summary=Summary.from_dict(r.summary),
    )


R = TypeVar("R", SessionLog, CheckIn, EntryCheck)


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

    def save_profile(self, person_id: int, profile: Profile, now: dt.datetime) -> frozenset[str]:
        """Store a new profile version. A red flag on hold (raised, not cleared) stays raised
        in it whatever the new answers say (`core.holds.carry`); returns the flags carried."""
        with self._writing(person_id) as s:
            versions = self._versions(s, person_id)
            if not versions:  # the first profile: flags reported before it are raised in it
                profile = holds.with_flags(profile, self._reported(s, person_id))
            kept = holds.carry(profile, versions, self._clearances(s, person_id))
            s.add(
                ProfileVersion(
                    person_id=person_id, created_at=now, data=kept.model_dump(mode="json")
                )
            )
            return kept.red_flags.raised() - profile.red_flags.raised()

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
        profession: str | None = None,
        flags: frozenset[str] | None = None,
    ) -> frozenset[str]:
        """Record that a clinician cleared red flags of the current profile: `flags`, or every
        raised one when None. Returns the flags cleared. A flag not raised now is a ValueError
        (nothing is stored)."""
        with self._writing(person_id) as s:
            row = self._latest(s, person_id)
            if row is None:
                raise LookupError("no profile yet")
            raised = Profile.model_validate(row.data).red_flags.raised()
            chosen = raised if flags is None else frozenset(flags)
            if chosen - raised:
                raise ValueError(", ".join(sorted(chosen - raised)))
            s.add(
                Clearance(
                    person_id=person_id,
                    profile_id=row.id,
                    cleared_on=cleared_on,
                    clinician=clinician,
                    profession=profession,
                    flags=sorted(chosen),
                    note=note,
                    created_at=now,
                )
            )
            return chosen

    def cleared_flags(self, person_id: int) -> frozenset[str]:
        """Flags covered by a clearance recorded after the flag was last newly raised
        (`core.holds.cleared`: a flag that comes back is a new episode)."""
        with self._sessions() as s:
            return holds.cleared(self._versions(s, person_id), self._clearances(s, person_id))

    def clearances(self, person_id: int) -> list[holds.ClearanceRecord]:
        with self._sessions() as s:
            return self._clearances(s, person_id)

    def flag_raised_on(self, person_id: int, flag: str) -> dt.date | None:
        """The (UTC) day `flag` was last newly raised, or None when it is not raised now."""
        with self._sessions() as s:
            return holds.raised_on(self._versions(s, person_id), flag)

    @staticmethod
    def _reported(s: Session, person_id: int) -> frozenset[str]:
        rows = s.scalars(select(FlagReport.flags).where(FlagReport.person_id == person_id))
        return frozenset(flag for flags in rows for flag in flags)

    @staticmethod
    def _versions(s: Session, person_id: int) -> list[holds.Version]:
        rows = s.execute(
            select(ProfileVersion.id, ProfileVersion.data, ProfileVersion.created_at)
            .where(ProfileVersion.person_id == person_id)
            .order_by(ProfileVersion.id)
        )
        return [
            holds.Version(i, Profile.model_validate(data).red_flags.raised(), _utc(at).date())
            for i, data, at in rows
        ]

    @staticmethod
    def _clearances(s: Session, person_id: int) -> list[holds.ClearanceRecord]:
        rows = s.scalars(
            select(Clearance).where(Clearance.person_id == person_id).order_by(Clearance.id)
        )
        return [holds.ClearanceRecord(c.profile_id, frozenset(c.flags), c.cleared_on) for c in rows]

    def add_sessions(self, person_id: int, logs: list[SessionLog], now: dt.datetime) -> None:
        """Store sessions in one transaction: all or nothing."""
        with self._writing(person_id) as s:
            for log in logs:
                data = log.model_dump(mode="json")
                s.add(SessionRecord(person_id=person_id, date=log.date, data=data, created_at=now))

    def sessions(self, person_id: int) -> list[SessionLog]:
        return self._dated(SessionRecord, SessionLog, person_id)

    def add_checkin(self, person_id: int, checkin: CheckIn, now: dt.datetime) -> frozenset[str]:
        return self.add_checkins(person_id, [checkin], now)

    def add_checkins(
        self, person_id: int, checkins: list[CheckIn], now: dt.datetime
    ) -> frozenset[str]:
        """Store check-ins in one transaction, each replacing an earlier one that day. A new
        warning sign is written into the profile in the same transaction, so the plan is
        withheld exactly as at intake. Returns the flags newly raised."""
        raised: set[str] = set()
        with self._writing(person_id) as s:
            for checkin in checkins:
                raised |= self._add_checkin(s, person_id, checkin, now)
        return frozenset(raised)

    def _add_checkin(
        self, s: Session, person_id: int, checkin: CheckIn, now: dt.datetime
    ) -> frozenset[str]:
        upsert.replace(
            s,
            CheckInRecord.__table__,
            {
                "person_id": person_id,
                "date": checkin.date,
                "data": checkin.model_dump(mode="json"),
                "created_at": now,
            },
            key=("person_id", "date"),
        )
        return self._raise_flags(s, person_id, {"swelling"} if checkin.swelling else set(), now)

    def raise_flags(self, person_id: int, flags: set[str], now: dt.datetime) -> frozenset[str]:
        """Write newly reported warning signs into the profile (a new version); returns the new ones."""
        with self._writing(person_id) as s:
            return self._raise_flags(s, person_id, flags, now)

    def _raise_flags(
        self, s: Session, person_id: int, flags: set[str], now: dt.datetime
    ) -> frozenset[str]:
        latest = self._latest(s, person_id)
        if not flags:
            return frozenset()
        if latest is None:  # no profile yet: kept until the first one is saved
            s.add(FlagReport(person_id=person_id, flags=sorted(flags), created_at=now))
            return frozenset(flags)
        profile = Profile.model_validate(latest.data)
        new = frozenset(flags) - profile.red_flags.raised()
        if not new:
            return frozenset()
        raised = RedFlags.model_validate(
            {**profile.red_flags.model_dump(), **dict.fromkeys(new, True)}
        )
        updated = profile.model_copy(update={"red_flags": raised})
        s.add(
            ProfileVersion(
                person_id=person_id, created_at=now, data=updated.model_dump(mode="json")
            )
        )
        return new

    def checkins(self, person_id: int) -> list[CheckIn]:
        return self._dated(CheckInRecord, CheckIn, person_id)

    def add_akps(
        self, person_id: int, date: dt.date, answers: list[int], score: int, now: dt.datetime
    ) -> None:
        """Store an AKPS result; a second one the same day replaces the first (one a day)."""
        with self._writing(person_id) as s:
            upsert.replace(
                s,
                AkpsRecord.__table__,
                {
                    "person_id": person_id,
                    "date": date,
                    "answers": answers,
                    "score": score,
                    "created_at": now,
                },
                key=("person_id", "date"),
            )

    def akps(self, person_id: int) -> list[tuple[dt.date, int]]:
        with self._sessions() as s:
            rows = s.execute(
                select(AkpsRecord.date, AkpsRecord.score)
                .where(AkpsRecord.person_id == person_id)
                .order_by(AkpsRecord.date, AkpsRecord.id)
            )
            return [(d, score) for d, score in rows]

    def add_activities(
        self,
        person_id: int,
        file_name: str,
        file_sha256: str,
        parts: list[tuple[Activity, Summary, dt.date]],
        now: dt.datetime,
    ) -> tuple[int, int]:
        """Store one file's activities in one transaction. A part already stored (same file, or
        the same activity from another file: start within DUPLICATE_START_S and a duration within
        DUPLICATE_DURATION of it) is skipped. Returns (added, duplicates)."""
        added = duplicates = 0
        with self._writing(person_id) as s:
            for part, (activity, summary, local_date) in enumerate(parts):
                if self._known(s, person_id, file_sha256, part, activity.start, summary):
                    duplicates += 1
                    continue
                row = {
                    "person_id": person_id,
                    "sport": activity.sport.value,
                    "sub_sport": activity.sub_sport,
                    "start": activity.start,
                    "local_date": local_date,
                    "source": activity.source,
                    "file_name": file_name[-500:],
                    "file_sha256": file_sha256,
                    "part": part,
                    "summary": summary.to_dict(),
                    "track": tracks.pack(activity),
                    "created_at": now,
                }
                key = ("person_id", "file_sha256", "part")
                if upsert.add_new(s, ActivityRecord.__table__, row, key):
                    added += 1
                else:
                    duplicates += 1
        return added, duplicates

    @staticmethod
    def _known(
        s: Session,
        person_id: int,
        sha: str,
        part: int,
        start: dt.datetime,
        summary: Summary,
    ) -> bool:
        same_file = s.scalar(
            select(ActivityRecord.id).where(
                ActivityRecord.person_id == person_id,
                ActivityRecord.file_sha256 == sha,
                ActivityRecord.part == part,
            )
        )
        if same_file is not None:
            return True
        window = dt.timedelta(seconds=DUPLICATE_START_S)
        near = s.scalars(
            select(ActivityRecord.summary).where(
                ActivityRecord.person_id == person_id,
                ActivityRecord.start >= start - window,
                ActivityRecord.start <= start + window,
            )
        )
        for other in near:
            theirs = float(other["duration_s"])  # type: ignore[arg-type]
            longest = max(theirs, summary.duration_s, 1.0)
            if abs(theirs - summary.duration_s) <= DUPLICATE_DURATION * longest:
                return True
        return False

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
                )
                .where(ActivityRecord.person_id == person_id)
                .order_by(ActivityRecord.start, ActivityRecord.id)
            ).all()
            return [_run_record(r) for r in rows]

    def activity(self, person_id: int, activity_id: int) -> tuple[RunRecord, Activity] | None:
        """One stored activity with its samples, or None (also for another person's)."""
        with self._sessions() as s:
            r = s.scalar(
                select(ActivityRecord).where(
                    ActivityRecord.person_id == person_id, ActivityRecord.id == activity_id
                )
            )
            if r is None:
                return None
            record = _run_record(r)
            samples = tracks.unpack(r.track, record.sport, record.start, r.source, r.sub_sport)
            return record, samples

    def add_entry_check(self, person_id: int, check: EntryCheck, now: dt.datetime) -> None:
        with self._writing(person_id) as s:
            s.add(
                EntryCheckRecord(
                    person_id=person_id,
                    date=check.date,
                    data=check.model_dump(mode="json"),
                    created_at=now,
                )
            )

    def entry_checks(self, person_id: int) -> list[EntryCheck]:
        return self._dated(EntryCheckRecord, EntryCheck, person_id)

    def _dated(
        self,
        table: type[SessionRecord] | type[CheckInRecord] | type[EntryCheckRecord],
        model: type[R],
        person_id: int,
    ) -> list[R]:
        """The person's records kept as JSON in `table`, oldest first, validated as `model`."""
        with self._sessions() as s:
            rows: list[SessionRecord | CheckInRecord | EntryCheckRecord] = list(
                s.scalars(
                    select(table).where(table.person_id == person_id).order_by(table.date, table.id)
                )
            )
            return [model.model_validate(r.data) for r in rows]

    def version(self, person_id: int) -> int:
        """A number that changes with every write of the person's data (by any process)."""
        with self._sessions() as s:
            return int(s.scalar(select(Person.revision).where(Person.id == person_id)) or 0)

    @contextmanager
    def _writing(self, person_id: int) -> Iterator[Session]:
        """A write transaction (see `_write`) that also bumps the person's revision (see
        `version`)."""
        with self._write() as s:
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

    @staticmethod
    def _latest(s: Session, person_id: int) -> ProfileVersion | None:
        return s.scalar(
            select(ProfileVersion)
            .where(ProfileVersion.person_id == person_id)
            .order_by(ProfileVersion.id.desc())
            .limit(1)
        )
