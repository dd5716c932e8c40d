"""The `kneecap` command on a real SQLite file in a throwaway data folder, "today" pinned to
Monday 2026-12-07, checking what a runner would see: exit code, stdout, stderr and what was
stored.

No mocks: the `cli` fixture (tests/conftest.py) calls the installed console script's entry point
in this process, with its own argv, environment and standard streams. A thin set runs the
console script itself in a child process (the `binary` fixture): a profile file stored, refused
input (exit 2 with the file, line and field), a plan on hold (exit 3) and the interactive intake.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from icalendar import Calendar

from kneecap.core.catalogue import Catalogue
from kneecap.core.screening import RED_FLAG_QUESTIONS
from tests.conftest import ALL_DAYS, START, Cli, Result, profile_data

REPO = Path(__file__).resolve().parents[2]
SAM_YAML = REPO / "docs" / "examples" / "sam.yaml"
NOTICE = "not a medical device"

# MISSION.md "Catalogue ids": a contract that tests and external tools rely on.
MISSION_IDS = {
    *("straight-leg-raise", "glute-bridge", "clamshell", "wall-sit", "step-up", "low-step-up"),
    *("chair-squat", "lateral-band-walk", "monster-walk", "band-squat"),
    *("quad-stretch", "hamstring-stretch", "calf-stretch", "it-band-stretch", "mobility-drills"),
    *("foam-roll-it-band", "foam-roll-quads", "foam-roll-hamstrings", "ball-release-glutes", "ice"),
    *("walk", "easy-cycling", "swimming", "water-running", "cycling", "elliptical", "running"),
    *("deep-squat", "lunge", "jump-squat", "box-jump", "downhill-running"),
}
AVOID_IDS = {"deep-squat", "lunge", "jump-squat", "box-jump", "downhill-running"}
NOT_IN_SETTLE = {
    *("step-up", "low-step-up", "lateral-band-walk", "monster-walk", "band-squat", "running"),
}
ITEM_KEYS = {"exercise", "block", "sets", "reps", "hold_s", "minutes", "per_side", "load"}


# --- helpers ---------------------------------------------------------------------------------


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone, so a message can be matched as one sentence."""
    return " ".join(text.split())


def ok(result: Result, code: int = 0) -> Result:
    assert result.code == code, f"exit {result.code}\nstdout:\n{result.out}\nstderr:\n{result.err}"
    assert "Traceback" not in result.err
    return result


def assert_refused(result: Result, *fragments: str) -> None:
    """Bad input: exit 2, no traceback, and a message on stderr containing every fragment."""
    ok(result, 2)
    message = flat(result.err)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in stderr:\n{result.err}"


def as_json(result: Result, code: int = 0) -> Any:
    return json.loads(ok(result, code).out)


def write_profile(path: Path, data: dict[str, Any]) -> Path:
    """Write a profile as JSON (`.json`, one field per line) or YAML (in the given key order)."""
    if path.suffix == ".json":
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of `path` that contains `needle`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def init_with(cli: Cli, folder: Path, code: int = 0, **changes: Any) -> Result:
    """`init --profile` with `profile_data(**changes)` written as YAML into `folder`."""
    path = write_profile(folder / "profile.yaml", profile_data(**changes))
    return ok(cli("init", "--profile", str(path)), code)


def stored_profile(cli: Cli, *options: str) -> dict[str, Any]:
    return as_json(cli(*options, "profile", "show", "--json"))


def assert_nothing_stored(cli: Cli, *options: str) -> None:
    result = cli(*options, "profile", "show", "--json")
    assert result.code == 1, result
    assert "no profile yet" in result.err


def all_items(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for day in plan["days"]:
        for session in day["sessions"]:
            yield from session["items"]


def dates(first: dt.date, count: int) -> list[str]:
    return [(first + dt.timedelta(days=n)).isoformat() for n in range(count)]


# Interactive intake answers, in the order src/kneecap/cli/intake.py asks them.
AGE = "34"  # asked first: the adolescent questions depend on it
RED_FLAG_ORDER = list(RED_FLAG_QUESTIONS)
PAIN_QUESTION = "Worst pain in the last week"
ANSWERS_AFTER_FLAGS = [
    "right",  # which knee
    "1",  # where: around or behind the kneecap
    "11",  # worst pain: out of range, asked again
    "4",
    "n",  # pain at rest
    "n",  # sharp
    "stairs,running",  # what brings it on
    "mat,band,wall",  # equipment
    "mon,wed,fri",  # days
    "30",  # minutes per session
    "cycling",  # cross-training
    "y",  # running at the moment
    "20",  # km a week
    "3",  # runs a week
    "2026-12-07",  # start date
]
EXPECTED_INTAKE_PROFILE = {
    "start_date": "2026-12-07",
    "age_years": 34,
    "affected_side": "right",
    "pain": {
        "worst_last_week": 4,
        "location": "around_kneecap",
        "at_rest": False,
        "sharp": False,
        "aggravated_by": ["stairs", "running"],
    },
    "equipment": ["mat", "band", "wall"],
    "availability": {"days": ["mon", "wed", "fri"], "minutes_per_session": 30},
    "cross_training": ["cycling"],
    "running": {"currently_running": True, "weekly_km": 20.0, "runs_per_week": 3},
}


def flag_answers(*raised: str) -> list[str]:
    """The age, then y or n to each red-flag question (none of them after an injury)."""
    return [AGE, *("y" if name in raised else "n" for name in RED_FLAG_ORDER)]


def stdin(*answers: str) -> str:
    return "\n".join(answers) + "\n"


VALID_INTAKE = stdin(*flag_answers(), *ANSWERS_AFTER_FLAGS)


# --- shared data folders (read-only tests share one set-up) ------------------------------------


@pytest.fixture(scope="module")
def sam(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """Sam from docs/examples/sam.yaml: worst pain 4, every day, all equipment, 40 minutes."""
    cli = Cli(tmp_path_factory.mktemp("sam") / "home")
    ok(cli("init", "--profile", str(SAM_YAML)))
    return cli


@pytest.fixture(scope="module")
def sam_week(sam: Cli) -> dict[str, Any]:
    """Sam's `plan --json` for the first week."""
    return as_json(sam("plan", "--json"))


@pytest.fixture(scope="module")
def sam_to_refuse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, Any]]:
    """Sam's data folder for commands that must be refused, and the profile it must keep."""
    cli = Cli(tmp_path_factory.mktemp("refuse") / "home")
    ok(cli("init", "--profile", str(SAM_YAML)))
    return cli, stored_profile(cli)


@pytest.fixture(scope="module")
def swollen(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Result]:
    """A runner who reported a swollen knee, and what their `init` printed (the console script
    in a child process: the exit code 3 of a plan on hold, end to end)."""
    folder = tmp_path_factory.mktemp("swollen")
    cli = Cli(folder / "home", process=True)
    return cli, init_with(cli, folder, 3, red_flags={"swelling": True})


# --- 1. init from a file, and the plan's JSON shape --------------------------------------------


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_init_from_a_yaml_or_json_file_stores_the_profile_and_shows_the_plan(
    binary: Cli, tmp_path: Path, suffix: str
) -> None:
    cli = binary
    data = profile_data(pain={"worst_last_week": 2}, availability={"minutes_per_session": 35})
    path = write_profile(tmp_path / f"me{suffix}", data)

    result = ok(cli("init", "--profile", str(path)))

    assert "Plan: Strengthen phase" in result.out
    assert NOTICE in flat(result.out)
    stored = stored_profile(cli)
    assert stored["pain"]["worst_last_week"] == 2
    assert stored["availability"]["minutes_per_session"] == 35


def test_plan_json_has_the_documented_shape(sam_week: dict[str, Any]) -> None:
    plan = sam_week

    assert set(plan) >= {"phase", "referral", "days", "notes"}
    assert plan["phase"] == "strengthen"
    assert plan["referral"]["needed"] is False
    assert plan["referral"]["urgency"] == "routine"  # worst pain 4: a physio should guide (R9)
    assert [r["rule"] for r in plan["referral"]["reasons"]] == ["R9"]
    assert all(set(note) >= {"rule", "text"} for note in plan["notes"])
    assert [d["date"] for d in plan["days"]] == dates(START, 7)
    for day in plan["days"]:
        assert day["sessions"], day["date"]
        for session in day["sessions"]:
            assert session["kind"] in {"strength", "mobility", "cardio", "run"}
            assert 0 < session["minutes"] <= 40
            for item in session["items"]:
                assert set(item) >= ITEM_KEYS, item


def test_plan_json_items_leave_unused_dose_fields_null(sam_week: dict[str, Any]) -> None:
    items = list(all_items(sam_week))

    for item in items:
        if item["minutes"] is not None:  # timed: warm-up, rolling, cardio
            assert (item["sets"], item["reps"], item["hold_s"]) == (None, None, None), item
        else:  # counted: sets of reps or of holds, never both
            assert item["sets"] is not None, item
            assert (item["reps"] is None) != (item["hold_s"] is None), item
    walk = next(i for i in items if i["exercise"] == "walk")
    assert walk["load"] is None
    wall_sit = next(i for i in items if i["exercise"] == "wall-sit")
    assert wall_sit["reps"] is None
    assert wall_sit["hold_s"] > 0


def test_plan_for_two_weeks_has_fourteen_consecutive_days(sam: Cli) -> None:
    plan = as_json(sam("plan", "--weeks", "2", "--json"))

    assert [d["date"] for d in plan["days"]] == dates(START, 14)


def test_plan_from_a_later_date_starts_on_that_date(sam: Cli) -> None:
    plan = as_json(sam("plan", "--from", "2026-12-09", "--json"))

    assert [d["date"] for d in plan["days"]] == dates(dt.date(2026, 12, 9), 7)


def test_plan_for_a_profile_starting_later_begins_on_its_start_date(
    cli: Cli, tmp_path: Path
) -> None:
    init_with(cli, tmp_path, start_date="2026-12-14")

    plan = as_json(cli("plan", "--json"))

    assert plan["days"][0]["date"] == "2026-12-14"


# --- 2. bad input: exit 2, a message that says where, no traceback, nothing saved -------------

# name -> (file name, changes to a valid profile, text on the offending line, field, allowed values)
BAD_PROFILES: dict[str, tuple[str, dict[str, Any], str, str, str]] = {
    "pain-11": (
        "pain.yaml",
        {"pain": {"worst_last_week": 11}},
        "worst_last_week",
        "pain.worst_last_week",
        "less than or equal to 10",
    ),
    "pain-minus-1": (
        "pain.json",
        {"pain": {"worst_last_week": -1}},
        "worst_last_week",
        "pain.worst_last_week",
        "greater than or equal to 0",
    ),
    "equipment-dumbbell": (
        "equipment.yaml",
        {"equipment": ["mat", "dumbbell"]},
        "dumbbell",
        "equipment.1",
        "'mat', 'band', 'foam_roller', 'ball', 'chair', 'step' or 'wall' (got 'dumbbell')",
    ),
    "day-funday": (
        "days.json",
        {"availability": {"days": ["mon", "funday"]}},
        "funday",
        "availability.days.1",
        "'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or 'sun' (got 'funday')",
    ),
    "minutes-negative": (
        "minutes.yaml",
        {"availability": {"minutes_per_session": -5}},
        "minutes_per_session",
        "availability.minutes_per_session",
        "greater than or equal to 10 (got -5)",
    ),
    "minutes-zero": (
        "minutes.json",
        {"availability": {"minutes_per_session": 0}},
        "minutes_per_session",
        "availability.minutes_per_session",
        "greater than or equal to 10 (got 0)",
    ),
    "minutes-lots": (
        "minutes.yaml",
        {"availability": {"minutes_per_session": "lots"}},
        "minutes_per_session",
        "availability.minutes_per_session",
        "(got 'lots')",
    ),
    "unknown-key": (
        "extra.yaml",
        {"colour": "blue"},
        "colour",
        "colour: unknown field",
        "allowed: start_date, age_years, affected_side, pain, red_flags, equipment, availability",
    ),
}


@pytest.mark.parametrize("case", list(BAD_PROFILES))
def test_an_invalid_profile_file_is_refused_naming_line_field_and_allowed_values(
    request: pytest.FixtureRequest, tmp_path: Path, case: str
) -> None:
    # the first case through the console script in a child process, the others in this one
    cli: Cli = request.getfixturevalue("binary" if case == next(iter(BAD_PROFILES)) else "cli")
    name, changes, on_line, field, allowed = BAD_PROFILES[case]
    path = write_profile(tmp_path / name, profile_data(**changes))

    result = cli("init", "--profile", str(path))

    assert_refused(result, name, f"line {line_of(path, on_line)}", field, allowed)
    assert_nothing_stored(cli)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "broken.yaml",
            "start_date: 2026-12-07\naffected_side: right\npain: [1,2\nequipment: [mat]\n",
            ["broken.yaml", "line 4", "not valid YAML"],
            id="yaml-unclosed-bracket",
        ),
        pytest.param(
            "broken.json",
            '{\n  "affected_side": "right",\n  "pain": {"worst_last_week": 3,}\n}\n',
            ["broken.json", "line 3"],
            id="json-trailing-comma",
        ),
        pytest.param(
            "list.yaml",
            "- start_date: 2026-12-07\n- affected_side: right\n",
            ["list.yaml", "expected a mapping of fields", "list"],
            id="yaml-top-level-list",
        ),
    ],
)
def test_a_broken_profile_file_is_refused_saying_where(
    cli: Cli, tmp_path: Path, name: str, text: str, expected: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    assert_refused(cli("init", "--profile", str(path)), *expected)
    assert_nothing_stored(cli)


def test_a_missing_profile_file_is_refused_naming_the_file(binary: Cli, tmp_path: Path) -> None:
    cli = binary
    assert_refused(
        cli("init", "--profile", str(tmp_path / "nope.yaml")), "nope.yaml", "no such file"
    )
    assert_nothing_stored(cli)


def test_a_bad_profile_file_leaves_the_existing_profile_in_place(
    sam_to_refuse: tuple[Cli, dict[str, Any]], tmp_path: Path
) -> None:
    cli, before = sam_to_refuse
    bad = write_profile(tmp_path / "bad.yaml", profile_data(pain={"worst_last_week": 11}))

    assert_refused(cli("init", "--profile", str(bad)), "pain.worst_last_week")

    assert stored_profile(cli) == before


def test_a_boolean_pain_score_is_refused_naming_the_field(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bool.yaml"
    path.write_text(
        SAM_YAML.read_text(encoding="utf-8").replace("worst_last_week: 4", "worst_last_week: true"),
        encoding="utf-8",
    )

    assert_refused(cli("init", "--profile", str(path)), "pain.worst_last_week")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.yaml", "pain: " + "[" * 5000 + "]" * 5000 + "\n"),
        ("deep.json", '{"pain": ' + "[" * 5000 + "]" * 5000 + "}\n"),
    ],
)
def test_a_deeply_nested_profile_file_is_refused_without_a_traceback(
    cli: Cli, tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    assert_refused(cli("init", "--profile", str(path)), name)


def test_a_tiny_file_of_nested_yaml_aliases_is_refused_quickly(cli: Cli, tmp_path: Path) -> None:
    rows = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    rows += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 7)]
    path = tmp_path / "aliases.yaml"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = {
        **os.environ,
        "KNEECAP_HOME": str(cli.home),
        "KNEECAP_TODAY": cli.today,
        "COLUMNS": "120",
    }
    env.pop("KNEECAP_DB", None)
    exe = Path(sys.executable).parent / "kneecap"

    try:
        proc = subprocess.run(
            [str(exe), "init", "--profile", str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=3,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("still busy after 3 s on a 300-byte profile")
    assert_refused(
        Result(proc.returncode, proc.stdout, proc.stderr), "anchors and aliases are not allowed"
    )


# --- profile set --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("pain.worst_last_week", "11", ["pain.worst_last_week", "or equal to 10", "(got 11)"]),
        ("equipment", "mat,dumbbell", ["equipment.1", "(got 'dumbbell')", "'mat', 'band'"]),
        ("colour", "blue", ["colour: unknown field", "affected_side, pain"]),
        ("pain.colour", "blue", ["pain.colour: unknown field", "worst_last_week, location"]),
    ],
)
def test_profile_set_with_a_bad_value_is_refused_and_changes_nothing(
    sam_to_refuse: tuple[Cli, dict[str, Any]], field: str, value: str, expected: list[str]
) -> None:
    cli, before = sam_to_refuse

    assert_refused(cli("profile", "set", field, value), *expected)

    assert stored_profile(cli) == before


def test_profile_set_minutes_is_saved_and_the_plan_fits_it(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path)

    result = ok(cli("profile", "set", "availability.minutes_per_session", "25"))

    assert "availability.minutes_per_session" in result.out
    assert stored_profile(cli)["availability"]["minutes_per_session"] == 25
    plan = as_json(cli("plan", "--json"))
    assert all(s["minutes"] <= 25 for d in plan["days"] for s in d["sessions"])


def test_profile_set_a_comma_list_sets_a_list(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path)

    ok(cli("profile", "set", "equipment", "mat,band"))

    assert stored_profile(cli)["equipment"] == ["mat", "band"]


# --- 3. red flags hold the plan until a clinician clears them ---------------------------------


def test_a_red_flag_at_init_puts_the_plan_on_hold(swollen: tuple[Cli, Result]) -> None:
    _, result = swollen  # the fixture checked the exit code: 3

    out = flat(result.out)
    assert "Your exercise plan is on hold" in out
    assert "kneecap clearance --clinician NAME" in out
    assert NOTICE in out


def test_a_withheld_plan_json_exits_3_with_a_soon_referral_and_no_days(
    swollen: tuple[Cli, Result],
) -> None:
    cli, _ = swollen

    plan = as_json(cli("plan", "--json"), 3)

    assert plan["referral"]["needed"] is True
    assert plan["referral"]["urgency"] == "soon"
    assert [r["rule"] for r in plan["referral"]["reasons"]] == ["RF-URGENT"]
    assert plan["days"] == []


def test_a_withheld_plan_shows_the_referral_and_the_notice(swollen: tuple[Cli, Result]) -> None:
    cli, _ = swollen

    out = flat(ok(cli("plan"), 3).out)

    assert "See a clinician within the next few days" in out
    assert NOTICE in out


def test_today_json_is_withheld_too(swollen: tuple[Cli, Result]) -> None:
    cli, _ = swollen

    day = as_json(cli("today", "--json"), 3)

    assert day["referral"]["needed"] is True
    assert day["sessions"] == []


def test_a_withheld_plan_writes_no_calendar(swollen: tuple[Cli, Result], tmp_path: Path) -> None:
    cli, _ = swollen

    ok(cli("plan", "--ics", str(tmp_path / "plan.ics")), 3)

    assert not (tmp_path / "plan.ics").exists()


def test_calf_pain_is_an_urgent_referral(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path, 3, red_flags={"calf_pain_or_swelling": True})

    plan = as_json(cli("plan", "--json"), 3)

    assert plan["referral"] | {"reasons": None} == {
        "needed": True,
        "urgency": "urgent",
        "reasons": None,
    }
    assert plan["days"] == []


def test_a_clearance_releases_the_plan_until_a_new_flag_is_raised(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path, 3, red_flags={"swelling": True})

    cleared = ok(cli("clearance", "--clinician", "Dr Okafor"))
    assert "swelling" in cleared.out
    assert "Dr Okafor" in cleared.out
    plan = as_json(cli("plan", "--json"))
    assert plan["referral"]["needed"] is False
    assert len(plan["days"]) == 7

    ok(cli("profile", "set", "red_flags.locking", "true"))
    plan = as_json(cli("plan", "--json"), 3)
    assert plan["referral"]["needed"] is True
    assert plan["referral"]["urgency"] == "soon"
    assert plan["days"] == []


def test_why_shows_the_red_flag_hold_and_the_clearance_that_lifted_it(
    cli: Cli, tmp_path: Path
) -> None:
    init_with(cli, tmp_path, 3, red_flags={"swelling": True})
    ok(cli("clearance", "--clinician", "Dr Okafor", "--profession", "doctor"))
    rows = as_json(cli("why", "--json"))
    assert [(r["kind"], r["action"]) for r in rows] == [
        ("cleared", "cleared"),
        ("on_hold", "on_hold"),
    ]
    assert rows[0]["clinician"] == "Dr Okafor"
    assert rows[1]["rule"] == "RF-URGENT"
    shown = ok(cli("why")).out
    assert "No decisions yet" not in shown
    assert "Dr Okafor" in shown
    assert "cleared by a clinician" in shown
    assert "plan on hold" in shown
    assert "RF-URGENT" in shown


# --- 4. severity triage -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pain",
    [
        pytest.param({"worst_last_week": 8}, id="worst-8"),
        pytest.param({"worst_last_week": 2, "at_rest": True}, id="pain-at-rest"),
    ],
)
def test_severe_pain_starts_in_settle_with_a_routine_referral_and_no_loaded_work(
    cli: Cli, tmp_path: Path, pain: dict[str, Any]
) -> None:
    init_with(cli, tmp_path, pain=pain)

    plan = as_json(cli("plan", "--weeks", "2", "--json"))

    assert plan["phase"] == "settle"
    assert plan["referral"]["needed"] is False
    assert plan["referral"]["urgency"] == "routine"
    assert plan["days"]
    used = {item["exercise"] for item in all_items(plan)}
    assert not used & NOT_IN_SETTLE
    assert all(s["kind"] != "run" for d in plan["days"] for s in d["sessions"])


# --- 5. today ------------------------------------------------------------------------------------


def test_today_on_a_monday_is_a_strength_day(sam: Cli) -> None:
    day = as_json(sam("today", "--json"))

    assert day["date"] == "2026-12-07"
    assert day["referral"]["needed"] is False
    assert "strength" in [s["kind"] for s in day["sessions"]]


def test_today_with_a_date_shows_that_day(sam: Cli) -> None:
    day = as_json(sam("today", "--date", "2026-12-08", "--json"))

    assert day["date"] == "2026-12-08"
    assert day["sessions"]
    assert "strength" not in [s["kind"] for s in day["sessions"]]  # never two days running


def test_today_human_output_lists_the_session(sam: Cli) -> None:
    out = flat(ok(sam("today")).out)

    assert "Today: strength session" in out
    assert "wall-sit" in out


def test_a_day_before_the_start_date_says_when_the_plan_starts(sam: Cli) -> None:
    out = flat(ok(sam("today", "--date", "2026-12-01")).out)

    assert "Your plan starts on Monday 07 December" in out


# --- 6. calendar export ----------------------------------------------------------------------


def test_plan_ics_has_one_event_per_session_listing_its_exercises(
    sam: Cli, tmp_path: Path, catalogue: Catalogue
) -> None:
    path = tmp_path / "plan.ics"

    plan = as_json(sam("plan", "--json", "--ics", str(path)))

    events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    sessions = [(d["date"], s) for d in plan["days"] for s in d["sessions"]]
    assert len(events) == len(sessions) > 7
    for event in events:
        assert str(event["SUMMARY"]).startswith("Kneecap:")
        assert str(event["DESCRIPTION"]).strip()
    for date, session in sessions:
        on_day = [
            str(e["DESCRIPTION"]) for e in events if e.decoded("DTSTART").date().isoformat() == date
        ]
        names = [catalogue[i["exercise"]].name for i in session["items"]]
        assert any(all(name in text for name in names) for text in on_day), (date, names)


def test_plan_ics_into_a_missing_folder_is_refused(sam: Cli, tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "plan.ics"

    assert_refused(
        sam("plan", "--ics", str(path)), "--ics", "plan.ics", "No such file or directory"
    )
    assert not path.parent.exists()


# --- 7. exercise library ------------------------------------------------------------------------


def test_exercises_json_lists_every_mission_id(cli: Cli) -> None:
    ids = {e["id"] for e in as_json(cli("exercises", "--json"))}

    assert ids >= MISSION_IDS


def test_exercises_lists_ids_and_names(cli: Cli) -> None:
    out = ok(cli("exercises")).out

    assert "wall-sit" in out
    assert "Straight leg raise" in out


def test_exercises_kind_avoid_gives_exactly_the_avoided_movements(cli: Cli) -> None:
    avoided = as_json(cli("exercises", "--kind", "avoid", "--json"))

    assert {e["id"] for e in avoided} == AVOID_IDS
    assert {e["kind"] for e in avoided} == {"avoid"}


def test_one_exercise_in_full_explains_why(cli: Cli) -> None:
    out = flat(ok(cli("exercises", "wall-sit")).out)

    assert "Wall sit" in out
    assert "Why it helps" in out
    assert "How to do it" in out


def test_one_exercise_as_json_has_id_name_kind_and_dose(cli: Cli) -> None:
    exercise = as_json(cli("exercises", "wall-sit", "--json"))

    assert exercise["id"] == "wall-sit"
    assert exercise["name"] == "Wall sit"
    assert exercise["kind"] == "strength"
    assert exercise["dose"]["hold_s"]


def test_an_unknown_exercise_is_refused_naming_the_id(cli: Cli) -> None:
    assert_refused(cli("exercises", "nope"), "unknown exercise 'nope'")


# --- 8. education -----------------------------------------------------------------------------


def test_learn_lists_the_topics(cli: Cli) -> None:
    out = ok(cli("learn")).out

    assert "what-is-runners-knee" in out
    assert "when-to-see-a-clinician" in out


def test_learn_a_topic_shows_its_title(cli: Cli) -> None:
    out = flat(ok(cli("learn", "what-is-runners-knee")).out)

    assert "What runner's knee is" in out


def test_learn_a_topic_as_json_has_its_title_and_sections(cli: Cli) -> None:
    topic = as_json(cli("learn", "what-is-runners-knee", "--json"))

    assert topic["title"] == "What runner's knee is"
    assert topic["sections"]


def test_an_unknown_topic_is_refused_listing_the_topics(cli: Cli) -> None:
    assert_refused(cli("learn", "nope"), "unknown topic 'nope'", "what-is-runners-knee")


# --- 9. interactive intake ----------------------------------------------------------------------


def test_interactive_init_asks_again_after_a_bad_answer_and_stores_the_profile(
    binary: Cli,
) -> None:
    cli = binary  # the answers read from a pipe by the console script in a child process
    result = ok(cli("init", input=VALID_INTAKE))

    assert result.out.count(PAIN_QUESTION) == 2
    assert "please give a whole number from 0 to 10" in result.err
    assert NOTICE in flat(result.out)
    stored = stored_profile(cli)
    assert {key: stored[key] for key in EXPECTED_INTAKE_PROFILE} == EXPECTED_INTAKE_PROFILE
    assert not any(stored["red_flags"].values())


def test_interactive_red_flag_without_finishing_shows_the_referral_and_stores_nothing(
    cli: Cli,
) -> None:
    answers = stdin(*flag_answers("swelling"), "n")

    result = ok(cli("init", input=answers), 3)

    out = flat(result.out)
    assert "Finish the intake anyway" in out
    assert "See a clinician within the next few days" in out
    assert "Your exercise plan is on hold" in out
    assert_nothing_stored(cli)


def test_interactive_red_flag_finishing_anyway_stores_the_profile_but_holds_the_plan(
    cli: Cli,
) -> None:
    answers = stdin(*flag_answers("swelling"), "y", *ANSWERS_AFTER_FLAGS)

    result = ok(cli("init", input=answers), 3)

    assert "Your exercise plan is on hold" in flat(result.out)
    assert stored_profile(cli)["red_flags"]["swelling"] is True


# --- 10. start: the first run --------------------------------------------------------------


def test_start_on_a_fresh_home_runs_the_intake_then_shows_today(cli: Cli) -> None:
    out = flat(ok(cli("start", input=VALID_INTAKE)).out)

    assert "First, a safety check" in out
    assert "Today: strength session" in out
    assert "Plan: Strengthen phase" in out
    assert NOTICE in out

    again = flat(ok(cli("start", input="")).out)

    assert "safety check" not in again
    assert "Today: strength session" in again
    assert "Plan: Strengthen phase" in again


# --- 11. where the data lives and whose it is -------------------------------------------------


@pytest.mark.parametrize("how", ["--db", "KNEECAP_DB"])
def test_a_database_url_overrides_the_data_folder(cli: Cli, tmp_path: Path, how: str) -> None:
    db = tmp_path / "elsewhere" / "kneecap.db"
    url = f"sqlite:///{db}"
    options, env = (("--db", url), None) if how == "--db" else ((), {"KNEECAP_DB": url})

    ok(cli(*options, "init", "--profile", str(SAM_YAML), env=env))

    assert db.is_file()
    assert not (cli.home / "kneecap.sqlite3").exists()
    assert stored_profile(cli, "--db", url)["pain"]["worst_last_week"] == 4


def test_users_keep_separate_profiles_in_one_database(cli: Cli, tmp_path: Path) -> None:
    alice = write_profile(tmp_path / "alice.yaml", profile_data(affected_side="left"))
    bob = write_profile(tmp_path / "bob.yaml", profile_data(availability={"days": ALL_DAYS[:3]}))

    ok(cli("--user", "alice", "init", "--profile", str(alice)))
    ok(cli("--user", "bob", "init", "--profile", str(bob)))

    assert stored_profile(cli, "--user", "alice")["affected_side"] == "left"
    assert stored_profile(cli, "--user", "bob")["availability"]["days"] == ["mon", "tue", "wed"]
    assert_nothing_stored(cli)  # the default user has done no intake
    assert [p.name for p in cli.home.iterdir() if p.suffix == ".sqlite3"] == ["kneecap.sqlite3"]


def test_an_unknown_database_url_is_refused_without_a_traceback(cli: Cli) -> None:
    assert_refused(cli("--db", "nosuchdb://x", "plan"), "cannot open the database", "nosuchdb")


def test_a_database_url_without_its_driver_is_refused_without_a_traceback(cli: Cli) -> None:
    if importlib.util.find_spec("psycopg") is not None:
        pytest.skip("psycopg is installed here, so the driver is not missing")

    result = cli("--db", "postgresql+psycopg://runner@127.0.0.1:1/kneecap", "plan")

    assert_refused(result, "cannot open the database")


# --- 12. the notice -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("plan",), id="plan"),
        pytest.param(("plan", "--from", "2026-12-09"), id="plan-from"),
    ],
)
def test_every_human_plan_says_it_is_not_a_medical_device(sam: Cli, args: tuple[str, ...]) -> None:
    assert NOTICE in flat(ok(sam(*args)).out)


def test_exercise_page_shows_its_figure_in_the_terminal(cli: Cli) -> None:
    r = cli("exercises", "wall-sit")
    assert r.code == 0
    figure_lines = r.out.splitlines()[:10]
    assert "start" in figure_lines[-1]
    assert "end" in figure_lines[-1]
    assert any("O" in line for line in figure_lines)  # the heads
