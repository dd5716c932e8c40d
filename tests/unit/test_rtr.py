"""Return to run: the entry check (RTR-ENTRY), the walk/run ladder (RTR-LADDER) and the run and
next-morning rules (RTR-RULES), driven through the engine and the planner."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from kneecap.core.catalogue import Catalogue
from kneecap.core.engine import Action, Decision, Status, decide
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.phases import Phase
from kneecap.core.planner import build_plan
from kneecap.core.rtr import LADDER, EntryCheck, LadderRun
from kneecap.core.screening import screen
from tests.conftest import START, entry_check_data, make_profile


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def entry_check(n: int = 0, **changes: Any) -> EntryCheck:
    return EntryCheck.model_validate(entry_check_data(date=day(n).isoformat(), **changes))


def a_run(n: int, km: float = 1.6, pain: int | None = 1, **kw: Any) -> LadderRun:
    return LadderRun(date=day(n), distance_km=km, pain_during=pain, **kw)


def morning(n: int, pain: int = 1, **kw: Any) -> CheckIn:
    return CheckIn(date=day(n), morning_pain=pain, **kw)


READY_FROM = -14  # the build phase began two weeks before the entry check on day 0


def ready_history() -> tuple[list[SessionLog], list[CheckIn]]:
    """Two weeks of build-phase band work and mornings at 1/10 before day 0: the logged part
    of RTR-ENTRY is met, so these tests judge the ladder itself."""
    sessions = [
        SessionLog(
            date=day(n),
            entries=tuple(
                Entry(exercise=e, pain_during=1) for e in ("lateral-band-walk", "glute-bridge")
            ),
        )
        for n in range(READY_FROM + 2, 60, 3)  # strength goes on beside the runs
    ]
    return sessions, [morning(n, 1) for n in range(READY_FROM + 1, 1)]


def last(status: Status) -> Decision:
    """The ladder's latest decision (strength work goes on beside it)."""
    return next(d for d in reversed(status.decisions) if d.exercise in ("running", None))


def replay(
    catalogue: Catalogue,
    runs: list[LadderRun],
    checkins: list[CheckIn],
    today: int,
    checks: list[EntryCheck] | None = None,
    phase: Phase = Phase.BUILD,
) -> Status:
    sessions, mornings = ready_history()
    taken = {c.date for c in checkins}
    return decide(
        make_profile(start_date=day(READY_FROM).isoformat()),
        catalogue,
        phase,
        sessions,
        sorted([*(m for m in mornings if m.date not in taken), *checkins], key=lambda c: c.date),
        day(today),
        runs=runs,
        entry_checks=[entry_check()] if checks is None else checks,
    )


def passing(days: list[int], km: float = 1.6) -> tuple[list[LadderRun], list[CheckIn]]:
    return [a_run(d, km) for d in days], [morning(d, 1) for d in days] + [
        morning(d + 1, 1) for d in days
    ]


def test_passed_entry_check_starts_the_ladder_at_stage_1(catalogue: Catalogue) -> None:
    status = replay(catalogue, [], [], 0)
    assert status.phase is Phase.RETURN_TO_RUN
    assert status.stage == 1
    assert last(status).rule == "RTR-ENTRY"
    assert last(status).to_phase is Phase.RETURN_TO_RUN


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"daily_pain": 3}, "daily-life pain 3/10"),
        ({"brisk_walk_30_min": False}, "brisk walking"),
        ({"swelling": True}, "no swelling"),
        ({"wall_sit_s": 45}, "60 s wall sit (held 45 s)"),
        ({"balance_left_s": 20}, "balance on each leg (held 20 s)"),
        ({"step_downs_right": 6}, "step-downs on each leg (did 6)"),
        ({"step_down_pain": 4}, "pain during the step-downs 4/10"),
    ],
)
def test_unmet_entry_criteria_keep_the_runner_off_the_ladder(
    catalogue: Catalogue, change: dict[str, Any], words: str
) -> None:
    status = replay(catalogue, [], [], 0, checks=[entry_check(**change)])
    assert status.phase is Phase.BUILD
    assert status.stage is None
    decision = last(status)
    assert (decision.rule, decision.action) == ("RTR-ENTRY", Action.HOLD)
    assert words in decision.reason.lower()


def test_running_starts_from_the_build_phase_only(catalogue: Catalogue) -> None:
    status = replay(catalogue, [], [], 0, phase=Phase.SETTLE)
    assert status.phase in (Phase.SETTLE, Phase.STRENGTHEN)
    assert "build phase" in last(status).reason.lower()


def test_two_passing_runs_advance_one_stage(catalogue: Catalogue) -> None:
    runs, checkins = passing([1, 3])
    status = replay(catalogue, runs, checkins, 4)
    assert status.stage == 2
    assert status.stage_passes == 0
    decision = last(status)
    assert (decision.exercise, decision.action, decision.rule) == (
        "running",
        Action.PROGRESS,
        "RTR-RULES",
    )
    assert "stage 2" in decision.reason.lower()


def test_one_passing_run_is_not_enough(catalogue: Catalogue) -> None:
    runs, checkins = passing([1])
    status = replay(catalogue, runs, checkins, 2)
    assert status.stage == 1
    assert status.stage_passes == 1


def test_amber_pain_during_a_run_holds_the_stage(catalogue: Catalogue) -> None:
    runs, checkins = passing([1, 3])
    runs[1] = a_run(3, pain=4)
    status = replay(catalogue, runs, checkins, 4)
    assert status.stage == 1
    decision = last(status)
    assert (decision.action, decision.rule) == (Action.HOLD, "RTR-RULES")
    assert "pain 4/10 during the run" in decision.reason.lower()


def test_sharp_pain_on_a_run_drops_back_a_stage(catalogue: Catalogue) -> None:
    runs, checkins = passing([1, 3])
    runs.append(a_run(5, km=2.4, pain=2, sharp=True))
    status = replay(catalogue, runs, checkins, 5)
    assert status.stage == 1
    decision = last(status)
    assert (decision.action, decision.rule) == (Action.REGRESS, "RTR-RULES")
    assert "sharp pain" in decision.reason.lower()


def test_pain_above_5_on_a_run_drops_back_at_once(catalogue: Catalogue) -> None:
    runs, checkins = passing([1, 3])
    runs.append(a_run(5, km=2.4, pain=6))
    status = replay(catalogue, runs, checkins, 5)
    assert status.stage == 1


@pytest.mark.parametrize(
    ("next_morning", "words"),
    [
        ({"pain": 3}, "worse next morning"),
        ({"pain": 1, "swelling": True}, "swelling"),
        ({"pain": 1, "limp": True}, "limp"),
    ],
)
def test_a_red_next_morning_drops_back_a_stage(
    catalogue: Catalogue, next_morning: dict[str, Any], words: str
) -> None:
    runs, checkins = passing([1, 3])
    runs.append(a_run(5, km=2.4, pain=1))
    checkins += [morning(5, 1), morning(6, **next_morning)]
    status = replay(catalogue, runs, checkins, 6)
    assert status.stage == 1
    assert words in last(status).reason.lower()


def test_slower_to_settle_holds(catalogue: Catalogue) -> None:
    runs, checkins = passing([1])
    runs.append(a_run(3))
    checkins += [morning(3, 0), morning(4, 1)]
    status = replay(catalogue, runs, checkins, 4)
    assert status.stage == 1
    assert status.stage_passes == 1
    assert "slower to settle" in last(status).reason.lower()


def test_a_run_without_a_morning_check_in_cannot_pass(catalogue: Catalogue) -> None:
    runs = [a_run(1), a_run(3)]
    checkins = [morning(1), morning(2), morning(3)]  # nothing the morning after day 3
    status = replay(catalogue, runs, checkins, 6)
    assert status.stage == 1
    assert "no morning check-in" in last(status).reason.lower()


def test_a_hilly_or_much_longer_run_holds(catalogue: Catalogue) -> None:
    runs, checkins = passing([1, 3])
    runs[1] = a_run(3, downhill_m=250)
    status = replay(catalogue, runs, checkins, 4)
    assert status.stage == 1
    assert "level ground" in last(status).reason.lower()
    runs[1] = a_run(3, km=5.0)
    assert "well over the stage" in last(replay(catalogue, runs, checkins, 4)).reason.lower()


def test_an_imported_run_without_logged_pain_is_judged_by_the_morning(
    catalogue: Catalogue,
) -> None:
    runs = [a_run(1, pain=None), a_run(3, pain=None)]
    checkins = [morning(n) for n in (1, 2, 3, 4)]
    status = replay(catalogue, runs, checkins, 4)
    assert status.stage == 2
    assert "not logged" in last(status).reason.lower()


def test_passing_the_last_stage_twice_moves_to_maintain(catalogue: Catalogue) -> None:
    days = list(range(1, 2 * 2 * len(LADDER), 2))  # two passing runs per stage
    runs, checkins = passing(days)
    status = replay(catalogue, runs, checkins, days[-1] + 1)
    assert status.phase is Phase.MAINTAIN
    assert status.came_through_ladder
    assert last(status).to_phase is Phase.MAINTAIN


def test_two_red_runs_in_two_weeks_step_back_to_build(catalogue: Catalogue) -> None:
    runs = [a_run(1, pain=7), a_run(3, pain=7)]
    checkins = [morning(n) for n in range(1, 6)]
    status = replay(catalogue, runs, checkins, 5)
    assert status.phase is Phase.BUILD
    assert status.stage is None


def test_ladder_plan_runs_on_non_consecutive_days_with_the_stage_and_cadence_cue(
    catalogue: Catalogue,
) -> None:
    profile = make_profile()
    runs, checkins = passing([1, 3])
    status = replay(catalogue, runs, checkins, 4)
    plan = build_plan(
        profile,
        catalogue,
        screen(profile, frozenset()),
        day(7),
        day(20),
        status=status,
        cadence_cue=166,
    )
    run_days = [d.date for d in plan.days for s in d.sessions if s.kind == "run"]
    assert len(run_days) >= 4
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(run_days))
    item = next(s.items[0] for d in plan.days for s in d.sessions if s.kind == "run")
    assert item.run_stage == LADDER[1]
    assert item.cadence_spm == 166
    assert "walk 2 min / run 3 min" in item.dose()
    assert "166 steps/min" in item.dose()
    assert any(n.rule == "RTR-LADDER" for n in plan.notes)


def test_after_the_ladder_the_plan_keeps_two_strength_days_and_runs(
    catalogue: Catalogue,
) -> None:
    profile = make_profile(running={"currently_running": False, "weekly_km": 0, "runs_per_week": 3})
    days = list(range(1, 2 * 2 * len(LADDER), 2))
    runs, checkins = passing(days)
    status = replay(catalogue, runs, checkins, days[-1] + 1)
    plan = build_plan(
        profile, catalogue, screen(profile, frozenset()), day(40), day(46), status=status
    )
    kinds = [s.kind for d in plan.days for s in d.sessions]
    assert kinds.count("strength") == 2
    assert kinds.count("run") >= 2
