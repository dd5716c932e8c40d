"""A runner living through the use cases directly (`kneecap.app`): a real SQLite file and a
pinned clock, no CLI process per step. The adaptive scenarios run here in milliseconds; a thin
set of true end-to-end tests drives the `kneecap` console script in a child process
(tests/conftest.py `binary`), the rest of the command's tests call it in this process (`cli`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kneecap.app import Clock, Home, profile, read
from kneecap.app import diary as logs
from kneecap.app.home import opened
from kneecap.core import decisions
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.plan import plan_to_dict
from kneecap.core.profile import Profile
from kneecap.settings import Settings


class Runner:
    """The same questions `kneecap` answers (`plan --json`, `why --json`), asked of the use
    cases. `today` (YYYY-MM-DD, as the CLI's KNEECAP_TODAY) is the clock each call uses."""

    def __init__(self, folder: Path, today: str) -> None:
        self.folder = folder
        self.today = today

    @contextmanager
    def home(self) -> Iterator[Home]:
        clock = Clock(dt.date.fromisoformat(self.today))
        settings = Settings(self.folder, f"sqlite:///{self.folder / 'k.sqlite3'}", clock=clock)
        with opened(settings, clock) as found:
            yield found

    def init(self, data: dict[str, Any]) -> None:
        with self.home() as home:
            profile.save_profile(home, Profile.model_validate(data))

    def log(self, sessions: list[dict[str, Any]], checkins: list[dict[str, Any]]) -> None:
        with self.home() as home:
            if sessions:
                logs.log_sessions(home, [SessionLog.model_validate(s) for s in sessions])
            if checkins:
                logs.record_checkins(home, [CheckIn.model_validate(c) for c in checkins])

    def plan(self, first: dt.date, weeks: int = 1) -> dict[str, Any]:
        """As `kneecap plan --json --from FIRST --weeks N`."""
        with self.home() as home:
            p = read.programme(home)
        return plan_to_dict(p.plan(first, first + dt.timedelta(days=7 * weeks - 1)))

    def why(self) -> list[dict[str, Any]]:
        """As `kneecap why --json`: newest first, repeated holds collapsed."""
        with self.home() as home:
            p = read.programme(home)
        return [decisions.row_to_dict(r) for r in reversed(decisions.collapse(p.status.decisions))]
