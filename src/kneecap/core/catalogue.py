"""The exercise catalogue model: what an exercise is, its guide dose and its variants.

The data lives in `kneecap.catalog` (one YAML file per exercise); this module only defines and
checks its shape, so the planner and engine can trust every entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from kneecap.core.phases import Phase
from kneecap.core.profile import CrossTraining, Equipment
from kneecap.core.schema import Record


class Kind(StrEnum):
    STRENGTH = "strength"
    STRETCH = "stretch"
    MOBILITY = "mobility"
    SOFT_TISSUE = "soft-tissue"
    CARDIO = "cardio"
    WARM_UP = "warm-up"
    AVOID = "avoid"


PositiveInt = Annotated[int, Field(ge=1)]
Range = tuple[PositiveInt, PositiveInt]


class SettleDose(Record):
    """A gentler starting dose for the settle phase; unset fields keep the normal start."""

    sets: PositiveInt | None = None
    reps: PositiveInt | None = None
    hold_s: PositiveInt | None = None
    minutes: PositiveInt | None = None


class Dose(Record):
    """The guide's dose as [min, max] ranges; a prescription starts at the minimum."""

    per_side: bool = False
    sets: Range | None = None
    reps: Range | None = None
    hold_s: Range | None = None
    minutes: Range | None = None
    seconds_per_rep: PositiveInt = 3
    rest_s: Annotated[int, Field(ge=0, le=600)] = 45
    loads: tuple[str, ...] = ("bodyweight",)
    settle: SettleDose | None = None
    source: str

    @model_validator(mode="after")
    def _check(self) -> Dose:
        for name in ("sets", "reps", "hold_s", "minutes"):
            value = getattr(self, name)
            if value is not None and value[0] > value[1]:
                raise ValueError(f"{name}: min {value[0]} is above max {value[1]}")
        if self.minutes is None and self.sets is None:
            raise ValueError("a dose needs either sets or minutes")
        if self.sets is not None and self.reps is None and self.hold_s is None:
            raise ValueError("sets need reps or hold_s")
        if not self.loads:
            raise ValueError("loads: at least one load")
        return self


NonEmptyText = Annotated[str, Field(min_length=1)]


class Exercise(Record):
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    name: NonEmptyText
    kind: Kind
    summary: NonEmptyText
    targets: tuple[str, ...] = ()
    equipment: tuple[Equipment, ...] = ()
    equipment_optional: tuple[Equipment, ...] = ()
    needs_access: CrossTraining | None = None
    phases: tuple[Phase, ...] = ()
    relief_only: bool = False
    dose: Dose | None = None
    easier: tuple[str, ...] = ()
    harder: tuple[str, ...] = ()
    progression: str | None = None
    steps: tuple[NonEmptyText, ...] = Field(min_length=1)
    cues: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    why: NonEmptyText
    avoid_reason: str | None = None
    alternatives: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Exercise:
        if self.kind is Kind.AVOID:
            if self.dose is not None or self.phases:
                raise ValueError("an 'avoid' entry has no dose and no phases")
            if not self.avoid_reason or not self.alternatives:
                raise ValueError("an 'avoid' entry needs avoid_reason and alternatives")
        else:
            if self.dose is None:
                raise ValueError(f"a '{self.kind}' entry needs a dose")
            if not self.phases:
                raise ValueError(f"a '{self.kind}' entry needs at least one phase")
        return self

    def usable_with(self, equipment: Iterable[Equipment], access: Iterable[CrossTraining]) -> bool:
        """True when the runner has every required item and any facility it needs."""
        have = set(equipment)
        if not set(self.equipment) <= have:
            return False
        return self.needs_access is None or self.needs_access in set(access)


class CatalogueError(ValueError):
    """A catalogue entry is malformed; the message names the entry and the field."""


class Catalogue(Mapping[str, Exercise]):
    """All exercises by id, with cross-references (variants, alternatives) checked."""

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        by_id: dict[str, Exercise] = {}
        for exercise in exercises:
            if exercise.id in by_id:
                raise CatalogueError(f"{exercise.id}: duplicate id")
            by_id[exercise.id] = exercise
        for exercise in by_id.values():
            for field in ("easier", "harder", "alternatives"):
                for ref in getattr(exercise, field):
                    if ref not in by_id:
                        raise CatalogueError(f"{exercise.id}: {field} names unknown id '{ref}'")
        self._by_id = dict(sorted(by_id.items()))

    def __getitem__(self, key: str) -> Exercise:
        return self._by_id[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def of_kind(self, kind: Kind) -> list[Exercise]:
        return [e for e in self._by_id.values() if e.kind is kind]
