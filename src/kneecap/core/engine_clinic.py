"""The clinician's overrides in the replay (KC-CLINICIAN): each applied on its day, before that
day's records, in the order it was recorded. Limits replace the defaults, a pinned dose is not
stepped up, an exercise leaves or joins the plan, the phase is set, and with approvals on a
step-up waits as a suggestion until the clinician approves or rejects it."""

from __future__ import annotations

from dataclasses import replace

from kneecap.core.catalogue import Exercise
from kneecap.core.decision import Action, Decision
from kneecap.core.dose_words import dose_text
from kneecap.core.overrides import (
    Applied,
    Approvals,
    ExerciseRef,
    Kind,
    Limits,
    Override,
    PinDose,
    ProgressionDecision,
    SetPhase,
    said_by,
)
from kneecap.core.prescription import starting
from kneecap.core.profile import ADOLESCENT_PAIN_LIMIT
from kneecap.core.replay import MutableTrack, Replay, set_phase
from kneecap.core.rulebook import Rule
from kneecap.core.stepping import about, clinician_hold, switch


def track_of(run: Replay, exercise: Exercise) -> MutableTrack:
    """The track doing `exercise` (or planned as it), made at its starting dose if none."""
    for t in run.tracks.values():
        if t.exercise == exercise.id:
            return t
    if exercise.id in run.tracks:
        return run.tracks[exercise.id]
    t = MutableTrack(exercise.id, exercise.id, starting(exercise, run.phase, run.load_index()))
    run.tracks[exercise.id] = t
    return t


def on_override(run: Replay, o: Override) -> None:
    day, c = o.day, run.clinic
    data = o.data

    def note(key: str, text: str) -> None:
        c.applied.pop(key, None)  # newest last
        c.applied[key] = Applied(o.id, o.kind, o.author, day, o.reason, text)

    def name(exercise_id: str) -> str:
        e = run.catalogue.get(exercise_id)
        return e.name if e is not None else exercise_id

    if isinstance(data, Limits):
        if data.pain_limit is not None:
            c.pain_limit = data.pain_limit
            young = (
                f" (under 18 it stays at {ADOLESCENT_PAIN_LIMIT}/10)"
                if run.profile.adolescent and data.pain_limit > ADOLESCENT_PAIN_LIMIT
                else ""
            )
            note(
                "pain_limit",
                said_by(
                    o.author, day, f"set your pain limit to {data.pain_limit}/10{young}", o.reason
                ),
            )
        if data.weekly_run_cap_km is not None:
            c.weekly_run_cap_km = data.weekly_run_cap_km
            note(
                "weekly_run_cap_km",
                said_by(
                    o.author,
                    day,
                    f"capped your weekly running at {data.weekly_run_cap_km:g} km",
                    o.reason,
                ),
            )
    elif isinstance(data, PinDose):
        exercise = run.catalogue.get(data.exercise)
        if exercise is None or exercise.dose is None:
            return
        track = track_of(run, exercise)
        base = starting(exercise, run.phase, run.load_index())
        dose = replace(base, sets=data.sets, reps=data.reps, hold_s=data.hold_s)
        c.pinned[exercise.id] = dose
        before = track.dose
        if track.exercise == exercise.id:
            track.dose = dose
        text = (
            said_by(o.author, day, f"pinned {exercise.name} at {dose_text(dose)}", o.reason)
            + " It is not stepped up."
        )
        note(f"pin:{exercise.id}", text)
        clinician_hold(run, track, day, text, before)
    elif isinstance(data, ExerciseRef) and o.kind is Kind.REMOVE_EXERCISE:
        c.removed.add(data.exercise)
        if data.exercise in c.added:
            c.added.remove(data.exercise)
        c.applied.pop(f"add:{data.exercise}", None)
        note(
            f"remove:{data.exercise}",
            said_by(o.author, day, f"took {name(data.exercise)} out of your plan", o.reason),
        )
    elif isinstance(data, ExerciseRef):
        c.removed.discard(data.exercise)
        c.applied.pop(f"remove:{data.exercise}", None)
        if data.exercise not in c.added:
            c.added.append(data.exercise)
        note(
            f"add:{data.exercise}",
            said_by(
                o.author, day, f"added {name(data.exercise)} to your strength sessions", o.reason
            ),
        )
    elif isinstance(data, SetPhase):
        text = said_by(o.author, day, f"set your phase to {data.phase.label}", o.reason)
        note("phase", text)
        if data.phase is not run.phase:
            ahead = list(type(run.phase)).index(data.phase) > list(type(run.phase)).index(run.phase)
            set_phase(
                run,
                day,
                data.phase,
                Action.PROGRESS if ahead else Action.REGRESS,
                Rule.KC_CLINICIAN,
                text,
            )
            _keep_pins(run)
    elif isinstance(data, Approvals):
        c.approvals = data.on
        if data.on:
            note(
                "approvals",
                said_by(o.author, day, "asked to approve each step up before it applies", o.reason),
            )
        else:
            c.applied.pop("approvals", None)
            c.waiting.clear()
    elif isinstance(data, ProgressionDecision):
        _on_decision(run, o, data)


def _keep_pins(run: Replay) -> None:
    for track in run.tracks.values():
        dose = run.clinic.pinned.get(track.exercise)
        if dose is not None:
            track.dose = dose


def _on_decision(run: Replay, o: Override, data: ProgressionDecision) -> None:
    waiting = run.clinic.waiting.get(data.exercise)
    if waiting is None or waiting.suggested_on != data.suggested_on:
        return  # already answered, or no longer waiting: nothing to apply
    del run.clinic.waiting[data.exercise]
    track = run.tracks.get(data.exercise)
    if track is None:
        return
    doing = run.catalogue[track.exercise].name
    if data.decision == "reject":
        kept = (
            f"kept {doing} at {dose_text(track.dose)} instead of stepping up to "
            f"{dose_text(waiting.to_dose)}"
        )
        clinician_hold(run, track, o.day, said_by(o.author, o.day, kept, o.reason))
        return
    before, was = track.dose, track.exercise
    if waiting.to_exercise is not None:
        harder = run.catalogue.get(waiting.to_exercise)
        if harder is None:
            return
        switch(run, track, harder)
        what = f"approved moving on from {doing} to {harder.name}"
    else:
        track.dose = waiting.to_dose
        track.successes = 0
        what = f"approved the step up of {doing} to {dose_text(track.dose)}"
    run.decide(
        about(
            track,
            o.day,
            Action.PROGRESS,
            Rule.KC_CLINICIAN,
            said_by(o.author, o.day, what, o.reason),
            was=was,
            from_dose=before,
            to_dose=track.dose,
            to_exercise=waiting.to_exercise,
        )
    )


def capped(run_target_km: float, cap: float | None) -> float:
    return run_target_km if cap is None else min(run_target_km, cap)


__all__ = ["Decision", "on_override"]
