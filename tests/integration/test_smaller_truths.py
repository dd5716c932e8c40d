"""Smaller truths through the `kneecap` command: `--json` prints JSON alone (the console script
in a child process, so nothing else written to its stdout can hide), `why` collapses repeated
holds into one row, `progress` counts sessions beyond the plan apart."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from kneecap.cli.app import app
from tests.activities import gpx_run
from tests.conftest import START, Cli, entry_check_data, profile_data

HARD = "It felt hard, so it stays the same until it feels manageable."
# Kujala answers with item 10 at "constant swelling": a red-flag prompt (CLINICAL AKPS).
SWOLLEN_AKPS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0]


def iso(n: int) -> str:
    return (START + dt.timedelta(days=n)).isoformat()


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data) if path.suffix == ".json" else yaml.safe_dump(data))
    return path


def start(cli: Cli, tmp_path: Path, **changes: Any) -> None:
    r = cli("init", "--profile", str(write(tmp_path / "profile.yaml", profile_data(**changes))))
    assert r.code == 0, r.err


def log(cli: Cli, tmp_path: Path, sessions: list[dict[str, Any]], checkins: list[Any]) -> None:
    """Log a diary of sessions and check-ins, as of its last day at the earliest."""
    cli.today = max([cli.today, *(r["date"] for r in sessions + checkins)])
    r = cli("log", "--file", str(write(tmp_path / "sessions.json", sessions)))
    assert r.code == 0, r.err
    if checkins:
        r = cli("checkin", "--file", str(write(tmp_path / "checkins.json", checkins)))
        assert r.code in (0, 3), r.err


def as_json(r: Any, *codes: int) -> Any:
    assert r.code in (codes or (0,)), r.err
    return json.loads(r.out)


# --- why: repeated holds are one row ----------------------------------------------------------


def held_for_eight_weeks(cli: Cli, tmp_path: Path) -> None:
    """A glute bridge logged every other day for 8 weeks, each time marked hard: held each time."""
    start(cli, tmp_path, pain={"worst_last_week": 3})
    days = range(0, 56, 2)
    bridge = [{"exercise": "glute-bridge", "pain_during": 1, "difficulty": "hard"}]
    log(
        cli,
        tmp_path,
        [{"date": iso(d), "entries": bridge, "pain_after": 1} for d in days],
        [{"date": iso(d + 1), "morning_pain": 1} for d in days],
    )
    cli.today = iso(56)


def test_eight_weeks_of_held_sessions_are_one_why_row_with_its_count_and_dates(
    cli: Cli, tmp_path: Path
) -> None:
    held_for_eight_weeks(cli, tmp_path)
    rows = as_json(cli("why", "--json"))
    holds = [r for r in rows if r["exercise"] == "glute-bridge" and r["reason"] == HARD]
    assert len(holds) == 1
    (row,) = holds
    assert (row["count"], row["first"], row["last"]) == (28, iso(0), iso(54))
    assert row["date"] == row["last"]
    assert (row["action"], row["rule"], row["to_phase"], row["to_exercise"]) == (
        "hold",
        "PMM-4",
        None,
        None,
    )
    human = cli("why")
    assert human.code == 0, human.err
    assert f"{iso(0)} to {iso(54)}" in human.out
    assert "hold ×28" in human.out
    assert human.out.count("It felt hard") == 1


def test_why_keeps_every_change_as_its_own_row_and_loses_no_decision(
    cli: Cli, tmp_path: Path
) -> None:
    start(cli, tmp_path, pain={"worst_last_week": 3})
    core = ["straight-leg-raise", "glute-bridge", "clamshell", "wall-sit"]
    days = range(0, 56, 2)
    log(
        cli,
        tmp_path,
        [
            {
                "date": iso(d),
                "entries": [{"exercise": e, "pain_during": 1} for e in core],
                "pain_after": 1,
            }
            for d in days
        ],
        [{"date": iso(d + 1), "morning_pain": 1} for d in days],
    )
    cli.today = iso(56)
    rows = as_json(cli("why", "--json"))
    assert all(r["count"] == 1 for r in rows if r["action"] != "hold" or r["to_phase"])
    assert any(r["action"] == "progress" for r in rows)
    assert sum(r["count"] for r in rows) == as_json(cli("progress", "--json"))["decisions"]
    assert [r["last"] for r in rows] == sorted((r["last"] for r in rows), reverse=True)


# --- progress: extra sessions counted apart ---------------------------------------------------


def test_sessions_beyond_the_plan_are_counted_apart_as_extra(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path, availability={"days": ["mon", "wed", "fri"], "minutes_per_session": 40})
    bridge = [{"exercise": "glute-bridge", "pain_during": 1}]
    # Monday twice (one more than planned), Wednesday, Friday, and Saturday (nothing planned).
    logged = [0, 0, 2, 4, 5]
    cli.today = iso(6)
    log(cli, tmp_path, [{"date": iso(d), "entries": bridge} for d in logged], [])
    (week,) = as_json(cli("progress", "--json"))["weeks"]
    assert (week["planned"], week["done"], week["extra"], week["adherence"]) == (3, 3, 2, 1.0)
    human = cli("progress")
    assert human.code == 0, human.err
    assert "3/3 (+2 extra)" in human.out


def test_done_never_counts_more_than_was_planned_on_a_day(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path, availability={"days": ["mon", "wed", "fri"], "minutes_per_session": 40})
    bridge = [{"exercise": "glute-bridge", "pain_during": 1}]
    cli.today = iso(6)
    log(cli, tmp_path, [{"date": iso(0), "entries": bridge}] * 3, [])
    (week,) = as_json(cli("progress", "--json"))["weeks"]
    assert (week["planned"], week["done"], week["extra"]) == (3, 1, 2)
    assert "1/3 (+2 extra)" in cli("progress").out


# --- akps: warnings inside the JSON, or on stderr ---------------------------------------------


def test_akps_json_carries_its_warnings_inside_the_json(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    r = cli(
        "akps", "--answers", str(write(tmp_path / "a.json", {"answers": SWOLLEN_AKPS})), "--json"
    )
    data = as_json(r)
    assert [(w["flag"], w["rule"]) for w in data["warnings"]] == [("swelling", "RF-URGENT")]
    assert "RF-URGENT" in data["warnings"][0]["text"]
    assert r.err == ""


def test_akps_warnings_go_to_stderr_in_human_mode(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    r = cli("akps", "--answers", str(write(tmp_path / "a.json", {"answers": SWOLLEN_AKPS})))
    assert r.code == 0, r.err
    assert "AKPS" in r.out
    assert "swelling" not in r.out
    assert "swelling" in r.err
    assert "RF-URGENT" in r.err


def test_akps_json_without_a_warning_has_an_empty_list(cli: Cli, tmp_path: Path) -> None:
    start(cli, tmp_path)
    r = cli("akps", "--answers", str(write(tmp_path / "a.json", {"answers": [0] * 13})), "--json")
    assert as_json(r)["warnings"] == []


# --- every --json command prints JSON alone ---------------------------------------------------


def json_commands() -> set[str]:
    """Every command of the CLI that takes `--json`, found in the app itself."""
    found: set[str] = set()

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if any("--json" in getattr(p, "opts", ()) for p in command.params):
            found.add(" ".join(path))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


@pytest.fixture
def lived_in(cli: Cli, tmp_path: Path) -> Cli:
    """A home with a profile, two weeks of sessions and check-ins, a run and an AKPS score."""
    start(cli, tmp_path)
    days = range(0, 14, 2)
    log(
        cli,
        tmp_path,
        [
            {"date": iso(d), "entries": [{"exercise": "glute-bridge", "pain_during": 2}]}
            for d in days
        ],
        [{"date": iso(d + 1), "morning_pain": 1} for d in days],
    )
    cli.today = iso(14)
    started = dt.datetime.combine(START + dt.timedelta(days=3), dt.time(7), tzinfo=dt.UTC)
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "easy.gpx").write_bytes(gpx_run(started, km=3))
    return cli


# The commands also run in a child process, where everything the process prints is on its
# stdout (what a module prints as it loads, a library writing to the file itself): one of each
# family of commands. The others run in this process, where all the command prints is seen.
IN_A_PROCESS = {"import", "runs", "plan", "today", "profile show", "learn", "rtr", "db status"}
IN_A_PROCESS |= {"export", "restore", "akps", "users list", "today on hold"}


def test_every_json_command_prints_json_alone(lived_in: Cli, tmp_path: Path) -> None:
    cli = lived_in
    process = Cli(lived_in.home, lived_in.today, process=True)
    answers = write(tmp_path / "akps.json", {"answers": [1] * 13})
    swollen = write(tmp_path / "swollen.json", {"answers": SWOLLEN_AKPS})
    check = write(tmp_path / "check.json", entry_check_data(date=iso(14)))
    calls: dict[str, list[tuple[str, ...]]] = {
        "import": [("import", str(tmp_path / "runs"), "--json")],
        "runs": [("runs", "--json")],
        "runs show": [("runs", "show", "1", "--json")],
        "runs pain": [("runs", "pain", "1", "--during", "2", "--json")],
        "runs delete": [("runs", "delete", "1", "--json")],
        "runs restore": [("runs", "restore", "1", "--json")],
        "load": [("load", "--json")],
        "plan": [("plan", "--json"), ("plan", "--json", "--weeks", "2")],
        "today": [("today", "--json"), ("today", "--date", iso(15), "--json")],
        "profile show": [("profile", "show", "--json")],
        "exercises": [("exercises", "--json"), ("exercises", "glute-bridge", "--json")],
        "learn": [("learn", "--json")],
        "why": [("why", "--json")],
        "progress": [("progress", "--json")],
        "rtr": [("rtr", "--json")],
        "rtr status": [("rtr", "status", "--json")],
        "rtr check": [("rtr", "check", "--file", str(check), "--json")],
        "db status": [("db", "status", "--json")],
        "db upgrade": [("db", "upgrade", "--json")],
        "init": [("init", "--profile", str(tmp_path / "profile.yaml"), "--json")],
        "export": [("export", str(tmp_path / "all.zip"), "--json")],
        # Into a second person, who is then forgotten: the runner's own data stays.
        "restore": [("--user", "copy", "restore", str(tmp_path / "all.zip"), "--json")],
        "forget": [("--user", "copy", "forget", "--yes", "--json")],
        # Last: a warning sign in the answers puts the plan on hold (exit 3 from then on).
        "akps": [("akps", "--answers", str(answers), "--json")],
        "users list": [("users", "list", "--json")],
    }
    # needs a real clip and the pose model: tests/integration/test_form_video.py
    # test_kneecap_form_json_is_the_contract_alone
    elsewhere = {"form"}
    assert set(calls) | elsewhere == json_commands(), "a --json command is missing from this test"
    topics = as_json(cli("learn", "--json"))
    calls["learn"].append(("learn", topics[0]["id"], "--json"))
    calls["akps"].append(("akps", "--answers", str(swollen), "--json"))
    withheld = [("plan", "--json"), ("today", "--json"), ("why", "--json"), ("progress", "--json")]
    steps = [(name, args) for name, group in calls.items() for args in group]
    steps += [(f"{args[0]} on hold", args) for args in withheld]
    spawned: set[str] = set()
    for name, args in steps:
        run = cli
        if name in IN_A_PROCESS and name not in spawned:
            spawned.add(name)
            run = process
        r = run(*args)
        assert r.code in (0, 3), f"kneecap {' '.join(args)} exited {r.code}: {r.err}"
        try:
            json.loads(r.out)
        except json.JSONDecodeError as exc:
            pytest.fail(f"kneecap {' '.join(args)} printed more than JSON ({exc}):\n{r.out}")
    assert as_json(cli("plan", "--json"), 3)["referral"]["needed"] is True
