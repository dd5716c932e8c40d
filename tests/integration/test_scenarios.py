"""Weeks of use: the adaptive programme as runners live it (issue scenarios).

The adaptive scenarios (weeks of diaries) run against the use cases directly (`tests/runner.py`:
a real SQLite file, a pinned clock, milliseconds a step); the rest drive the `kneecap` command
(tests/conftest.py `cli`): files as a runner's diary would be, the red-flag hold, bad input, AKPS
and progress; the guided session is the console script in a child process, answered prompt by
prompt and interrupted with a real Ctrl-C (tests/terminal.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import START, Cli, profile_data
from tests.runner import Runner
from tests.terminal import converse


def iso(n: int) -> str:
    return (START + dt.timedelta(days=n)).isoformat()


Driver = Cli | Runner  # the command, or the use cases directly (tests/runner.py)


def start(cli: Driver, tmp_path: Path, **changes: Any) -> None:
    if isinstance(cli, Runner):
        cli.init(profile_data(**changes))
        return
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(profile_data(**changes)), encoding="utf-8")
    assert cli("init", "--profile", str(path)).code == 0


def log(
    cli: Driver, tmp_path: Path, sessions: list[dict[str, Any]], checkins: list[dict[str, Any]]
) -> None:
    """Log a diary of sessions and check-ins, as of the day after its last entry."""
    latest = max(r["date"] for r in sessions + checkins)
    cli.today = max(cli.today, latest)
    if isinstance(cli, Runner):
        cli.log(sessions, checkins)
        return
    s, c = tmp_path / "sessions.json", tmp_path / "checkins.json"
    s.write_text(json.dumps(sessions), encoding="utf-8")
    c.write_text(json.dumps(checkins), encoding="utf-8")
    r = cli("log", "--file", str(s))
    assert r.code == 0, r.err
    if checkins:
        r = cli("checkin", "--file", str(c))
        assert r.code in (0, 3), r.err


def entries(names: list[str], pain: int = 1, **kw: Any) -> list[dict[str, Any]]:
    return [{"exercise": n, "pain_during": pain, **kw} for n in names]


def plan_json(cli: Driver, date: int, weeks: int = 1) -> dict[str, Any]:
    if isinstance(cli, Runner):
        return cli.plan(START + dt.timedelta(days=date), weeks)
    r = cli("plan", "--json", "--from", iso(date), "--weeks", str(weeks))
    assert r.code in (0, 3), r.err
    return dict(json.loads(r.out))


def items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for d in plan["days"] for s in d["sessions"] for i in s["items"]]


def why(cli: Driver) -> list[dict[str, Any]]:
    if isinstance(cli, Runner):
        return cli.why()
    r = cli("why", "--json")
    assert r.code == 0, r.err
    return list(json.loads(r.out))


CORE = ["straight-leg-raise", "glute-bridge", "clamshell", "wall-sit"]


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    return Runner(tmp_path / "home", START.isoformat())


def test_an_improving_runner_progresses_to_band_work(runner: Runner, tmp_path: Path) -> None:
    cli = runner
    start(cli, tmp_path, pain={"worst_last_week": 3})
    days = list(range(0, 84, 2))  # every other day for twelve weeks, all well tolerated
    log(
        cli,
        tmp_path,
        [{"date": iso(d), "entries": entries(CORE), "pain_after": 1} for d in days],
        [{"date": iso(d + 1), "morning_pain": 1, "stiffness": 1} for d in days],
    )
    cli.today = iso(85)
    plan = plan_json(cli, 85, 2)
    assert plan["phase"] == "build"
    used = {i["exercise"] for i in items(plan)}
    assert used & {"lateral-band-walk", "monster-walk", "band-squat"}
    decisions = why(cli)
    assert any(d["to_phase"] == "build" and d["rule"] == "KC-PHASE-BUILD" for d in decisions)
    progressed = [
        d for d in decisions if d["action"] == "progress" and d["exercise"] == "glute-bridge"
    ]
    assert progressed
    assert all(
        "settled by the next morning" in d["reason"] for d in progressed if not d["to_exercise"]
    )
    assert [i for i in items(plan) if i["load"] == "band"]  # R7: bodyweight -> band
    assert any(i["decision"] is not None for i in items(plan))


def test_a_flaring_runner_regresses_and_then_recovers(runner: Runner, tmp_path: Path) -> None:
    cli = runner
    start(cli, tmp_path, pain={"worst_last_week": 3})
    good = [{"date": iso(d), "entries": entries(CORE)} for d in (0, 2, 4, 6)]
    mornings = [{"date": iso(d + 1), "morning_pain": 1} for d in (0, 2, 4, 6)]
    flare = [{"date": iso(8), "entries": entries(CORE, pain=7)}]
    log(cli, tmp_path, good + flare, [*mornings, {"date": iso(9), "morning_pain": 4}])
    cli.today = iso(9)
    plan = plan_json(cli, 10)
    assert plan["phase"] == "strengthen"  # one bad day is one flare-up, not a phase back
    after_flare = {i["exercise"]: i for i in items(plan)}
    assert after_flare["glute-bridge"]["decision"]["action"] == "regress"
    assert after_flare["glute-bridge"]["reps"] == 12  # two steps down: pain during, worse morning
    recovery = [{"date": iso(d), "entries": entries(CORE)} for d in range(10, 30, 2)]
    log(
        cli, tmp_path, recovery, [{"date": iso(d + 1), "morning_pain": 1} for d in range(10, 30, 2)]
    )
    cli.today = iso(31)
    recovered = {i["exercise"]: i for i in items(plan_json(cli, 31, 1))}
    assert recovered["glute-bridge"]["reps"] > 12
    regress_day = iso(9)
    assert any(
        d["exercise"] == "glute-bridge" and d["action"] == "progress" and d["date"] > regress_day
        for d in why(cli)
    )


def test_sharp_pain_on_step_ups_leads_to_low_step_ups_then_a_clinician(
    runner: Runner, tmp_path: Path
) -> None:
    cli = runner
    start(cli, tmp_path, pain={"worst_last_week": 2})
    log(cli, tmp_path, [{"date": iso(2), "entries": entries(["step-up"], pain=4, sharp=True)}], [])
    cli.today = iso(3)
    plan = plan_json(cli, 3)
    used = {i["exercise"] for i in items(plan)}
    assert "low-step-up" in used
    assert "step-up" not in used
    latest = why(cli)[0]
    assert (latest["action"], latest["rule"], latest["to_exercise"]) == (
        "substitute",
        "PMM-SHARP",
        "low-step-up",
    )
    log(
        cli,
        tmp_path,
        [{"date": iso(4), "entries": entries(["low-step-up"], pain=4, sharp=True)}],
        [],
    )
    cli.today = iso(5)
    plan = plan_json(cli, 5)
    used = {i["exercise"] for i in items(plan)}
    assert not used & {"step-up", "low-step-up"}
    assert any(n["rule"] == "PMM-SHARP" and "physiotherapist" in n["text"] for n in plan["notes"])
    assert why(cli)[0]["action"] == "stop"


def test_a_runner_who_stops_for_ten_days_restarts_lower(runner: Runner, tmp_path: Path) -> None:
    cli = runner
    start(cli, tmp_path, pain={"worst_last_week": 2})
    days = [0, 2, 4, 6]
    log(
        cli,
        tmp_path,
        [{"date": iso(d), "entries": entries(["glute-bridge"])} for d in days],
        [{"date": iso(d + 1), "morning_pain": 1} for d in days],
    )
    cli.today = iso(7)
    before = next(i for i in items(plan_json(cli, 7)) if i["exercise"] == "glute-bridge")
    cli.today = iso(16)
    after = next(i for i in items(plan_json(cli, 16)) if i["exercise"] == "glute-bridge")
    assert (before["sets"], before["reps"]) == (3, 15)
    assert (after["sets"], after["reps"]) == (3, 14)
    assert after["decision"]["rule"] == "KC-GAP"
    assert "10 days since your last session" in after["decision"]["reason"]


def test_a_new_red_flag_at_check_in_withholds_the_plan(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    r = cli("checkin", "--morning-pain", "3", "--swelling")
    assert r.code == 3
    assert "on hold" in r.out
    r = cli("plan", "--json")
    assert r.code == 3
    assert json.loads(r.out)["referral"]["needed"] is True
    assert cli("clearance", "--clinician", "Dr Okafor").code == 0
    assert cli("plan", "--json").code == 0


def test_bad_logs_are_refused_and_store_nothing(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    bad = [
        ({"date": iso(0), "entries": entries(["glute-bridge"], pain=11)}, "entries.0.pain_during"),
        ({"date": iso(0), "entries": entries(["no-such-move"])}, "unknown exercise 'no-such-move'"),
        ({"date": iso(5), "entries": entries(["glute-bridge"])}, "is in the future"),
        ({"date": iso(0), "entries": []}, "entries"),
        ({"date": iso(0), "entries": entries(["glute-bridge"], difficulty="brutal")}, "difficulty"),
    ]
    for record, message in bad:
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        r = cli("log", "--file", str(path))
        assert r.code == 2, (record, r.err)
        assert message in r.err
        assert "Traceback" not in r.err
    (tmp_path / "broken.yaml").write_text("date: [2026-12-07\n", encoding="utf-8")
    r = cli("log", "--file", str(tmp_path / "broken.yaml"))
    assert r.code == 2
    assert "line" in r.err
    for args in (
        ["--morning-pain", "11"],
        ["--morning-pain", "-1"],
        ["--morning-pain", "2", "--date", iso(9)],
    ):
        r = cli("checkin", *args)
        assert r.code == 2, args
        assert "Traceback" not in r.err
    assert why(cli) == []
    progress = json.loads(cli("progress", "--json").out)
    assert all(w["done"] == 0 for w in progress["weeks"])
    assert all(w["morning"] is None for w in progress["weeks"])


def test_akps_from_a_file_reports_change_and_meaning(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    path = tmp_path / "akps.json"
    path.write_text(
        json.dumps({"answers": [1, 1, 2, 2, 2, 3, 2, 2, 2, 2, 0, 1, 1]}), encoding="utf-8"
    )
    first = json.loads(cli("akps", "--answers", str(path), "--json").out)
    assert first == {
        "date": iso(0),
        "score": 55,
        "previous": None,
        "change": None,
        "meaningful": False,
        "warnings": [],
    }
    path.write_text(
        json.dumps({"answers": [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]}), encoding="utf-8"
    )
    cli.today = iso(21)
    second = json.loads(cli("akps", "--answers", str(path), "--json").out)
    assert (second["score"], second["previous"], second["change"], second["meaningful"]) == (
        86,
        55,
        31,
        True,
    )
    path.write_text(json.dumps({"answers": [0] * 12}), encoding="utf-8")
    r = cli("akps", "--answers", str(path))
    assert r.code == 2
    assert "expected 13 answers" in r.err
    progress = json.loads(cli("progress", "--json").out)
    assert [a["score"] for a in progress["akps"]["results"]] == [55, 86]


def test_progress_shows_trends_adherence_and_the_next_phase(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path, pain={"worst_last_week": 8})
    log(
        cli,
        tmp_path,
        [{"date": iso(d), "entries": entries(["glute-bridge"], pain=2)} for d in (0, 2, 4)],
        [{"date": iso(d), "morning_pain": 5 - d // 3} for d in range(1, 8)],
    )
    cli.today = iso(7)
    data = json.loads(cli("progress", "--json").out)
    assert data["phase"] == "settle"
    assert data["next_phase"]["to"] == "strengthen"
    assert data["weeks"][0]["done"] == 3
    assert data["weeks"][0]["planned"] >= 3
    assert data["weeks"][0]["worst"] == 5
    human = cli("progress")
    assert human.code == 0
    assert "Morning pain" in human.out
    assert "Week by week" in human.out


def guided_answer(prompt: str) -> str:
    """A runner doing the session: a little pain, never sharp, the doses as prescribed."""
    if "Pain" in prompt:
        return "1"
    if "sharp" in prompt:
        return "n"
    return ""  # the prescribed amounts, "ok" effort, Enter to start a hold


def session_env(cli: Cli) -> dict[str, str]:
    return {
        **os.environ,
        "KNEECAP_HOME": str(cli.home),
        "KNEECAP_TODAY": cli.today,
        "KNEECAP_TIMER_SPEED": "1000",
    }


def test_the_guided_session_saves_a_partial_session_on_ctrl_c(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    exe = str(Path(sys.executable).parent / "kneecap")
    # Ctrl-C at a prompt once two exercises are answered: the session is surely running.
    talk = converse([exe, "session"], session_env(cli), guided_answer, interrupt_after=12)
    assert "Partial session saved" in talk.out, talk.err
    sessions = json.loads(cli("progress", "--json").out)["weeks"][0]["done"]
    assert sessions == 1


def test_the_guided_session_runs_to_the_end_and_logs_every_item(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    exe = str(Path(sys.executable).parent / "kneecap")
    talk = converse([exe, "session"], session_env(cli), guided_answer)
    assert talk.code == 0, talk.err
    assert "Session saved" in talk.out
    assert "Hold" in talk.out  # a countdown ran for the wall sit and the stretches
    today = json.loads(cli("today", "--json").out)
    planned = len(today["sessions"][0]["items"])
    assert f"({planned} of {planned} exercises)" in talk.out
    pain_prompts = [p for p in talk.prompts if "Pain" in p]
    assert len(pain_prompts) == planned + 1  # each exercise and the session, none assumed


def test_pressing_enter_never_answers_a_pain_question(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    exe = str(Path(sys.executable).parent / "kneecap")
    # Enter at every prompt, then Ctrl-C: the first exercise's pain question comes back
    talk = converse([exe, "session"], session_env(cli), lambda p: "", interrupt_after=5)
    pain = [p for p in talk.prompts if "Pain" in p]
    assert len(pain) >= 2  # asked again, not taken as 0
    assert all("[0]" not in p for p in pain)
    assert "Session saved" not in talk.out


def test_the_interactive_akps_scores_the_answers_given(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    r = cli(
        "akps",
        input="\n".join(["0", "0", "0", "1", "1", "1", "1", "1", "1", "1", "0", "0", "9", "0"])
        + "\n",
    )
    assert r.code == 0, r.err
    assert "AKPS 86/100" in r.out  # the out-of-range "9" was asked again
