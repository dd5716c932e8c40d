"""How the knee has been lately, from the logged history: the readings that advice, phase
criteria and the return-to-run entry check all read, so each says the same thing.

A window only "shows" something when it is covered: a claim about two weeks needs check-ins
spread over those two weeks, not one good morning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from kneecap.core.history import CheckIn, SessionLog

# A window is covered when its first check-in is no later than this many days after the window
# opens, and at least this share of its days have a check-in.
COVER_START_DAYS = 2
COVER_SHARE = 0.5

T = TypeVar("T", CheckIn, SessionLog)


@dataclass(frozen=True)
class Window:
    """Every pain reading in the `days` up to and including `today`."""

    days: int
    checkins: tuple[CheckIn, ...]
    sessions: tuple[SessionLog, ...]
    today: dt.date

    @property
    def first_day(self) -> dt.date:
        return self.today - dt.timedelta(days=self.days - 1)

    @property
    def covered(self) -> bool:
        """Check-ins spread over the whole window (see COVER_*)."""
        if not self.checkins:
            return False
        first = min(c.date for c in self.checkins)
        return (first - self.first_day).days <= COVER_START_DAYS and len(
            self.checkins
        ) >= COVER_SHARE * self.days

    @property
    def readings(self) -> list[int]:
        """Morning, stairs and sitting pain from check-ins; pain during and after sessions."""
        values = [r for c in self.checkins for r in c.readings()]
        for s in self.sessions:
            values += [e.pain_during for e in s.entries]
            values += [s.pain_after] if s.pain_after is not None else []
        return values

    @property
    def morning(self) -> list[int]:
        return [c.morning_pain for c in self.checkins]

    @property
    def session_pain(self) -> list[int]:
        values = [e.pain_during for s in self.sessions for e in s.entries]
        return values + [s.pain_after for s in self.sessions if s.pain_after is not None]

    @property
    def worst(self) -> int | None:
        values = self.readings
        return max(values) if values else None

    @property
    def swelling(self) -> bool:
        return any(c.swelling for c in self.checkins)

    @property
    def limp(self) -> bool:
        return any(c.limp for c in self.checkins)

    def at_most(self, pain: int) -> bool:
        """Covered, and no reading above `pain`."""
        worst = self.worst
        return self.covered and worst is not None and worst <= pain


def window(
    checkins: Sequence[CheckIn], sessions: Sequence[SessionLog], today: dt.date, days: int
) -> Window:
    """The readings of the last `days` days up to `today` (inputs in date order)."""
    first = today - dt.timedelta(days=days - 1)
    return Window(
        days,
        tuple(c for c in _tail(checkins, first) if c.date <= today),
        tuple(s for s in _tail(sessions, first) if s.date <= today),
        today,
    )


def _tail(records: Sequence[T], first: dt.date) -> list[T]:
    """The records on or after `first`, reading back from the end (records are in date order),
    so the cost grows with the window, not with the history."""
    out: list[T] = []
    for r in reversed(records):
        if r.date < first:
            break
        out.append(r)
    out.reverse()
    return out
