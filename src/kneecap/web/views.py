"""View-models: one dict per page, rendered by its template and returned as-is by its JSON twin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecap.app.overrides import from_physio
from kneecap.catalog import load_topics
from kneecap.core.akps import due as akps_due
from kneecap.core.catalogue import Catalogue, Exercise, Kind
from kneecap.core.form import MOVES as FORM_MOVES
from kneecap.core.history import SessionLog
from kneecap.core.phases import Phase
from kneecap.core.plan import Item, Session, decision_to_dict, reason_to_dict, referral_to_dict
from kneecap.core.prescription import SIDE_SWITCH_REST_S
from kneecap.core.profile import Equipment
from kneecap.core.rtr import Stage
from kneecap.core.session_words import session_title
from kneecap.programme import Programme

ILLUSTRATED = (Kind.STRENGTH, Kind.STRETCH, Kind.SOFT_TISSUE)
GET_READY_S = 5  # the session player's count-in before each timed block
RELAX_S = 2  # between the holds of one set (the quad set's 10 x 5 s): let the muscle go soft


def phase_view(phase: Phase) -> dict[str, str]:
    return {"id": phase.value, "label": phase.label, "purpose": phase.purpose}


def item_view(item: Item, catalogue: Catalogue) -> dict[str, Any]:
    e = catalogue[item.exercise]
    p = item.prescription
    return {
        "exercise": e.id,
        "name": e.name,
        "kind": e.kind.value,
        "block": item.block,
        "dose": item.dose(),
        "sets": p.sets,
        "reps": p.reps,
        "hold_s": p.hold_s,
        "minutes": p.minutes,
        "per_side": p.per_side,
        "rest_s": e.dose.rest_s if e.dose else 0,
        "estimated_minutes": item.minutes,
        "summary": e.summary,
        "cues": list(e.cues[:3]),
        "illustrated": e.kind in ILLUSTRATED,
        "form_check": e.id in FORM_MOVES,
        "decision": None if item.decision is None else decision_to_dict(item.decision),
        "run_stage": None if item.run_stage is None else item.run_stage.to_dict(),
        "cadence_spm": item.cadence_spm,
        "distance_km": item.distance_km,
        "timing": timing(item, e.dose.rest_s if e.dose else 0),
    }


def timing(item: Item, rest_s: int) -> dict[str, Any]:
    """How the session player times an item. `mode`: "run" (the walk/run ladder's intervals),
    "timer" (one block of minutes: a walk, drills, rolling, cardio), "rep-holds" (each rep a
    timed hold, counted), "holds" (each set one hold), "reps" (counted by the runner, who says
    when a set is done). Seconds throughout; `sides` 2 means each leg, the right first."""
    p = item.prescription
    sides = 2 if p.per_side else 1
    base: dict[str, Any] = {
        "sets": p.sets or 1,
        "reps": p.reps,
        "hold_s": p.hold_s,
        "work_s": None,
        "sides": sides,
        "rest_s": rest_s,
        "switch_s": min(rest_s, SIDE_SWITCH_REST_S) or SIDE_SWITCH_REST_S,
        "relax_s": RELAX_S,
        "ready_s": GET_READY_S,
        "intervals": [],
    }
    if item.run_stage is not None:
        return {**base, "mode": "run", "intervals": intervals(item.run_stage)}
    if p.minutes is not None:
        return {**base, "mode": "timer", "work_s": p.minutes * 60}
    if p.hold_s and p.reps:
        return {**base, "mode": "rep-holds"}
    if p.hold_s:
        return {**base, "mode": "holds"}
    return {**base, "mode": "reps"}


def intervals(at: Stage) -> list[dict[str, Any]]:
    """A ladder run as the interval timer counts it: walk, run, walk, run ... for as many
    rounds as the stage's distance takes at an easy effort (RTR-LADDER); continuous running is
    one block."""
    if at.continuous:
        return [{"kind": "run", "seconds": at.minutes() * 60}]
    rounds = at.minutes() // (at.walk_min + at.run_min)
    return [
        {"kind": kind, "seconds": minutes * 60}
        for _ in range(rounds)
        for kind, minutes in (("walk", at.walk_min), ("run", at.run_min))
    ]


def session_view(s: Session, catalogue: Catalogue) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "title": session_title(s),
        "minutes": s.minutes,
        "items": [item_view(i, catalogue) for i in s.items],
    }


def today_view(p: Programme, day: dt.date, today: dt.date) -> dict[str, Any]:
    plan = p.plan(day, day)
    found = plan.day(day)
    logged = [s for s in p.sessions if s.date == day]
    before_start = day < p.profile.start_date  # nothing can be logged yet (core.dates)
    return {
        "date": day.isoformat(),
        "is_today": day == today,
        "phase": phase_view(plan.phase),
        "scope": plan.scope.value,
        "referral": referral_to_dict(plan.referral),
        "starts_on": p.profile.start_date.isoformat() if before_start else None,
        "starts_weekday": p.profile.start_date.strftime("%A") if before_start else None,
        "sessions": [session_view(s, p.catalogue) for s in found.sessions]
        if found and not before_start
        else [],
        "logged_sessions": len(logged),
        "checkin_due": day == today
        and not before_start
        and not any(c.date == today for c in p.checkins),
        "akps_due": akps_due(p.akps[-1][0] if p.akps else None, today) == "due",
        "notes": [reason_to_dict(n) for n in plan.notes],
        "errors": [],  # a rejected session form says why here
        "entered": {},  # and what was typed into it, to fill it in again
        "clinician": from_physio(p),  # what the runner's physio set, and what waits for them
    }


def logged_view(log: SessionLog, catalogue: Catalogue) -> dict[str, Any]:
    """A logged session as the Plan shows it: done, with what was done."""
    names = [
        catalogue[e.exercise].name if e.exercise in catalogue else e.exercise for e in log.entries
    ]
    pains = [e.pain_during for e in log.entries]
    return {
        "exercises": names,
        "worst_pain": max(pains) if pains else None,
        "pain_after": log.pain_after,
        "partial": log.partial,
    }


def _unmatched(sessions: list[dict[str, Any]], logged: list[SessionLog]) -> list[dict[str, Any]]:
    """The planned sessions no logged one stands for (each logged one taken once, for the planned
    session sharing most of its exercises)."""
    left = list(sessions)
    for log in logged:
        names = {e.exercise for e in log.entries}
        best = max(
            left, key=lambda s: len(names & {i["exercise"] for i in s["items"]}), default=None
        )
        if best is not None and names & {i["exercise"] for i in best["items"]}:
            left.remove(best)
    return left


def plan_view(p: Programme, first: dt.date, days: int, today: dt.date) -> dict[str, Any]:
    """The week: days before today as they were logged (the plan of a past day cannot be told
    again once the plan has changed: a done session, or nothing logged), today's logged
    sessions done beside what is still planned, and the plan from today on."""
    last = first + dt.timedelta(days=days - 1)
    plan = p.plan(max(first, today), max(last, today))
    by_date = {d.date: d for d in plan.days}
    out_days = []
    for i in range(days):
        date = first + dt.timedelta(days=i)
        found = by_date.get(date) if date >= today else None
        logged = [s for s in p.sessions if s.date == date]
        planned = [session_view(s, p.catalogue) for s in found.sessions] if found else []
        if date < p.profile.start_date:
            state = "before"
        elif date < today:
            state = "done" if logged else "nothing"
        elif date == today:
            state = "today"
        else:
            state = "planned"
        out_days.append(
            {
                "date": date.isoformat(),
                "weekday": date.strftime("%A"),
                "state": state,
                "minutes": found.minutes if found else 0,
                "done": [logged_view(s, p.catalogue) for s in logged],
                "sessions": _unmatched(planned, logged),
            }
        )
    return {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "previous": (first - dt.timedelta(days=days)).isoformat(),
        "next": (last + dt.timedelta(days=1)).isoformat(),
        "phase": phase_view(plan.phase),
        "scope": plan.scope.value,
        "referral": referral_to_dict(plan.referral),
        "days": out_days,
        "notes": [reason_to_dict(n) for n in plan.notes],
        "clinician": from_physio(p),
    }


def exercise_summary(e: Exercise) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "kind": e.kind.value,
        "summary": e.summary,
        "equipment": [q.value for q in e.equipment],
        "phases": [ph.value for ph in e.phases],
        "illustrated": e.kind in ILLUSTRATED,
    }


def exercises_view(
    catalogue: Catalogue, kind: str | None, equipment: str | None, phase: str | None
) -> dict[str, Any]:
    chosen = [
        e
        for e in catalogue.values()
        if (not kind or e.kind.value == kind)
        and (not equipment or equipment in {q.value for q in e.equipment})
        and (not phase or phase in {ph.value for ph in e.phases})
    ]
    chosen.sort(key=lambda e: (e.kind is Kind.AVOID, list(Kind).index(e.kind), e.name))
    return {
        "filters": {"kind": kind, "equipment": equipment, "phase": phase},
        "kinds": [k.value for k in Kind],
        "equipment_options": [q.value for q in Equipment],
        "phases": [ph.value for ph in Phase],
        "exercises": [exercise_summary(e) for e in chosen if e.kind is not Kind.AVOID],
        "avoid": [
            {
                **exercise_summary(e),
                "reason": e.avoid_reason,
                "alternatives": [
                    {"id": a, "name": catalogue[a].name} for a in e.alternatives if a in catalogue
                ],
            }
            for e in chosen
            if e.kind is Kind.AVOID
        ],
    }


def exercise_view(e: Exercise, catalogue: Catalogue) -> dict[str, Any]:
    def named(ids: tuple[str, ...]) -> list[dict[str, str]]:
        return [{"id": i, "name": catalogue[i].name} for i in ids if i in catalogue]

    data = e.model_dump(mode="json")
    data.update(
        easier=named(e.easier),
        harder=named(e.harder),
        alternatives=named(e.alternatives),
        illustrated=e.kind in ILLUSTRATED,
        form_check=e.id in FORM_MOVES,  # "Check my form" (web/form.py)
    )
    return data


def learn_view() -> dict[str, Any]:
    return {
        "topics": [
            {"id": t.id, "title": t.title, "summary": t.summary} for t in load_topics().values()
        ]
    }


def topic_view(topic_id: str) -> dict[str, Any] | None:
    t = load_topics().get(topic_id)
    return None if t is None else t.model_dump(mode="json")
