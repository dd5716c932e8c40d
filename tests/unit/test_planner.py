"""The weekly plan generator: the guide's session shape and dosage, and its invariants.

Hypothesis properties over random valid profiles prove the invariants the issue names:
no consecutive strength days, minutes, equipment, avoided moves, red flags -> no plan,
determinism.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.core.catalogue import Catalogue, Kind
from kneecap.core.phases import Phase
from kneecap.core.plan import Plan
from kneecap.core.planner import build_plan
from kneecap.core.profile import Profile, RedFlags
from kneecap.core.screening import screen
from tests.conftest import ALL_DAYS, ALL_EQUIPMENT, START, make_profile

BAND_WORK = {"lateral-band-walk", "monster-walk", "band-squat"}
STEP_UPS = {"step-up", "low-step-up", "step-down"}


def plan_for(
    profile: Profile, catalogue: Catalogue, weeks: int = 1, phase: Phase | None = None
) -> Plan:
    first = profile.start_date
    return build_plan(
        profile, catalogue, screen(profile), first, first + dt.timedelta(days=7 * weeks - 1), phase
    )


def items(plan: Plan) -> list[Any]:
    return [i for d in plan.days for s in d.sessions for i in s.items]


def strength_dates(plan: Plan) -> list[dt.date]:
    return [d.date for d in plan.days if any(s.kind == "strength" for s in d.sessions)]


# --- the guide's shape and numbers -----------------------------------------------------------


def test_sam_gets_strength_on_alternate_days_with_mobility_between_and_a_saturday_swim(
    catalogue: Catalogue,
) -> None:
    plan = plan_for(make_profile(), catalogue)
    kinds = {d.date.strftime("%a"): [s.kind for s in d.sessions] for d in plan.days}
    assert [k for k, v in kinds.items() if "strength" in v] == ["Mon", "Wed", "Fri"]
    assert all("mobility" in v for k, v in kinds.items() if k not in ("Mon", "Wed", "Fri"))
    sat = plan.day(START + dt.timedelta(days=5))
    assert sat is not None
    assert any(i.exercise == "swimming" for s in sat.sessions for i in s.items)


def test_a_full_strength_session_follows_the_guide_sample(catalogue: Catalogue) -> None:
    day = plan_for(make_profile(), catalogue).days[0]
    (session,) = day.sessions
    blocks = [i.block for i in session.items]
    assert blocks[0] == "warm-up"
    assert session.items[0].prescription.minutes == 5  # R13: 5 min warm-up
    strength = [i for i in session.items if i.block == "strength"]
    assert 3 <= len(strength) <= 4  # CPG-EDU
    assert blocks.index("stretch") > blocks.index("strength")
    assert blocks.index("soft-tissue") > blocks.index("stretch")
    assert 30 <= session.minutes <= 40  # R13: a 30-40 minute session


def test_guide_dosage_for_the_core_set(catalogue: Catalogue) -> None:
    plan = plan_for(make_profile(), catalogue, weeks=2)
    dose = {i.exercise: i.prescription for i in items(plan)}
    assert (dose["straight-leg-raise"].sets, dose["straight-leg-raise"].reps) == (3, 10)
    assert dose["straight-leg-raise"].per_side
    assert (dose["glute-bridge"].sets, dose["glute-bridge"].reps) == (3, 12)
    assert (dose["clamshell"].sets, dose["clamshell"].reps, dose["clamshell"].per_side) == (
        2,
        15,
        True,
    )
    assert (dose["wall-sit"].sets, dose["wall-sit"].hold_s) == (2, 20)
    for stretch in ("quad-stretch", "hamstring-stretch", "calf-stretch", "it-band-stretch"):
        assert dose[stretch].hold_s == 30  # R5


def test_foam_rolling_takes_about_five_minutes_a_day(catalogue: Catalogue) -> None:
    for day in plan_for(make_profile(), catalogue).days:
        rolled = sum(i.minutes for s in day.sessions for i in s.items if i.block == "soft-tissue")
        assert 2 <= rolled <= 5  # R6


def test_every_session_has_its_exercises_in_the_catalogue(catalogue: Catalogue) -> None:
    for i in items(plan_for(make_profile(), catalogue, weeks=4)):
        assert i.exercise in catalogue


def test_moderate_pain_uses_the_physio_style_set(catalogue: Catalogue) -> None:
    plan = plan_for(make_profile(pain={"worst_last_week": 5}), catalogue, weeks=2)
    used = {i.exercise for i in items(plan)}
    assert {"low-step-up", "chair-squat", "mobility-drills"} <= used  # R9
    assert "step-up" not in used


def test_mild_pain_uses_step_ups(catalogue: Catalogue) -> None:
    used = {
        i.exercise
        for i in items(plan_for(make_profile(pain={"worst_last_week": 2}), catalogue, weeks=2))
    }
    assert "step-up" in used


def test_settle_phase_has_no_step_ups_band_work_or_running(catalogue: Catalogue) -> None:
    plan = plan_for(make_profile(pain={"worst_last_week": 8}), catalogue, weeks=3)
    assert plan.phase is Phase.SETTLE
    used = {i.exercise for i in items(plan)}
    assert not used & (STEP_UPS | BAND_WORK | {"running", "chair-squat"})
    assert all(i.prescription.load in (None, "bodyweight") for i in items(plan))


def test_settle_phase_uses_gentler_doses(catalogue: Catalogue) -> None:
    plan = plan_for(make_profile(pain={"worst_last_week": 8}), catalogue, weeks=1)
    dose = {i.exercise: i.prescription for i in items(plan)}
    assert dose["straight-leg-raise"].sets == 2
    assert dose["glute-bridge"].reps == 10


def test_build_phase_brings_in_band_work(catalogue: Catalogue) -> None:
    plan = plan_for(make_profile(), catalogue, weeks=2, phase=Phase.BUILD)
    used = {i.exercise for i in items(plan)}
    assert used & BAND_WORK  # R7
    assert {i.prescription.load for i in items(plan) if i.exercise == "glute-bridge"} == {"band"}


def test_maintain_phase_keeps_two_strength_sessions_and_runs(catalogue: Catalogue) -> None:
    profile = make_profile(pain={"worst_last_week": 0, "aggravated_by": []})
    plan = plan_for(profile, catalogue, weeks=1)
    assert plan.phase is Phase.MAINTAIN
    assert len(strength_dates(plan)) == 2  # R12, RTR-RULES
    runs = [s for d in plan.days for s in d.sessions if s.kind == "run"]
    assert 1 <= len(runs) <= profile.running.runs_per_week


def test_no_band_means_bodyweight_versions_in_build(catalogue: Catalogue) -> None:
    profile = make_profile(equipment=["mat", "chair", "wall", "step"])
    plan = plan_for(profile, catalogue, weeks=2, phase=Phase.BUILD)
    assert not {i.exercise for i in items(plan)} & BAND_WORK
    assert any(n.rule == "R7" for n in plan.notes)


def test_no_step_means_no_step_ups(catalogue: Catalogue) -> None:
    plan = plan_for(make_profile(equipment=["mat", "chair", "wall"]), catalogue, weeks=2)
    assert not {i.exercise for i in items(plan)} & STEP_UPS


def test_no_roller_or_ball_means_no_rolling_and_a_note(catalogue: Catalogue) -> None:
    plan = plan_for(make_profile(equipment=["mat", "wall"]), catalogue)
    assert not [i for i in items(plan) if i.block == "soft-tissue"]
    assert any(n.rule == "R6" for n in plan.notes)


def test_too_few_days_is_explained(catalogue: Catalogue) -> None:
    plan = plan_for(
        make_profile(
            availability={"days": ["mon", "tue", "wed", "thu"], "minutes_per_session": 40}
        ),
        catalogue,
    )
    assert len(strength_dates(plan)) == 2
    assert any(n.rule == "R4" and "Only 2" in n.text for n in plan.notes)


def test_short_sessions_are_trimmed_and_explained(catalogue: Catalogue) -> None:
    plan = plan_for(
        make_profile(availability={"days": ALL_DAYS, "minutes_per_session": 20}), catalogue
    )
    assert all(d.minutes <= 20 for d in plan.days)
    assert any(n.rule == "R13" and "20 minutes" in n.text for n in plan.notes)
    strength_day = plan.days[0]
    assert sum(1 for i in strength_day.sessions[0].items if i.block == "strength") >= 2


def test_cardio_that_does_not_fit_the_minutes_is_left_out_with_a_note(catalogue: Catalogue) -> None:
    plan = plan_for(
        make_profile(availability={"days": ALL_DAYS, "minutes_per_session": 15}), catalogue
    )
    assert not [s for d in plan.days for s in d.sessions if s.kind == "cardio"]
    assert any(n.rule == "R10" and "no room" in n.text for n in plan.notes)


def test_no_cross_training_access_means_no_cardio_and_a_note(catalogue: Catalogue) -> None:
    plan = plan_for(make_profile(cross_training=[]), catalogue)
    assert not [s for d in plan.days for s in d.sessions if s.kind == "cardio"]
    assert any(n.rule == "R10" for n in plan.notes)


def test_a_window_of_the_plan_agrees_with_the_whole(catalogue: Catalogue) -> None:
    profile = make_profile()
    whole = plan_for(profile, catalogue, weeks=3)
    first, last = START + dt.timedelta(days=9), START + dt.timedelta(days=15)
    window = build_plan(profile, catalogue, screen(profile), first, last)
    assert window.days == tuple(d for d in whole.days if first <= d.date <= last)


# --- properties over random profiles ---------------------------------------------------------

profiles = st.fixed_dictionaries(
    {
        "start_date": st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)),
        "affected_side": st.sampled_from(["left", "right", "both"]),
        "pain": st.fixed_dictionaries(
            {
                "worst_last_week": st.integers(0, 10),
                "at_rest": st.booleans(),
                "sharp": st.booleans(),
                "aggravated_by": st.lists(
                    st.sampled_from(
                        ["stairs", "sitting", "running", "downhill", "squatting", "kneeling"]
                    ),
                    unique=True,
                ),
            }
        ),
        "equipment": st.lists(st.sampled_from(ALL_EQUIPMENT), unique=True),
        "availability": st.fixed_dictionaries(
            {
                "days": st.lists(st.sampled_from(ALL_DAYS), min_size=1, unique=True),
                "minutes_per_session": st.integers(10, 180),
            }
        ),
        "cross_training": st.lists(
            st.sampled_from(["swimming", "water_running", "cycling", "elliptical"]), unique=True
        ),
        "running": st.fixed_dictionaries(
            {
                "currently_running": st.booleans(),
                "weekly_km": st.floats(0, 400),
                "runs_per_week": st.integers(0, 14),
            }
        ),
    }
).map(Profile.model_validate)

property_settings = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@property_settings
@given(profiles, st.sampled_from(list(Phase)), st.integers(1, 4))
def test_plan_invariants(catalogue: Catalogue, profile: Profile, phase: Phase, weeks: int) -> None:
    plan = plan_for(profile, catalogue, weeks, phase)
    assert not plan.referral.needed
    assert plan.days, "a profile with available days always gets sessions"
    available = {d.value for d in profile.availability.days}
    dates = strength_dates(plan)
    for a, b in itertools.pairwise(dates):
        assert (b - a).days >= 2  # never two strength days in a row, across week ends too
    for day in plan.days:
        assert day.date.strftime("%a").lower() in available  # available days only
        budget = profile.availability.minutes_per_session
        # never longer, but for a run: it is never dropped, and the notes say so (RTR-RULES)
        assert sum(s.minutes for s in day.sessions if s.kind != "run") <= budget
        if day.minutes > budget:
            assert any(n.rule == "RTR-RULES" and "own session" in n.text for n in plan.notes)
        for session in day.sessions:
            assert session.items
            if session.kind == "strength":
                n = sum(1 for i in session.items if i.block == "strength")
                assert 1 <= n <= 4
            for item in session.items:
                e = catalogue[item.exercise]
                assert e.kind is not Kind.AVOID  # avoided movements never prescribed (R8)
                assert set(e.equipment) <= set(profile.equipment)  # equipment respected
                assert e.needs_access is None or e.needs_access in profile.cross_training
                assert phase in e.phases
                dose = e.dose
                assert dose is not None
                p = item.prescription
                for field in ("sets", "reps", "hold_s", "minutes"):
                    value, bounds = getattr(p, field), getattr(dose, field)
                    if (
                        value is not None
                        and bounds is not None
                        and phase in (Phase.SETTLE, Phase.STRENGTHEN)
                    ):
                        assert value <= bounds[1]  # never beyond the guide's maximum
    weeks_seen: dict[tuple[int, int], int] = {}
    for d in dates:
        key = d.isocalendar()[:2]
        weeks_seen[key] = weeks_seen.get(key, 0) + 1
    assert all(n <= 4 for n in weeks_seen.values())
    if phase is Phase.SETTLE:
        assert not {i.exercise for d in plan.days for s in d.sessions for i in s.items} & (
            STEP_UPS | BAND_WORK | {"running"}
        )


@property_settings
@given(profiles, st.sampled_from(list(Phase)))
def test_same_profile_and_dates_give_the_same_plan(
    catalogue: Catalogue, profile: Profile, phase: Phase
) -> None:
    assert plan_for(profile, catalogue, 2, phase) == plan_for(profile, catalogue, 2, phase)


@property_settings
@given(
    profiles,
    st.sets(st.sampled_from(list(RedFlags.model_fields)), min_size=1),
    st.sampled_from(list(Phase)),
)
def test_any_red_flag_means_no_plan(
    catalogue: Catalogue, profile: Profile, flags: set[str], phase: Phase
) -> None:
    flagged = profile.model_copy(
        update={"red_flags": RedFlags.model_validate(dict.fromkeys(flags, True))}
    )
    plan = plan_for(flagged, catalogue, 2, phase)
    assert plan.referral.needed
    assert plan.days == ()
