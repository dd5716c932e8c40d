"""Holds that hold: a red flag, once raised, is lifted only by a recorded clearance.

A flag is raised by the intake, a check-in (swelling), the Kujala answers or the no-improvement
review (CLINICAL RF-*); each raising writes a new profile version. The plan waits until a
clinician's clearance is recorded (RF-SOON). Re-answering the intake, or editing the profile,
writes a new version too, and must not lift the hold: a flag raised and not cleared is carried
into every later version. Pure: the store hands in the versions and clearances it keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kneecap.core.history import CheckIn
from kneecap.core.profile import Profile, RedFlags


@dataclass(frozen=True)
class Version:
    """One stored profile version: its id (ascending in time) and the flags raised in it."""

    id: int
    raised: frozenset[str]
    created_on: dt.date | None = None


@dataclass(frozen=True)
class ClearanceRecord:
    """A recorded clearance: the profile version it was recorded against, the flags it covers."""

    profile_id: int
    flags: frozenset[str]
    cleared_on: dt.date


def cleared(versions: Sequence[Version], clearances: Sequence[ClearanceRecord]) -> frozenset[str]:
    """The flags of the latest version that a clearance covers.

    A clearance covers a flag when it was recorded against the version in which the flag was
    last newly raised, or a later one: a flag that goes away and comes back is a new episode
    and needs a new clearance.
    """
    raised_at: dict[str, int] = {}
    previous: frozenset[str] = frozenset()
    for v in sorted(versions, key=lambda v: v.id):
        for flag in v.raised - previous:
            raised_at[flag] = v.id
        previous = v.raised
    return frozenset(
        flag
        for flag in previous
        if any(flag in c.flags and c.profile_id >= raised_at[flag] for c in clearances)
    )


def pending(versions: Sequence[Version], clearances: Sequence[ClearanceRecord]) -> frozenset[str]:
    """The flags raised in the latest version and not cleared: what holds the plan."""
    if not versions:
        return frozenset()
    latest = max(versions, key=lambda v: v.id)
    return latest.raised - cleared(versions, clearances)


def carry(
    new: Profile, versions: Sequence[Version], clearances: Sequence[ClearanceRecord]
) -> Profile:
    """`new` with every pending flag of the stored versions still raised.

    A new version that answers "no" to a flag on hold keeps it raised, and so keeps the hold,
    until a clearance is recorded. Cleared flags are not carried: the runner's new answers
    stand for them.
    """
    return with_flags(new, pending(versions, clearances))


def with_flags(profile: Profile, flags: frozenset[str]) -> Profile:
    """`profile` with `flags` raised as well as its own (unknown names are ignored)."""
    known = frozenset(flags) & frozenset(RedFlags.model_fields)
    held = known - profile.red_flags.raised()
    if not held:
        return profile
    raised = RedFlags.model_validate(
        {**profile.red_flags.model_dump(), **dict.fromkeys(held, True)}
    )
    return profile.model_copy(update={"red_flags": raised})


def raised_on(versions: Sequence[Version], flag: str) -> dt.date | None:
    """The day `flag` was last newly raised (None: not raised now)."""
    day: dt.date | None = None
    previous: frozenset[str] = frozenset()
    for v in sorted(versions, key=lambda v: v.id):
        if flag in v.raised and flag not in previous:
            day = v.created_on
        previous = v.raised
    return day if flag in previous else None


def last_cleared_on(clearances: Sequence[ClearanceRecord], flag: str) -> dt.date | None:
    """The latest date a clinician cleared `flag`, or None."""
    dates = [c.cleared_on for c in clearances if flag in c.flags]
    return max(dates) if dates else None


def checkin_flags(checkin: CheckIn) -> frozenset[str]:
    """The red flags a morning check-in raises: swelling (RF-URGENT) holds the plan exactly as
    at intake."""
    return frozenset({"swelling"}) if checkin.swelling else frozenset()
