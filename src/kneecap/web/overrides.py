"""A clinician's overrides of a linked runner's programme (KC-CLINICIAN), as JSON and as forms:
record one (limits, a pinned dose, an exercise out or in, the phase, approving progressions),
list them with what is in effect, and approve or reject a waiting step-up. A runner who is not
linked to the clinician (or does not exist) is 404. `overrides_view` is the view-model the
clinician's runner page includes (`_overrides.html`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kneecap.app import Home
from kneecap.app import overrides as cases
from kneecap.core.overrides import Kind
from kneecap.core.phases import Phase
from kneecap.web import security
from kneecap.web.context import ctx, on_runner, reader

router = APIRouter()


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(min_length=1, max_length=40)
    data: dict[str, Any]
    reason: str = Field(max_length=cases.MAX_REASON)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(max_length=10)
    reason: str | None = Field(default=None, max_length=cases.MAX_REASON)


def _home(request: Request) -> Home:
    return ctx(request).home


def overrides_view(request: Request, runner_id: int) -> dict[str, Any]:
    """What the clinician's runner page shows: every override with its author and reason, what
    is in effect now, the step-ups waiting, and the choices its forms offer."""
    found = on_runner(cases.listed, _home(request), runner_id, reader(request))
    return {
        **found,
        "runner_id": runner_id,
        "kinds": [k.value for k in Kind if k is not Kind.PROGRESSION_DECISION],
        "phases": [{"value": p.value, "label": p.label} for p in Phase],
    }


@router.get(
    "/api/clinic/runners/{runner_id}/overrides",
    summary="A linked runner's overrides, what is in effect and the step-ups waiting",
)
def overrides_json(request: Request, runner_id: int) -> dict[str, Any]:
    return overrides_view(request, runner_id)


@router.post(
    "/api/clinic/runners/{runner_id}/overrides",
    summary="Record an override of a linked runner's programme",
    status_code=201,
)
def override_json(request: Request, runner_id: int, body: OverrideIn) -> dict[str, Any]:
    return on_runner(cases.add, _home(request), runner_id, body.kind, body.data, body.reason)


@router.post(
    "/api/clinic/runners/{runner_id}/suggestions/{suggestion}",
    summary="Approve or reject a waiting step-up",
)
def suggestion_json(
    request: Request, runner_id: int, suggestion: str, body: DecisionIn
) -> dict[str, Any]:
    return on_runner(
        cases.decide,
        _home(request),
        runner_id,
        suggestion,
        body.decision,
        body.reason,
        reader(request),
    )


# --- the forms (no JavaScript): each redirects back to the runner's page, or answers 422


def _text(form: Any, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value[:limit].strip() if isinstance(value, str) else ""


def _number(form: Any, name: str) -> int | float | str | None:
    text = _text(form, name, 20)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text  # the use case names it


def _form_data(kind: str, form: Any) -> dict[str, Any]:
    """The form's fields for `kind`, as the JSON body's `data` (empty ones left out)."""
    fields: dict[str, tuple[str, ...]] = {
        "limits": ("pain_limit", "weekly_run_cap_km"),
        "pin_dose": ("sets", "reps", "hold_s"),
    }
    data: dict[str, Any] = {}
    for name in fields.get(kind, ()):
        value = _number(form, name)
        if value is not None:
            data[name] = value
    if kind in ("pin_dose", "remove_exercise", "add_exercise"):
        data["exercise"] = _text(form, "exercise", 80)
    if kind == "phase":
        data["phase"] = _text(form, "phase", 40)
    if kind == "approve_progressions":
        data["on"] = _text(form, "on", 5) == "yes"
    return data


def _back(runner_id: int, anchor: str = "overrides") -> Response:
    return RedirectResponse(f"/clinic/runners/{runner_id}#{anchor}", status_code=303)


def _refused(exc: HTTPException) -> Response:
    if exc.status_code != 422:
        raise exc
    return Response(
        f"Not saved: {exc.detail}", status_code=422, media_type="text/plain; charset=utf-8"
    )


@router.post("/clinic/runners/{runner_id}/overrides", include_in_schema=False)
async def override_form(request: Request, runner_id: int) -> Response:
    form = await security.checked_form(request)
    kind = _text(form, "kind", 40)
    try:
        on_runner(
            cases.add,
            _home(request),
            runner_id,
            kind,
            _form_data(kind, form),
            _text(form, "reason", cases.MAX_REASON + 1),
        )
    except HTTPException as exc:
        return _refused(exc)
    return _back(runner_id)


@router.post("/clinic/runners/{runner_id}/suggestions/{suggestion}", include_in_schema=False)
async def suggestion_form(request: Request, runner_id: int, suggestion: str) -> Response:
    form = await security.checked_form(request)
    try:
        on_runner(
            cases.decide,
            _home(request),
            runner_id,
            suggestion,
            _text(form, "decision", 10),
            _text(form, "reason", cases.MAX_REASON + 1),
            reader(request),
        )
    except HTTPException as exc:
        return _refused(exc)
    return _back(runner_id)
