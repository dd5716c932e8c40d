"""The exercise catalogue model: what an exercise is, its guide dose and its variants, and the
session templates the planner fills from it.

The data lives in `kneecap.catalog` (one YAML file per exercise, and `templates.yaml`); this
module only defines and checks its shape, so the planner and engine can trust every entry and
every template names exercises that exist, suit its phases and are never avoided ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated

from pydantic import Field, model_validator

from kneecap.core.kinds import Kind as Kind  # defined apart, for the CLI's choices
from kneecap.core.phases import Phase
from kneecap.core.profile import CrossTraining, Equipment
from kneecap.core.schema import Record

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


ExerciseId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Slot = Annotated[tuple[ExerciseId, ...], Field(min_length=1)]  # in preference order
Session = Annotated[tuple[Slot, ...], Field(min_length=1)]


class StrengthTemplate(Record):
    """The strength sessions of some phases: `sessions` (A, B, ...) alternate by strength day;
    each slot lists exercises in preference order and the first the runner can do is taken."""

    id: ExerciseId
    phases: tuple[Phase, ...] = Field(min_length=1)
    physio_set: bool = False  # R9: used instead of the phase's other template with moderate pain
    sessions: tuple[Session, ...] = Field(min_length=1)


class SessionTemplates(Record):
    """What the planner puts in each session, by exercise id: the strength templates per phase
    and the lists the other blocks draw from. Adding an exercise to a session is a data edit."""

    strength: tuple[StrengthTemplate, ...] = Field(min_length=1)
    warm_up: tuple[ExerciseId, ...] = Field(min_length=1)  # the first usable one
    stretch: tuple[ExerciseId, ...] = Field(min_length=1)  # every usable one (R5)
    mobility: tuple[ExerciseId, ...] = ()  # added in settle and with the physio set (R9)
    rolling: tuple[ExerciseId, ...] = ()  # every usable one (R6)
    cardio: dict[CrossTraining, ExerciseId] = Field(default_factory=dict)  # by access (R10)
    run: ExerciseId

    @model_validator(mode="after")
    def _one_per_phase(self) -> SessionTemplates:
        for physio in (False, True):
            for phase in Phase:
                ids = [t.id for t in self.strength if t.physio_set is physio and phase in t.phases]
                if len(ids) > 1:
                    kind = "physio-set templates" if physio else "templates"
                    raise ValueError(f"strength: {kind} {ids} both cover the {phase} phase")
                if not physio and not ids:
                    raise ValueError(f"strength: no template covers the {phase} phase")
        return self

    def rotation(self, phase: Phase, physio_set: bool) -> tuple[tuple[Slot, ...], ...]:
        """The strength sessions for `phase`: the physio-set template when `physio_set` and the
        phase has one, else the phase's template."""
        fits = [t for t in self.strength if phase in t.phases]
        chosen = [t for t in fits if t.physio_set] if physio_set else []
        return (chosen or [t for t in fits if not t.physio_set])[0].sessions

    def problems(self, by_id: Mapping[str, Exercise]) -> list[str]:
        """Each reference to an exercise that is unknown, avoided, of the wrong kind or, in a
        strength template, not allowed in one of the template's phases."""
        out: list[str] = []

        def check(where: str, ref: str, kinds: tuple[Kind, ...]) -> Exercise | None:
            e = by_id.get(ref)
            if e is None:
                out.append(f"{where}: '{ref}' is not in the catalogue")
            elif e.kind is Kind.AVOID:
                out.append(f"{where}: '{ref}' is an avoided movement, never prescribed (R8)")
            elif e.kind not in kinds:
                wanted = " or ".join(f"'{k}'" for k in kinds)
                out.append(f"{where}: '{ref}' is a '{e.kind}' entry, not {wanted}")
            else:
                return e
            return None

        for t in self.strength:
            for n, session in enumerate(t.sessions):
                for s, slot in enumerate(session, 1):
                    where = f"strength template '{t.id}', session {chr(65 + n)}, slot {s}"
                    for ref in slot:
                        e = check(where, ref, (Kind.STRENGTH,))
                        missing = [p.value for p in t.phases if e and p not in e.phases]
                        if e is not None and missing:
                            out.append(
                                f"{where}: '{ref}' is not allowed in the "
                                f"{', '.join(missing)} phase (its phases: "
                                f"{', '.join(p.value for p in e.phases)})"
                            )
        blocks: tuple[tuple[str, tuple[str, ...], tuple[Kind, ...]], ...] = (
            ("warm_up", self.warm_up, (Kind.WARM_UP,)),
            ("stretch", self.stretch, (Kind.STRETCH,)),
            ("mobility", self.mobility, (Kind.MOBILITY,)),
            ("rolling", self.rolling, (Kind.SOFT_TISSUE,)),
            ("run", (self.run,), (Kind.CARDIO,)),
        )
        for name, refs, kinds in blocks:
            for ref in refs:
                check(name, ref, kinds)
        for access, ref in self.cardio.items():
            e = check(f"cardio.{access}", ref, (Kind.CARDIO,))
            if e is not None and e.needs_access is not access:
                out.append(f"cardio.{access}: '{ref}' needs access to {e.needs_access}")
        return out


class CatalogueError(ValueError):
    """A catalogue entry is malformed; the message names the entry and the field."""


class Catalogue(Mapping[str, Exercise]):
    """All exercises by id, with cross-references (variants, alternatives) checked, and the
    session templates (checked against the exercises) when given."""

    def __init__(
        self,
        exercises: Iterable[Exercise],
        templates: SessionTemplates | None = None,
        templates_source: str = "templates",
    ) -> None:
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
        if templates is not None:
            problems = templates.problems(by_id)
            if problems:
                raise CatalogueError(
                    f"{templates_source}: " + "\n  ".join(problems)
                    if len(problems) == 1
                    else f"{templates_source}:\n  " + "\n  ".join(problems)
                )
        self._by_id = dict(sorted(by_id.items()))
        self._templates = templates

    @property
    def templates(self) -> SessionTemplates:
        """The session templates the planner fills; a catalogue built without them has none."""
        if self._templates is None:
            raise CatalogueError("this catalogue has no session templates")
        return self._templates

    def __getitem__(self, key: str) -> Exercise:
        return self._by_id[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def of_kind(self, kind: Kind) -> list[Exercise]:
        return [e for e in self._by_id.values() if e.kind is kind]
