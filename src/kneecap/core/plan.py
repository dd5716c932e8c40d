"""The plan's shape: days of sessions of prescribed items, with the reasons behind it.

`plan_to_dict` is the documented `plan --json` contract (docs/json.md).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from kneecap.core.dose_words import dose_text
from kneecap.core.engine import Decision
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription
from kneecap.core.rtr import Stage
from kneecap.core.screening import Reason, Referral, Scope


@dataclass(frozen=True)
class Item:
    exercise: str
    block: str  # warm-up | strength | stretch | mobility | soft-tissue | cardio | run
    prescription: Prescription
    minutes: float  # estimated time, including setup and rests
    decision: Decision | None = None  # the engine's latest decision about it
    run_stage: Stage | None = None  # a walk/run ladder run (RTR-LADDER)
    cadence_spm: int | None = None  # the cadence cue for a run (CAD-1)
    distance_km: float | None = None  # a run of the weekly build after the ladder

    def dose(self) -> str:
        """The dose in words: sets and reps, or the ladder stage with its cues."""
        cue = f", about {self.cadence_spm} steps/min" if self.cadence_spm else ""
        if self.run_stage is not None:
            return f"{self.run_stage.text()}, on level ground{cue}"
        if self.distance_km is not None:
            return (
                f"run {self.distance_km:g} km at an easy effort (about {self.minutes:g} min){cue}"
            )
        return dose_text(self.prescription) + cue


@dataclass(frozen=True)
class Session:
    kind: str  # strength | mobility | cardio | run
    items: tuple[Item, ...]

    @property
    def minutes(self) -> int:
        return math.ceil(sum(i.minutes for i in self.items))


@dataclass(frozen=True)
class Day:
    date: dt.date
    sessions: tuple[Session, ...]

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)


@dataclass(frozen=True)
class Plan:
    phase: Phase
    referral: Referral
    days: tuple[Day, ...]
    notes: tuple[Reason, ...]
    scope: Scope = Scope.RUNNERS_KNEE  # CPG-DX: or general knee care, pain located elsewhere

    def day(self, date: dt.date) -> Day | None:
        return next((d for d in self.days if d.date == date), None)


def reason_to_dict(r: Reason) -> dict[str, Any]:
    return {"rule": str(r.rule), "text": r.text, "action": r.action}


def referral_to_dict(r: Referral) -> dict[str, Any]:
    return {
        "needed": r.needed,
        "urgency": r.urgency.value,
        "reasons": [reason_to_dict(x) for x in r.reasons],
    }


def item_to_dict(item: Item) -> dict[str, Any]:
    return {
        "exercise": item.exercise,
        "block": item.block,
        **prescription_to_dict(item.prescription),
        "estimated_minutes": item.minutes,
        "decision": None if item.decision is None else decision_to_dict(item.decision),
        "run_stage": None if item.run_stage is None else item.run_stage.to_dict(),
        "cadence_spm": item.cadence_spm,
        "distance_km": item.distance_km,
    }


def prescription_to_dict(p: Prescription) -> dict[str, Any]:
    return {
        "sets": p.sets,
        "reps": p.reps,
        "hold_s": p.hold_s,
        "minutes": p.minutes,
        "per_side": p.per_side,
        "load": p.load,
    }


def decision_to_dict(d: Decision) -> dict[str, Any]:
    return {
        "date": d.date.isoformat(),
        "exercise": d.exercise,
        "planned_exercise": d.root or d.exercise,
        "action": d.action.value,
        "from_dose": prescription_to_dict(d.from_dose) if d.from_dose else None,
        "to_dose": prescription_to_dict(d.to_dose) if d.to_dose else None,
        "to_exercise": d.to_exercise,
        "from_phase": d.from_phase.value if d.from_phase else None,
        "to_phase": d.to_phase.value if d.to_phase else None,
        "rule": str(d.rule),
        "reason": d.reason,
        "criteria": [c.to_dict() for c in d.criteria],
    }


def session_to_dict(s: Session) -> dict[str, Any]:
    return {"kind": s.kind, "minutes": s.minutes, "items": [item_to_dict(i) for i in s.items]}


def day_to_dict(d: Day) -> dict[str, Any]:
    return {
        "date": d.date.isoformat(),
        "weekday": d.date.strftime("%a").lower(),
        "sessions": [session_to_dict(s) for s in d.sessions],
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "phase": plan.phase.value,
        "scope": plan.scope.value,
        "referral": referral_to_dict(plan.referral),
        "days": [day_to_dict(d) for d in plan.days],
        "notes": [reason_to_dict(n) for n in plan.notes],
    }
