"""`kneecap runs delete`, `runs restore` and `runs pain`: the web's use cases from the command
line; `--json` prints JSON alone; an unknown id exits 2 with the reason."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.activities import gpx_run
from tests.conftest import START, Cli
from tests.integration.test_running_cli import EXAMPLE, write

RUN = gpx_run(dt.datetime.combine(START, dt.time(7), tzinfo=dt.UTC), km=5)


@pytest.fixture
def run_id(cli: Cli, tmp_path: Path) -> int:
    assert cli("init", "--profile", str(EXAMPLE)).code == 0
    r = cli("import", str(write(tmp_path / "in", "run.gpx", RUN)), "--json")
    assert r.code == 0, r.err
    (run,) = json.loads(cli("runs", "--json").out)
    return int(run["id"])


def listed(cli: Cli) -> list[int]:
    return [r["id"] for r in json.loads(cli("runs", "--json").out)]


def test_a_run_is_deleted_and_restored(cli: Cli, run_id: int) -> None:
    r = cli("runs", "delete", str(run_id))
    assert r.code == 0, r.err
    assert f"Deleted run {run_id} (the running of {START.isoformat()})" in r.out
    assert f"kneecap runs restore {run_id}" in r.out
    assert listed(cli) == []
    r = cli("runs", "restore", str(run_id), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out) == {"restored": run_id}
    assert listed(cli) == [run_id]
    r = cli("runs", "delete", str(run_id), "--json")
    assert json.loads(r.out) == {"deleted": run_id}
    assert cli("runs", "restore", str(run_id)).out.strip() == f"Restored run {run_id}."


@pytest.mark.parametrize("command", ["delete", "restore", "pain"])
def test_an_unknown_run_exits_2_with_the_reason(cli: Cli, run_id: int, command: str) -> None:
    extra = ["--during", "1"] if command == "pain" else []
    r = cli("runs", command, "999", *extra, "--json")
    assert r.code == 2
    assert r.out == ""
    assert "no run with id 999" in r.err


def test_restoring_a_run_that_is_not_deleted_exits_2(cli: Cli, run_id: int) -> None:
    r = cli("runs", "restore", str(run_id))
    assert r.code == 2
    assert f"no run with id {run_id} among the deleted runs" in r.err


def test_the_knee_pain_of_a_run_is_answered_and_an_answer_not_given_is_kept(
    cli: Cli, run_id: int
) -> None:
    r = cli("runs", "pain", str(run_id), "--next-morning", "5")
    assert r.code == 2  # not on the day of the run: it is not known yet
    assert "pain_next_morning: answer tomorrow morning, from Tuesday 8 December" in r.err
    cli.today = (START + dt.timedelta(days=1)).isoformat()  # the morning after
    r = cli("runs", "pain", str(run_id), "--during", "3", "--next-morning", "5", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out) == {"id": run_id, "pain_during": 3, "pain_next_morning": 5}
    r = cli("runs", "pain", str(run_id), "--next-morning", "2")
    assert r.out.strip() == f"Run {run_id}: knee pain during 3/10, the next morning 2/10."
    (run,) = json.loads(cli("runs", "--json").out)
    assert (run["pain_during"], run["pain_next_morning"]) == (3, 2)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ([], "give --during N, --next-morning N or both (0 = none, 10 = worst)"),
        (["--during", "11"], "pain_during: give a whole number from 0 (none) to 10"),
        (["--next-morning=-1"], "pain_next_morning: give a whole number from 0 (none) to 10"),
    ],
)
def test_a_pain_answer_out_of_range_or_missing_exits_2(
    cli: Cli, run_id: int, args: list[str], reason: str
) -> None:
    r = cli("runs", "pain", str(run_id), *args)
    assert r.code == 2
    assert reason in " ".join(r.err.split())
    (run,) = json.loads(cli("runs", "--json").out)
    assert run["pain_during"] is None
