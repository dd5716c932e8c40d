"""The forms: the morning check-in and logging a session (onboarding and the clearance have
their own modules).

Every form is validated by the same core models as the CLI's files (`documents.validate`), so a
bad value gets the same located message; a rejected form stores nothing and answers 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from kneecap.app import diary
from kneecap.catalog import load_catalogue
from kneecap.core.history import CheckIn, SessionLog
from kneecap.documents import DocumentError, validate
from kneecap.web import security
from kneecap.web.context import WRITE, ctx, page, programme, today, use
from kneecap.web.onboarding import number as _number
from kneecap.web.onboarding import text as _text
from kneecap.web.views import today_view

MAX_ITEMS = 40  # a session form never has more items than this

router = APIRouter()


class MissingPain(ValueError):
    """A done exercise without its pain: the page says which, and keeps what was typed."""

    def __init__(self, names: list[str], entered: dict[str, Any]) -> None:
        self.names = names
        self.entered = entered
        super().__init__(
            "Pain during is missing for "
            + ", ".join(names)
            + ": give a number from 0 (none) to 10 for each exercise you did. [PMM-1]"
        )


@router.post("/checkin", include_in_schema=False)
async def checkin_form(request: Request) -> Response:
    form = await security.checked_form(request)
    data = {
        "date": today(request).isoformat(),
        "morning_pain": _number(form, "morning_pain"),
        "stiffness": _number(form, "stiffness"),
        "swelling": form.get("swelling") == "yes",
        "limp": form.get("limp") == "yes",
    }
    try:
        checkin = validate(CheckIn, data, "check-in")
    except DocumentError as exc:
        raise HTTPException(422, str(exc)) from None
    _save_checkin(request, checkin)
    return RedirectResponse("/today?checked_in=1", status_code=303)


@router.post("/api/checkin", summary="Record the morning check-in", status_code=201)
def checkin_json(request: Request, checkin: CheckIn) -> dict[str, Any]:
    raised = _save_checkin(request, checkin)
    return {"saved": checkin.model_dump(mode="json"), "new_red_flags": sorted(raised)}


def _save_checkin(request: Request, checkin: CheckIn) -> frozenset[str]:
    return use(diary.record_checkins, ctx(request).home, [checkin])


@router.post("/sessions", include_in_schema=False)
async def session_form(request: Request) -> Response:
    form = await security.checked_form(request)
    try:
        log = _session_from_form(form, today(request))
    except MissingPain as exc:
        p = programme(request, WRITE)
        day = _day(_text(form, "date"), today(request))
        view = today_view(p, day, today(request))
        view.update(errors=[str(exc)], entered=exc.entered)
        return page(request, "today.html", view, 422)
    _save_session(request, log)
    return RedirectResponse(f"/today?date={log.date.isoformat()}&saved=1", status_code=303)


@router.post("/api/sessions", summary="Log a session", status_code=201)
def session_json(request: Request, log: SessionLog) -> dict[str, Any]:
    _save_session(request, log)
    return {"saved": log.model_dump(mode="json")}


def _save_session(request: Request, log: SessionLog) -> None:
    use(diary.log_sessions, ctx(request).home, [log], "session")


def _day(typed: str | None, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(typed) if typed else today
    except ValueError:
        raise HTTPException(422, f"date: '{typed[:20] if typed else ''}' is not a date") from None


def _entered(form: FormData, count: int) -> dict[str, Any]:
    """What was typed into a session form, to fill it in again (by item number)."""
    session = _number(form, "session")
    return {
        "session": session if isinstance(session, int) else 0,
        "items": {
            str(i): {
                "done": form.get(f"done_{i}") == "yes",
                "pain": _text(form, f"pain_{i}") or "",
                "sharp": form.get(f"sharp_{i}") == "yes",
                "difficulty": _text(form, f"difficulty_{i}") or "ok",
            }
            for i in range(count)
        },
        "pain_after": _text(form, "pain_after") or "",
        "partial": form.get("partial") == "yes",
    }


def _session_from_form(form: FormData, today: dt.date) -> SessionLog:
    count = _number(form, "items")
    if not isinstance(count, int) or not 0 < count <= MAX_ITEMS:
        raise HTTPException(400, f"items: expected 1 to {MAX_ITEMS} exercises")
    catalogue = load_catalogue()
    unset = [
        _text(form, f"exercise_{i}") or f"exercise {i + 1}"
        for i in range(count)
        if form.get(f"done_{i}") == "yes" and _text(form, f"pain_{i}") is None
    ]
    if unset:
        names = [catalogue[e].name if e in catalogue else e[:60] for e in unset]
        raise MissingPain(names, _entered(form, count))
    entries = []
    for i in range(count):
        if form.get(f"done_{i}") != "yes":
            continue
        entries.append(
            {
                "exercise": _text(form, f"exercise_{i}"),
                "sets_done": _number(form, f"sets_{i}"),
                "reps_done": _number(form, f"reps_{i}"),
                "hold_s_done": _number(form, f"hold_{i}"),
                "minutes_done": _number(form, f"minutes_{i}"),
                "pain_during": _number(form, f"pain_{i}"),
                "sharp": form.get(f"sharp_{i}") == "yes",
                "difficulty": _text(form, f"difficulty_{i}") or "ok",
            }
        )
    if not entries:
        raise HTTPException(422, "entries: mark at least one exercise as done")
    data = {
        "date": _text(form, "date") or today.isoformat(),
        "entries": [{k: v for k, v in e.items() if v is not None} for e in entries],
        "pain_after": _number(form, "pain_after"),
        "partial": form.get("partial") == "yes",
    }
    try:
        return validate(SessionLog, data, "session")
    except DocumentError as exc:
        raise HTTPException(422, str(exc)) from None
