"""The calendar window Kneecap accepts, with `today` passed in.

A programme starts within a year either side of today; a log (session, check-in, AKPS, entry
check) is dated from the programme's start to tomorrow at the latest (a runner a time zone ahead
of the machine); a day to show (a plan week, another day's session) lies within a year either
side of today. Bounding every date keeps it far from `date.min`/`date.max` (no OverflowError) and
keeps the calendar span that plans and progress walk through about the size of the data.

Each check returns None when the date is fine, else the reason, starting with the field's name.
"""

from __future__ import annotations

import datetime as dt

WINDOW_DAYS = 366  # a year either side of today, a leap day included
AHEAD_DAYS = 1  # a log may be dated tomorrow: the runner's clock may be a time zone ahead


def _window(today: dt.date) -> tuple[dt.date, dt.date]:
    span = dt.timedelta(days=WINDOW_DAYS)
    return today - span, today + span


def start_problem(start: dt.date, today: dt.date, field: str = "start_date") -> str | None:
    """A programme's start date: within a year either side of today."""
    earliest, latest = _window(today)
    if start < earliest:
        return f"{field}: {start.isoformat()} is more than a year ago (the earliest allowed is {earliest.isoformat()})"
    if start > latest:
        return f"{field}: {start.isoformat()} is more than a year ahead (the latest allowed is {latest.isoformat()})"
    return None


def log_problem(
    day: dt.date, start: dt.date | None, today: dt.date, field: str = "date"
) -> str | None:
    """A logged day: not in the future (tomorrow at most), not before the programme's `start`."""
    latest = today + dt.timedelta(days=AHEAD_DAYS)
    if day > latest:
        return f"{field}: {day.isoformat()} is in the future (the latest allowed is {latest.isoformat()})"
    if start is not None and day < start:
        return f"{field}: {day.isoformat()} is before your programme's start ({start.isoformat()})"
    return None


def view_problem(day: dt.date, today: dt.date, field: str = "date") -> str | None:
    """A day to show: within a year either side of today."""
    earliest, latest = _window(today)
    if not earliest <= day <= latest:
        return f"{field}: {day.isoformat()} is outside the dates shown ({earliest.isoformat()} to {latest.isoformat()})"
    return None
