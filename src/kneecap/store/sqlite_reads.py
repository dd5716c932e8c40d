"""A runner's records read from an embedded SQLite file with the standard library's sqlite3,
without SQLAlchemy: what `kneecap today` needs to make the programme (`store.reads.Reads`),
when the file's schema is at the newest revision this Kneecap knows (else the full store opens
it and migrates).

The same statements SQLAlchemy's `Store` sends to SQLite (the same tables, filters and order),
the columns decoded as SQLAlchemy's SQLite dialect decodes them (ISO dates and times, JSON
text), and each row made a record by the same function (`store.mapping`), so both give the
same records: `tests/integration/test_sqlite_reads.py` holds them to it. Read-only: it opens
the file with `mode=ro`; each statement holds SQLite's shared lock only while it runs, as the
store's reads do (`store.engine.make_engine`)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any, NamedTuple

from kneecap.core import decisions, holds
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.overrides import Override
from kneecap.core.profile import Profile
from kneecap.core.rtr import EntryCheck
from kneecap.core.running import RunRecord
from kneecap.store import mapping
from kneecap.store.revisions import VERSION_TABLE, newest_revision

BUSY_TIMEOUT_S = 5.0  # as the store's busy_timeout (store.engine.BUSY_TIMEOUT_MS)


class _Activity(NamedTuple):
    """An activity's columns, named as `mapping.run_record` reads them."""

    id: int
    sport: str
    sub_sport: str | None
    start: dt.datetime
    local_date: dt.date
    source: str
    file_name: str
    summary: Any
    pain_during: int | None
    pain_next_morning: int | None


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class SqliteReads:
    """One runner's records in the SQLite file at `path` (`open` checks the schema first)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._versions: dict[int, list[holds.Version]] = {}  # per person, read once

    @classmethod
    def open(cls, path: Path) -> SqliteReads | None:
        """The reader of the file at `path`, or None when its schema is not at the newest
        revision (or it has none): the store opens it then, and migrates it."""
        db = sqlite3.connect(
            f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
        )
        try:
            revision = db.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
            if [r[0] for r in revision] != [newest_revision()]:
                db.close()
                return None
        except BaseException:
            db.close()
            raise
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def person_id(self, name: str) -> int | None:
        """The id of the person called `name`, None when there is none yet."""
        row = self._db.execute("SELECT id FROM people WHERE name = ?", (name,)).fetchone()
        return None if row is None else int(row[0])

    def _rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        return self._db.execute(sql, params).fetchall()

    def profile(self, person_id: int) -> Profile | None:
        rows = self._rows(
            "SELECT data FROM profiles WHERE person_id = ? ORDER BY id DESC LIMIT 1", person_id
        )
        return mapping.profile(_json(rows[0][0])) if rows else None

    def _profile_versions(self, person_id: int) -> list[holds.Version]:
        if person_id not in self._versions:
            rows = self._rows(
                "SELECT id, data, created_at FROM profiles WHERE person_id = ? ORDER BY id",
                person_id,
            )
            self._versions[person_id] = [
                mapping.version(i, _json(d), _time(at)) for i, d, at in rows
            ]
        return self._versions[person_id]

    def _clearance_rows(self, person_id: int) -> list[tuple[Any, ...]]:
        return self._rows(
            "SELECT profile_id, flags, cleared_on, clinician, profession FROM clearances "
            "WHERE person_id = ? ORDER BY id",
            person_id,
        )

    def clearances(self, person_id: int) -> list[holds.ClearanceRecord]:
        return [
            mapping.clearance(p, _json(flags), _day(on))
            for p, flags, on, _, _ in self._clearance_rows(person_id)
        ]

    def cleared_flags(self, person_id: int) -> frozenset[str]:
        return holds.cleared(self._profile_versions(person_id), self.clearances(person_id))

    def hold_history(
        self, person_id: int
    ) -> tuple[list[holds.Version], list[decisions.ClearanceEntry]]:
        entries = [
            mapping.clearance_entry(p, _json(flags), _day(on), clinician, profession)
            for p, flags, on, clinician, profession in self._clearance_rows(person_id)
        ]
        return list(self._profile_versions(person_id)), entries

    def flag_raised_on(self, person_id: int, flag: str) -> dt.date | None:
        return holds.raised_on(self._profile_versions(person_id), flag)

    def sessions(self, person_id: int) -> list[SessionLog]:
        """Each session at its latest version, undone ones left out (as `Store.sessions`)."""
        rows = self._rows(
            "SELECT data FROM sessions WHERE person_id = ? AND replaced_at IS NULL "
            "AND deleted_at IS NULL ORDER BY date, id",
            person_id,
        )
        return [mapping.dated(SessionLog, _json(d)) for (d,) in rows]

    def checkins(self, person_id: int) -> list[CheckIn]:
        rows = self._rows(
            "SELECT data FROM checkins WHERE person_id = ? ORDER BY date, id", person_id
        )
        return [mapping.dated(CheckIn, _json(d)) for (d,) in rows]

    def entry_checks(self, person_id: int) -> list[EntryCheck]:
        rows = self._rows(
            "SELECT data FROM rtr_checks WHERE person_id = ? ORDER BY date, id", person_id
        )
        return [mapping.dated(EntryCheck, _json(d)) for (d,) in rows]

    def akps(self, person_id: int) -> list[tuple[dt.date, int]]:
        rows = self._rows(
            "SELECT date, score FROM akps WHERE person_id = ? ORDER BY date, id", person_id
        )
        return [(_day(d), score) for d, score in rows]

    def activities(self, person_id: int) -> list[RunRecord]:
        """Every activity not deleted, oldest first, without the samples."""
        rows = self._rows(
            "SELECT id, sport, sub_sport, start, local_date, source, file_name, summary, "
            "pain_during, pain_next_morning FROM activities "
            "WHERE person_id = ? AND deleted_at IS NULL ORDER BY start, id",
            person_id,
        )
        return [
            mapping.run_record(
                _Activity(i, sport, sub, _time(start), _day(day), src, name, _json(s), pd, pm)
            )
            for i, sport, sub, start, day, src, name, s, pd, pm in rows
        ]

    def overrides(self, person_id: int) -> list[Override]:
        return [
            mapping.override(id, author, _time(at), kind, _json(data), reason)
            for id, author, at, kind, data, reason in self._rows(
                "SELECT id, author, created_at, kind, data, reason FROM clinic_overrides"
                " WHERE person_id = ? ORDER BY id",
                person_id,
            )
        ]
