"""Clinic mode's pages and their JSON: the clinician's dashboard and a linked runner's page
(summary, Progress charts, decisions timeline, runs and load, the clearance and notes forms),
invitations, the runner's links to their clinicians and "who has seen my data" (`/account`),
and the admin's search of the audit log (`/admin`).

A runner who is not linked to the clinician (or does not exist) is 404: a refusal would say
that they exist. The view-models of a runner's own pages (`web.progress`, `web.runs`, the
decisions timeline) are built from the same read-model, so the clinician sees the same truths.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kneecap.app import BadInput, Forbidden, Home
from kneecap.app import clinic as cases
from kneecap.app.context import RUNNER
from kneecap.core import decisions
from kneecap.core.screening import RED_FLAGS
from kneecap.programme import Programme
from kneecap.web import security
from kneecap.web.clearance import PROFESSIONS
from kneecap.web.context import NOT_A_RUNNER, ctx, on_runner, page, reader, use
from kneecap.web.overrides import overrides_view
from kneecap.web.progress import DECISIONS_SHOWN, WEEKS_SHOWN, progress_charts, progress_view
from kneecap.web.runs import run_weeks, runs_view, weeks_chart

router = APIRouter()


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=cases.MAX_CODE)


class ClinicClearanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profession: str = Field(min_length=1, max_length=100)
    flags: list[str] = Field(max_length=len(RED_FLAGS) + 4)
    cleared_on: dt.date | None = None
    note: str | None = Field(default=None, max_length=2000)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=cases.MAX_NOTE)
    shared: bool = False


def _home(request: Request) -> Home:
    return ctx(request).home


def _runner_programme(request: Request, runner_id: int, what: str) -> Programme:
    return on_runner(cases.runner_programme, _home(request), runner_id, what, reader(request))


# --- the dashboard and invitations


@router.get("/api/clinic/runners", summary="A clinician's linked runners, attention first")
def runners_json(request: Request) -> list[dict[str, Any]]:
    return use(cases.dashboard, _home(request), reader(request))


@router.get("/clinic", include_in_schema=False)
def clinic_page(request: Request, code: str | None = None) -> Response:
    rows = use(cases.dashboard, _home(request), reader(request))
    return page(request, "clinic.html", {"runners": rows, "code": None})


@router.post("/api/clinic/invites", summary="An invitation code (valid 7 days, one use)")
def invite_json(request: Request) -> JSONResponse:
    made = use(cases.invite, _home(request))
    return JSONResponse({"code": made.code, "expires": made.expires.isoformat()}, 201)


@router.post("/clinic/invites", include_in_schema=False)
async def invite_form(request: Request) -> Response:
    await security.checked_form(request)
    made = use(cases.invite, _home(request))
    rows = use(cases.dashboard, _home(request), reader(request))
    code = {"code": made.code, "expires": made.expires.date().isoformat()}
    return page(request, "clinic.html", {"runners": rows, "code": code}, 201)


# --- a linked runner


def summary_view(request: Request, runner_id: int) -> dict[str, Any]:
    return on_runner(cases.runner_summary, _home(request), runner_id, reader(request))


@router.get("/api/clinic/runners/{runner_id}", summary="A linked runner at a glance")
def runner_json(request: Request, runner_id: int) -> dict[str, Any]:
    return summary_view(request, runner_id)


def progress_of(request: Request, runner_id: int) -> dict[str, Any]:
    p = _runner_programme(request, runner_id, "progress")
    return progress_view(p, ctx(request).clock.today())


def decisions_of(request: Request, runner_id: int) -> dict[str, Any]:
    p = _runner_programme(request, runner_id, "decisions")
    rows = [decisions.row_to_dict(r) for r in p.timeline()][:DECISIONS_SHOWN]
    return {"decisions": rows}


def runs_of(request: Request, runner_id: int) -> dict[str, Any]:
    p = _runner_programme(request, runner_id, "runs")
    found = list(p.runs)
    view = runs_view(found)
    view["weeks"] = run_weeks(found, ctx(request).clock.today(), WEEKS_SHOWN)
    return view


@router.get("/api/clinic/runners/{runner_id}/progress", summary="A linked runner's Progress")
def runner_progress_json(request: Request, runner_id: int) -> dict[str, Any]:
    return progress_of(request, runner_id)


@router.get("/api/clinic/runners/{runner_id}/decisions", summary="A linked runner's decisions")
def runner_decisions_json(request: Request, runner_id: int) -> dict[str, Any]:
    return decisions_of(request, runner_id)


def clips_of(request: Request, runner_id: int) -> list[dict[str, Any]]:
    folder = request.app.state.data_folder
    return on_runner(cases.runner_clips, _home(request), runner_id, folder)


@router.get(
    "/api/clinic/runners/{runner_id}/form-checks",
    summary="A linked runner's kept form-check clips and their results",
)
def runner_clips_json(request: Request, runner_id: int) -> list[dict[str, Any]]:
    return clips_of(request, runner_id)


@router.get("/clinic/runners/{runner_id}/form-checks/{clip_id}", include_in_schema=False)
def runner_clip(request: Request, runner_id: int, clip_id: str) -> Response:
    folder = request.app.state.data_folder
    try:
        path = on_runner(cases.runner_clip, _home(request), runner_id, folder, clip_id)
    except HTTPException as exc:
        if exc.status_code == 422:  # no such clip
            raise HTTPException(404, NOT_A_RUNNER) from None
        raise
    return FileResponse(path, filename=path.name)


@router.get("/api/clinic/runners/{runner_id}/runs", summary="A linked runner's runs and load")
def runner_runs_json(request: Request, runner_id: int) -> dict[str, Any]:
    return runs_of(request, runner_id)


def _runner_page(
    request: Request, runner_id: int, errors: list[str] | None = None, status: int = 200
) -> Response:
    summary = summary_view(request, runner_id)
    progress = progress_of(request, runner_id)
    runs = runs_of(request, runner_id)
    view = {
        "runner": summary,
        "progress": progress,
        "charts": progress_charts(progress),
        "runs": runs,
        "weeks_chart": weeks_chart(runs["weeks"], "weeks"),
        "professions": list(PROFESSIONS),
        "red_flags": {f: RED_FLAGS[f].text for f in RED_FLAGS},
        "errors": errors or [],
        "overrides": overrides_view(request, runner_id),  # `_overrides.html`
        "clips": clips_of(request, runner_id),
    }
    return page(request, "clinic_runner.html", view, status)


@router.get("/clinic/runners/{runner_id}", include_in_schema=False)
def runner_page(request: Request, runner_id: int) -> Response:
    return _runner_page(request, runner_id)


# --- a clinician's clearance and notes


@router.post(
    "/api/clinic/runners/{runner_id}/clearance",
    summary="A linked runner's red flags cleared by the clinician",
    status_code=201,
)
def clearance_json(request: Request, runner_id: int, body: ClinicClearanceIn) -> dict[str, Any]:
    done = on_runner(
        cases.clear,
        _home(request),
        runner_id,
        body.profession,
        frozenset(body.flags) if body.flags else None,
        (body.note or "").strip() or None,
        body.cleared_on,
    )
    return {"cleared": sorted(done), "clinician": _home(request).actor.signature}


def _text(form: Any, name: str, limit: int) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


@router.post("/clinic/runners/{runner_id}/clearance", include_in_schema=False)
async def clearance_form(request: Request, runner_id: int) -> Response:
    form = await security.checked_form(request)
    flags = frozenset(f[:60] for f in form.getlist("flags") if isinstance(f, str))
    try:
        on_runner(
            cases.clear,
            _home(request),
            runner_id,
            _text(form, "profession", 100),
            flags or None,
            _text(form, "note", 2000).strip() or None,
        )
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return _runner_page(request, runner_id, [str(exc.detail)], 422)
    return RedirectResponse(f"/clinic/runners/{runner_id}?cleared=1", status_code=303)


@router.post(
    "/api/clinic/runners/{runner_id}/notes", summary="A note on a linked runner", status_code=201
)
def note_json(request: Request, runner_id: int, body: NoteIn) -> dict[str, Any]:
    return on_runner(cases.add_note, _home(request), runner_id, body.text, body.shared)


@router.post("/clinic/runners/{runner_id}/notes", include_in_schema=False)
async def note_form(request: Request, runner_id: int) -> Response:
    form = await security.checked_form(request)
    text = _text(form, "text", cases.MAX_NOTE + 1)
    try:
        on_runner(cases.add_note, _home(request), runner_id, text, form.get("shared") == "yes")
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return _runner_page(request, runner_id, [str(exc.detail)], 422)
    return RedirectResponse(f"/clinic/runners/{runner_id}#notes", status_code=303)


# --- the runner's links and "who has seen my data"; everyone's account page


@router.post("/api/me/clinicians", summary="Accept a clinician's invitation", status_code=201)
def link_json(request: Request, body: CodeIn) -> dict[str, Any]:
    clinician = use(cases.accept, _home(request), body.code)
    return {"linked": clinician, "clinicians": use(cases.my_clinicians, _home(request))}


@router.get("/api/me/clinicians", summary="The runner's clinicians now")
def clinicians_json(request: Request) -> list[dict[str, Any]]:
    return use(cases.my_clinicians, _home(request))


@router.delete("/api/me/clinicians/{clinician_id}", summary="End a link", status_code=204)
def unlink_json(request: Request, clinician_id: int) -> Response:
    if not use(cases.unlink, _home(request), clinician_id):
        raise HTTPException(404, "no current link to this clinician")
    return Response(status_code=204)


@router.get("/api/me/audit", summary="Who has seen or changed my data, newest first")
def my_audit_json(request: Request) -> list[dict[str, Any]]:
    return use(cases.my_audit, _home(request))


def _account_view(request: Request, error: str | None = None) -> dict[str, Any]:
    home = _home(request)
    runner = RUNNER in home.actor.roles
    return {
        "email": home.actor.name,
        "roles": sorted(home.actor.roles),
        "runner": runner,
        "clinicians": use(cases.my_clinicians, home) if runner else [],
        "audit": use(cases.my_audit, home) if runner else [],
        "notes": use(cases.notes_of, home, home.person) if runner else [],
        "error": error,
    }


@router.get("/account", include_in_schema=False)
def account_page(request: Request) -> Response:
    return page(request, "account.html", _account_view(request))


@router.post("/account/clinicians", include_in_schema=False)
async def link_form(request: Request) -> Response:
    form = await security.checked_form(request)
    try:
        cases.accept(_home(request), _text(form, "code", cases.MAX_CODE))
    except BadInput as exc:
        return page(request, "account.html", _account_view(request, exc.problems[0]), 422)
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None
    return RedirectResponse("/account", status_code=303)


@router.post("/account/clinicians/{clinician_id}/end", include_in_schema=False)
async def unlink_form(request: Request, clinician_id: int) -> Response:
    await security.checked_form(request)
    if not use(cases.unlink, _home(request), clinician_id):
        raise HTTPException(404, "no current link to this clinician")
    return RedirectResponse("/account", status_code=303)


# --- the admin's search of the audit log


def _search(
    request: Request, actor: str | None, person: int | None, action: str | None
) -> list[dict[str, Any]]:
    return use(
        cases.search_audit,
        _home(request),
        (actor or "")[:254] or None,
        person,
        (action or "")[:80] or None,
    )


@router.get("/api/admin/audit", summary="Search the audit log (admins)")
def audit_json(
    request: Request, actor: str | None = None, person: int | None = None, action: str | None = None
) -> list[dict[str, Any]]:
    return _search(request, actor, person, action)


@router.get("/admin", include_in_schema=False)
def admin_page(
    request: Request, actor: str | None = None, person: int | None = None, action: str | None = None
) -> Response:
    entries = _search(request, actor, person, action)
    filters = {"actor": actor or "", "person": person or "", "action": action or ""}
    return page(request, "admin.html", {"entries": entries, "filters": filters})


# --- what the runner's Today shows of their clinicians


def from_physio(request: Request, p: Programme) -> dict[str, Any] | None:
    """The clearance that released the plan (who, when) and the notes shared with the runner;
    None outside clinic mode."""
    home = _home(request)
    if not home.actor.clinic or RUNNER not in home.actor.roles:
        return None
    cleared = [r for r in p.timeline() if r.kind == decisions.CLEARED]
    latest = cleared[0] if cleared else None
    released = None
    if latest is not None and not p.pending:
        released = {
            "clinician": latest.clinician,
            "profession": latest.profession,
            "date": latest.last.isoformat(),
        }
    return {"released": released, "notes": cases.notes_of(home, home.person)}
