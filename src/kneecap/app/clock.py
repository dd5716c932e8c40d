"""Today and now, read once at the edge and passed inward (`KNEECAP_TODAY` pins the date for
demos and tests, `KNEECAP_TZ` the runner's zone): no module reads the environment on a hot path."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Clock:
    """Today and now, from a pinned date or the system clock."""

    pinned: dt.date | None = None
    zone_name: str | None = None  # an IANA zone for runs' local dates, else the machine's

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Clock:
        """Read once at the edge: `KNEECAP_TODAY=YYYY-MM-DD` pins the date, `KNEECAP_TZ` the
        zone. A malformed date is a ValueError naming the variable."""
        pinned = environ.get("KNEECAP_TODAY")
        try:
            day = dt.date.fromisoformat(pinned) if pinned else None
        except ValueError:
            raise ValueError(f"KNEECAP_TODAY: {pinned!r} is not a date (YYYY-MM-DD)") from None
        return cls(day, environ.get("KNEECAP_TZ") or None)

    def today(self) -> dt.date:
        """The runner's local calendar date (plans are in local days)."""
        if self.pinned is not None:
            return self.pinned
        return dt.datetime.now().astimezone().date()

    def now(self) -> dt.datetime:
        """The current time in UTC (noon of the pinned date when pinned)."""
        if self.pinned is not None:
            return dt.datetime.combine(self.pinned, dt.time(12), tzinfo=dt.UTC)
        return dt.datetime.now(dt.UTC)

    def zone(self) -> dt.tzinfo:
        """The runner's time zone, for the local date of a run."""
        if self.zone_name:
            from zoneinfo import ZoneInfo

            return ZoneInfo(self.zone_name)
        zone = dt.datetime.now().astimezone().tzinfo
        return zone if zone is not None else dt.UTC
