"""The preferences use case: the defaults (a reminder at 18:00) until a save, then one row per
person, replaced by the next save."""

from __future__ import annotations

import datetime as dt

from kneecap.app import preferences as p
from kneecap.app.clock import Clock
from kneecap.app.home import home_for, open_store
from kneecap.settings import Settings


def test_preferences_default_then_replace(tmp_path):
    s = Settings.resolve(tmp_path / "h", None)
    store = open_store(s)
    home = home_for(store, s, Clock(dt.date(2026, 1, 1)))
    assert p.reminder_time(home) == dt.time(18)
    p.save_preferences(home, p.Preferences(dt.time(7, 5), "mi", "dark"))
    assert p.preferences(home) == p.Preferences(dt.time(7, 5), "mi", "dark")
    p.save_preferences(home, p.Preferences(dt.time(7, 6), "km", "light"))
    assert p.reminder_time(home) == dt.time(7, 6)
    store.close()


def test_a_reminder_time_is_hours_and_minutes() -> None:
    import pytest

    from kneecap.app import BadInput

    assert p.parse_time("06:45") == dt.time(6, 45)
    assert p.parse_time("06:45:00") == dt.time(6, 45)
    for bad in ("25:00", "6pm", "", "12:60", "12:00:00:00"):
        with pytest.raises(BadInput, match="reminder_time"):
            p.parse_time(bad)
