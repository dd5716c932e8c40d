"""A prescription: the dose of one exercise for one session, and how long it takes."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from kneecap.core.catalogue import Dose, Exercise
from kneecap.core.phases import Phase

SETUP_S = 10  # getting into position for an exercise
SIDE_SWITCH_REST_S = 5  # per-side work alternates legs, so the other leg's set is rest


@dataclass(frozen=True)
class Prescription:
    """What to do: sets x reps, sets x hold_s, or minutes; `per_side` means each leg."""

    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    minutes: int | None = None
    per_side: bool = False
    load: str | None = None


def starting(exercise: Exercise, phase: Phase, load_index: int = 0) -> Prescription:
    """The guide's starting dose (the bottom of each range), gentler in the settle phase."""
    dose = _dose(exercise)
    p = Prescription(
        sets=_low(dose.sets),
        reps=_low(dose.reps),
        hold_s=_low(dose.hold_s),
        minutes=_low(dose.minutes),
        per_side=dose.per_side,
        load=dose.loads[min(load_index, len(dose.loads) - 1)] if dose.sets else None,
    )
    if phase is Phase.SETTLE and dose.settle is not None:
        s = dose.settle
        p = replace(
            p,
            sets=s.sets or p.sets,
            reps=s.reps or p.reps,
            hold_s=s.hold_s or p.hold_s,
            minutes=s.minutes or p.minutes,
        )
    return p


def duration_s(exercise: Exercise, p: Prescription) -> int:
    """Estimated seconds for the whole prescription, including setup and rests."""
    dose = _dose(exercise)
    if p.minutes is not None:
        return p.minutes * 60
    sets = p.sets or 1
    sides = 2 if p.per_side else 1
    work = p.reps * (p.hold_s or dose.seconds_per_rep) if p.reps is not None else p.hold_s or 0
    bouts = sets * sides
    rest = min(dose.rest_s, SIDE_SWITCH_REST_S) if p.per_side else dose.rest_s
    return SETUP_S + bouts * work + (bouts - 1) * rest


def minutes(exercise: Exercise, p: Prescription) -> float:
    """Estimated minutes, rounded up to the half minute (so a plan never under-counts)."""
    return math.ceil(duration_s(exercise, p) / 30) / 2


def _dose(exercise: Exercise) -> Dose:
    if exercise.dose is None:
        raise ValueError(f"{exercise.id} has no dose: it is never prescribed")
    return exercise.dose


def _low(r: tuple[int, int] | None) -> int | None:
    return None if r is None else r[0]
