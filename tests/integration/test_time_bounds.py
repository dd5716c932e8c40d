"""Every date the CLI takes is bounded (`core.dates`): a programme starts within a year either
side of today, logs fall between its start and tomorrow, a day to show within a year of today.
A date out of bounds is exit 2 with the reason, never a traceback, and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, profile_data


def init(cli: Cli, tmp_path: Path, **changes: object) -> int:
    file = tmp_path / "profile.json"
    file.write_text(json.dumps(profile_data(**changes)))
    return cli("init", "--profile", str(file)).code


@pytest.mark.parametrize("start", ["0001-01-01", "1926-05-01", "2025-12-05", "9999-12-31"])
def test_init_refuses_a_start_date_more_than_a_year_away(
    cli: Cli, tmp_path: Path, start: str
) -> None:
    file = tmp_path / "profile.json"
    file.write_text(json.dumps(profile_data(start_date=start)))
    r = cli("init", "--profile", str(file))
    assert r.code == 2, r.err
    assert "start_date" in r.err
    assert "a year" in r.err
    assert "Traceback" not in r.err
    assert cli("profile", "show").code == 1  # nothing stored


def test_init_accepts_a_start_date_a_year_ago(cli: Cli, tmp_path: Path) -> None:
    assert init(cli, tmp_path, start_date="2025-12-07") == 0


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "2028-01-01"])
def test_profile_set_refuses_a_start_date_more_than_a_year_away(
    cli: Cli, tmp_path: Path, start: str
) -> None:
    assert init(cli, tmp_path) == 0
    r = cli("profile", "set", "start_date", start)
    assert r.code == 2, r.err
    assert "start_date" in r.err
    assert json.loads(cli("profile", "show", "--json").out)["start_date"] == "2026-12-07"


def test_profile_set_start_date_that_does_not_exist_exits_2_with_the_reason(
    cli: Cli, tmp_path: Path
) -> None:
    assert init(cli, tmp_path) == 0
    r = cli("profile", "set", "start_date", "2026-02-30")
    assert r.code == 2, r.err
    assert "Traceback" not in r.err
    assert "start_date" in r.err


def test_another_field_can_change_whatever_the_stored_start(cli: Cli, tmp_path: Path) -> None:
    assert init(cli, tmp_path, start_date="2025-12-07") == 0
    cli.today = "2027-06-01"  # the programme is now more than a year old
    r = cli("profile", "set", "availability.minutes_per_session", "30")
    assert r.code == 0, r.err


def test_a_checkin_before_the_programme_start_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert init(cli, tmp_path) == 0
    r = cli("checkin", "--morning-pain", "2", "--date", "2026-12-06")
    assert r.code == 2, r.err
    assert "before your programme's start (2026-12-07)" in r.err
    assert json.loads(cli("progress", "--json").out)["weeks"][0]["morning"] is None


def test_a_checkin_in_year_one_or_far_ahead_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert init(cli, tmp_path) == 0
    for day in ("0001-01-01", "9999-12-31", "2026-12-09"):
        r = cli("checkin", "--morning-pain", "2", "--date", day)
        assert r.code == 2, r.err
        assert "Traceback" not in r.err


def test_a_session_file_dated_before_the_start_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert init(cli, tmp_path) == 0
    log = tmp_path / "log.json"
    entry = {"exercise": "glute-bridge", "pain_during": 1}
    log.write_text(json.dumps({"date": "2020-01-01", "entries": [entry]}))
    r = cli("log", "--file", str(log))
    assert r.code == 2, r.err
    assert "date: 2020-01-01 is before your programme's start" in r.err


def test_an_akps_before_a_programme_that_starts_next_month_is_refused(
    cli: Cli, tmp_path: Path
) -> None:
    assert init(cli, tmp_path, start_date="2027-01-04") == 0
    answers = tmp_path / "akps.json"
    answers.write_text(json.dumps({"answers": [0, 0, 1, 1, 1, 2, 1, 1, 1, 1, 0, 0, 0]}))
    r = cli("akps", "--answers", str(answers))
    assert r.code == 2, r.err
    assert "before your programme's start (2027-01-04)" in r.err


def test_a_second_akps_the_same_day_replaces_the_first_and_compares_with_earlier_days(
    cli: Cli, tmp_path: Path
) -> None:
    assert init(cli, tmp_path) == 0
    answers = tmp_path / "akps.json"
    answers.write_text(json.dumps({"answers": [0] * 13}))
    assert cli("akps", "--answers", str(answers), "--json").code == 0
    answers.write_text(json.dumps({"answers": [1] * 13}))
    again = json.loads(cli("akps", "--answers", str(answers), "--json").out)
    assert again["previous"] is None  # today's first result is replaced, not compared with
    results = json.loads(cli("progress", "--json").out)["akps"]["results"]
    assert [r["date"] for r in results] == ["2026-12-07"]
    assert results[0]["score"] == again["score"]


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--from", "9999-12-31"),
        ("plan", "--from", "0001-01-01"),
        ("today", "--date", "9999-12-31"),
        ("today", "--date", "0001-01-01"),
    ],
)
def test_plan_and_today_refuse_days_far_from_today(
    cli: Cli, tmp_path: Path, args: tuple[str, ...]
) -> None:
    assert init(cli, tmp_path) == 0
    r = cli(*args)
    assert r.code == 2, r.err
    assert "Traceback" not in r.err
    assert "outside the dates shown" in r.err
