"""A runner on the return-to-run ladder in a test server, through the use cases a runner's
history would have gone through: a hundred days of band work and settled mornings at 1/10, one
run from before the injury with its cadence (the baseline of CAD-1), and the entry check
(RTR-ENTRY) passed on the server's today. The next day carries the ladder's first run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kneecap.app.activities import import_files
from kneecap.app.diary import log_sessions, record_checkins
from kneecap.app.profile import save_profile
from kneecap.app.rtr import record_entry_check
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.rtr import EntryCheck
from tests.activities import gpx_run
from tests.conftest import START, entry_check_data, make_profile
from tests.e2e.conftest import Server

DIARY_DAYS = 100
BAND_DAY = ["straight-leg-raise", "glute-bridge", "clamshell", "wall-sit", "lateral-band-walk"]
BASELINE_SPM = 160  # the run before the injury: 80 strides a minute per leg
RUN_DAY = START + dt.timedelta(days=1)  # a Tuesday: the ladder's first run


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def ladder_runner(server: Server, tmp: Path, checked_in: bool = False) -> None:
    """Put the server's runner on the ladder and move its today to the first run day; with
    `checked_in`, that morning's check-in is made too."""
    home = server.app.state.ctx.home
    save_profile(home, make_profile(start_date=day(-DIARY_DAYS).isoformat()))
    dates = [day(-n) for n in range(DIARY_DAYS, 0, -1)]
    sessions = [
        SessionLog(date=d, entries=tuple(Entry(exercise=e, pain_during=1) for e in BAND_DAY))
        for d in dates[::2]
    ]
    log_sessions(home, sessions)
    record_checkins(home, [CheckIn(date=d, morning_pain=1) for d in [*dates, START]])
    before = dt.datetime.combine(day(-DIARY_DAYS + 5), dt.time(7), tzinfo=dt.UTC)
    path = tmp / "before-the-injury.gpx"
    path.write_bytes(gpx_run(before, 5, cadence=BASELINE_SPM // 2))
    report = import_files(home, [path])
    assert report.imported == 1, report
    record_entry_check(home, EntryCheck.model_validate(entry_check_data()))
    server.set_today(RUN_DAY.isoformat())
    if checked_in:
        record_checkins(server.app.state.ctx.home, [CheckIn(date=RUN_DAY, morning_pain=1)])
