"""Running on one's own before the walk/run ladder (core/running_advice.py): each run judged by
the pain-monitoring model (PMM-1, PMM-2, PMM-4, PMM-SHARP), the advice from the latest answered
run, two bad runs within two weeks pausing running until the run check (KC-RUN-PAUSE,
RTR-ENTRY), level ground (LOAD-DOWNHILL, R2), the weekly step (LOAD-SPIKE) and the cadence
target (CAD-1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecap.core import rtr, rulebook
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.phases import Phase
from kneecap.core.running import RunRecord
from kneecap.core.running_advice import Advice, RunningAdvice, Verdict, advise
from kneecap.core.sport import Sport
from kneecap.core.summary import Summary
from tests.conftest import START, make_profile

TODAY = START + dt.timedelta(days=20)


def on(n: int) -> dt.date:
    """`n` days before TODAY."""
    return TODAY - dt.timedelta(days=n)


def run(
    days_ago: int,
    km: float = 5.0,
    during: int | None = None,
    next_morning: int | None = None,
    downhill_m: float | None = 0.0,
    cadence: float | None = None,
    ident: int = 0,
) -> RunRecord:
    day = on(days_ago)
    return RunRecord(
        id=ident or 1000 - days_ago,
        sport=Sport.RUNNING,
        start=dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC),
        date=day,
        source="gpx",
        file=f"run-{days_ago}.gpx",
        summary=Summary(
            distance_m=km * 1000,
            duration_s=km * 360,
            moving_time_s=km * 360,
            ascent_m=None,
            descent_m=None,
            downhill_m=downhill_m,
            steepest=(),
            cadence_spm=cadence,
            step_length_m=None,
            heart_rate=None,
        ),
        pain_during=during,
        pain_next_morning=next_morning,
    )


def morning(days_ago: int, pain: int, **kw: Any) -> CheckIn:
    return CheckIn(date=on(days_ago), morning_pain=pain, **kw)


def usual_week(before: int, pain: int = 1) -> list[CheckIn]:
    """A check-in every morning of the week up to `before` days ago."""
    return [morning(before + i, pain) for i in range(7)]


def advice(
    runs: list[RunRecord],
    checkins: list[CheckIn] | None = None,
    sessions: list[SessionLog] | None = None,
    phase: Phase = Phase.STRENGTHEN,
    **profile: Any,
) -> RunningAdvice:
    found = advise(make_profile(**profile), phase, runs, sessions or [], checkins or [], TODAY)
    assert found is not None
    return found


def rules_of(a: RunningAdvice) -> set[str]:
    return {r.rule for r in a.reasons}


# --- who gets the advice ---------------------------------------------------------------------


def test_a_runner_who_said_they_run_gets_running_advice_before_any_run_is_imported() -> None:
    a = advice([])
    assert a.advice is Advice.ANSWER
    assert a.limit == 5
    assert "keep pain during a run at 5/10 or less" in a.headline
    assert {"PMM-1", "LOAD-DOWNHILL", "LOAD-SPIKE"} <= rules_of(a)
    assert any("You said you run about 30 km a week" in r.text for r in a.reasons)


def test_imported_runs_make_a_runner_who_said_they_do_not_run_one_who_does() -> None:
    stopped = {"running": {"currently_running": False, "weekly_km": 0, "runs_per_week": 0}}
    profile = make_profile(**stopped)
    assert advise(profile, Phase.STRENGTHEN, [], [], [], TODAY) is None
    assert advise(profile, Phase.STRENGTHEN, [run(20)], [], [], TODAY) is None  # long ago
    assert advise(profile, Phase.STRENGTHEN, [run(3)], [], [], TODAY) is not None


def test_on_the_ladder_or_after_it_the_ladder_decides_not_this_advice() -> None:
    for phase in (Phase.RETURN_TO_RUN, Phase.MAINTAIN):
        assert advise(make_profile(), phase, [run(2, during=1)], [], [], TODAY) is None


# --- the rules -------------------------------------------------------------------------------


def test_a_run_within_the_limit_that_settles_by_the_next_morning_may_continue_on_level_ground() -> (
    None
):
    a = advice([run(2, during=3, next_morning=1)], usual_week(2, 1))
    assert a.advice is Advice.CONTINUE
    assert a.runs[0].verdict is Verdict.SETTLED
    assert "keep running at about this load, on level ground" in a.headline
    assert a.rule == "PMM-4"
    assert any(
        r.rule == "LOAD-SPIKE" and "never more than 30% over the week before" in r.text
        for r in a.reasons
    )
    assert any(r.rule == "LOAD-DOWNHILL" and "Keep to level routes" in r.text for r in a.reasons)


def test_a_run_above_the_pain_limit_means_cutting_back() -> None:
    a = advice([run(2, during=6, next_morning=1)], usual_week(2, 1))
    assert a.advice is Advice.CUT_BACK
    assert a.runs[0].verdict is Verdict.OVER
    assert "shorter, flatter and fewer runs" in a.headline
    over = next(r for r in a.reasons if r.rule == "PMM-1")
    assert "hurt 6/10 during, above your limit of 5/10" in over.text
    assert "LOAD-SPIKE" not in rules_of(a)  # no word of adding distance while cutting back


def test_in_the_settle_phase_the_limit_during_a_run_is_the_settle_one() -> None:
    a = advice([run(2, during=3, next_morning=1)], usual_week(2, 1), phase=Phase.SETTLE)
    assert a.limit == 2
    assert a.advice is Advice.CUT_BACK
    assert "above your limit of 2/10 in the settle phase" in a.reasons[0].text
    within = advice([run(2, during=2, next_morning=1)], usual_week(2, 1), phase=Phase.SETTLE)
    assert within.advice is Advice.CONTINUE


def test_a_next_morning_worse_than_the_usual_morning_means_cutting_back() -> None:
    a = advice([run(2, during=3, next_morning=4)], usual_week(2, 2))
    assert a.advice is Advice.CUT_BACK
    assert a.runs[0].verdict is Verdict.WORSE
    worse = a.reasons[0]
    assert worse.rule == "PMM-2"
    assert "the knee was 4/10 against 2/10 on a usual morning" in worse.text


def test_the_morning_check_in_after_a_run_is_its_next_morning_too() -> None:
    checkins = [*usual_week(3, 1), morning(1, 4)]  # the run two days ago, this check-in after it
    a = advice([run(2, during=2)], checkins)
    assert a.runs[0].run.next_morning == 4
    assert a.advice is Advice.CUT_BACK
    swollen = advice([run(2, during=2)], [*usual_week(3, 1), morning(1, 1, swelling=True)])
    assert swollen.advice is Advice.CUT_BACK
    assert "the knee was swollen" in swollen.reasons[0].text


def test_without_usual_mornings_a_next_morning_worse_than_during_the_run_means_cutting_back() -> (
    None
):
    # the runner's story: 3/10 during, 5/10 the next morning, no check-ins yet
    a = advice([run(2, during=3, next_morning=5)])
    assert a.advice is Advice.CUT_BACK
    assert "the knee was 5/10 against 3/10 during the run: worse, not settled" in a.reasons[0].text


def test_a_next_morning_a_little_above_the_usual_holds_the_load() -> None:
    a = advice([run(2, during=2, next_morning=2)], usual_week(2, 1))
    assert a.advice is Advice.HOLD
    assert "add nothing" in a.headline
    assert "LOAD-SPIKE" not in rules_of(a)


def test_sharp_pain_during_a_run_means_cutting_back() -> None:
    logged = SessionLog(date=on(2), entries=(Entry(exercise="running", pain_during=2, sharp=True),))
    a = advice([run(2, next_morning=1)], usual_week(2, 1), [logged])
    assert a.runs[0].verdict is Verdict.SHARP
    assert a.advice is Advice.CUT_BACK
    assert "PMM-SHARP" in rules_of(a)


def test_a_run_without_its_next_morning_waits_for_it() -> None:
    a = advice([run(0, during=2)])
    assert a.advice is Advice.ANSWER
    assert a.runs[0].verdict is Verdict.WAITING
    assert any("The next morning decides" in r.text for r in a.reasons)


def test_two_bad_runs_in_two_weeks_pause_running_until_the_run_check() -> None:
    runs = [run(9, during=6, next_morning=1), run(3, during=1, next_morning=1, km=3)]
    assert advice(runs, usual_week(9, 1)).advice is Advice.CONTINUE  # one bad, then settled
    runs.append(run(1, during=7))
    a = advice(runs, usual_week(9, 1))
    assert a.advice is Advice.PAUSE
    assert a.rule == "KC-RUN-PAUSE"
    assert "two within two weeks" in a.headline
    assert "run check and the walk/run ladder" in a.headline
    assert {"RTR-ENTRY", "R2"} <= rules_of(a)
    entry = next(r for r in a.reasons if r.rule == "RTR-ENTRY")
    assert "daily pain at 2/10 or less" in entry.text


def test_the_pause_stands_until_the_run_check_even_when_the_bad_runs_are_older() -> None:
    runs = [run(19, during=6), run(17, during=6)]
    a = advice(runs)
    assert a.advice is Advice.PAUSE
    assert a.runs == ()  # none in the last two weeks, the pause still stands
    far_apart = advice([run(19, during=6, next_morning=1), run(2, during=6, next_morning=1)])
    assert far_apart.advice is Advice.CUT_BACK  # two weeks or more apart: not two in two weeks


def test_notable_downhill_is_the_first_thing_to_cut() -> None:
    hilly = advice([run(2, during=1, next_morning=1, downhill_m=400)], usual_week(2, 1))
    text = next(r.text for r in hilly.reasons if r.rule == "LOAD-DOWNHILL")
    assert "went 400 m downhill" in text
    assert "cut the downhills first" in text
    level = rtr.MAX_DOWNHILL_M
    flat = advice([run(2, during=1, next_morning=1, downhill_m=level)], usual_week(2, 1))
    assert "went" not in next(r.text for r in flat.reasons if r.rule == "LOAD-DOWNHILL")


def test_a_week_more_than_the_load_spike_above_the_one_before_is_flagged() -> None:
    runs = [run(10, km=5, during=1, next_morning=1), run(2, km=8, during=1, next_morning=1)]
    a = advice(runs, usual_week(10, 1) + usual_week(2, 1)[:5])
    spike = next(r for r in a.reasons if r.rule == "LOAD-SPIKE")
    assert "8.0 km against 5.0 km the week before: more than 30% more" in spike.text


def test_measured_cadence_gives_the_cadence_target() -> None:
    a = advice([run(2, during=1, next_morning=1, cadence=160)], usual_week(2, 1))
    cad = next(r for r in a.reasons if r.rule == "CAD-1")
    assert "about 160 steps a minute: aim for about 168, 5% above your own" in cad.text
    assert "CAD-1" not in rules_of(advice([run(2, during=1, next_morning=1)], usual_week(2, 1)))


def test_the_advice_quotes_the_registry_numbers() -> None:
    runs = [run(9, during=6), run(1, during=7)]
    default = advice(runs).headline
    assert "two within two weeks" in default
    other = rulebook.with_values(RUN_PAUSE_DAYS=21, RUN_PAUSE_BAD_RUNS=3)
    assert "three within three weeks" in rulebook.say(
        "$RUN_PAUSE_BAD_RUNS within $RUN_PAUSE_DAYS", other
    )


def test_the_advice_as_json_carries_the_reasons_with_their_rules() -> None:
    d = advice([run(2, during=3, next_morning=5)]).to_dict()
    assert d["advice"] == "cut_back"
    assert d["reasons"][0] == {
        "rule": "PMM-2",
        "text": "The morning after your run of "
        f"{on(2).isoformat()} the knee was 5/10 against 3/10 during the run: worse, not settled.",
    }
    assert d["runs"][0]["verdict"] == "worse"
    assert all(set(r) == {"rule", "text"} for r in d["reasons"])
