"""The same run from two files, one cut short, is kept once and the fuller copy wins: whichever
arrives first, the runner's run list holds one run, with the full distance, under one id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecap.app import Clock, Home, activities, profile
from kneecap.app.home import opened
from kneecap.settings import Settings
from tests.activities import gpx_run
from tests.conftest import START, make_profile

CLOCK = Clock(START)
RUN_START = dt.datetime(2026, 12, 5, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def home(tmp_path: Path, db_url: str) -> Iterator[Home]:
    """A runner's home in a new database, on SQLite and on PostgreSQL."""
    settings = Settings(tmp_path, db_url, clock=CLOCK)
    with opened(settings, CLOCK) as found:
        profile.save_profile(found, make_profile())
        yield found


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def cut_short(km: float) -> bytes:
    """A copy taken before the watch finished: the first `km`, its sport lost."""
    return gpx_run(RUN_START, km).replace(b"<type>running</type>", b"")


def test_a_fuller_copy_replaces_the_cut_short_one(home: Home, tmp_path: Path) -> None:
    short = write(tmp_path, "short.gpx", cut_short(2.0))
    assert activities.import_files(home, [short]).imported == 1
    (first,) = activities.runs(home)
    full = write(tmp_path, "full.gpx", gpx_run(RUN_START, 6.0))
    report = activities.import_files(home, [full])
    assert (report.imported, report.duplicates) == (1, 0)
    (kept,) = activities.runs(home)
    assert kept.id == first.id
    assert kept.sport.value == "running"
    assert kept.summary.distance_m == pytest.approx(6000, rel=0.02)
    assert kept.file.endswith("full.gpx")


def test_a_cut_short_copy_after_the_full_one_is_a_duplicate(home: Home, tmp_path: Path) -> None:
    full = write(tmp_path, "full.gpx", gpx_run(RUN_START, 6.0))
    activities.import_files(home, [full])
    report = activities.import_files(home, [write(tmp_path, "short.gpx", cut_short(2.0))])
    assert (report.imported, report.duplicates) == (0, 1)
    (kept,) = activities.runs(home)
    assert kept.summary.distance_m == pytest.approx(6000, rel=0.02)


def test_two_runs_starting_hours_apart_are_both_kept(home: Home, tmp_path: Path) -> None:
    later = RUN_START + dt.timedelta(hours=5)
    activities.import_files(home, [write(tmp_path, "a.gpx", gpx_run(RUN_START, 3.0))])
    activities.import_files(home, [write(tmp_path, "b.gpx", gpx_run(later, 6.0))])
    assert len(activities.runs(home)) == 2


def test_a_cycle_and_a_run_starting_together_are_not_copies(home: Home, tmp_path: Path) -> None:
    ride = gpx_run(RUN_START, 3.0).replace(b"<type>running</type>", b"<type>cycling</type>")
    activities.import_files(home, [write(tmp_path, "ride.gpx", ride)])
    activities.import_files(home, [write(tmp_path, "run.gpx", gpx_run(RUN_START, 6.0))])
    assert sorted(r.sport.value for r in activities.runs(home)) == ["cycling", "running"]
