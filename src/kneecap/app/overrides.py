"""A clinician's overrides of a linked runner's programme (KC-CLINICIAN): limits, a pinned dose,
an exercise taken out or added, the phase, approving progressions and the answer to a waiting
step-up. Each is recorded with its author (the clinician's account) and reason, replayed by the
engine like every other record (`core.overrides`, `core.engine_clinic`), and shown to the runner
(`from_physio`). Only a linked clinician (or the local person) may set one: Action.OVERRIDE."""

from __future__ import annotations

import dataclasses
from typing import Any

from kneecap.app import read
from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput
from kneecap.catalog import load_catalogue
from kneecap.core.dose_words import dose_text
from kneecap.core.overrides import (
    BadOverride,
    Dose,
    Kind,
    ProgressionDecision,
    Suggestion,
    check,
    parse,
)
from kneecap.core.prescription import Prescription
from kneecap.programme import Programme
from kneecap.store import accounts as book

MAX_REASON = 1000
WAITING = "waiting for your physio"
DECISIONS = ("approve", "reject")


def _there(home: Home, runner: int) -> Home:
    require(home.actor, Action.OVERRIDE, runner)
    return dataclasses.replace(home, person=runner)


def _reason(reason: str | None) -> str:
    why = (reason or "").strip()
    if not why:
        raise BadInput("reason: say why, in a sentence the runner will read")
    if len(why) > MAX_REASON:
        raise BadInput(f"reason: {MAX_REASON} characters at most")
    return why


def _record(home: Home, runner: int, kind: str, data: dict[str, Any], reason: str) -> None:
    now = home.clock.now()
    book.add_override(
        home.store, runner, home.actor.account, home.actor.signature, kind, data, reason, now
    )
    book.audit(
        home.store,
        now,
        home.actor.account,
        home.actor.signature,
        "override",
        runner,
        kind,
        home.actor.address,
    )


def add(home: Home, runner: int, kind: str, data: Any, reason: str | None) -> dict[str, Any]:
    """Record an override of `runner`'s programme; BadInput names what is wrong. A decision on
    a waiting step-up goes through `decide`."""
    _there(home, runner)
    why = _reason(reason)
    if kind == Kind.PROGRESSION_DECISION.value:
        raise BadInput("kind: answer a waiting step-up at its suggestions/{id} (approve or reject)")
    try:
        k, model = parse(kind, data)
        check(k, model, load_catalogue())
    except BadOverride as e:
        raise BadInput(str(e)) from None
    stored = model.model_dump(mode="json", exclude_none=True)
    _record(home, runner, k.value, stored, why)
    return {"kind": k.value, "data": stored, "reason": why, "author": home.actor.signature}


def _dose(p: Prescription) -> Dose:
    return Dose(sets=p.sets, reps=p.reps, hold_s=p.hold_s, minutes=p.minutes)


def decide(
    home: Home,
    runner: int,
    suggestion: str,
    decision: str,
    reason: str | None,
    reader: Any = read.programme,
) -> dict[str, Any]:
    """Approve or reject the waiting step-up `suggestion` (its id: `exercise@date`)."""
    there = _there(home, runner)
    if decision not in DECISIONS:
        raise BadInput("decision: approve or reject")
    why = (reason or "").strip() or ("Approved" if decision == "approve" else "Not yet")
    if len(why) > MAX_REASON:
        raise BadInput(f"reason: {MAX_REASON} characters at most")
    p: Programme = reader(there)
    s = p.status.clinician.suggestion(suggestion)
    if s is None:
        waiting = ", ".join(w.id for w in p.status.clinician.waiting) or "none"
        raise BadInput(f"suggestion: {suggestion!r} is not waiting (waiting: {waiting})")
    data = ProgressionDecision(
        exercise=s.exercise,
        suggested_on=s.suggested_on,
        decision="approve" if decision == "approve" else "reject",
        from_dose=_dose(s.from_dose),
        to_dose=_dose(s.to_dose),
        to_exercise=s.to_exercise,
    )
    stored = data.model_dump(mode="json", exclude_none=True)
    _record(home, runner, Kind.PROGRESSION_DECISION.value, stored, why)
    return {"suggestion": s.id, "decision": decision, "reason": why, "author": home.actor.signature}


def listed(home: Home, runner: int, reader: Any = read.programme) -> dict[str, Any]:
    """Every override recorded for `runner`, oldest first, and what is in effect now."""
    there = _there(home, runner)
    p: Programme = reader(there)
    rows = book.overrides(home.store, runner)
    return {
        "overrides": [
            {
                "id": o.id,
                "kind": o.kind,
                "data": o.data,
                "reason": o.reason,
                "author": o.author,
                "at": o.created_at.isoformat(),
            }
            for o in rows
        ],
        **from_physio(p),
    }


def _suggestion(p: Programme, s: Suggestion) -> dict[str, Any]:
    name = p.catalogue[s.doing].name if s.doing in p.catalogue else s.doing
    to = (
        p.catalogue[s.to_exercise].name
        if s.to_exercise is not None and s.to_exercise in p.catalogue
        else dose_text(s.to_dose)
    )
    return {
        "id": s.id,
        "exercise": s.exercise,
        "name": name,
        "from": dose_text(s.from_dose),
        "to": to,
        "suggested_on": s.suggested_on.isoformat(),
        "text": f"{name}: a step up to {to} is {WAITING} (since {s.suggested_on.isoformat()}); "
        f"until then it stays at {dose_text(s.from_dose)}.",
    }


def from_physio(p: Programme) -> dict[str, Any]:
    """What the runner's clinician set and what waits for them, in words (Today, Plan, JSON)."""
    c = p.status.clinician
    return {
        "applied": [a.to_dict() for a in c.applied],
        "waiting": [_suggestion(p, s) for s in c.waiting],
        "approvals": c.approvals,
    }
