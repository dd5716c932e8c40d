"""A runner who still runs before the walk/run ladder (core/running_advice.py) through the
use cases and the `kneecap` command: the plan's note, `kneecap rtr` and `kneecap today` say what
to do about running, judged from their runs and answers (PMM-1, PMM-2, PMM-4, KC-RUN-PAUSE)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kneecap.app import activities, read
from kneecap.app import rtr as rtr_cases
from tests.activities import gpx_run
from tests.conftest import START, Cli, profile_data
from tests.runner import Runner

GENERAL = "Running comes back through a walk/run ladder later"


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)


def runner_with_a_run(tmp_path: Path, today: dt.date, during: int, next_morning: int) -> Runner:
    """The runner's story: still running (20 km, 3 runs a week), a 5 km run uploaded and
    answered."""
    r = Runner(tmp_path, today.isoformat())
    r.init(profile_data(running={"currently_running": True, "weekly_km": 20, "runs_per_week": 3}))
    path = tmp_path / "run.gpx"
    path.write_bytes(gpx_run(at(START), km=5.0))
    with r.home() as home:
        activities.import_files(home, [path])
        (run,) = activities.runs(home)
        activities.answer_run(home, run.id, during, next_morning)
    return r


def test_a_next_morning_worse_than_the_run_cuts_back_in_the_plan_and_the_run_check(
    tmp_path: Path,
) -> None:
    r = runner_with_a_run(tmp_path, START + dt.timedelta(days=1), during=3, next_morning=5)
    with r.home() as home:
        status = rtr_cases.status(home)
        p = read.programme(home)
    notes = r.plan(START + dt.timedelta(days=1))["notes"]
    texts = [n["text"] for n in notes]
    assert not any(GENERAL in t for t in texts)  # the advice on their runs takes its place
    note = next(n for n in notes if n["text"].startswith("Cut back your running"))
    assert note["rule"] == "PMM-4"
    assert "Not running yet" not in status["headline"]
    assert status["headline"].startswith(f"You run on your own in the {p.status.phase.value} phase")
    own = status["own_running"]
    assert own["advice"] == "cut_back"
    assert own["reasons"][0] == {
        "rule": "PMM-2",
        "text": f"The morning after your run of {START.isoformat()} the knee was 5/10 against "
        "3/10 during the run: worse, not settled.",
    }
    assert "If running has to pause, the walk/run ladder is the way back" in own["ladder"]
    assert status["criteria"]  # what the ladder will need is still shown


def test_a_settled_run_keeps_running_in_the_plan(tmp_path: Path) -> None:
    r = runner_with_a_run(tmp_path, START + dt.timedelta(days=1), during=2, next_morning=1)
    notes = r.plan(START + dt.timedelta(days=1))["notes"]
    assert any(n["text"].startswith("You may keep running at about this load") for n in notes)


def test_kneecap_rtr_and_today_say_what_to_do_about_running(cli: Cli, tmp_path: Path) -> None:
    profile = tmp_path / "me.json"
    profile.write_text(
        json.dumps(
            profile_data(running={"currently_running": True, "weekly_km": 20, "runs_per_week": 3})
        )
    )
    assert cli("init", "--profile", str(profile)).code == 0
    path = tmp_path / "run.gpx"
    path.write_bytes(gpx_run(at(START), km=5.0))
    assert cli("import", str(path)).code == 0
    cli.today = (START + dt.timedelta(days=1)).isoformat()
    ids = [r["id"] for r in json.loads(cli("runs", "--json").out)]
    assert cli("runs", "pain", str(ids[0]), "--during", "3", "--next-morning", "5").code == 0
    rtr = cli("rtr")
    assert rtr.code == 0, rtr.err
    assert "Not running yet" not in rtr.out
    assert "You run on your own" in rtr.out
    assert "Cut back your running" in rtr.out
    assert "(PMM-2)" in rtr.out
    today = cli("today")
    assert today.code == 0, today.err
    assert "Your running:" in today.out
    assert "Cut back your running" in today.out
    data = json.loads(cli("today", "--json").out)
    assert data["running"]["advice"] == "cut_back"
    assert json.loads(cli("rtr", "--json").out)["own_running"]["advice"] == "cut_back"
