"""The runner's profile: the intake answers that shape the plan.

A pydantic model so that every input path (YAML/JSON file, prompts, `profile set`) is validated
by one schema with field-level messages. Frozen: change a profile with `model_copy(update=...)`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from kneecap.core.phases import Phase
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


class PainLocation(StrEnum):
    """Where the knee hurts most (CLINICAL CPG-DX): only around or behind the kneecap is
    runner's knee; the others suggest another condition that a clinician should confirm."""

    AROUND_KNEECAP = "around_kneecap"  # around or behind the kneecap: runner's knee
    BELOW_KNEECAP = "below_kneecap"  # below the kneecap, at the tendon
    OUTER_KNEE = "outer_knee"  # the outside of the knee (iliotibial band)
    INNER_JOINT_LINE = "inner_joint_line"  # the inner side, along the joint line
    BACK_OF_KNEE = "back_of_knee"


class Pain(Record):
    worst_last_week: PainScore
    # None only in profiles stored before the question was asked; every intake requires it.
    location: PainLocation | None = None
    at_rest: bool = False
    sharp: bool = False
    aggravated_by: tuple[Aggravator, ...] = ()


class RedFlags(Record):
    """Warning signs screened before any plan (CLINICAL RF-*). Each true/false.

    The defaults (false) exist only so that profiles stored before a question was added still
    load; every intake requires an explicit answer (`core.intake.missing_answers`).
    """

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
    # RF-SOON
    cancer_history: bool = False
    morning_stiffness: bool = False  # stiff for more than 30 minutes on getting up
    several_painful_joints: bool = False
    rapidly_worsening: bool = False
    # RF-URGENT after an injury (Ottawa knee rules), asked only when `recent_trauma`
    ottawa_cannot_bend_90: bool = False
    ottawa_kneecap_tender: bool = False
    ottawa_fibular_head_tender: bool = False
    ottawa_no_four_steps: bool = False  # could not take four steps right after the injury
    # RF-ADOLESCENT, asked only of runners under 18
    tibial_tubercle_pain: bool = False  # the bony bump below the kneecap (Osgood-Schlatter)
    kneecap_lower_tip_pain: bool = False  # the lower tip of the kneecap (Sinding-Larsen)
    clicking_loss_of_extension: bool = False
    limp_stiff_hip: bool = False
    # RF-SOON: raised from the data (`core.improvement`), never asked
    no_improvement: bool = False

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


ADOLESCENT_BELOW_YEARS = 18  # CLINICAL PMM-1, RF-ADOLESCENT: under 18 is an adolescent
ADOLESCENT_PAIN_LIMIT = 2  # CLINICAL PMM-1: adolescents keep pain during activity at 2/10


class Profile(Record):
    start_date: dt.date
    # None only in profiles stored before the question was asked; every intake requires it.
    age_years: int | None = Field(default=None, strict=True, ge=10, le=100)
    affected_side: Side
    pain: Pain
    red_flags: RedFlags = RedFlags()
    equipment: tuple[Equipment, ...] = ()
    availability: Availability
    cross_training: tuple[CrossTraining, ...] = ()
    running: Running = Running()
    limits: Limits = Limits()

    @property
    def adolescent(self) -> bool:
        return self.age_years is not None and self.age_years < ADOLESCENT_BELOW_YEARS

    @property
    def pain_limit(self) -> int:
        """The acceptable pain during and after activity (PMM-1): the runner's configured limit,
        never above 2/10 for an adolescent (the activity-ladder approach, Rathleff 2019)."""
        if self.adolescent:
            return min(self.limits.pain_limit, ADOLESCENT_PAIN_LIMIT)
        return self.limits.pain_limit

    def limit_in(self, phase: Phase) -> int:
        """The pain limit during exercise in `phase` (PMM-1): the settle phase's stricter one
        there, else `pain_limit`. The engine, the guided session and the forms all ask here."""
        if phase is Phase.SETTLE:
            return min(self.limits.settle_pain_limit, self.pain_limit)
        return self.pain_limit

    @property
    def symptomatic(self) -> bool:
        """Any knee pain last week or any activity that brings it on (R8 applies)."""
        return self.pain.worst_last_week > 0 or self.pain.at_rest or bool(self.pain.aggravated_by)
