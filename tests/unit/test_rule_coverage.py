"""Rules in the registry (docs/rules.md) that had no test of their own: combined hip and knee
work (CPG-EX), comfort measures (CPG-PASSIVE), orthoses as information (CPG-ORTH), and the
settle exit (KC-PHASE-SETTLE) through the engine's public `decide`."""

from __future__ import annotations

import datetime as dt

from kneecap.catalog import load_topics
from kneecap.core.catalogue import Catalogue
from kneecap.core.engine import Action, decide
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.phases import Phase
from kneecap.core.planner import build_plan
from kneecap.core.screening import screen
from tests.conftest import START, make_profile

HIP = {"glutes", "hip abductors", "hip flexors"}
KNEE = {"quadriceps"}


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def test_strength_sessions_combine_hip_and_knee_work_for_both_legs(catalogue: Catalogue) -> None:
    profile = make_profile(affected_side="right")
    plan = build_plan(profile, catalogue, screen(profile), START, day(13))
    strength = [s for d in plan.days for s in d.sessions if s.kind == "strength"]
    assert strength
    for s in strength:
        targets = [set(catalogue[i.exercise].targets) for i in s.items if i.block == "strength"]
        assert any(t & HIP for t in targets), [i.exercise for i in s.items]
        assert any(t & KNEE for t in targets), [i.exercise for i in s.items]
    both = [n for n in plan.notes if n.rule == "CPG-EX"]
    assert both
    assert "both legs" in both[0].text


def test_relief_measures_are_labelled_comfort_not_treatment(catalogue: Catalogue) -> None:
    profile = make_profile()
    plan = build_plan(profile, catalogue, screen(profile), START, day(6))
    relief = [i for d in plan.days for s in d.sessions for i in s.items if i.block == "soft-tissue"]
    assert relief
    assert all(catalogue[i.exercise].relief_only for i in relief)
    assert all(
        not catalogue[i.exercise].relief_only
        for d in plan.days
        for s in d.sessions
        for i in s.items
        if i.block == "strength"
    )
    (note,) = [n for n in plan.notes if n.rule == "CPG-PASSIVE"]
    assert "comfort" in note.text


def test_orthoses_are_information_only(catalogue: Catalogue) -> None:
    topic = load_topics()["footwear-and-orthoses"]
    assert "CPG-ORTH" in topic.sources
    assert any("does not prescribe" in s.body for s in topic.sections)
    words = ("orthos", "insole", "tape", "taping")
    assert not [e.id for e in catalogue.values() if any(w in e.id for w in words)]


def test_a_settled_week_moves_the_runner_from_settle_to_strengthen(catalogue: Catalogue) -> None:
    profile = make_profile(pain={"worst_last_week": 8})
    assert screen(profile).phase is Phase.SETTLE
    days = range(0, 10, 2)
    sessions = [
        SessionLog(date=day(n), entries=(Entry(exercise="glute-bridge", pain_during=1),))
        for n in days
    ]
    checkins = [CheckIn(date=day(n), morning_pain=2) for n in range(1, 10)]
    status = decide(profile, catalogue, Phase.SETTLE, sessions, checkins, day(9))
    assert status.phase is Phase.STRENGTHEN
    (change,) = [d for d in status.decisions if d.to_phase is Phase.STRENGTHEN]
    assert (change.rule, change.action, change.from_phase) == (
        "KC-PHASE-SETTLE",
        Action.PROGRESS,
        Phase.SETTLE,
    )
    assert change.date >= day(7)  # at least a week in settle


def test_a_settle_week_that_still_hurts_stays_in_settle(catalogue: Catalogue) -> None:
    profile = make_profile(pain={"worst_last_week": 8})
    checkins = [CheckIn(date=day(n), morning_pain=5) for n in range(1, 10)]
    status = decide(profile, catalogue, Phase.SETTLE, [], checkins, day(9))
    assert status.phase is Phase.SETTLE
    assert not [d for d in status.decisions if d.rule == "KC-PHASE-SETTLE"]
