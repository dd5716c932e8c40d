"""One person's rows out (`dump`) and in (`load`), and every one of them deleted (`erase`):
the store's side of an export, a restore and a forget. Rows are read and written in the order
they were saved; the export numbers them 1, 2, ... (`portable.document`), and a load maps those
numbers to the new rows' ids."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from sqlalchemy import Engine, Table, delete, func, select
from sqlalchemy.orm import Session

from kneecap.store.queries import utc
from kneecap.store.repository import Store
from kneecap.store.tables import (
    ActivityFile,
    ActivityRecord,
    AkpsRecord,
    Base,
    CalendarFeed,
    CheckInRecord,
    Clearance,
    EntryCheckRecord,
    FlagReport,
    Person,
    PreferenceRecord,
    ProfileVersion,
    SessionRecord,
)

Kept = dict[str, tuple[str, bytes]]  # the kept activity files by SHA-256: (format, content)


def _t(t: dt.datetime | None) -> str | None:
    return None if t is None else utc(t).isoformat()


# Rows that name a person without being their data: the audit log outlives a deletion (it holds
# no health data), and a login's account stays, its person cleared (a new one on next use).
NOT_THEIRS = frozenset({"people", "audit_log", "accounts"})


def person_tables() -> list[Table]:
    """Every table holding rows of a person (a `person_id` column), children first."""
    return [
        t
        for t in reversed(Base.metadata.sorted_tables)
        if "person_id" in t.c and t.name not in NOT_THEIRS
    ]


def counts(s: Session, person_id: int) -> dict[str, int]:
    """How many rows of the person each table holds (tables with none left out)."""
    found = {}
    for table in person_tables():
        n = s.scalar(select(func.count()).select_from(table).where(table.c.person_id == person_id))
        if n:
            found[table.name] = int(n)
    return found


def files(s: Session, person_id: int) -> Kept:
    """The kept activity files by SHA-256: (format, content as imported)."""
    rows = s.execute(
        select(ActivityFile.sha256, ActivityFile.kind, ActivityFile.data).where(
            ActivityFile.person_id == person_id
        )
    )
    return {sha: (kind, zlib.decompress(data)) for sha, kind, data in rows}


def dump(s: Session, person_id: int) -> tuple[dict[str, Any], dict[int, bytes]]:
    """The person's records as the export's document (without the runs' `file`/`track`), and
    each run's packed samples by its export id."""
    person = s.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)

    def rows(table: Any, *order: Any) -> list[Any]:
        query = select(table).where(table.person_id == person_id)
        return list(s.scalars(query.order_by(*order, table.id)))

    profiles = rows(ProfileVersion)
    profile_no = {p.id: n for n, p in enumerate(profiles, 1)}
    sessions = rows(SessionRecord)
    session_no = {r.id: n for n, r in enumerate(sessions, 1)}
    runs = rows(ActivityRecord)
    prefs = s.get(PreferenceRecord, person_id)
    feed = s.scalar(select(CalendarFeed).where(CalendarFeed.person_id == person_id))
    doc: dict[str, Any] = {
        "person": {"name": person.name, "created_at": _t(person.created_at)},
        "profiles": [
            {"id": profile_no[p.id], "created_at": _t(p.created_at), "data": p.data}
            for p in profiles
        ],
        "clearances": [
            {
                "profile": profile_no[c.profile_id],
                "cleared_on": c.cleared_on.isoformat(),
                "clinician": c.clinician,
                "profession": c.profession,
                "flags": c.flags,
                "note": c.note,
                "created_at": _t(c.created_at),
            }
            for c in rows(Clearance)
        ],
        "flag_reports": [
            {"flags": r.flags, "created_at": _t(r.created_at)} for r in rows(FlagReport)
        ],
        "sessions": [
            {
                "id": session_no[r.id],
                "series": session_no[r.series if r.series is not None else r.id],
                "date": r.date.isoformat(),
                "token": r.token,
                "created_at": _t(r.created_at),
                "replaced_at": _t(r.replaced_at),
                "deleted_at": _t(r.deleted_at),
                "data": r.data,
            }
            for r in sessions
        ],
        "checkins": [_dated(r) for r in rows(CheckInRecord, CheckInRecord.date)],
        "akps": [
            {
                "date": r.date.isoformat(),
                "answers": r.answers,
                "score": r.score,
                "created_at": _t(r.created_at),
            }
            for r in rows(AkpsRecord, AkpsRecord.date)
        ],
        "entry_checks": [_dated(r) for r in rows(EntryCheckRecord)],
        "preferences": None
        if prefs is None
        else {
            "reminder_time": prefs.reminder_time,
            "units": prefs.units,
            "theme": prefs.theme,
            "updated_at": _t(prefs.updated_at),
        },
        "calendar_feed": None if feed is None else {"created_at": _t(feed.created_at)},
        "runs": [
            {
                "id": n,
                "sport": r.sport,
                "sub_sport": r.sub_sport,
                "start": _t(r.start),
                "local_date": r.local_date.isoformat(),
                "source": r.source,
                "file_name": r.file_name,
                "file_sha256": r.file_sha256,
                "part": r.part,
                "summary": r.summary,
                "created_at": _t(r.created_at),
                "pain_during": r.pain_during,
                "pain_next_morning": r.pain_next_morning,
                "deleted_at": _t(r.deleted_at),
            }
            for n, r in enumerate(runs, 1)
        ],
    }
    return doc, {n: r.track for n, r in enumerate(runs, 1)}


def _dated(r: CheckInRecord | EntryCheckRecord) -> dict[str, Any]:
    return {"date": r.date.isoformat(), "created_at": _t(r.created_at), "data": r.data}


def load(
    s: Session,
    person_id: int,
    doc: Any,
    tracks: dict[int, bytes],
    kept: Kept,
) -> None:
    """Write an export's records (a checked `portable.document.Document`) for the person:
    `tracks` the runs' packed samples by export id, `kept` the activity files by SHA-256
    (format, content). The calendar feed is not made again: its address was a secret of the
    old one."""
    person = s.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    person.created_at = doc.person.created_at
    profile_id: dict[int, int] = {}
    for p in doc.profiles:
        row = ProfileVersion(person_id=person_id, created_at=p.created_at, data=p.data)
        s.add(row)
        s.flush()
        profile_id[p.id] = row.id
    for c in doc.clearances:
        fields = c.model_dump(exclude={"profile"})
        s.add(Clearance(person_id=person_id, profile_id=profile_id[c.profile], **fields))
    for r in doc.flag_reports:
        s.add(FlagReport(person_id=person_id, **r.model_dump()))
    session_id: dict[int, int] = {}
    for x in doc.sessions:
        fields = x.model_dump(exclude={"id", "series"})
        session = SessionRecord(person_id=person_id, series=session_id.get(x.series), **fields)
        s.add(session)
        s.flush()
        session_id[x.id] = session.id
        if x.series == x.id:
            session.series = session.id
    for c in doc.checkins:
        s.add(CheckInRecord(person_id=person_id, **c.model_dump()))
    for a in doc.akps:
        s.add(AkpsRecord(person_id=person_id, **a.model_dump()))
    for e in doc.entry_checks:
        s.add(EntryCheckRecord(person_id=person_id, **e.model_dump()))
    if doc.preferences is not None:
        s.add(PreferenceRecord(person_id=person_id, **doc.preferences.model_dump()))
    for run in doc.runs:
        fields = run.model_dump(exclude={"id", "file", "track"})
        s.add(ActivityRecord(person_id=person_id, track=tracks[run.id], **fields))
    for sha, (kind, data) in sorted(kept.items()):
        s.add(
            ActivityFile(
                person_id=person_id,
                sha256=sha,
                kind=kind,
                size=len(data),
                data=zlib.compress(data, 6),
                created_at=min(r.created_at for r in doc.runs if r.file_sha256 == sha),
            )
        )
    s.flush()


def erase(s: Session, person_id: int) -> tuple[str, dict[str, int]]:
    """Delete every row of the person, the person's own last: their name and what was
    deleted, table by table."""
    person = s.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    name = person.name
    deleted = counts(s, person_id)
    for table in person_tables():
        s.execute(delete(table).where(table.c.person_id == person_id))
    s.execute(delete(Person).where(Person.id == person_id))
    return name, deleted


def vacuum(engine: Engine) -> None:
    """Rebuild a SQLite database without its free pages, so deleted rows do not linger in the
    file, and fold the write-ahead log into it. Outside any transaction (the driver begins
    none of its own: `store.engine.make_engine`); a server database keeps its own counsel."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as c:
        c.exec_driver_sql("VACUUM")
        if str(c.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() == "wal":
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def snapshot(store: Store, person_id: int) -> tuple[dict[str, Any], dict[int, bytes], Kept]:
    """`dump` and the kept files, read in one session."""
    with Session(store.engine) as s, s.begin():
        doc, tracks = dump(s, person_id)
        return doc, tracks, files(s, person_id)
