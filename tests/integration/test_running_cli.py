"""Running through the `kneecap` command: import, runs, runs show, load, rtr check, and the
ladder moving with imported runs and morning check-ins."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.activities import gpx_run
from tests.conftest import START, Cli, entry_check_data

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sam.yaml"
PASSED_CHECK = entry_check_data()


def at(day: dt.date, hour: int = 7) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def runner(cli: Cli) -> Cli:
    assert cli("init", "--profile", str(EXAMPLE)).code == 0
    return cli


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def imported(cli: Cli, *paths: Path) -> dict[str, object]:
    r = cli("import", *map(str, paths), "--json")
    assert "Traceback" not in r.err
    data: dict[str, object] = json.loads(r.out)
    data["code"] = r.code
    return data


def runs(cli: Cli) -> list[dict[str, object]]:
    r = cli("runs", "--json")
    assert r.code == 0, r.err
    data: list[dict[str, object]] = json.loads(r.out)
    return data


def test_import_a_run_and_list_it_with_its_figures(runner: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "hill.gpx", gpx_run(at(START), km=6, climb_then_descend_m=120))
    assert imported(runner, path) == {
        "imported": 1,
        "duplicates": 0,
        "failed": [],
        "warnings": [],
        "code": 0,
    }
    (run,) = runs(runner)
    for key in (
        "id",
        "sport",
        "start",
        "distance_m",
        "duration_s",
        "moving_time_s",
        "ascent_m",
        "descent_m",
        "downhill_m",
        "cadence_spm",
        "source",
    ):
        assert key in run
    assert run["sport"] == "running"
    assert run["start"] == "2026-12-07T07:00:00Z"
    assert run["source"] == "gpx"
    assert run["distance_m"] == pytest.approx(6000, rel=0.01)
    assert run["ascent_m"] == pytest.approx(120, abs=8)
    assert run["downhill_m"] == pytest.approx(3000, rel=0.05)  # the way down is 4% steep
    assert run["cadence_spm"] == pytest.approx(170)


def test_runs_show_draws_the_profile_with_downhill_marked(runner: Cli, tmp_path: Path) -> None:
    imported(runner, write(tmp_path, "hill.gpx", gpx_run(at(START), 6, climb_then_descend_m=120)))
    run_id = runs(runner)[0]["id"]
    r = runner("runs", "show", str(run_id))
    assert r.code == 0, r.err
    assert "downhill steeper than −3%" in r.out
    assert "steepest descent 1" in r.out
    j = json.loads(runner("runs", "show", str(run_id), "--json").out)
    assert min(j["profile"]["grade_pct"]) == pytest.approx(-4, abs=0.5)
    missing = runner("runs", "show", "999")
    assert missing.code == 2
    assert "no activity with id 999" in missing.err


def test_the_same_file_twice_is_stored_once(runner: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "a.gpx", gpx_run(at(START), 5))
    assert imported(runner, path)["imported"] == 1
    again = imported(runner, path)
    assert (again["imported"], again["duplicates"], again["code"]) == (0, 1, 0)
    # the same run under another name, and re-exported with its points thinned
    assert imported(runner, write(tmp_path, "copy.gpx", path.read_bytes()))["duplicates"] == 1
    thinner = write(tmp_path, "thin.gpx", gpx_run(at(START), 5, every_s=10))
    assert imported(runner, thinner)["duplicates"] == 1
    assert len(runs(runner)) == 1


def test_a_broken_file_fails_alone_and_changes_nothing(runner: Cli, tmp_path: Path) -> None:
    good = write(tmp_path / "in", "good.gpx", gpx_run(at(START), 5))
    write(tmp_path / "in", "broken.gpx", gpx_run(at(START, 9), 5)[:900])
    write(tmp_path / "in", "notes.txt", b"not an activity, skipped in folders")
    result = imported(runner, tmp_path / "in")
    assert result["code"] == 1
    assert result["imported"] == 1
    (failure,) = result["failed"]  # type: ignore[misc]
    assert failure["file"].endswith("broken.gpx")
    assert failure["error"]
    assert [r["start"] for r in runs(runner)] == ["2026-12-07T07:00:00Z"]
    assert good.exists()


def test_usage_errors_exit_2(runner: Cli, tmp_path: Path) -> None:
    r = runner("import", str(tmp_path / "missing.fit"))
    assert r.code == 2
    assert "missing.fit" in r.err
    notes = write(tmp_path, "notes.txt", b"hello")
    assert runner("import", str(notes)).code == 2


def test_weekly_load_flags_a_spike_and_shows_pain_beside_it(runner: Cli, tmp_path: Path) -> None:
    # Week 1: 2 x 5 km; week 2: 3 x 5 km (+50%, a spike); morning pain worse after one run.
    days = [0, 2, 7, 9, 11]
    for n in days:
        write(tmp_path / "w", f"{n}.gpx", gpx_run(at(START + dt.timedelta(days=n)), 5))
    assert imported(runner, tmp_path / "w")["imported"] == 5
    runner.today = (START + dt.timedelta(days=13)).isoformat()
    for n, pain in ((11, 1), (12, 3)):
        day = (START + dt.timedelta(days=n)).isoformat()
        assert runner("checkin", "--date", day, "--morning-pain", str(pain)).code == 0
    data = json.loads(runner("load", "--json").out)
    first, second = data["weeks"]
    assert (first["distance_km"], second["distance_km"]) == pytest.approx((10, 15), rel=0.01)
    assert second["change_pct"] == pytest.approx(50, abs=1)
    assert second["spike"] is True
    assert first["spike"] is False
    assert second["worse_morning_after"] == [runs(runner)[-1]["id"]]
    assert second["morning_pain"] == pytest.approx(2)
    assert data["cadence"]["baseline_spm"] == pytest.approx(170)
    assert data["cadence"]["target_spm"] == 178  # +5% of 170
    human = runner("load")
    assert "spike" in human.out
    assert "information only" in human.out


BAND_DAY = ["straight-leg-raise", "glute-bridge", "clamshell", "wall-sit", "lateral-band-walk"]


def diary(cli: Cli, tmp_path: Path, days: int, pain: int) -> None:
    """`days` of logged life before START: sessions every other day and every morning's
    check-in, all at `pain`, from a profile that started then (two CLI calls, as a diary)."""
    profile = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    profile["start_date"] = (START - dt.timedelta(days=days)).isoformat()
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    assert cli("init", "--profile", str(tmp_path / "p.yaml")).code == 0
    dates = [START - dt.timedelta(days=n) for n in range(days, 0, -1)]
    sessions = [
        {"date": d.isoformat(), "entries": [{"exercise": e, "pain_during": pain} for e in BAND_DAY]}
        for d in dates[::2]
    ]
    checkins = [{"date": d.isoformat(), "morning_pain": pain} for d in [*dates, START]]
    write(tmp_path, "s.json", json.dumps(sessions).encode())
    write(tmp_path, "c.json", json.dumps(checkins).encode())
    assert cli("log", "--file", str(tmp_path / "s.json")).code == 0
    assert cli("checkin", "--file", str(tmp_path / "c.json")).code == 0


def test_rtr_check_reads_the_logged_mornings_not_only_the_answers(cli: Cli, tmp_path: Path) -> None:
    # Repro: 8 weeks of logged morning pain 4/10, then `rtr check` with daily_pain 1 passed.
    diary(cli, tmp_path, 56, pain=4)
    passed = write(tmp_path, "yes.json", json.dumps(PASSED_CHECK).encode())
    r = cli("rtr", "check", "--file", str(passed), "--json")
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert result["passed"] is False
    unmet = {u["id"]: u for u in result["unmet"]}
    assert set(unmet["rtr_entry.pain"]) == {"id", "criterion", "rule", "reason"}
    assert unmet["rtr_entry.pain"]["rule"] == "RTR-ENTRY"
    assert "worst 4/10" in unmet["rtr_entry.pain"]["criterion"]
    assert unmet["rtr_entry.pain"]["reason"]
    human = cli("rtr", "check", "--file", str(passed))
    assert "Not yet" in human.out
    assert "worst 4/10" in human.out


def test_rtr_check_starts_the_ladder_and_runs_move_it(cli: Cli, tmp_path: Path) -> None:
    diary(cli, tmp_path, 100, pain=1)  # strengthen, build, then a settled week of band work
    assert json.loads(cli("progress", "--json").out)["phase"] == "build"
    assert "Do the entry check when the other criteria are met: 'kneecap rtr check'." in (
        cli("rtr").out.replace("\n", " ")
    )
    failing = write(tmp_path, "no.json", json.dumps({**PASSED_CHECK, "daily_pain": 4}).encode())
    r = cli("rtr", "check", "--file", str(failing))
    assert r.code == 0
    assert "Not yet" in r.out
    assert "daily-life pain 4/10" in r.out
    passed = write(tmp_path, "yes.json", json.dumps(PASSED_CHECK).encode())
    r = cli("rtr", "check", "--file", str(passed), "--json")
    assert json.loads(r.out)["stage"] == 1
    assert json.loads(r.out)["passed"] is True
    plan = json.loads(cli("plan", "--json").out)
    assert plan["phase"] == "return_to_run"
    run_items = [
        i for d in plan["days"] for s in d["sessions"] for i in s["items"] if i["run_stage"]
    ]
    assert run_items
    assert run_items[0]["run_stage"]["walk_min"] == 2
    status = json.loads(cli("rtr", "--json").out)
    assert (status["stage"], status["passes"], status["passes_needed"]) == (1, 0, 2)
    assert status["next_run"]["stage"] == 1
    assert status["moves_on"]
    # Two imported ladder runs, each followed by a settled morning: up to stage 2.
    cli.today = (START + dt.timedelta(days=4)).isoformat()
    for n in (1, 3):
        day = START + dt.timedelta(days=n)
        write(tmp_path / "ladder", f"{n}.gpx", gpx_run(at(day), 1.6))
        for m in (n, n + 1):
            date = (START + dt.timedelta(days=m)).isoformat()
            assert cli("checkin", "--date", date, "--morning-pain", "1").code == 0
    assert imported(cli, tmp_path / "ladder")["imported"] == 2
    why = json.loads(cli("why", "--json").out)
    assert why[0]["rule"] == "RTR-RULES"
    assert why[0]["action"] == "progress"
    assert "stage 2" in why[0]["reason"]
    human = cli("rtr")
    assert "stage 2" in human.out
    assert "Passes at this stage: 0 of 2" in human.out


def test_the_timed_entry_check_in_the_terminal(cli: Cli, tmp_path: Path) -> None:
    diary(cli, tmp_path, 100, pain=1)
    answers = [
        "1",
        "y",
        "n",  # daily pain, brisk walk, swelling
        "",
        "60",
        "1",
        "n",  # wall sit: ready, held, pain, knee caved in
        "",
        "30",
        "",
        "30",
        "0",
        "n",  # balance: left, right, pain, pelvis drop
        "10",
        "10",
        "1",
        "y",
        "n",
        "y",  # step-downs: left, right, pain, caved, drop, controlled
    ]
    r = cli("rtr", "check", input="\n".join(answers) + "\n", env={"KNEECAP_TIMER_SPEED": "200"})
    assert r.code == 0, r.err
    assert "Entry check passed" in r.out
    assert "knee caved inwards" in r.out
    assert "clamshell" in r.out
    assert json.loads(cli("rtr", "--json").out)["stage"] == 1


def test_bad_rtr_check_file_exits_2_naming_the_field(runner: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", json.dumps({**PASSED_CHECK, "wall_sit_pain": 11}).encode())
    r = runner("rtr", "check", "--file", str(bad))
    assert r.code == 2
    assert "wall_sit_pain" in r.err


def test_every_corpus_file_imports_or_fails_with_a_reason(
    runner: Cli, corpus: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder, ignore=shutil.ignore_patterns("*.md"))
    result = imported(runner, folder)
    assert result["code"] in (0, 1)
    for failure in result["failed"]:  # type: ignore[attr-defined]
        assert failure["error"], failure
    stored = runs(runner)
    assert result["imported"] == len(stored)
    assert result["imported"] >= 40
    assert {"running", "cycling", "swimming"} <= {r["sport"] for r in stored}
