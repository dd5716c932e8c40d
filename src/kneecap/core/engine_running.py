"""The engine's running rules: the return-to-run entry check (RTR-ENTRY), the walk/run ladder
judged run by run with the next morning (RTR-LADDER, RTR-RULES), and the weekly build after it
(LOAD-SPIKE). Runs are judged here alone: one engine per kind of item."""

from __future__ import annotations

import datetime as dt

from kneecap.core.criteria import rtr_entry
from kneecap.core.decision import Action, Decision
from kneecap.core.history import CheckIn
from kneecap.core.phases import Phase
from kneecap.core.replay import RUNNING, Replay, flare, set_phase
from kneecap.core.rtr import (
    ENTRY_MAX_PAIN,
    LADDER,
    PASSES_TO_ADVANCE,
    EntryCheck,
    LadderRun,
    Verdict,
    judge_morning,
    judge_run,
    stage,
)
from kneecap.core.rulebook import Rule, say
from kneecap.core.run_build import WeekRun, close_week, first_target, monday
from kneecap.core.running import morning_before


def on_entry_check(run: Replay, check: EntryCheck) -> None:
    """RTR-ENTRY: the check's own tests and the logged week before it. A movement-quality fault
    does not fail the check; it sends the runner back to the exercise that trains it."""
    run.entry = check
    if run.phase in (Phase.RETURN_TO_RUN, Phase.MAINTAIN):
        run.entry_criteria = ()
        return
    criteria = rtr_entry(run.facts(check.date, check))
    run.entry_criteria = criteria
    for fault in check.faults():
        exercise = run.catalogue.get(fault.exercise)
        name = exercise.name if exercise is not None else fault.exercise
        run.decide(
            Decision(
                check.date,
                fault.exercise,
                Action.HOLD,
                Rule.RTR_ENTRY,
                f"In the entry check {fault.seen}: keep working on {name} ({fault.cue}). This "
                "does not fail the check, but it is the control running needs.",
            )
        )
    unmet = [c for c in criteria if not c.met]
    if unmet:
        run.decide(
            Decision(
                check.date,
                None,
                Action.HOLD,
                Rule.RTR_ENTRY,
                "Not ready to start running yet. Still needed: "
                + "; ".join(c.text for c in unmet)
                + ".",
            )
        )
        return
    set_phase(
        run,
        check.date,
        Phase.RETURN_TO_RUN,
        Action.PROGRESS,
        Rule.RTR_ENTRY,
        f"Entry check passed: daily pain and a logged week at {ENTRY_MAX_PAIN}/10 or less, "
        "no swelling or limp, the band work settled, a brisk 30-minute walk, and the wall sit, "
        "balance and step-down tests without pain. The walk/run ladder starts at "
        f"{stage(1).text()}.",
        criteria,
    )


def on_run(run: Replay, r: LadderRun) -> None:
    if run.phase is Phase.MAINTAIN and run.run_target is not None:
        _maintain_run(run, r)
        return
    if run.phase is not Phase.RETURN_TO_RUN:
        return
    early = judge_run(r, stage(run.stage))
    if early is not None and early.verdict is Verdict.RED:
        flare(run, r.date)  # the worse morning that may follow is the same event
        _ladder_step(run, r.date, -1, early.reasons)
        return
    run.awaiting.append((r, early, morning_before(run.checkins, r.date)))


def ladder_morning(run: Replay, c: CheckIn) -> None:
    """The morning after a ladder run decides it (PMM-2, RTR-RULES)."""
    _maintain_morning(run, c)
    due = [a for a in run.awaiting if a[0].date == c.date - dt.timedelta(days=1)]
    run.awaiting = [a for a in run.awaiting if a not in due]
    for r, early, before in due:
        if run.phase is not Phase.RETURN_TO_RUN:
            return
        morning = judge_morning(
            r, before, c.morning_pain, c.swelling, c.limp, run.profile.limits.meaningful_change
        )
        if morning.verdict is Verdict.RED:
            flare(run, r.date)
            _ladder_step(run, c.date, -1, morning.reasons)
        elif morning.verdict is Verdict.AMBER or early is not None:
            reasons = morning.reasons if morning.verdict is Verdict.AMBER else ()
            _ladder_hold(run, c.date, (early.reasons if early else ()) + reasons)
        else:
            run.stage_passes += 1
            if run.stage_passes >= PASSES_TO_ADVANCE:
                _ladder_step(run, c.date, +1, morning.reasons)
            else:
                _ladder_hold(
                    run,
                    c.date,
                    morning.reasons,
                    f"one pass of {PASSES_TO_ADVANCE} at this stage",
                    action=Action.HOLD,
                )


def overdue_mornings(run: Replay, day: dt.date) -> None:
    """A ladder run with no check-in the morning after cannot pass: the stage holds."""
    late = [a for a in run.awaiting if (day - a[0].date).days >= 2]
    run.awaiting = [a for a in run.awaiting if a not in late]
    for r, _, _ in late:
        _ladder_hold(
            run,
            r.date + dt.timedelta(days=1),
            (f"no morning check-in after the run on {r.date.isoformat()}",),
            "log the check-in the morning after each run so the ladder can move",
        )


def _ladder_hold(
    run: Replay,
    day: dt.date,
    reasons: tuple[str, ...],
    then: str = "this stage is repeated",
    action: Action = Action.HOLD,
) -> None:
    at = stage(run.stage)
    run.decide(
        Decision(
            day,
            "running",
            action,
            Rule.RTR_RULES,
            f"{'; '.join(reasons).capitalize()}: {then} ({at.text()}).",
        )
    )


def _ladder_step(run: Replay, day: dt.date, by: int, reasons: tuple[str, ...]) -> None:
    why = "; ".join(reasons).capitalize()
    if by > 0 and run.stage >= len(LADDER):
        set_phase(
            run,
            day,
            Phase.MAINTAIN,
            Action.PROGRESS,
            Rule.RTR_RULES,
            say(
                f"{why}: the last stage is passed $PASSES_TO_ADVANCE:times. You are back to "
                "continuous running: build your weekly distance gradually (no jumps over "
                "$LOAD_SPIKE_PCT, LOAD-SPIKE), keep $MAINTAIN_STRENGTH_DAYS strength sessions a "
                "week and bring downhills back last."
            ),
        )
        run.run_target = first_target(day)
        return
    before = run.stage
    run.stage = max(1, min(len(LADDER), run.stage + by))
    run.stage_passes = 0
    if by > 0:
        action, then = (
            Action.PROGRESS,
            say(f"$PASSES_TO_ADVANCE passes: up to {stage(run.stage).text()}"),
        )
    elif run.stage < before:
        action, then = Action.REGRESS, f"back one stage to {stage(run.stage).text()}"
    else:
        action, then = Action.HOLD, f"already at the first stage: {stage(run.stage).text()}"
    run.decide(Decision(day, "running", action, Rule.RTR_RULES, f"{why}: {then}."))


def _maintain_run(run: Replay, r: LadderRun) -> None:
    """A run in the weekly build: counted toward its week; sharp pain or pain above the limit
    is a flare-up event (the same event as a worse morning after it)."""
    if run.run_target is None or r.date < run.run_target.since:
        return
    run.week_runs.append(WeekRun(r.date, r.distance_km, r.pain_during, r.sharp))
    if r.sharp or (r.pain_during is not None and r.pain_during > run.limit):
        flare(run, r.date)


def _maintain_morning(run: Replay, c: CheckIn) -> None:
    """The morning after a run in the weekly build: a red morning is a flare-up (PMM-2)."""
    if run.phase is not Phase.MAINTAIN or run.run_target is None:
        return
    yesterday = c.date - dt.timedelta(days=1)
    for r in run.week_runs:
        if r.date != yesterday:
            continue
        before = morning_before(run.checkins[:-1], r.date)
        verdict = judge_morning(
            LadderRun(r.date, r.distance_km, r.pain_during, r.sharp),
            before,
            c.morning_pain,
            c.swelling,
            c.limp,
            run.profile.limits.meaningful_change,
        )
        if verdict.verdict is Verdict.RED:
            flare(run, r.date)


def close_weeks(run: Replay, day: dt.date) -> None:
    """Close every finished week of the build before `day`, setting the next week's target."""
    while run.run_target is not None and monday(day) > run.run_target.week_start:
        target = run.run_target
        end = target.week_start + dt.timedelta(days=7)
        runs = [r for r in run.week_runs if target.week_start <= r.date < end]
        flared = any(target.week_start <= f < end for f in run.flares)
        verdict = close_week(target, runs, flared, run.limit)
        run.run_target = verdict.target
        run.week_runs = [r for r in run.week_runs if r.date >= end]
        action = {"progress": Action.PROGRESS, "hold": Action.HOLD}.get(
            verdict.change, Action.REGRESS
        )
        run.decide(Decision(end, RUNNING, action, Rule.LOAD_SPIKE, verdict.reason))
