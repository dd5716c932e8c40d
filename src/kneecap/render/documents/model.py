"""What the printable documents show, as the use cases hand it over (`kneecap.app.documents`):
plain values, nothing to fetch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

A4, LETTER = "A4", "Letter"


@dataclass(frozen=True)
class HandoutExercise:
    """One exercise of the week, at the dose of its first day this week."""

    id: str
    name: str
    dose: str
    days: tuple[str, ...]  # the weekdays it is planned on ("Mon", ...)
    summary: str
    cues: tuple[str, ...]
    figure: bool  # drawn from its keyframes (render/figures)


@dataclass(frozen=True)
class Handout:
    who: str
    first: dt.date
    last: dt.date
    phase: str
    purpose: str
    exercises: tuple[HandoutExercise, ...]  # with a figure
    others: tuple[HandoutExercise, ...]  # warm-up, cardio and runs: words only
    pain_rules: tuple[tuple[str, str], ...]  # (when, what to do)
    on_hold: tuple[str, ...]  # why the plan is withheld (a referral), else ()
    when_to_see: str
    disclaimer: str
    paper: str = A4


@dataclass(frozen=True)
class ReportWeek:
    start: dt.date  # a Monday
    morning: float | None  # mean morning pain (0-10)
    during: int | None  # worst pain during a session's exercises (0-10)
    planned: int
    done: int
    extra: int
    runs: int
    distance: float  # in the report's units
    downhill: float
    run_pain_during: int | None  # worst pain the runner answered for the week's runs
    run_pain_morning: int | None


@dataclass(frozen=True)
class AkpsScore:
    date: dt.date
    score: int
    change: int | None  # since the previous result
    meaningful: bool


@dataclass(frozen=True)
class Event:
    """A decision that mattered, or an episode of them: a phase change, a flare-up, sharp pain,
    an easier variant, a ladder stage, a hold for a warning sign and its clearance. `count`:
    how many times (repeated holds) or on how many days (an episode) it happened."""

    first: dt.date
    last: dt.date
    count: int
    kind: str
    what: str  # the exercises (the first few, "and N more"), or "programme"
    reason: str
    rule: str


@dataclass(frozen=True)
class Flag:
    name: str
    rule: str
    text: str
    raised_on: dt.date | None
    cleared: bool


@dataclass(frozen=True)
class ClearanceNote:
    date: dt.date
    clinician: str
    profession: str | None
    flags: tuple[str, ...]
    note: str | None


@dataclass(frozen=True)
class Report:
    who: str
    first: dt.date
    last: dt.date
    made: dt.date
    phase: str
    phase_since: dt.date | None
    stage: str | None  # where the runner is on the return to running (RTR-*)
    weeks: tuple[ReportWeek, ...]
    akps: tuple[AkpsScore, ...]  # within the period
    akps_baseline: int | None  # the first result ever, the band's centre
    meaningful_change: int
    events: tuple[Event, ...]
    events_left_out: int
    flags: tuple[Flag, ...]
    clearances: tuple[ClearanceNote, ...]
    units: str  # km or mi
    disclaimer: str
    when_to_see: str
    paper: str = A4
    akps_history: tuple[AkpsScore, ...] = ()  # every result up to the period's end: the trend
