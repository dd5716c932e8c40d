"""Complete screening and holds that hold, through the `kneecap` command (CLINICAL
CPG-DX, PMM-1, RF-*): age and where it hurts at intake, the questions that apply, safety answers
never assumed, a hold lifted only by a recorded clearance, and the no-improvement review."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kneecap.core.intake import RED_FLAG_QUESTIONS
from kneecap.settings import DB_FILE
from kneecap.store.repository import Store
from tests.conftest import START, Cli, profile_data
from tests.integration.test_cli import (
    ANSWERS_AFTER_FLAGS,
    as_json,
    assert_nothing_stored,
    assert_refused,
    flag_answers,
    flat,
    init_with,
    ok,
    stdin,
    stored_profile,
    write_profile,
)

AKPS_70 = [2, 1, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0]
AKPS_73 = [2, 1, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0]


def day(n: int) -> str:
    return (START + dt.timedelta(days=n)).isoformat()


# --- complete screening ----------------------------------------------------------------------


def test_rf_adolescent_tibial_tubercle_pain_withholds_the_plan(cli: Cli, tmp_path: Path) -> None:
    result = init_with(
        cli,
        tmp_path,
        3,
        age_years=14,
        red_flags={
            "tibial_tubercle_pain": True,
            "kneecap_lower_tip_pain": False,
            "clicking_loss_of_extension": False,
            "limp_stiff_hip": False,
        },
    )
    out = flat(result.out)
    assert "Your exercise plan is on hold" in out
    assert "Osgood-Schlatter" in out
    assert "[RF-ADOLESCENT]" in out
    plan = as_json(cli("plan", "--json"), 3)
    assert plan["days"] == []
    assert plan["referral"]["reasons"][0]["rule"] == "RF-ADOLESCENT"


def test_an_adolescent_profile_must_answer_the_adolescent_questions(
    cli: Cli, tmp_path: Path
) -> None:
    path = write_profile(tmp_path / "young.yaml", profile_data(age_years=15))
    assert_refused(
        cli("init", "--profile", str(path)),
        "red_flags.tibial_tubercle_pain: required",
        "red_flags.limp_stiff_hip: required",
    )
    assert_nothing_stored(cli)


def test_an_adolescent_runner_is_told_to_keep_pain_at_2_of_10(cli: Cli, tmp_path: Path) -> None:
    adolescent = dict.fromkeys(
        [
            "tibial_tubercle_pain",
            "kneecap_lower_tip_pain",
            "clicking_loss_of_extension",
            "limp_stiff_hip",
        ],
        False,
    )
    init_with(cli, tmp_path, age_years=15, red_flags=adolescent)
    # the guide states the limit, then the input runs out
    result = cli("session", input="", env={"KNEECAP_TIMER_SPEED": "1000"})
    assert "at 2/10 or less" in flat(result.out)


@pytest.mark.parametrize(
    ("location", "sounds_like"),
    [
        ("below_kneecap", "patellar tendon pain"),
        ("outer_knee", "iliotibial band syndrome"),
        ("inner_joint_line", "a meniscus or joint-line problem"),
        ("back_of_knee", "a problem at the back of the knee"),
    ],
)
def test_pain_away_from_the_kneecap_is_offered_only_as_general_knee_care(
    cli: Cli, tmp_path: Path, location: str, sounds_like: str
) -> None:
    result = init_with(cli, tmp_path, pain={"location": location})
    assert "General knee care:" in flat(result.out)
    assert "[CPG-DX]" in result.out
    plan = as_json(cli("plan", "--json"))
    assert plan["scope"] == "general_knee_care"
    assert plan["days"], "the general plan is still offered"
    assert plan["referral"]["urgency"] == "routine"
    reason = next(r for r in plan["referral"]["reasons"] if r["rule"] == "CPG-DX")
    assert f"this sounds like {sounds_like}" in reason["text"]
    assert "a physiotherapist should confirm" in reason["text"]
    today = as_json(cli("today", "--json"))
    assert today["scope"] == "general_knee_care"
    assert "General knee care:" in flat(ok(cli("today")).out)


def test_pain_around_the_kneecap_is_the_runners_knee_programme(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path)
    plan = as_json(cli("plan", "--json"))
    assert plan["scope"] == "runners_knee"
    assert "General knee care" not in ok(cli("plan")).out


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        ("unexplained_weight_loss", "weight loss"),
        ("cancer_history", "history of cancer"),
        ("morning_stiffness", "more than 30 minutes"),
        ("several_painful_joints", "several joints"),
        ("rapidly_worsening", "quickly worse"),
    ],
)
def test_the_rf_soon_items_withhold_the_plan_until_a_clearance(
    cli: Cli, tmp_path: Path, flag: str, words: str
) -> None:
    out = flat(init_with(cli, tmp_path, 3, red_flags={flag: True}).out)
    assert words in out
    assert "[RF-SOON]" in out
    ok(cli("clearance", "--clinician", "Dr Okafor", "--profession", "doctor"))
    ok(cli("plan"))


def test_an_ottawa_item_after_an_injury_needs_an_x_ray(cli: Cli, tmp_path: Path) -> None:
    ottawa = {
        "recent_trauma": True,
        "ottawa_no_four_steps": False,
        "ottawa_cannot_bend_90": True,
        "ottawa_kneecap_tender": False,
        "ottawa_fibular_head_tender": False,
    }
    out = flat(init_with(cli, tmp_path, 3, red_flags=ottawa).out)
    assert "bend the knee to a right angle means it needs an X-ray (Ottawa knee rules)" in out
    assert "to have the knee X-rayed" in out


def test_age_55_or_over_after_an_injury_needs_an_x_ray(cli: Cli, tmp_path: Path) -> None:
    ottawa = dict.fromkeys(
        [
            "ottawa_no_four_steps",
            "ottawa_cannot_bend_90",
            "ottawa_kneecap_tender",
            "ottawa_fibular_head_tender",
        ],
        False,
    )
    out = flat(
        init_with(cli, tmp_path, 3, age_years=61, red_flags={"recent_trauma": True, **ottawa}).out
    )
    assert "At 61, an injured knee needs an X-ray (Ottawa knee rules: age 55 or over)" in out


def test_an_injured_runners_profile_must_answer_the_ottawa_questions(
    cli: Cli, tmp_path: Path
) -> None:
    path = write_profile(tmp_path / "hurt.yaml", profile_data(red_flags={"recent_trauma": True}))
    assert_refused(
        cli("init", "--profile", str(path)),
        "red_flags.ottawa_cannot_bend_90: required (true or false)",
    )
    assert_nothing_stored(cli)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("age_years", "age_years: required (your age in years, 10-100)"),
        ("pain.location", "pain.location: required (where the knee hurts most"),
        ("red_flags.swelling", "red_flags.swelling: required (true or false)"),
        ("red_flags.cancer_history", "red_flags.cancer_history: required"),
    ],
)
def test_a_profile_file_without_a_safety_answer_is_refused_naming_the_field(
    cli: Cli, tmp_path: Path, field: str, message: str
) -> None:
    data = profile_data()
    *parents, last = field.split(".")
    target = data
    for part in parents:
        target = target[part]
    del target[last]
    path = write_profile(tmp_path / "profile.yaml", data)
    assert_refused(cli("init", "--profile", str(path)), str(path), message)
    assert_nothing_stored(cli)


def test_a_missing_red_flag_answer_names_the_line_of_its_section(cli: Cli, tmp_path: Path) -> None:
    data = profile_data()
    del data["red_flags"]["locking"]
    path = write_profile(tmp_path / "profile.yaml", data)
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("red_flags")
    )
    assert_refused(cli("init", "--profile", str(path)), f"line {line}: red_flags.locking")


def test_a_profile_stored_before_the_new_questions_still_loads(cli: Cli, tmp_path: Path) -> None:
    ok(cli("init", "--profile", str(write_profile(tmp_path / "p.yaml", profile_data()))))
    old = profile_data()
    del old["age_years"], old["pain"]["location"]
    old["red_flags"] = {k: False for k in list(RED_FLAG_QUESTIONS)[:10]}
    store = Store.open(f"sqlite:///{cli.home / DB_FILE}")
    try:
        from kneecap.core.profile import Profile

        person = store.person_id("me", dt.datetime.now(dt.UTC))
        with store.transaction(person) as w:
            w.save_profile(Profile.model_validate(old), dt.datetime.now(dt.UTC))
    finally:
        store.close()
    plan = as_json(cli("plan", "--json"))
    assert plan["scope"] == "runners_knee"
    assert plan["days"]


# --- safety answers are never assumed --------------------------------------------------------


def test_pressing_enter_does_not_answer_a_red_flag_question(cli: Cli) -> None:
    answers = flag_answers("swelling")
    # the age, then Enter on the first red-flag question: it is asked again, not taken as "no"
    result = ok(cli("init", input=stdin(answers[0], "", *answers[1:], "n")), 3)
    first = next(iter(RED_FLAG_QUESTIONS.values()))
    assert result.out.count(first) == 2
    assert "Your exercise plan is on hold" in flat(result.out)


def test_pressing_enter_does_not_answer_a_pain_question(cli: Cli) -> None:
    after = list(ANSWERS_AFTER_FLAGS)
    at_rest = after.index("n")  # "Does it hurt when you are resting?"
    after.insert(at_rest, "")
    result = ok(cli("init", input=stdin(*flag_answers(), *after)))
    assert result.out.count("Does it hurt when you are resting?") == 2
    assert stored_profile(cli)["pain"]["at_rest"] is False


def test_pressing_enter_does_not_answer_the_age(cli: Cli) -> None:
    result = cli("init", input=stdin(""))  # then the input runs out
    assert result.code != 0
    assert result.out.count("How old are you") >= 2
    assert_nothing_stored(cli)


# --- holds that hold -----------------------------------------------------------------------


def test_reanswering_the_intake_keeps_an_uncleared_hold(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path, 3, red_flags={"swelling": True})

    again = init_with(cli, tmp_path, 3)  # every answer "no" now

    assert "Still on hold: swelling" in flat(again.out)
    assert stored_profile(cli)["red_flags"]["swelling"] is True
    ok(cli("plan"), 3)
    ok(cli("clearance", "--clinician", "Sam Physio", "--profession", "physiotherapist"))
    ok(cli("plan"))
    init_with(cli, tmp_path)  # cleared: the new answers stand
    assert stored_profile(cli)["red_flags"]["swelling"] is False


def test_reanswering_the_intake_keeps_a_swelling_check_in_hold(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path)
    ok(cli("checkin", "--morning-pain", "3", "--swelling"), 3)

    init_with(cli, tmp_path, 3)
    ok(cli("profile", "set", "red_flags.swelling", "false"))

    assert stored_profile(cli)["red_flags"]["swelling"] is True
    ok(cli("plan"), 3)


def test_the_interactive_intake_keeps_an_uncleared_hold(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path, 3, red_flags={"giving_way": True})
    result = ok(cli("init", input=stdin(*flag_answers(), *ANSWERS_AFTER_FLAGS)), 3)
    assert "Still on hold: giving_way" in flat(result.out)


def test_a_clearance_records_the_profession(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path, 3, red_flags={"locking": True})
    result = ok(cli("clearance", "--clinician", "Ana Ruiz", "--profession", "physiotherapist"))
    assert "locking cleared by Ana Ruiz (physiotherapist)" in flat(result.out)
    store = Store.open(f"sqlite:///{cli.home / DB_FILE}")
    try:
        with store.engine.connect() as c:
            rows = c.exec_driver_sql("SELECT clinician, profession FROM clearances").all()
    finally:
        store.close()
    assert [tuple(r) for r in rows] == [("Ana Ruiz", "physiotherapist")]


def test_a_clearance_dated_in_the_future_is_refused(cli: Cli, tmp_path: Path) -> None:
    init_with(cli, tmp_path, 3, red_flags={"locking": True})
    assert_refused(
        cli("clearance", "--clinician", "Ana Ruiz", "--date", day(1)), "--date", "in the future"
    )
    ok(cli("plan"), 3)


# --- no improvement after six adherent weeks --------------------------------------------------


def diary(cli: Cli, tmp_path: Path, days: int, morning: int) -> None:
    """`days` of mornings at `morning`/10 and two sessions on every training day."""
    sessions: list[dict[str, Any]] = []
    checkins: list[dict[str, Any]] = []
    for n in range(days):
        date = day(n)
        checkins.append({"date": date, "morning_pain": morning})
        if (START + dt.timedelta(days=n)).weekday() in (0, 2, 4):
            entry = {"exercise": "glute-bridge", "pain_during": 2}
            sessions += [{"date": date, "entries": [entry], "pain_after": 2}] * 2
    (tmp_path / "sessions.json").write_text(json.dumps(sessions))
    (tmp_path / "checkins.json").write_text(json.dumps(checkins))
    cli.today = day(days - 1)
    ok(cli("log", "--file", str(tmp_path / "sessions.json")))
    ok(cli("checkin", "--file", str(tmp_path / "checkins.json")))


def akps(cli: Cli, tmp_path: Path, on: str, answers: list[int]) -> None:
    path = tmp_path / "akps.json"
    path.write_text(json.dumps({"answers": answers}))
    cli.today = on
    ok(cli("akps", "--answers", str(path)))


def test_no_improvement_after_six_adherent_weeks_asks_for_an_assessment(
    cli: Cli, tmp_path: Path
) -> None:
    init_with(
        cli, tmp_path, pain={"worst_last_week": 4}, availability={"days": ["mon", "wed", "fri"]}
    )
    akps(cli, tmp_path, day(0), AKPS_70)
    diary(cli, tmp_path, 42, morning=4)
    ok(cli("plan"))  # day 41: not six weeks yet

    akps(cli, tmp_path, day(42), AKPS_73)
    ok(cli("checkin", "--morning-pain", "4"))
    plan = as_json(cli("plan", "--json"), 3)

    reason = plan["referral"]["reasons"][0]
    assert reason["rule"] == "RF-SOON"
    assert "In the 6 weeks since 07 December 2026 you did" in reason["text"]
    assert "your morning pain went from 4.0/10 to 4.0/10" in reason["text"]
    assert "your knee score (AKPS) went from 70 to 73" in reason["text"]
    assert "Book an appointment" in reason["action"]
    assert stored_profile(cli)["red_flags"]["no_improvement"] is True
    ok(cli("clearance", "--clinician", "Ana Ruiz", "--profession", "physiotherapist"))
    ok(cli("plan"))


def test_the_review_found_due_by_the_first_read_of_today_is_stored_and_holds_the_day(
    cli: Cli, tmp_path: Path
) -> None:
    init_with(
        cli, tmp_path, pain={"worst_last_week": 4}, availability={"days": ["mon", "wed", "fri"]}
    )
    akps(cli, tmp_path, day(0), AKPS_70)
    diary(cli, tmp_path, 42, morning=4)
    akps(cli, tmp_path, day(42), AKPS_73)
    assert stored_profile(cli)["red_flags"]["no_improvement"] is False  # nothing read yet

    shown = as_json(cli("today", "--json"), 3)  # 3: on hold
    assert shown["referral"]["needed"] is True
    assert [r["rule"] for r in shown["referral"]["reasons"]] == ["RF-SOON"]
    assert "your knee score (AKPS) went from 70 to 73" in shown["referral"]["reasons"][0]["text"]
    assert shown["sessions"] == []
    assert stored_profile(cli)["red_flags"]["no_improvement"] is True
    assert as_json(cli("today", "--json"), 3) == shown  # read again: the same, from the store


def test_improving_morning_pain_keeps_the_programme_going(cli: Cli, tmp_path: Path) -> None:
    init_with(
        cli, tmp_path, pain={"worst_last_week": 4}, availability={"days": ["mon", "wed", "fri"]}
    )
    diary(cli, tmp_path, 7, morning=4)
    later = [{"date": day(n), "morning_pain": 2} for n in range(36, 43)]
    (tmp_path / "later.json").write_text(json.dumps(later))
    cli.today = day(42)
    ok(cli("checkin", "--file", str(tmp_path / "later.json")))
    ok(cli("plan"))
    assert stored_profile(cli)["red_flags"]["no_improvement"] is False
