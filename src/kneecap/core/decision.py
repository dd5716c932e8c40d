"""What the engine decides: each decision with its rule and reason, and the runner's status
after a replay of the history (`core.engine.decide`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from kneecap.core import rules
from kneecap.core.criteria import Criterion
from kneecap.core.overrides import Clinician
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription
from kneecap.core.rtr import (
    EntryCheck,
)
from kneecap.core.rulebook import Rule
from kneecap.core.run_build import RunTarget


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    SUBSTITUTE = "substitute"
    STOP = "stop"


@dataclass(frozen=True)
class Decision:
    date: dt.date
    exercise: str | None  # what the runner was doing; None: the whole programme (phases, PMM-3)
    action: Action
    rule: str
    reason: str
    from_dose: Prescription | None = None
    to_dose: Prescription | None = None
    to_exercise: str | None = None
    from_phase: Phase | None = None
    to_phase: Phase | None = None
    root: str | None = None  # the exercise the plan chose, when another is done in its place
    criteria: tuple[Criterion, ...] = ()  # a phase change: the criteria it was judged on


@dataclass(frozen=True)
class Track:
    """One planned exercise's state: what is done instead of it (if anything) and at what dose."""

    root: str  # the exercise the plan chose
    exercise: str  # what the runner does now (the root, an easier or a harder variant)
    dose: Prescription
    stopped: bool = False
    top_since: dt.date | None = None  # at the top of its range since this day


@dataclass(frozen=True)
class Status:
    phase: Phase
    tracks: dict[str, Track]
    decisions: tuple[Decision, ...]
    advice: tuple[str, ...] = ()
    holding: bool = False  # PMM-3: progression on hold while pain or stiffness rises
    stage: int | None = None  # the walk/run ladder's stage in the return-to-run phase
    stage_passes: int = 0
    entry: EntryCheck | None = None  # the latest return-to-run entry check
    phase_since: dt.date | None = None
    flares: tuple[dt.date, ...] = ()  # flare-up events in the current phase, one per bad day
    entry_criteria: tuple[Criterion, ...] = ()  # how the latest entry check was judged
    run_target: RunTarget | None = None  # after the ladder: this week's running (run_build)
    clinician: Clinician = field(
        default_factory=Clinician
    )  # the clinician's overrides in effect (KC-CLINICIAN)

    @property
    def came_through_ladder(self) -> bool:
        """Back to continuous running through the walk/run ladder (RTR-RULES)."""
        return any(
            d.rule == Rule.RTR_RULES and d.to_phase is Phase.MAINTAIN for d in self.decisions
        )

    def track_for(self, exercise_id: str) -> Track | None:
        return self.tracks.get(exercise_id)

    def latest(self, exercise_id: str) -> Decision | None:
        """The newest decision about the planned exercise `exercise_id` (or what replaced it)."""
        for d in reversed(self.decisions):
            if (d.root or d.exercise) == exercise_id:
                return d
        return None


RECENT = 3 * rules.BUILD_ENTRY_DAYS  # entries kept in view: more than any rule's look-back
RUNNING = "running"
BAND_PHASES = (Phase.BUILD, Phase.RETURN_TO_RUN, Phase.MAINTAIN)
PHASE_ORDER = list(Phase)
