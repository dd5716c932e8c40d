"""What the runner logged: sessions done (with pain and effort per exercise) and morning
check-ins. Plain frozen records; the engine reads them, the store keeps them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from kneecap.core.schema import PainScore, Record


class Difficulty(StrEnum):
    EASY = "easy"
    OK = "ok"
    HARD = "hard"


# A session lists at most this many exercises: the session form's limit too. Without it one
# request could store a session of 300,000 entries that every later page replays.
MAX_ENTRIES = 40
MAX_EXERCISE_ID_CHARS = 80  # catalogue ids are short slugs
# A logged session can be edited or undone for this many days after its date; older ones are
# history the engine has built on.
EDIT_DAYS = 7
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"  # a one-time form token: random, URL-safe
# A yes/no answer is true or false: `0.0` or `1` is not an answer (JSON would turn it into one).
Flag = Annotated[bool, Field(strict=True)]


class Entry(Record):
    """One exercise as done. Unset amounts mean "not recorded", not zero.

    Amounts are strict: `true` is not 1 set and "3" is not 3 reps (JSON and YAML would
    otherwise turn both into numbers silently)."""

    exercise: str = Field(min_length=1, max_length=MAX_EXERCISE_ID_CHARS)
    sets_done: Annotated[int, Field(strict=True, ge=0, le=20)] | None = None
    reps_done: Annotated[int, Field(strict=True, ge=0, le=200)] | None = None
    hold_s_done: Annotated[int, Field(strict=True, ge=0, le=3600)] | None = None
    minutes_done: Annotated[float, Field(strict=True, ge=0, le=600)] | None = None
    distance_km: Annotated[float, Field(strict=True, ge=0, le=300)] | None = None
    pain_during: PainScore
    sharp: Flag = False
    difficulty: Difficulty = Difficulty.OK


class SessionLog(Record):
    date: dt.date
    entries: tuple[Entry, ...] = Field(min_length=1, max_length=MAX_ENTRIES)
    pain_after: PainScore | None = None
    partial: Flag = False


class CheckIn(Record):
    """The morning check-in: how the knee answered yesterday's load (PMM-2)."""

    date: dt.date
    morning_pain: PainScore
    stiffness: PainScore | None = None
    swelling: Flag = False
    limp: Flag = False
    pain_stairs: PainScore | None = None
    pain_sitting: PainScore | None = None

    def readings(self) -> list[int]:
        return [
            v for v in (self.morning_pain, self.pain_stairs, self.pain_sitting) if v is not None
        ]


def editable(day: dt.date, today: dt.date) -> bool:
    """May a session dated `day` still be edited or undone `today`?"""
    return 0 <= (today - day).days <= EDIT_DAYS


@dataclass(frozen=True)
class Logged:
    """A stored session as the runner sees it: `id` names it across its versions (an edit
    adds a version, the engine replays the latest), `version` counts them from 1."""

    id: int
    log: SessionLog
    saved_at: dt.datetime
    version: int = 1
    deleted: bool = False

    def to_dict(self, today: dt.date) -> dict[str, object]:
        return {
            "id": self.id,
            "version": self.version,
            "saved_at": self.saved_at.isoformat().replace("+00:00", "Z"),
            "editable": editable(self.log.date, today) and not self.deleted,
            "deleted": self.deleted,
            "session": self.log.model_dump(mode="json"),
        }
