"""A clinician's overrides: inputs to the engine, replayed in order like every other record, never
edits of its output (KC-CLINICIAN). Each kind's data is a model here; `check` validates one
against the catalogue; `ClinicState` is what the replay keeps, `Clinician` what it returns.

Every override is recorded with its author and reason, and every sentence made from it quotes
the figures the engine uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecap.core.catalogue import Catalogue
from kneecap.core.dose_words import dose_text
from kneecap.core.kinds import Kind as ExerciseKind
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription
from kneecap.core.profile import Profile


class Kind(StrEnum):
    LIMITS = "limits"
    PIN_DOSE = "pin_dose"
    REMOVE_EXERCISE = "remove_exercise"
    ADD_EXERCISE = "add_exercise"
    PHASE = "phase"
    APPROVE_PROGRESSIONS = "approve_progressions"
    PROGRESSION_DECISION = "progression_decision"


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


ExerciseId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]


class Limits(_Data):
    """The acceptable pain (PMM-1) the engine uses instead of the runner's default, and a
    ceiling on the weekly running distance."""

    pain_limit: int | None = Field(default=None, ge=0, le=10, strict=True)
    weekly_run_cap_km: float | None = Field(default=None, gt=0, le=300)

    @model_validator(mode="after")
    def _some(self) -> Limits:
        if self.pain_limit is None and self.weekly_run_cap_km is None:
            raise ValueError("give pain_limit, weekly_run_cap_km or both")
        return self


class PinDose(_Data):
    """An exercise kept at this dose: the engine does not step it up."""

    exercise: ExerciseId
    sets: int = Field(ge=1, le=10, strict=True)
    reps: int | None = Field(default=None, ge=1, le=100, strict=True)
    hold_s: int | None = Field(default=None, ge=1, le=600, strict=True)


class ExerciseRef(_Data):
    exercise: ExerciseId


class SetPhase(_Data):
    phase: Phase


class Approvals(_Data):
    on: bool


class Dose(_Data):
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    minutes: int | None = None


class ProgressionDecision(_Data):
    """The clinician's answer to a waiting step-up (`Suggestion`), found by its exercise and
    the day it was suggested; the doses are kept for the record."""

    exercise: ExerciseId
    suggested_on: dt.date
    decision: Literal["approve", "reject"]
    from_dose: Dose | None = None
    to_dose: Dose | None = None
    to_exercise: ExerciseId | None = None


Data = Limits | PinDose | ExerciseRef | SetPhase | Approvals | ProgressionDecision

MODELS: dict[Kind, type[Data]] = {
    Kind.LIMITS: Limits,
    Kind.PIN_DOSE: PinDose,
    Kind.REMOVE_EXERCISE: ExerciseRef,
    Kind.ADD_EXERCISE: ExerciseRef,
    Kind.PHASE: SetPhase,
    Kind.APPROVE_PROGRESSIONS: Approvals,
    Kind.PROGRESSION_DECISION: ProgressionDecision,
}


class BadOverride(ValueError):
    """An override's kind or data is not valid; the message says what is wrong."""


def parse(kind: str, data: Any) -> tuple[Kind, Data]:
    """The kind and its data model, or BadOverride naming the field at fault."""
    try:
        k = Kind(kind)
    except ValueError:
        raise BadOverride(f"kind must be one of: {', '.join(k.value for k in Kind)}") from None
    if not isinstance(data, dict):
        raise BadOverride("data must be an object")
    try:
        return k, MODELS[k].model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "data"
        raise BadOverride(f"{kind}: {where}: {first['msg']}") from None


def check(kind: Kind, data: Data, catalogue: Catalogue) -> None:
    """BadOverride when the data names an exercise the catalogue does not have, or one the
    override cannot apply to (an exercise added must be a strength exercise with a dose; a pin
    must give reps or a hold the exercise is dosed in)."""
    if not isinstance(data, PinDose | ExerciseRef | ProgressionDecision):
        return
    e = catalogue.get(data.exercise)
    if e is None:
        raise BadOverride(f"{kind}: no exercise {data.exercise!r} in the catalogue")
    if kind is Kind.ADD_EXERCISE and (e.kind is not ExerciseKind.STRENGTH or e.dose is None):
        raise BadOverride(f"{kind}: {data.exercise!r} is not a strength exercise")
    if isinstance(data, PinDose):
        if e.dose is None or e.dose.sets is None:
            raise BadOverride(f"{kind}: {data.exercise!r} is not dosed in sets")
        if e.dose.reps is not None and data.reps is None:
            raise BadOverride(f"{kind}: {data.exercise!r} is dosed in reps: give reps")
        if e.dose.hold_s is not None and data.hold_s is None:
            raise BadOverride(f"{kind}: {data.exercise!r} is dosed as a hold: give hold_s")


@dataclass(frozen=True)
class Override:
    """One recorded override: who set it, when, the kind and its data, and why."""

    id: int
    author: str
    created_at: dt.datetime
    kind: Kind
    data: Data
    reason: str

    @property
    def day(self) -> dt.date:
        return self.created_at.date()

    @classmethod
    def of(
        cls, id: int, author: str, created_at: dt.datetime, kind: str, data: Any, reason: str
    ) -> Override:
        k, d = parse(kind, data)
        return cls(id, author, created_at, k, d, reason)


@dataclass(frozen=True)
class Suggestion:
    """A step-up the engine would have made, waiting for the clinician (approve progressions)."""

    exercise: str  # the planned exercise (the track's root)
    doing: str  # what the runner does now
    from_dose: Prescription
    to_dose: Prescription
    suggested_on: dt.date
    to_exercise: str | None = None

    @property
    def id(self) -> str:
        return f"{self.exercise}@{self.suggested_on.isoformat()}"


@dataclass(frozen=True)
class Applied:
    """An override in effect, in words true of the figures the engine uses."""

    override: int
    kind: Kind
    author: str
    day: dt.date
    reason: str
    text: str

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.override,
            "kind": self.kind.value,
            "author": self.author,
            "date": self.day.isoformat(),
            "reason": self.reason,
            "text": self.text,
        }


@dataclass(frozen=True)
class Clinician:
    """What the clinician's overrides make of the programme now (empty with none)."""

    pain_limit: int | None = None
    weekly_run_cap_km: float | None = None
    pinned: tuple[tuple[str, Prescription], ...] = ()
    removed: frozenset[str] = frozenset()
    added: tuple[str, ...] = ()
    approvals: bool = False
    waiting: tuple[Suggestion, ...] = ()
    applied: tuple[Applied, ...] = ()

    def suggestion(self, sid: str) -> Suggestion | None:
        return next((s for s in self.waiting if s.id == sid), None)


@dataclass
class ClinicState:
    """The replay's running state of the overrides (`core.engine_clinic` changes it)."""

    pain_limit: int | None = None
    weekly_run_cap_km: float | None = None
    pinned: dict[str, Prescription] = field(default_factory=dict)  # by exercise id
    removed: set[str] = field(default_factory=set)
    added: list[str] = field(default_factory=list)
    approvals: bool = False
    waiting: dict[str, Suggestion] = field(default_factory=dict)  # by planned exercise
    applied: dict[str, Applied] = field(default_factory=dict)  # by what it sets

    def fork(self) -> ClinicState:
        return replace(
            self,
            pinned=dict(self.pinned),
            removed=set(self.removed),
            added=list(self.added),
            waiting=dict(self.waiting),
            applied=dict(self.applied),
        )

    def frozen(self) -> Clinician:
        return Clinician(
            self.pain_limit,
            self.weekly_run_cap_km,
            tuple(sorted(self.pinned.items())),
            frozenset(self.removed),
            tuple(self.added),
            self.approvals,
            tuple(self.waiting.values()),
            tuple(self.applied.values()),
        )


def with_pain_limit(profile: Profile, limit: int | None) -> Profile:
    """The profile with the clinician's pain limit in place of the runner's default, in every
    phase (an adolescent's stays at most 2/10: `Profile.pain_limit`)."""
    if limit is None:
        return profile
    limits = profile.limits.model_copy(update={"pain_limit": limit, "settle_pain_limit": limit})
    return profile.model_copy(update={"limits": limits})


def said_by(author: str, day: dt.date, what: str, reason: str) -> str:
    """'Your physio Dr X set ... on 2026-12-03: "why".'"""
    why = f': "{reason}"' if reason else "."
    return f"Your physio {author} {what} on {day.isoformat()}{why}"


def dose_words(p: Prescription) -> str:
    return dose_text(p)
