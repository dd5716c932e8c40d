"""Tables. Every row belongs to a person, so one database can hold a whole clinic's runners."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # bumped by every write of this person's data, so readers can cache until it changes
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ProfileVersion(Base):
    """Each saved profile is a new version; the newest is current, the old ones are history."""

    __tablename__ = "profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, object]] = mapped_column(JSON)


class Clearance(Base):
    """A runner's record that a clinician examined the red flags raised at the time and cleared
    them for exercise (CLINICAL RF-SOON: the programme waits for this)."""

    __tablename__ = "clearances"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    cleared_on: Mapped[dt.date] = mapped_column(Date)
    clinician: Mapped[str] = mapped_column(String(200))
    # None for clearances recorded before the profession was asked (migration 0005)
    profession: Mapped[str | None] = mapped_column(String(100), nullable=True)
    flags: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FlagReport(Base):
    """Warning signs reported before there is a profile to hold them (a first intake that
    stopped at its referral). The first profile saved carries them, so walking away and
    answering again cannot lift the hold (`core.holds`)."""

    __tablename__ = "flag_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    flags: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SessionRecord(Base):
    """A logged session: the exercises done, pain during each, pain after (PMM-1, PMM-2).

    An edit adds a version: every version of one session shares its `series` (the first
    version's id), the older ones are `replaced_at` the edit, and an undo stamps `deleted_at` on
    the current one; the engine replays only current versions that are not deleted. `token` is
    the one-time id of the form (or client) that saved it: a second save with it stores nothing."""

    __tablename__ = "sessions"
    __table_args__ = (Index("uq_sessions_person_id_token", "person_id", "token", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    series: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    replaced_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CheckInRecord(Base):
    """A morning check-in; one per person and day (a second one that day replaces the first)."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("person_id", "date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AkpsRecord(Base):
    """A Kujala (AKPS) result; one per person and day (a second one that day replaces the first)."""

    __tablename__ = "akps"
    __table_args__ = (Index("uq_akps_person_id_date", "person_id", "date", unique=True),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    answers: Mapped[list[int]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ActivityRecord(Base):
    """An imported activity: its figures as JSON (core.analysis.Summary) and its samples packed
    (store.tracks). `file_sha256` + `part` identify it within the file it came from (a multi-sport
    file holds several parts); the same run from another file is found by start time and length."""

    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("person_id", "file_sha256", "part"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    sport: Mapped[str] = mapped_column(String(20))
    sub_sport: Mapped[str | None] = mapped_column(String(40), nullable=True)
    start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    local_date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64))
    part: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, object]] = mapped_column(JSON)
    track: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # how the knee felt: during the run and the next morning (0-10), as the runner answered
    pain_during: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pain_next_morning: Mapped[int | None] = mapped_column(Integer, nullable=True)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ActivityFile(Base):
    """An activity file as it was imported (after any gzip or zip around it), zlib-compressed:
    kept so an export gives the runner their own files back (migration 0013). Activities
    imported before then have none; an export writes their samples instead."""

    __tablename__ = "activity_files"
    __table_args__ = (UniqueConstraint("person_id", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))  # of the file as imported (not compressed)
    kind: Mapped[str] = mapped_column(String(10))  # its format: "fit", "gpx", "tcx"
    size: Mapped[int] = mapped_column(Integer)  # bytes before compression
    data: Mapped[bytes] = mapped_column(LargeBinary)  # zlib
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class EntryCheckRecord(Base):
    """A return-to-run entry check (RTR-ENTRY): the runner's answers on one day."""

    __tablename__ = "rtr_checks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PreferenceRecord(Base):
    """A person's preferences, one row each: not clinical data, so no history is kept. The
    values are checked by the use case (`app.preferences`); a missing row means the defaults."""

    __tablename__ = "preferences"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    reminder_time: Mapped[str] = mapped_column(String(5))  # "HH:MM", the runner's local time
    units: Mapped[str] = mapped_column(String(10))  # "km" or "mi"
    theme: Mapped[str] = mapped_column(String(10))  # "system", "light" or "dark"
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CalendarFeed(Base):
    """A person's calendar feed: only the SHA-256 digest of its secret address's token is kept,
    so the database never holds a working address (`store/feeds.py`)."""

    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
