"""Red-flag screening and severity triage (CLINICAL RF-*, R9)."""

from __future__ import annotations

import pytest

from kneecap.core.intake import ADOLESCENT_QUESTIONS, OTTAWA_QUESTIONS, missing_answers
from kneecap.core.phases import Phase
from kneecap.core.profile import Profile, RedFlags
from kneecap.core.screening import Scope, Urgency, screen
from tests.conftest import make_profile, profile_data

URGENT_FLAGS = [
    "calf_pain_or_swelling",
    "fever_or_hot_joint",
    "numbness_or_tingling",
    "cannot_bear_weight",
]
SOON_FLAGS = [f for f in RedFlags.model_fields if f not in URGENT_FLAGS]


@pytest.mark.parametrize("flag", URGENT_FLAGS)
def test_emergency_flags_withhold_the_plan_with_urgent_referral(flag: str) -> None:
    s = screen(make_profile(red_flags={flag: True}))
    assert s.referral.needed
    assert s.referral.urgency is Urgency.URGENT
    assert s.referral.reasons[0].rule == "RF-EMERGENCY"
    assert "today" in (s.referral.reasons[0].action or "")


@pytest.mark.parametrize("flag", SOON_FLAGS)
def test_other_flags_withhold_the_plan_with_soon_referral(flag: str) -> None:
    s = screen(make_profile(red_flags={flag: True}))
    assert s.referral.needed
    assert s.referral.urgency is Urgency.SOON
    assert s.referral.reasons[0].rule in {"RF-URGENT", "RF-SOON", "RF-ADOLESCENT"}


def test_the_most_urgent_flag_sets_the_urgency_and_comes_first() -> None:
    s = screen(make_profile(red_flags={"swelling": True, "calf_pain_or_swelling": True}))
    assert s.referral.urgency is Urgency.URGENT
    assert [r.rule for r in s.referral.reasons] == ["RF-EMERGENCY", "RF-URGENT"]


def test_clinician_clearance_releases_the_plan() -> None:
    p = make_profile(red_flags={"swelling": True, "locking": True})
    s = screen(p, cleared_flags=frozenset({"swelling", "locking"}))
    assert not s.referral.needed
    assert any(n.rule == "RF-SOON" for n in s.notes)


def test_clearance_covers_only_the_flags_it_saw() -> None:
    p = make_profile(red_flags={"swelling": True, "giving_way": True})
    s = screen(p, cleared_flags=frozenset({"swelling"}))
    assert s.referral.needed
    assert len(s.referral.reasons) == 1


@pytest.mark.parametrize(("worst", "at_rest"), [(7, False), (10, False), (2, True)])
def test_severe_or_rest_pain_starts_settle_with_routine_referral(worst: int, at_rest: bool) -> None:
    s = screen(make_profile(pain={"worst_last_week": worst, "at_rest": at_rest}))
    assert s.phase is Phase.SETTLE
    assert not s.referral.needed
    assert s.referral.urgency is Urgency.ROUTINE
    assert s.referral.reasons[0].rule == "R9"


@pytest.mark.parametrize("worst", [4, 5, 6])
def test_moderate_pain_keeps_the_standard_programme_and_advises_a_physio(worst: int) -> None:
    s = screen(make_profile(pain={"worst_last_week": worst}))
    assert s.phase is Phase.STRENGTHEN
    assert not s.referral.needed
    assert s.referral.urgency is Urgency.ROUTINE
    assert "physiotherapist" in s.referral.reasons[0].text


@pytest.mark.parametrize("worst", [1, 3])
def test_mild_pain_starts_strengthening_without_referral(worst: int) -> None:
    s = screen(make_profile(pain={"worst_last_week": worst}))
    assert s.phase is Phase.STRENGTHEN
    assert s.referral.urgency is Urgency.NONE
    assert s.referral.reasons == ()


def test_a_pain_free_runner_starts_in_maintain() -> None:
    s = screen(make_profile(pain={"worst_last_week": 0, "aggravated_by": []}))
    assert s.phase is Phase.MAINTAIN


def test_sharp_pain_at_intake_is_never_to_be_pushed_through() -> None:
    s = screen(make_profile(pain={"worst_last_week": 2, "sharp": True}))
    assert any(n.rule == "PMM-SHARP" and "clinician" in n.text for n in s.notes)


def test_every_red_flag_has_a_question_except_the_one_raised_from_the_data() -> None:
    from kneecap.core.intake import ADOLESCENT_QUESTIONS, OTTAWA_QUESTIONS, RED_FLAG_QUESTIONS
    from kneecap.core.profile import RedFlags
    from kneecap.core.screening import RED_FLAGS

    asked = RED_FLAG_QUESTIONS | OTTAWA_QUESTIONS | ADOLESCENT_QUESTIONS
    assert set(asked) | {"no_improvement"} == set(RedFlags.model_fields) == set(RED_FLAGS)


# --- complete screening: where it hurts, age, the questions that apply (CPG-DX, RF-*) ---------


@pytest.mark.parametrize(
    ("location", "sounds_like"),
    [
        ("below_kneecap", "patellar tendon"),
        ("outer_knee", "iliotibial band"),
        ("inner_joint_line", "meniscus"),
        ("back_of_knee", "back of the knee"),
    ],
)
def test_pain_away_from_the_kneecap_gets_a_routine_referral_and_general_knee_care(
    location: str, sounds_like: str
) -> None:
    s = screen(make_profile(pain={"location": location}))
    assert not s.referral.needed
    assert s.referral.urgency is Urgency.ROUTINE
    assert s.scope is Scope.GENERAL_KNEE_CARE
    reason = next(r for r in s.referral.reasons if r.rule == "CPG-DX")
    assert "this sounds like" in reason.text
    assert sounds_like in reason.text
    assert "a physiotherapist should confirm" in reason.text


def test_pain_around_the_kneecap_is_runners_knee() -> None:
    s = screen(make_profile(pain={"location": "around_kneecap"}))
    assert s.scope is Scope.RUNNERS_KNEE
    assert s.referral.reasons == ()


def test_a_stored_profile_without_a_location_keeps_the_runners_knee_programme() -> None:
    data = profile_data()
    del data["pain"]["location"], data["age_years"]
    s = screen(Profile.model_validate(data))
    assert s.scope is Scope.RUNNERS_KNEE


@pytest.mark.parametrize(("age", "limit"), [(17, 2), (18, 5), (None, 5)])
def test_an_adolescent_keeps_pain_during_activity_at_2_of_10(age: int | None, limit: int) -> None:
    assert make_profile(age_years=age).pain_limit == limit


@pytest.mark.parametrize("flag", list(ADOLESCENT_QUESTIONS))
def test_rf_adolescent_answers_withhold_the_plan(flag: str) -> None:
    s = screen(make_profile(age_years=14, red_flags={flag: True}))
    assert s.referral.needed
    assert s.referral.reasons[0].rule == "RF-ADOLESCENT"


@pytest.mark.parametrize("flag", list(OTTAWA_QUESTIONS))
def test_an_ottawa_item_after_an_injury_needs_an_x_ray(flag: str) -> None:
    s = screen(make_profile(red_flags={"recent_trauma": True, flag: True}))
    assert s.referral.needed
    assert any(r.rule == "RF-URGENT" and "X-ray" in (r.action or "") for r in s.referral.reasons)


@pytest.mark.parametrize(("age", "x_ray"), [(54, False), (55, True)])
def test_age_55_or_over_after_an_injury_needs_an_x_ray(age: int, x_ray: bool) -> None:
    s = screen(make_profile(age_years=age, red_flags={"recent_trauma": True}))
    text = " ".join(r.text for r in s.referral.reasons)
    assert ("age 55 or over" in text) is x_ray


def test_every_safety_answer_is_required_at_intake() -> None:
    data = profile_data()
    assert missing_answers(data) == []
    del data["age_years"], data["pain"]["location"], data["red_flags"]["swelling"]
    assert [p.split(":")[0] for p in missing_answers(data)] == [
        "age_years",
        "pain.location",
        "red_flags.swelling",
    ]


def test_the_injury_and_adolescent_questions_are_required_only_when_they_apply() -> None:
    adult = profile_data(red_flags={"recent_trauma": True})
    assert {p.split(":")[0] for p in missing_answers(adult)} == {
        f"red_flags.{n}" for n in OTTAWA_QUESTIONS
    }
    young = profile_data(age_years=15)
    assert {p.split(":")[0] for p in missing_answers(young)} == {
        f"red_flags.{n}" for n in ADOLESCENT_QUESTIONS
    }
