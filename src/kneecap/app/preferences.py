"""A runner's preferences: the reminder time, the units distances are shown in, and the
colour theme. They are not clinical data: changing them re-plans nothing and keeps no history
(one row per person, replaced); without one the defaults hold.

`reminder_time(home)` is what the calendar reminders read."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput

UNITS = {"km": "kilometres", "mi": "miles"}
THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
DEFAULT_REMINDER = dt.time(18, 0)
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class Preferences:
    reminder_time: dt.time = DEFAULT_REMINDER
    units: str = "km"
    theme: str = "system"

    def to_dict(self) -> dict[str, str]:
        return {**asdict(self), "reminder_time": self.reminder_time.strftime("%H:%M")}

    @property
    def unit(self) -> str:
        """The short unit name: "km" or "mi"."""
        return self.units


DEFAULTS = Preferences()


def parse_time(text: str, field: str = "reminder_time") -> dt.time:
    """ "HH:MM" (24-hour) as a time; seconds, if a browser sends them, are dropped. BadInput
    otherwise."""
    found = _TIME.fullmatch(text.strip()[:5]) if len(text.strip()) in (5, 8) else None
    if found is None:
        raise BadInput(f"{field}: give a time of day as hours and minutes, like 18:00")
    return dt.time(int(found.group(1)), int(found.group(2)))


def checked(reminder_time: str, units: str, theme: str) -> Preferences:
    """The preferences as typed, every problem named by its field (BadInput)."""
    problems: list[str] = []
    reminder = DEFAULT_REMINDER
    try:
        reminder = parse_time(reminder_time)
    except BadInput as bad:
        problems.extend(bad.problems)
    if units not in UNITS:
        problems.append("units: choose kilometres or miles")
    if theme not in THEMES:
        problems.append("theme: choose light, dark or follow the system")
    if problems:
        raise BadInput(*problems)
    return Preferences(reminder, units, theme)


def preferences(home: Home) -> Preferences:
    """The runner's preferences, or the defaults when none are stored (or a stored value is no
    longer understood)."""
    require(home.actor, Action.READ, home.person)
    stored = home.store.preferences(home.person)
    if stored is None:
        return DEFAULTS
    try:
        return checked(stored["reminder_time"], stored["units"], stored["theme"])
    except BadInput:
        return DEFAULTS


def reminder_time(home: Home) -> dt.time:
    """When the runner wants to be reminded of a session, local time (18:00 by default)."""
    return preferences(home).reminder_time


def save_preferences(home: Home, prefs: Preferences) -> Preferences:
    """Store the runner's preferences, replacing the earlier ones."""
    require(home.actor, Action.EDIT_PROFILE, home.person)
    checked(prefs.reminder_time.strftime("%H:%M"), prefs.units, prefs.theme)
    with home.store.transaction(home.person) as w:
        w.set_preferences(prefs.to_dict(), home.clock.now())
    return prefs
