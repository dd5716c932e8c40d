"""The referral page and the clearance form: who cleared the runner (name, profession), when,
and for which warning signs (CLINICAL RF-SOON: the plan waits for this record).

A clearance is the only thing that lifts a hold (`core.holds`); answering the questions again
does not. The page's JSON twin is `/api/referral`; scripts record a clearance at
`/api/clearance`. A clinician account will sign these in clinic mode; for now the runner
records what the clinician said.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from kneecap.app import BadInput, Forbidden
from kneecap.app import clearance as clearances
from kneecap.core.plan import referral_to_dict
from kneecap.core.screening import RED_FLAGS
from kneecap.programme import Programme
from kneecap.web import security
from kneecap.web.context import ctx, page, programme, today, twin
from kneecap.web.onboarding import text
from kneecap.web.problems import field_errors

PROFESSIONS = ("physiotherapist", "doctor", "sports physician", "orthopaedic surgeon")

router = APIRouter()


class ClearanceIn(BaseModel):
    """A clearance as sent by a script; checked by the same rules as the form."""

    model_config = ConfigDict(extra="forbid")

    clinician: str
    profession: str
    cleared_on: dt.date
    flags: list[str]
    note: str | None = None


def referral_view(p: Programme, request: Request) -> dict[str, Any]:
    pending = p.pending
    return {
        "referral": referral_to_dict(p.screening.referral),
        "new_runner": False,
        "answers_json": None,
        "pending": [
            {"flag": f, "rule": RED_FLAGS[f].rule, "text": RED_FLAGS[f].text} for f in pending
        ],
        "clearance": {"today": today(request).isoformat(), "professions": list(PROFESSIONS)},
        "by_clinician": ctx(request).home.actor.clinic,  # clinic mode: the clinician records it
        "errors": [],
        "entered": {},
    }


@twin(
    router,
    "/referral",
    "referral.html",
    name="referral",
    summary="The referral and what is on hold (the page's view-model)",
)
def referral_model(request: Request) -> dict[str, Any]:
    return referral_view(programme(request), request)


def record(request: Request, entry: ClearanceIn) -> list[str]:
    """Record the clearance, or return why not (nothing stored; 404 before the onboarding)."""
    programme(request)
    try:
        clearances.record_clearance(
            ctx(request).home,
            entry.clinician,
            entry.profession,
            entry.cleared_on,
            (entry.note or "").strip() or None,
            frozenset(entry.flags),
        )
    except BadInput as exc:
        return list(exc.problems)
    except Forbidden as exc:  # clinic mode: the runner's clinician records it
        raise HTTPException(403, str(exc)) from None
    return []


@router.post("/clearance", include_in_schema=False)
async def clearance_form(request: Request) -> Response:
    form = await security.checked_form(request)
    day = text(form, "cleared_on") or today(request).isoformat()
    entered = {
        "clinician": text(form, "clinician") or "",
        "profession": text(form, "profession") or "",
        "cleared_on": day[:40],
        "flags": [f for f in form.getlist("flags") if isinstance(f, str)],
        "note": text(form, "note"),
    }
    try:
        cleared_on = dt.date.fromisoformat(day)
    except ValueError:
        problems = [f"cleared_on: '{day[:20]}' is not a date (year-month-day)"]
    else:
        problems = record(request, ClearanceIn(**{**entered, "cleared_on": cleared_on}))
    if problems:
        view = referral_model(request)
        # the use case names the day "date"; the form's field is "cleared_on"
        named = [("cleared_on" + p[4:]) if p.startswith("date:") else p for p in problems]
        view.update(errors=named, field_errors=field_errors(named), entered=entered)
        return page(request, "referral.html", view, 422)
    return RedirectResponse("/today?cleared=1", status_code=303)


@router.post("/api/clearance", summary="Record a clinician's clearance", status_code=201)
def clearance_json(request: Request, entry: ClearanceIn) -> dict[str, Any]:
    problems = record(request, entry)
    if problems:
        raise HTTPException(422, "; ".join(problems))
    return {"recorded": entry.model_dump(mode="json")}
