"""The clinician's overrides as inputs to the engine (KC-CLINICIAN; docs/rules.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.core.catalogue import Catalogue
from kneecap.core.engine import Action, decide
from kneecap.core.overrides import BadOverride, Override, check, parse
from kneecap.core.phases import Phase
from kneecap.core.planner import build_plan
from kneecap.core.screening import screen
from tests.conftest import START, make_profile
from tests.unit.test_engine import day, entry, good_days, morning, run, session

UTC = dt.UTC


def override(n: int, kind: str, data: dict[str, Any], reason: str = "", at: int = 0) -> Override:
    when = dt.datetime.combine(day(at), dt.time(9), tzinfo=UTC)
    return Override.of(n, "Dr Kim", when, kind, data, reason)


def replay(catalogue: Catalogue, sessions: Any, checkins: Any, today: int, *overrides: Override):  # type: ignore[no-untyped-def]
    return decide(
        make_profile(),
        catalogue,
        Phase.STRENGTHEN,
        sessions,
        checkins,
        day(today),
        overrides=overrides,
    )


def test_no_overrides_give_the_same_status(catalogue: Catalogue) -> None:
    sessions, checkins = good_days("glute-bridge", [0, 2, 4, 6])
    plain = run(catalogue, sessions, checkins, 8)
    with_none = replay(catalogue, sessions, checkins, 8)
    assert plain == with_none
    assert not plain.clinician.applied


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 8), st.booleans()),
        max_size=12,
        unique_by=lambda t: t[0],
    )
)
def test_no_overrides_identical_output_property(
    catalogue: Catalogue, days: list[tuple[int, int, bool]]
) -> None:
    sessions = [session(d, entry("glute-bridge", p, sharp=s)) for d, p, s in days]
    checkins = [morning(d + 1, min(p, 3)) for d, p, _ in days]
    profile = make_profile()
    a = decide(profile, catalogue, Phase.STRENGTHEN, sessions, checkins, day(25))
    b = decide(profile, catalogue, Phase.STRENGTHEN, sessions, checkins, day(25), overrides=())
    assert a == b
    screening = screen(profile, frozenset())
    assert build_plan(profile, catalogue, screening, day(25), day(38), status=a) == build_plan(
        profile, catalogue, screening, day(25), day(38), status=b
    )


def test_the_clinicians_pain_limit_replaces_the_default(catalogue: Catalogue) -> None:
    limit = override(1, "limits", {"pain_limit": 3}, "Irritable this week")
    sessions = [session(1, entry("glute-bridge", 4))]
    default = replay(catalogue, sessions, [], 2)
    before = default.latest("glute-bridge")
    assert before is None or before.action is not Action.REGRESS
    status = replay(catalogue, sessions, [], 2, limit)
    d = status.latest("glute-bridge")
    assert d is not None
    assert d.action in (Action.REGRESS, Action.HOLD)
    assert d.rule == "PMM-4"
    assert "above your limit of 3/10" in d.reason
    assert status.clinician.pain_limit == 3


def test_a_pinned_dose_is_not_progressed(catalogue: Catalogue) -> None:
    pin = override(1, "pin_dose", {"exercise": "glute-bridge", "sets": 2, "reps": 10}, "Go slow")
    sessions, checkins = good_days("glute-bridge", [0, 2, 4, 6])
    status = replay(catalogue, sessions, checkins, 8, pin)
    bridge = status.tracks["glute-bridge"]
    assert (bridge.dose.sets, bridge.dose.reps) == (2, 10)
    assert not any(
        d.action is Action.PROGRESS and d.exercise == "glute-bridge" for d in status.decisions
    )
    d = status.latest("glute-bridge")
    assert d is not None
    assert d.rule == "KC-CLINICIAN"
    assert "pinned it at 2 x 10" in d.reason


def test_with_approval_on_a_step_up_waits_as_a_suggestion(catalogue: Catalogue) -> None:
    on = override(1, "approve_progressions", {"on": True}, "Post-op")
    sessions, checkins = good_days("glute-bridge", [0, 2])
    status = replay(catalogue, sessions, checkins, 3, on)
    bridge = status.tracks["glute-bridge"]
    assert (bridge.dose.sets, bridge.dose.reps) == (3, 12)
    (waiting,) = status.clinician.waiting
    assert waiting.exercise == "glute-bridge"
    assert waiting.to_dose.reps == 14
    assert waiting.id == f"glute-bridge@{day(3).isoformat()}"
    d = status.latest("glute-bridge")
    assert d is not None
    assert "waiting for your physio" in d.reason


def test_an_approved_step_up_applies(catalogue: Catalogue) -> None:
    on = override(1, "approve_progressions", {"on": True}, "Post-op")
    sessions, checkins = good_days("glute-bridge", [0, 2])
    yes = override(
        2,
        "progression_decision",
        {"exercise": "glute-bridge", "suggested_on": day(3).isoformat(), "decision": "approve"},
        "Looks good",
        at=4,
    )
    status = replay(catalogue, sessions, checkins, 5, on, yes)
    assert status.tracks["glute-bridge"].dose.reps == 14
    assert not status.clinician.waiting
    d = status.latest("glute-bridge")
    assert d is not None
    assert d.action is Action.PROGRESS
    assert "approved" in d.reason


def test_a_rejected_step_up_keeps_the_dose(catalogue: Catalogue) -> None:
    on = override(1, "approve_progressions", {"on": True}, "Post-op")
    sessions, checkins = good_days("glute-bridge", [0, 2])
    no = override(
        2,
        "progression_decision",
        {"exercise": "glute-bridge", "suggested_on": day(3).isoformat(), "decision": "reject"},
        "Not yet",
        at=4,
    )
    status = replay(catalogue, sessions, checkins, 5, on, no)
    assert status.tracks["glute-bridge"].dose.reps == 12
    assert not status.clinician.waiting
    d = status.latest("glute-bridge")
    assert d is not None
    assert d.action is Action.HOLD
    assert "kept Glute bridge" in d.reason.replace(catalogue["glute-bridge"].name, "Glute bridge")


def _strength(status: Any, catalogue: Catalogue) -> set[str]:
    profile = make_profile()
    plan = build_plan(
        profile, catalogue, screen(profile, frozenset()), day(7), day(20), status=status
    )
    return {
        i.exercise for d in plan.days for s in d.sessions for i in s.items if i.block == "strength"
    }


def test_a_removed_exercise_leaves_the_plan(catalogue: Catalogue) -> None:
    before = _strength(replay(catalogue, [], [], 7), catalogue)
    assert "clamshell" in before
    out = override(1, "remove_exercise", {"exercise": "clamshell"}, "Hip irritated")
    after = _strength(replay(catalogue, [], [], 7, out), catalogue)
    assert "clamshell" not in after


def test_an_added_exercise_joins_the_strength_sessions(catalogue: Catalogue) -> None:
    add = override(1, "add_exercise", {"exercise": "single-leg-balance"}, "Balance work")
    assert "single-leg-balance" in _strength(replay(catalogue, [], [], 7, add), catalogue)


def test_the_phase_set_by_the_clinician_is_where_the_engine_starts(catalogue: Catalogue) -> None:
    phase = override(1, "phase", {"phase": "build"}, "Strong enough")
    status = replay(catalogue, [], [], 3, phase)
    assert status.phase is Phase.BUILD
    assert status.phase_since == day(0)


def test_an_override_reason_is_shown_with_its_author(catalogue: Catalogue) -> None:
    limit = override(1, "limits", {"pain_limit": 3}, "Irritable this week")
    (note,) = replay(catalogue, [], [], 2, limit).clinician.applied
    assert note.text == (
        f"Your physio Dr Kim set your pain limit to 3/10 on {START.isoformat()}: "
        '"Irritable this week"'
    )
    assert note.author == "Dr Kim"
    assert note.reason == "Irritable this week"


def test_the_weekly_running_cap_is_a_ceiling_on_the_target(catalogue: Catalogue) -> None:
    cap = override(1, "limits", {"weekly_run_cap_km": 12}, "")
    status = replay(catalogue, [], [], 2, cap)
    assert status.clinician.weekly_run_cap_km == 12
    assert "capped your weekly running at 12 km" in status.clinician.applied[0].text


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("nope", {}, "kind must be one of"),
        ("limits", {}, "give pain_limit"),
        ("limits", {"pain_limit": 11}, "pain_limit"),
        ("pin_dose", {"exercise": "glute-bridge", "sets": 2}, "give reps"),
        ("add_exercise", {"exercise": "no-such"}, "no exercise"),
        ("add_exercise", {"exercise": "quad-stretch"}, "not a strength exercise"),
        ("phase", {"phase": "flying"}, "phase"),
    ],
)
def test_bad_overrides_are_refused_with_a_message(
    catalogue: Catalogue, kind: str, data: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadOverride, match=message):
        _checked(kind, data, catalogue)


def _checked(kind: str, data: dict[str, Any], catalogue: Catalogue) -> None:
    k, d = parse(kind, data)
    check(k, d, catalogue)
