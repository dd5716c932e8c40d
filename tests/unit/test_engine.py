"""The progression engine's clinical rules (CLINICAL PMM-1..4, PMM-SHARP; docs/rules.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.core.catalogue import Catalogue, Kind
from kneecap.core.engine import MORNING, SESSIONS, Action, Replayer, Status, decide
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.phases import Phase
from kneecap.core.profile import Profile
from tests.conftest import START, make_profile


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def session(n: int, *entries: Entry, pain_after: int | None = None) -> SessionLog:
    return SessionLog(date=day(n), entries=entries, pain_after=pain_after)


def entry(exercise: str, pain: int = 1, **kw: Any) -> Entry:
    return Entry(exercise=exercise, pain_during=pain, **kw)


def morning(n: int, pain: int = 1, **kw: Any) -> CheckIn:
    return CheckIn(date=day(n), morning_pain=pain, **kw)


def run(
    catalogue: Catalogue,
    sessions: list[SessionLog],
    checkins: list[CheckIn],
    today: int,
    profile: Profile | None = None,
    phase: Phase = Phase.STRENGTHEN,
) -> Status:
    return decide(profile or make_profile(), catalogue, phase, sessions, checkins, day(today))


def good_days(
    exercise: str, days: list[int], pain: int = 1
) -> tuple[list[SessionLog], list[CheckIn]]:
    return [session(d, entry(exercise, pain)) for d in days], [morning(d + 1, 1) for d in days]


def test_two_settled_sessions_progress_one_step(catalogue: Catalogue) -> None:
    sessions, checkins = good_days("glute-bridge", [0, 2])
    status = run(catalogue, sessions, checkins, 3)
    bridge = status.tracks["glute-bridge"]
    assert (bridge.dose.sets, bridge.dose.reps) == (3, 14)
    d = status.latest("glute-bridge")
    assert d is not None
    assert d.action is Action.PROGRESS
    assert d.rule == "PMM-4"
    assert d.from_dose is not None
    assert d.from_dose.reps == 12


def test_no_progression_without_the_morning_check_in(catalogue: Catalogue) -> None:
    sessions, _ = good_days("glute-bridge", [0, 2, 4])
    status = run(catalogue, sessions, [], 5)
    assert status.tracks["glute-bridge"].dose.reps == 12


def test_pain_above_the_limit_regresses_that_exercise_next_time(catalogue: Catalogue) -> None:
    status = run(catalogue, [session(0, entry("glute-bridge", 6))], [], 1)
    bridge = status.tracks["glute-bridge"]
    assert bridge.dose.sets == 2
    d = status.latest("glute-bridge")
    assert d is not None
    assert (d.action, d.rule) == (Action.REGRESS, "PMM-4")


def test_the_pain_limit_is_configurable_per_runner(catalogue: Catalogue) -> None:
    strict = make_profile(limits={"pain_limit": 3})
    status = run(catalogue, [session(0, entry("glute-bridge", 4))], [], 1, strict)
    assert status.tracks["glute-bridge"].dose.sets == 2
    relaxed = run(catalogue, [session(0, entry("glute-bridge", 4))], [], 1)
    assert relaxed.tracks["glute-bridge"].dose.sets == 3


def test_settle_phase_uses_the_stricter_limit(catalogue: Catalogue) -> None:
    status = run(catalogue, [session(0, entry("glute-bridge", 3))], [], 1, phase=Phase.SETTLE)
    d = status.latest("glute-bridge")
    assert d is not None
    assert d.action is Action.REGRESS


def test_worse_next_morning_reduces_the_whole_next_session(catalogue: Catalogue) -> None:
    checkins = [morning(-3, 1), morning(-2, 1), morning(-1, 1), morning(1, 4)]
    s = session(0, entry("glute-bridge"), entry("clamshell"), entry("wall-sit"))
    status = run(catalogue, [s], checkins, 1)
    for exercise in ("glute-bridge", "clamshell", "wall-sit"):
        d = status.latest(exercise)
        assert d is not None
        assert d.rule == "PMM-2"
        assert d.action in (Action.REGRESS, Action.HOLD)
    assert status.tracks["glute-bridge"].dose.sets == 2


def test_sharp_pain_substitutes_the_exercise(catalogue: Catalogue) -> None:
    status = run(catalogue, [session(0, entry("step-up", 3, sharp=True))], [], 1)
    track = status.tracks["step-up"]
    assert track.exercise == "low-step-up"
    d = status.latest("step-up")
    assert d is not None
    assert (d.action, d.rule, d.to_exercise) == (Action.SUBSTITUTE, "PMM-SHARP", "low-step-up")


def test_sharp_pain_twice_stops_the_exercise_and_suggests_a_clinician(catalogue: Catalogue) -> None:
    sessions = [
        session(0, entry("step-up", 3, sharp=True)),
        session(2, entry("low-step-up", 3, sharp=True)),
    ]
    status = run(catalogue, sessions, [], 3)
    assert status.tracks["step-up"].stopped
    d = status.latest("step-up")
    assert d is not None
    assert (d.action, d.rule) == (Action.STOP, "PMM-SHARP")
    assert any("physiotherapist" in a for a in status.advice)


@pytest.mark.parametrize(
    ("hurt", "said"),
    [
        ({"sharp": True}, "sharp pain during Low step-up"),
        ({"pain": 8}, "pain 8/10 during Low step-up, above your limit of 5/10"),
    ],
    ids=["sharp pain", "pain above the limit"],
)
def test_pain_in_a_stopped_exercise_done_anyway_holds_the_next_days_progressions(
    catalogue: Catalogue, hurt: dict[str, Any], said: str
) -> None:
    """PMM-1 and PMM-SHARP: the knee hurt in the session, whichever exercise it hurt in, so
    nothing progresses the next morning; an exercise the engine stopped is no exception."""
    stopped = [
        session(0, entry("step-up", 3, sharp=True)),
        session(2, entry("low-step-up", 3, sharp=True)),
    ]
    sessions = [
        *stopped,
        session(4, entry("glute-bridge", 1)),
        session(6, entry("glute-bridge", 1), entry("low-step-up", **hurt)),
    ]
    status = run(catalogue, sessions, [morning(5, 1), morning(7, 1)], 8)
    assert status.tracks["step-up"].stopped
    assert not [d for d in status.decisions if d.action is Action.PROGRESS]
    d = status.latest("glute-bridge")
    assert d is not None
    assert (d.date, d.action) == (day(7), Action.HOLD)
    assert (
        d.reason
        == f"A limit was breached in the same session ({said}), so nothing progresses today."
    )


def test_a_long_gap_restarts_one_step_lower(catalogue: Catalogue) -> None:
    sessions, checkins = good_days("glute-bridge", [0, 2])
    status = run(catalogue, sessions, checkins, 12)
    bridge = status.tracks["glute-bridge"]
    assert bridge.dose.reps == 12  # progressed to 14, then one step back after 10 days off
    d = status.latest("glute-bridge")
    assert d is not None
    assert (d.action, d.rule, d.date) == (Action.REGRESS, "KC-GAP", day(12))


def test_rising_weekly_pain_holds_all_progression(catalogue: Catalogue) -> None:
    checkins = [morning(n, 1) for n in range(-13, -6)] + [morning(n, 3) for n in range(-6, 0)]
    sessions = [session(0, entry("glute-bridge")), session(2, entry("glute-bridge"))]
    checkins += [morning(1, 3), morning(3, 3)]
    status = run(catalogue, sessions, checkins, 4)
    assert status.holding
    assert any(d.rule == "PMM-3" and d.exercise is None for d in status.decisions)
    assert status.tracks["glute-bridge"].dose.reps == 12


def test_no_progression_on_a_day_after_a_breached_limit(catalogue: Catalogue) -> None:
    sessions = [
        session(0, entry("glute-bridge"), entry("clamshell")),
        session(2, entry("glute-bridge"), entry("clamshell", 7)),
    ]
    status = run(catalogue, sessions, [morning(1), morning(3)], 3)
    assert status.tracks["glute-bridge"].dose.reps == 12
    progressed = [d for d in status.decisions if d.action is Action.PROGRESS and d.date == day(3)]
    assert progressed == []


def test_the_dose_never_passes_the_guide_maximum_before_build(catalogue: Catalogue) -> None:
    days = list(range(0, 60, 2))
    sessions, checkins = good_days("straight-leg-raise", days)
    status = run(catalogue, sessions, checkins, 61)
    slr = status.tracks["straight-leg-raise"]
    assert (slr.dose.sets, slr.dose.reps) == (3, 15)
    assert any(d.action is Action.HOLD and d.rule == "R4" for d in status.decisions)


def test_low_step_up_progresses_to_the_step_up(catalogue: Catalogue) -> None:
    sessions, checkins = good_days("low-step-up", list(range(0, 40, 2)))
    status = run(catalogue, sessions, checkins, 41)
    assert status.tracks["low-step-up"].exercise == "step-up"


def test_same_history_gives_the_same_decisions(catalogue: Catalogue) -> None:
    sessions, checkins = good_days("glute-bridge", [0, 2, 4, 6])
    assert run(catalogue, sessions, checkins, 8) == run(catalogue, sessions, checkins, 8)


# --- properties -------------------------------------------------------------------------------


TRACKED = [
    "straight-leg-raise",
    "glute-bridge",
    "clamshell",
    "wall-sit",
    "step-up",
    "low-step-up",
    "chair-squat",
    "quad-stretch",
]

entries = st.builds(
    Entry,
    exercise=st.sampled_from(TRACKED),
    pain_during=st.integers(0, 10),
    sharp=st.booleans(),
    difficulty=st.sampled_from(["easy", "ok", "hard"]),
    sets_done=st.none() | st.integers(0, 4),
)
histories = st.lists(
    st.tuples(
        st.integers(0, 60),
        st.lists(entries, min_size=1, max_size=4),
        st.none() | st.integers(0, 10),
        st.none() | st.integers(0, 10),
    ),
    max_size=25,
)


def build(
    history: list[tuple[int, list[Entry], int | None, int | None]],
) -> tuple[list[SessionLog], list[CheckIn]]:
    sessions: dict[int, SessionLog] = {}
    checkins: dict[int, CheckIn] = {}
    for n, es, after, next_morning in history:
        sessions[n] = session(n, *es, pain_after=after)
        if next_morning is not None:
            checkins[n + 1] = morning(n + 1, next_morning)
    return list(sessions.values()), list(checkins.values())


engine_settings = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@engine_settings
@given(histories, st.sampled_from([Phase.SETTLE, Phase.STRENGTHEN]))
def test_engine_never_exceeds_the_guide_maximum_before_build(
    catalogue: Catalogue, history: Any, phase: Phase
) -> None:
    sessions, checkins = build(history)
    status = run(catalogue, sessions, checkins, 70, phase=phase)
    for track in status.tracks.values():
        dose = catalogue[track.exercise].dose
        assert dose is not None
        if status.phase in (Phase.SETTLE, Phase.STRENGTHEN):
            for name in ("sets", "reps", "hold_s", "minutes"):
                value, bounds = getattr(track.dose, name), getattr(dose, name)
                if value is not None and bounds is not None:
                    assert value <= bounds[1]


@engine_settings
@given(histories)
def test_engine_never_prescribes_an_avoided_movement(catalogue: Catalogue, history: Any) -> None:
    sessions, checkins = build(history)
    status = run(catalogue, sessions, checkins, 70)
    for track in status.tracks.values():
        assert catalogue[track.exercise].kind is not Kind.AVOID
    for d in status.decisions:
        assert d.to_exercise is None or catalogue[d.to_exercise].kind is not Kind.AVOID


@engine_settings
@given(histories)
def test_engine_never_progresses_on_a_day_after_a_breached_limit(
    catalogue: Catalogue, history: Any
) -> None:
    sessions, checkins = build(history)
    status = run(catalogue, sessions, checkins, 70)
    limit = make_profile().limits.pain_limit
    breached = {
        s.date + dt.timedelta(days=1)
        for s in sessions
        if any(e.pain_during > limit or e.sharp for e in s.entries) or (s.pain_after or 0) > limit
    }
    for d in status.decisions:
        if d.action is Action.PROGRESS and d.exercise is not None:
            assert d.date not in breached


@engine_settings
@given(histories)
def test_engine_same_history_same_decisions(catalogue: Catalogue, history: Any) -> None:
    sessions, checkins = build(history)
    assert run(catalogue, sessions, checkins, 70) == run(
        catalogue, list(reversed(sessions)), checkins, 70
    )


@engine_settings
@given(histories, st.integers(1, 70), st.sampled_from([MORNING, SESSIONS]))
def test_a_replay_looked_at_on_the_way_decides_as_a_replay_of_the_history_so_far(
    catalogue: Catalogue, history: Any, today: int, through: int
) -> None:
    sessions, checkins = build(history)
    replayer = Replayer(make_profile(), catalogue, Phase.STRENGTHEN, sessions, checkins)
    for n in range(0, today + 1, 7):  # looked at every week on the way, then at the end
        replayer.play(day(n), through)
        so_far = [
            s for s in sessions if s.date < day(n) or (through >= SESSIONS and s.date == day(n))
        ]
        mornings = [c for c in checkins if c.date <= day(n)]
        assert replayer.status(day(n)) == run(catalogue, so_far, mornings, n)
    replayer.play(day(today))
    assert replayer.status(day(today)) == run(catalogue, sessions, checkins, today)


def test_a_fork_of_the_replay_shares_nothing_it_changes(catalogue: Catalogue) -> None:
    sessions, checkins = good_days("glute-bridge", [0, 2, 4])
    replayer = Replayer(make_profile(), catalogue, Phase.STRENGTHEN, sessions, checkins)
    replayer.play(day(5))
    state = replayer.run
    for original in (state, state.clinic):
        copy = state.fork() if original is state else state.fork().clinic
        for f in dataclasses.fields(original):
            value = getattr(original, f.name)
            if isinstance(value, list | dict | set):
                assert getattr(copy, f.name) is not value, f.name
    forked = state.fork()
    forked.tracks["glute-bridge"].successes += 5
    assert state.tracks["glute-bridge"].successes != forked.tracks["glute-bridge"].successes
