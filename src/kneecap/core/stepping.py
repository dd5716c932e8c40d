"""Moving one exercise along its dose ladder (PMM-4): a step up or down, a hold, a harder or
easier variant, and the restart after a long break (KC-GAP). Every move is a decision with its
rule and reason, naming the exercise the runner actually does."""

from __future__ import annotations

import datetime as dt

from kneecap.core import rules
from kneecap.core.catalogue import Exercise
from kneecap.core.decision import Action, Decision
from kneecap.core.dose_words import dose_text
from kneecap.core.ladder import position
from kneecap.core.overrides import Suggestion
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription, starting
from kneecap.core.replay import MutableTrack, Replay, rungs_of
from kneecap.core.rulebook import Rule


def about(
    track: MutableTrack,
    day: dt.date,
    action: Action,
    rule: str,
    reason: str,
    *,
    was: str | None = None,
    from_dose: Prescription | None = None,
    to_dose: Prescription | None = None,
    to_exercise: str | None = None,
) -> Decision:
    """A decision about one exercise, naming the exercise done (`was`, before a switch to a
    variant, else the current one) and the planned one when it differs."""
    done = was or track.exercise
    return Decision(
        day,
        done,
        action,
        rule,
        reason,
        from_dose=from_dose,
        to_dose=to_dose,
        to_exercise=to_exercise,
        root=track.root if track.root != done else None,
    )


def clinician_hold(
    run: Replay, track: MutableTrack, day: dt.date, reason: str, before: Prescription | None = None
) -> None:
    """The clinician keeps `track` at its dose (KC-CLINICIAN), said in a decision; `before`:
    the dose it had, when the clinician's own change just set this one."""
    run.decide(
        about(
            track,
            day,
            Action.HOLD,
            Rule.KC_CLINICIAN,
            reason,
            from_dose=before or track.dose,
            to_dose=track.dose,
        )
    )


def switch(run: Replay, track: MutableTrack, variant: Exercise) -> Prescription:
    """Put `variant` in the track's place at its starting dose; returns the dose it replaced."""
    before = track.dose
    track.exercise, track.dose = variant.id, starting(variant, run.phase, run.load_index())
    track.successes, track.top_since, track.top_noted = 0, None, False
    return before


def variant(run: Replay, ids: tuple[str, ...]) -> Exercise | None:
    in_use = {t.exercise for t in run.tracks.values() if not t.stopped}
    for i in ids:
        e = run.catalogue.get(i)
        if (
            e is not None
            and e.dose is not None
            and run.phase in e.phases
            and e.usable_with(run.profile.equipment, run.profile.cross_training)
            and i not in in_use
        ):
            return e
    return None


def step(run: Replay, track: MutableTrack, day: dt.date, by: int, rule: str, reason: str) -> None:
    rungs = rungs_of(run, track)
    before = track.dose
    at = position(rungs, before)
    track.dose = rungs[max(0, min(len(rungs) - 1, at + by))]
    track.successes = 0
    track.top_since, track.top_noted = None, False
    action = Action.REGRESS if by < 0 else Action.PROGRESS
    if track.dose == before:
        action = Action.HOLD
        reason += " (It is already at its lowest dose.)" if by < 0 else ""
    run.decide(about(track, day, action, rule, reason, from_dose=before, to_dose=track.dose))


def hold(run: Replay, track: MutableTrack, day: dt.date, rule: str, reason: str) -> None:
    run.decide(
        about(track, day, Action.HOLD, rule, reason, from_dose=track.dose, to_dose=track.dose)
    )


def progress(run: Replay, track: MutableTrack, day: dt.date) -> None:
    rungs = rungs_of(run, track)
    at = position(rungs, track.dose)
    exercise = run.catalogue[track.exercise]
    n = run.profile.limits.sessions_to_progress
    if at < len(rungs) - 1:
        if held_for_clinician(run, track, day, rungs[at + 1]):
            return
        step(
            run,
            track,
            day,
            +1,
            Rule.PMM_4,
            f"{n} sessions in a row within your pain limit and settled by the next morning: "
            f"one step up to {dose_text(rungs[at + 1])}.",
        )
        if position(rungs, track.dose) == len(rungs) - 1:
            track.top_since = day
        return
    harder = variant(run, exercise.harder)  # variants' phases keep band work for build (R7)
    if harder is not None:
        to = starting(harder, run.phase, run.load_index())
        if held_for_clinician(run, track, day, to, harder):
            return
        was = track.exercise
        before = switch(run, track, harder)
        run.decide(
            about(
                track,
                day,
                Action.PROGRESS,
                Rule.PMM_4,
                f"{exercise.name} is comfortable at the top of its range: moving on to "
                f"{harder.name}.",
                was=was,
                from_dose=before,
                to_dose=track.dose,
                to_exercise=harder.id,
            )
        )
        return
    if track.top_since is None:
        track.top_since = day
    if not track.top_noted:
        track.top_noted = True
        later = (
            " Band work comes with the build phase (R7)."
            if run.phase in (Phase.SETTLE, Phase.STRENGTHEN)
            else ""
        )
        run.decide(
            about(
                track,
                day,
                Action.HOLD,
                Rule.R4,
                f"{exercise.name} is at the top of the guide's range "
                f"({dose_text(track.dose)}); it stays there.{later}",
                from_dose=track.dose,
                to_dose=track.dose,
            )
        )


def gap_check(run: Replay, day: dt.date) -> None:
    if not run.sessions:
        return
    last = run.sessions[-1].date
    gap = (day - last).days
    if gap < run.profile.limits.restart_after_days or run.last_gap_restart == last:
        return
    run.last_gap_restart = last
    for track in run.tracks.values():
        if not track.stopped:
            step(
                run,
                track,
                day,
                -1,
                rules.GAP_RULE,
                f"{gap} days since your last session: restarting one step lower rather than "
                "where you left off.",
            )


def held_for_clinician(
    run: Replay,
    track: MutableTrack,
    day: dt.date,
    to_dose: Prescription,
    to_exercise: Exercise | None = None,
) -> bool:
    """True when the clinician holds this step-up: the dose is pinned, or approvals are on
    (the step-up then waits as a suggestion, once per exercise). Each says so in a decision."""
    name = run.catalogue[track.exercise].name
    dose = run.clinic.pinned.get(track.exercise)
    if dose is not None:
        by = run.clinic.applied.get(f"pin:{track.exercise}")
        who = f"your physio {by.author}" if by else "your physio"
        clinician_hold(
            run,
            track,
            day,
            f"{name} is ready for a step up, but {who} pinned it at {dose_text(track.dose)}: "
            "it stays there.",
        )
        return True
    if not run.clinic.approvals:
        return False
    if track.root in run.clinic.waiting:
        return True
    s = Suggestion(
        track.root,
        track.exercise,
        track.dose,
        to_dose,
        day,
        to_exercise.id if to_exercise is not None else None,
    )
    run.clinic.waiting[track.root] = s
    step = to_exercise.name if to_exercise is not None else dose_text(to_dose)
    clinician_hold(
        run,
        track,
        day,
        f"{name} is ready to step up to {step}: waiting for your physio to approve it. "
        f"Until then it stays at {dose_text(track.dose)}.",
    )
    return True
