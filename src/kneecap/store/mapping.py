"""A stored row as the record core reads: one function per kind of row, called by both readers
of the store, SQLAlchemy's (`Store`, `store.queries`) and the standard library's
(`store.sqlite_reads`, for `kneecap today` on an embedded SQLite file). Each reader hands over
the columns' values already decoded (dates, times, JSON); what a row means is said only here."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from kneecap.core import decisions, holds
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.overrides import Override
from kneecap.core.profile import Profile
from kneecap.core.rtr import EntryCheck
from kneecap.core.running import RunRecord
from kneecap.core.sport import Sport
from kneecap.core.summary import Summary

R = TypeVar("R", SessionLog, CheckIn, EntryCheck)


def utc(t: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)


def profile(data: Any) -> Profile:
    """A stored profile version's data."""
    return Profile.model_validate(data)


def version(row_id: int, data: Any, created_at: dt.datetime) -> holds.Version:
    """A profile version as the holds see it: the red flags it raised and its (UTC) day."""
    return holds.Version(row_id, profile(data).red_flags.raised(), utc(created_at).date())


def clearance(profile_id: int, flags: list[str], cleared_on: dt.date) -> holds.ClearanceRecord:
    return holds.ClearanceRecord(profile_id, frozenset(flags), cleared_on)


def clearance_entry(
    profile_id: int,
    flags: list[str],
    cleared_on: dt.date,
    clinician: str,
    profession: str | None,
) -> decisions.ClearanceEntry:
    """A clearance with who recorded it, as the decisions timeline shows it."""
    return decisions.ClearanceEntry(clearance(profile_id, flags, cleared_on), clinician, profession)


def dated(model: type[R], data: Any) -> R:
    """A session, check-in or entry check kept as JSON."""
    return model.model_validate(data)


def run_record(r: Any) -> RunRecord:
    """A stored activity row (or a row of its columns) as core's record, without samples."""
    return RunRecord(
        id=r.id,
        sport=Sport(r.sport),
        sub_sport=r.sub_sport,
        start=utc(r.start),
        date=r.local_date,
        source=r.source,
        file=r.file_name,
        summary=Summary.from_dict(r.summary),
        pain_during=getattr(r, "pain_during", None),
        pain_next_morning=getattr(r, "pain_next_morning", None),
    )


def override(
    id: int, author: str, created_at: dt.datetime, kind: str, data: Any, reason: str
) -> Override:
    """A stored clinician's override, as the engine replays it."""
    return Override.of(id, author, utc(created_at), kind, data, reason)
