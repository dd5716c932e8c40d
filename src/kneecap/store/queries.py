"""Reads shared by the store's reader (`Store`) and its writer (`Writer`), on an open session."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kneecap.core import holds, rules
from kneecap.core.history import Logged, SessionLog
from kneecap.core.overrides import Override
from kneecap.core.running import copies
from kneecap.core.sport import Sport
from kneecap.store.mapping import clearance, dated, override, version
from kneecap.store.mapping import utc as utc
from kneecap.store.tables import (
    ActivityRecord,
    Clearance,
    ClinicOverride,
    FlagReport,
    ProfileVersion,
    SessionRecord,
)


def latest(s: Session, person_id: int) -> ProfileVersion | None:
    return s.scalar(
        select(ProfileVersion)
        .where(ProfileVersion.person_id == person_id)
        .order_by(ProfileVersion.id.desc())
        .limit(1)
    )


def versions(s: Session, person_id: int) -> list[holds.Version]:
    rows = s.execute(
        select(ProfileVersion.id, ProfileVersion.data, ProfileVersion.created_at)
        .where(ProfileVersion.person_id == person_id)
        .order_by(ProfileVersion.id)
    )
    return [version(i, data, at) for i, data, at in rows]


def clearances(s: Session, person_id: int) -> list[holds.ClearanceRecord]:
    rows = s.scalars(
        select(Clearance).where(Clearance.person_id == person_id).order_by(Clearance.id)
    )
    return [clearance(c.profile_id, c.flags, c.cleared_on) for c in rows]


def reported(s: Session, person_id: int) -> frozenset[str]:
    """Flags reported before the person had a profile."""
    rows = s.scalars(select(FlagReport.flags).where(FlagReport.person_id == person_id))
    return frozenset(flag for flags in rows for flag in flags)


def same_file(s: Session, person_id: int, sha: str, part: int) -> bool:
    """This part of this file is stored (deleted or not)."""
    found = s.scalar(
        select(ActivityRecord.id).where(
            ActivityRecord.person_id == person_id,
            ActivityRecord.file_sha256 == sha,
            ActivityRecord.part == part,
        )
    )
    return found is not None


def stored_copy(
    s: Session,
    person_id: int,
    sha: str,
    start: dt.datetime,
    duration_s: float,
    sport: Sport,
) -> tuple[int, float] | None:
    """The same activity stored from another file (`core.running.copies`: maybe cut short):
    its id and duration, the longest first; None when there is none. Parts of one file (a
    multi-sport file) are never copies of each other."""
    window = dt.timedelta(seconds=rules.DUPLICATE_START_S)
    near = s.execute(
        select(
            ActivityRecord.id, ActivityRecord.start, ActivityRecord.sport, ActivityRecord.summary
        )
        .where(
            ActivityRecord.person_id == person_id,
            ActivityRecord.file_sha256 != sha,
            ActivityRecord.start >= start - window,
            ActivityRecord.start <= start + window,
        )
        .order_by(ActivityRecord.id)
    )
    found = [
        (row_id, float(cast(float, summary["duration_s"])))
        for row_id, other, other_sport, summary in near
        if copies(
            utc(other),
            float(cast(float, summary["duration_s"])),
            Sport(other_sport),
            start,
            duration_s,
            sport,
        )
    ]
    return max(found, key=lambda f: f[1]) if found else None


def logged(s: Session, row: SessionRecord) -> Logged:
    """A stored session version as the runner sees it: its series' id, which version it is."""
    series = row.series if row.series is not None else row.id
    version = s.scalar(
        select(func.count(SessionRecord.id)).where(
            SessionRecord.person_id == row.person_id,
            SessionRecord.series == series,
            SessionRecord.id <= row.id,
        )
    )
    return Logged(
        id=series,
        log=dated(SessionLog, row.data),
        saved_at=utc(row.created_at),
        version=int(version or 1),
        deleted=row.deleted_at is not None,
    )


def overrides(s: Session, person_id: int) -> list[Override]:
    """The clinician's overrides of the person, oldest first: the engine replays them in order."""
    return [
        override(o.id, o.author, o.created_at, o.kind, o.data, o.reason)
        for o in s.scalars(
            select(ClinicOverride)
            .where(ClinicOverride.person_id == person_id)
            .order_by(ClinicOverride.id)
        )
    ]
