"""The writes of one transaction: a use case (`kneecap.app`) opens `Store.transaction(person)`
and makes every write through the `Writer` it gets, so a crash can never store half of it (a
Kujala score without its red flag, a check-in without the swelling it reported).

The clinical rules the writes follow live in core (`core.holds`: which flags a record raises,
which are carried into a new profile version, which a clearance covers; `core.running`: when two
files hold the same activity); this module only stores what they decide.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kneecap.core import holds
from kneecap.core.history import CheckIn, Logged, SessionLog
from kneecap.core.profile import Profile
from kneecap.core.rtr import EntryCheck
from kneecap.core.running import fuller
from kneecap.core.summary import Summary
from kneecap.store import queries, upsert
from kneecap.store.tables import (
    ActivityFile,
    ActivityRecord,
    AkpsRecord,
    CheckInRecord,
    Clearance,
    EntryCheckRecord,
    FlagReport,
    PreferenceRecord,
    ProfileVersion,
    SessionRecord,
)

if TYPE_CHECKING:
    from kneecap.core.activity import Activity  # numpy: only for runs' samples


class Writer:
    """Writes for one person inside one open transaction."""

    def __init__(self, session: Session, person_id: int) -> None:
        self.s = session
        self.person = person_id

    def profile(self) -> Profile | None:
        """The current profile as this transaction sees it."""
        row = queries.latest(self.s, self.person)
        return None if row is None else Profile.model_validate(row.data)

    def save_profile(self, profile: Profile, now: dt.datetime) -> frozenset[str]:
        """A new profile version. A red flag on hold (raised, not cleared) stays raised in it
        whatever the new answers say (`core.holds.carry`); flags reported before the first
        profile are raised in it. Returns the flags carried."""
        versions = queries.versions(self.s, self.person)
        if not versions:
            profile = holds.with_flags(profile, queries.reported(self.s, self.person))
        kept = holds.carry(profile, versions, queries.clearances(self.s, self.person))
        self._add_version(kept, now)
        return kept.red_flags.raised() - profile.red_flags.raised()

    def raise_flags(self, flags: frozenset[str], now: dt.datetime) -> frozenset[str]:
        """Write newly reported warning signs into the profile (a new version), or keep them
        for the first profile when there is none yet. Returns the flags newly raised."""
        if not flags:
            return frozenset()
        current = self.profile()
        if current is None:
            self.s.add(FlagReport(person_id=self.person, flags=sorted(flags), created_at=now))
            return frozenset(flags)
        new = frozenset(flags) - current.red_flags.raised()
        if new:
            self._add_version(holds.with_flags(current, new), now)
        return new

    def record_clearance(
        self,
        cleared_on: dt.date,
        clinician: str,
        note: str | None,
        now: dt.datetime,
        profession: str | None = None,
        flags: frozenset[str] | None = None,
        account: int | None = None,
    ) -> frozenset[str]:
        """Record that a clinician cleared red flags of the current profile: `flags`, or every
        raised one when None (`account`: the clinician's own, in clinic mode). Returns the flags
        cleared. A flag not raised now is a ValueError,
        no profile a LookupError (nothing is stored)."""
        row = queries.latest(self.s, self.person)
        if row is None:
            raise LookupError("no profile yet")
        raised = Profile.model_validate(row.data).red_flags.raised()
        chosen = raised if flags is None else frozenset(flags)
        if chosen - raised:
            raise ValueError(", ".join(sorted(chosen - raised)))
        self.s.add(
            Clearance(
                person_id=self.person,
                profile_id=row.id,
                cleared_on=cleared_on,
                clinician=clinician,
                profession=profession,
                flags=sorted(chosen),
                note=note,
                created_at=now,
                clinician_account_id=account,
            )
        )
        return chosen

    def add_sessions(self, logs: list[SessionLog], now: dt.datetime) -> None:
        for log in logs:
            self.add_session(log, now)

    def add_session(
        self, log: SessionLog, now: dt.datetime, token: str | None = None
    ) -> tuple[Logged, bool]:
        """A new session (its own series). A token already stored (the same form sent twice, a
        queue sending again) stores nothing: the session it saved is returned, with False."""
        if token is not None:
            found = self.session_by_token(token)
            if found is not None:
                return found, False
        row = self._add_session_row(log, now, token, series=None)
        return queries.logged(self.s, row), True

    def edit_session(
        self, series: int, log: SessionLog, now: dt.datetime, token: str | None = None
    ) -> tuple[Logged, bool]:
        """A new version of the session `series` (the one now current is kept as history). A
        token already stored stores nothing, as for `add_session`. LookupError: no such session
        (or it was undone)."""
        if token is not None:
            found = self.session_by_token(token)
            if found is not None:
                return found, False
        current = self._current_row(series)
        if current is None:
            raise LookupError(series)
        current.replaced_at = now
        row = self._add_session_row(log, now, token, series=series)
        return queries.logged(self.s, row), True

    def undo_session(self, series: int, now: dt.datetime) -> Logged:
        """Mark the current version of the session `series` deleted (kept, never replayed).
        LookupError: no such session, or it was undone already."""
        current = self._current_row(series)
        if current is None:
            raise LookupError(series)
        current.deleted_at = now
        return queries.logged(self.s, current)

    def restore_session(self, series: int) -> Logged:
        """Bring back the session `series` undone last: its latest version, deleted, with no
        newer one. LookupError: no such session, or it is not undone."""
        row = self.s.scalar(
            select(SessionRecord).where(
                SessionRecord.person_id == self.person,
                SessionRecord.series == series,
                SessionRecord.replaced_at.is_(None),
                SessionRecord.deleted_at.is_not(None),
            )
        )
        if row is None:
            raise LookupError(series)
        row.deleted_at = None
        return queries.logged(self.s, row)

    def current_session(self, series: int) -> Logged | None:
        """The current, not deleted version of the session `series`, or None."""
        row = self._current_row(series)
        return None if row is None else queries.logged(self.s, row)

    def _current_row(self, series: int) -> SessionRecord | None:
        return self.s.scalar(
            select(SessionRecord).where(
                SessionRecord.person_id == self.person,
                SessionRecord.series == series,
                SessionRecord.replaced_at.is_(None),
                SessionRecord.deleted_at.is_(None),
            )
        )

    def session_by_token(self, token: str) -> Logged | None:
        """The session version a token saved, or None."""
        row = self.s.scalar(
            select(SessionRecord).where(
                SessionRecord.person_id == self.person, SessionRecord.token == token
            )
        )
        return None if row is None else queries.logged(self.s, row)

    def _add_session_row(
        self, log: SessionLog, now: dt.datetime, token: str | None, series: int | None
    ) -> SessionRecord:
        row = SessionRecord(
            person_id=self.person,
            date=log.date,
            data=log.model_dump(mode="json"),
            created_at=now,
            token=token,
            series=series,
        )
        self.s.add(row)
        self.s.flush()
        if series is None:
            row.series = row.id
            self.s.flush()
        return row

    def has_checkin(self, date: dt.date) -> bool:
        """Is a check-in for `date` stored (so a new one replaces it)?"""
        found = self.s.scalar(
            select(CheckInRecord.id).where(
                CheckInRecord.person_id == self.person, CheckInRecord.date == date
            )
        )
        return found is not None

    def add_checkins(self, checkins: list[CheckIn], now: dt.datetime) -> frozenset[str]:
        """Each replaces an earlier one that day (an upsert, so also under a race); the flags a
        check-in raises are written into the profile. Returns the flags newly raised."""
        raised: set[str] = set()
        for checkin in checkins:
            upsert.replace(
                self.s,
                CheckInRecord.__table__,
                {
                    "person_id": self.person,
                    "date": checkin.date,
                    "data": checkin.model_dump(mode="json"),
                    "created_at": now,
                },
                key=("person_id", "date"),
            )
            raised |= self.raise_flags(holds.checkin_flags(checkin), now)
        return frozenset(raised)

    def add_akps(self, date: dt.date, answers: list[int], score: int, now: dt.datetime) -> None:
        """An AKPS result; a second one the same day replaces the first (one a day)."""
        upsert.replace(
            self.s,
            AkpsRecord.__table__,
            {
                "person_id": self.person,
                "date": date,
                "answers": answers,
                "score": score,
                "created_at": now,
            },
            key=("person_id", "date"),
        )

    def add_entry_check(self, check: EntryCheck, now: dt.datetime) -> None:
        self.s.add(
            EntryCheckRecord(
                person_id=self.person,
                date=check.date,
                data=check.model_dump(mode="json"),
                created_at=now,
            )
        )

    def add_activities(
        self,
        file_name: str,
        file_sha256: str,
        parts: list[tuple[Activity, Summary, dt.date]],
        now: dt.datetime,
        original: tuple[str, bytes] | None = None,
    ) -> tuple[int, int]:
        """One file's activities, and the file itself (`original`: its format and content, kept
        compressed once any part of it is stored). A part already stored (the same file, or the same activity
        from another file: `core.running.copies`) is skipped, unless this copy is clearly
        fuller (`core.running.fuller`: the stored one was cut short): it then takes the stored
        one's place, under the same id, keeping the runner's answers about it. Returns (added,
        duplicates); a fuller copy counts as added."""
        from kneecap.store import tracks  # numpy: loaded only when samples are stored

        added = duplicates = 0
        for part, (activity, summary, local_date) in enumerate(parts):
            if queries.same_file(self.s, self.person, file_sha256, part):
                duplicates += 1
                continue
            row = {
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
            }
            copy = queries.stored_copy(
                self.s, self.person, file_sha256, activity.start, summary.duration_s, activity.sport
            )
            if copy is not None:
                stored_id, stored_s = copy
                if not fuller(summary.duration_s, stored_s):
                    duplicates += 1
                    continue
                self.s.execute(
                    update(ActivityRecord)
                    .where(ActivityRecord.id == stored_id, ActivityRecord.person_id == self.person)
                    .values(**row)
                )
                added += 1
                continue
            new = {"person_id": self.person, **row, "created_at": now}
            if upsert.add_new(
                self.s, ActivityRecord.__table__, new, ("person_id", "file_sha256", "part")
            ):
                added += 1
            else:
                duplicates += 1
        if added and original is not None:
            self.keep_file(file_sha256, original[0], original[1], now)
        return added, duplicates

    def keep_file(self, sha256: str, kind: str, data: bytes, now: dt.datetime) -> None:
        """Keep an activity file as imported (once per content)."""
        import zlib

        row = {
            "person_id": self.person,
            "sha256": sha256,
            "kind": kind,
            "size": len(data),
            "data": zlib.compress(data, 6),
            "created_at": now,
        }
        upsert.add_new(self.s, ActivityFile.__table__, row, ("person_id", "sha256"))

    def set_preferences(self, values: dict[str, str], now: dt.datetime) -> None:
        """Store the person's preferences (`reminder_time`, `units`, `theme`), replacing any."""
        upsert.replace(
            self.s,
            PreferenceRecord.__table__,
            {"person_id": self.person, **values, "updated_at": now},
            key=("person_id",),
        )

    def answer_run(self, run_id: int, pain_during: int | None, next_morning: int | None) -> bool:
        """Store how the knee felt during a run and the next morning; False: no such run."""
        done = self.s.execute(
            update(ActivityRecord)
            .where(
                ActivityRecord.id == run_id,
                ActivityRecord.person_id == self.person,
                ActivityRecord.deleted_at.is_(None),
            )
            .values(pain_during=pain_during, pain_next_morning=next_morning)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def delete_run(self, run_id: int, now: dt.datetime | None) -> bool:
        """Delete a run (`now`: kept, left out of every figure) or undo that (`None`). False:
        no such run in that state."""
        deleted = ActivityRecord.deleted_at
        done = self.s.execute(
            update(ActivityRecord)
            .where(
                ActivityRecord.id == run_id,
                ActivityRecord.person_id == self.person,
                deleted.is_(None) if now is not None else deleted.is_not(None),
            )
            .values(deleted_at=now)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def _add_version(self, profile: Profile, now: dt.datetime) -> None:
        self.s.add(
            ProfileVersion(
                person_id=self.person, created_at=now, data=profile.model_dump(mode="json")
            )
        )
