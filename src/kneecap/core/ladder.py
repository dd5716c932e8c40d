"""An exercise's progression ladder: the doses it climbs through, from a reduced floor to the
guide's maximum. Reps rise first (by 2), then sets, then hold time (by 5 s), then minutes (by 5).
The ladder never goes beyond the dose ranges in the catalogue (the guide's maximum) before the
build phase; from build on, an exercise that is also a return-to-run entry test climbs to what the
test asks (the wall sit to 60 s, RTR-ENTRY), so the ladder and the gate read one number."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from kneecap.core.catalogue import Exercise
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription, starting
from kneecap.core.rtr import entry_hold_s

REP_STEP = 2
HOLD_STEP_S = 5
MINUTE_STEP = 5
_TRAINS_FOR_ENTRY = (Phase.BUILD, Phase.RETURN_TO_RUN, Phase.MAINTAIN)


@lru_cache(maxsize=1024)  # pure, and asked for on every replayed session
def ladder(exercise: Exercise, phase: Phase, load_index: int = 0) -> tuple[Prescription, ...]:
    """Doses in order of increasing volume; index `start_index(...)` is the phase's start."""
    dose = exercise.dose
    if dose is None:
        raise ValueError(f"{exercise.id} has no dose")
    start = starting(exercise, phase, load_index)
    rungs: list[Prescription] = []
    if start.sets and start.sets > 1:
        rungs.append(replace(start, sets=start.sets - 1))
    elif start.minutes and start.minutes > MINUTE_STEP:
        rungs.append(replace(start, minutes=start.minutes - MINUTE_STEP))
    p = start
    rungs.append(p)
    hold_bounds = dose.hold_s
    test_hold = entry_hold_s(exercise.id)
    if hold_bounds is not None and test_hold is not None and phase in _TRAINS_FOR_ENTRY:
        hold_bounds = (hold_bounds[0], max(hold_bounds[1], test_hold))
    for field, step, bounds in (
        ("reps", REP_STEP, dose.reps),
        ("sets", 1, dose.sets),
        ("hold_s", HOLD_STEP_S, hold_bounds),
        ("minutes", MINUTE_STEP, dose.minutes),
    ):
        value = getattr(p, field)
        if value is None or bounds is None:
            continue
        while value < bounds[1]:
            value = min(value + step, bounds[1])
            p = replace(p, **{field: value})
            rungs.append(p)
    return tuple(rungs)


def start_index(exercise: Exercise, phase: Phase, load_index: int = 0) -> int:
    return ladder(exercise, phase, load_index).index(starting(exercise, phase, load_index))


def volume(p: Prescription) -> float:
    return (
        (p.sets or 1)
        * (p.reps or 1)
        * (p.hold_s or 1)
        * (p.minutes or 1)
        * (2 if p.per_side else 1)
    )


def position(rungs: tuple[Prescription, ...], current: Prescription) -> int:
    """Where `current` sits on the ladder: the highest rung with no more volume than it."""
    fitting = [i for i, r in enumerate(rungs) if volume(r) <= volume(current)]
    return fitting[-1] if fitting else 0
