"""Tables. Every row belongs to a person, so one database can hold a whole clinic's runners."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
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
    # clinic mode: the clinician's own account (personal mode keeps only the name typed)
    clinician_account_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


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


class Account(Base):
    """A login (clinic mode, or a runner's phone on the home network): `roles` holds one or more
    of runner, clinician and admin, space-separated; a runner's account owns one person. Only
    the Argon2id hash of the password is kept, and the TOTP key clinicians and admins enrol."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # the name shown with what the account signs (a clearance, an override, a note)
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    roles: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True, unique=True
    )
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_enrolled_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RecoveryCode(Base):
    """One of an account's ten one-time recovery codes: random 48-bit codes, kept as their
    SHA-256 digests."""

    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WebSession(Base):
    """A login on one browser: only the SHA-256 digest of the cookie's token is kept. `stage` is
    "full" once every factor is given, "totp" while the code is awaited, "enrol" while a
    clinician or admin sets up their authenticator."""

    __tablename__ = "web_sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ResetToken(Base):
    """A one-time password reset link (valid one hour): its token's SHA-256 digest."""

    __tablename__ = "reset_tokens"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Invitation(Base):
    """A clinician's invitation to link (valid seven days, one use): its code's digest."""

    __tablename__ = "invitations"
    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CareLink(Base):
    """A clinician looking after a runner: from the runner's acceptance of an invitation until
    `ended_at` (the runner, the clinician or an admin ended it; access ends with it)."""

    __tablename__ = "care_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    """Who did what, when, from where: every clinician read of a runner's data and every change.
    Append-only for the application; no foreign keys, so an entry outlives the account or the
    person it names (a deleted person's entries keep no health data: `detail` never holds any)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    account_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    detail: Mapped[str] = mapped_column(String(500))
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ClinicNote(Base):
    """A clinician's note on a runner: private to the clinicians, or shared with the runner."""

    __tablename__ = "clinic_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    author: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean)


class ClinicOverride(Base):
    """A clinician's input to a runner's programme (limits, a pinned dose, an exercise removed or
    added, the phase, approving progressions, a decision on one): replayed by the engine like
    every other record, in order; `reason` is shown to the runner with the author's name."""

    __tablename__ = "clinic_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    author: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)


class ClinicSummary(Base):
    """A runner's row on their clinicians' dashboards, as computed for one day from the data
    at one revision: a cache every server worker shares (a dashboard reads many runners, and
    computing one means replaying their history). Stale once the revision or the day moves on."""

    __tablename__ = "clinic_summaries"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    day: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, object]] = mapped_column(JSON)
