"""Red-flag screening and severity triage (CLINICAL RF-*, R9)."""

from __future__ import annotations

import pytest

from kneecap.core.phases import Phase
from kneecap.core.profile import RedFlags
from kneecap.core.screening import Urgency, screen
from tests.conftest import make_profile

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
    assert s.referral.reasons[0].rule in {"RF-URGENT", "RF-SOON"}


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


def test_every_red_flag_has_a_question() -> None:
    from kneecap.core.profile import RedFlags
    from kneecap.core.screening import RED_FLAG_QUESTIONS, RED_FLAGS

    assert set(RED_FLAG_QUESTIONS) == set(RedFlags.model_fields) == set(RED_FLAGS)
