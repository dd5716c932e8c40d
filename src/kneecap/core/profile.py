"""The runner's profile: the intake answers that shape the plan.

A pydantic model so that every input path (YAML/JSON file, prompts, `profile set`) is validated
by one schema with field-level messages. Frozen: change a profile with `model_copy(update=...)`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from kneecap.core.schema import PainScore, Record


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """0 = Monday, as `date.weekday()`."""
        return list(Weekday).index(self)

    @classmethod
    def of(cls, day: dt.date) -> Weekday:
        return list(cls)[day.weekday()]


class Equipment(StrEnum):
    MAT = "mat"
    BAND = "band"
    FOAM_ROLLER = "foam_roller"
    BALL = "ball"
    CHAIR = "chair"
    STEP = "step"  # a step or a flight of stairs
    WALL = "wall"


class CrossTraining(StrEnum):
    SWIMMING = "swimming"
    WATER_RUNNING = "water_running"
    CYCLING = "cycling"
    ELLIPTICAL = "elliptical"


class Aggravator(StrEnum):
    STAIRS = "stairs"
    SITTING = "sitting"
    RUNNING = "running"
    DOWNHILL = "downhill"
    SQUATTING = "squatting"
    KNEELING = "kneeling"


class Pain(Record):
    worst_last_week: PainScore
    at_rest: bool = False
    sharp: bool = False
    aggravated_by: tuple[Aggravator, ...] = ()


class RedFlags(Record):
    """Warning signs screened before any plan (CLINICAL RF-*). Each true/false."""

    swelling: bool = False
    locking: bool = False
    giving_way: bool = False
    recent_trauma: bool = False
    cannot_bear_weight: bool = False
    fever_or_hot_joint: bool = False
    night_or_rest_pain: bool = False
    numbness_or_tingling: bool = False
    calf_pain_or_swelling: bool = False
    unexplained_weight_loss: bool = False

    def raised(self) -> frozenset[str]:
        """Names of the flags answered yes."""
        return frozenset(name for name, value in self if value)


class Availability(Record):
    days: tuple[Weekday, ...] = Field(min_length=1)
    minutes_per_session: int = Field(strict=True, ge=10, le=180)


class Running(Record):
    currently_running: bool = False
    weekly_km: float = Field(default=0, strict=True, ge=0, le=400)
    runs_per_week: int = Field(default=0, strict=True, ge=0, le=14)


class Limits(Record):
    """Pain-monitoring thresholds (CLINICAL PMM-*), configurable per runner by a clinician."""

    pain_limit: PainScore = 5  # PMM-1: acceptable pain during and after activity
    settle_pain_limit: PainScore = 2  # PMM-1: the stricter limit for the settle phase
    meaningful_change: int = Field(default=2, ge=1, le=5)  # NPRS points (Farrar 2001)
    sessions_to_progress: int = Field(default=2, ge=1, le=6)  # PMM-4: settled sessions per step
    restart_after_days: int = Field(default=7, ge=3, le=60)  # a gap this long restarts lower


class Profile(Record):
    start_date: dt.date
    affected_side: Side
    pain: Pain
    red_flags: RedFlags = RedFlags()
    equipment: tuple[Equipment, ...] = ()
    availability: Availability
    cross_training: tuple[CrossTraining, ...] = ()
    running: Running = Running()
    limits: Limits = Limits()

    @property
    def symptomatic(self) -> bool:
        """Any knee pain last week or any activity that brings it on (R8 applies)."""
        return self.pain.worst_last_week > 0 or self.pain.at_rest or bool(self.pain.aggravated_by)
