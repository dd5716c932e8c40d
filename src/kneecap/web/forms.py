"""The forms: the morning check-in and logging a session, editing and undoing it (onboarding
and the clearance have their own modules), each with its JSON twin under /api/.

Every form is validated by the same core models as the CLI's files (`documents.validate`), so a
bad value gets the same located message; a rejected form stores nothing and answers 422. A
session form carries a one-time `token`: sent twice, it is stored once, and the second answer is
the first's (the page goes to Today showing it done; the JSON answers 200 with the stored one).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field
from starlette.datastructures import FormData

from kneecap.app import diary
from kneecap.catalog import load_catalogue
from kneecap.core.history import TOKEN_PATTERN, CheckIn, SessionLog
from kneecap.core.schema import Record
from kneecap.documents import DocumentError, validate
from kneecap.web import logbook, security
from kneecap.web.context import WRITE, ctx, page, programme, today, use
from kneecap.web.onboarding import number as _number
from kneecap.web.onboarding import text as _text
from kneecap.web.problems import response as problem
from kneecap.web.problems import wants_json
from kneecap.web.views import today_view

MAX_ITEMS = 40  # a session form never has more items than this

router = APIRouter()


class FormProblems(ValueError):
    """Items of a session form that cannot be saved as typed (a done exercise without its pain,
    a pain that is not 0-10): the page says which, next to each field, and keeps what was
    typed."""

    def __init__(self, messages: list[str], entered: dict[str, Any]) -> None:
        self.messages = messages
        self.entered = entered
        super().__init__("; ".join(messages))


class SessionPost(SessionLog):
    """A session sent as JSON, with the optional one-time `token` of the form or queue that
    sends it: the same token again stores nothing and answers with the session it saved."""

    token: str | None = Field(default=None, pattern=TOKEN_PATTERN)

    def log(self) -> SessionLog:
        return SessionLog.model_validate(self.model_dump(exclude={"token"}))


class Nothing(Record):
    """An empty JSON body (`{}`)."""


# --- the morning check-in ----------------------------------------------------------------


@router.post("/checkin", include_in_schema=False)
async def checkin_form(request: Request) -> Response:
    form = await security.checked_form(request)
    data = {
        "date": _checkin_day(form.get("saved_on"), today(request)).isoformat(),
        "morning_pain": _number(form, "morning_pain"),
        "stiffness": _number(form, "stiffness"),
        "swelling": form.get("swelling") == "yes",
        "limp": form.get("limp") == "yes",
    }
    try:
        checkin = validate(CheckIn, data, "check-in")
    except DocumentError as exc:
        raise HTTPException(422, str(exc)) from None
    done = _checked_in(request, checkin)
    said = "updated" if done.updated else "1"
    return RedirectResponse(f"/today?checked_in={said}#checkin-title", status_code=303)


def _checked_in(request: Request, checkin: CheckIn) -> diary.CheckedIn:
    """Store the check-in; the programme read after it is the next page's."""
    done = use(diary.check_in, ctx(request).home, checkin)
    if done.programme is not None:
        ctx(request).keep("programme", done.programme, done.revision)
    return done


@router.post("/api/checkin", summary="Record the morning check-in", status_code=201)
def checkin_json(request: Request, checkin: CheckIn) -> dict[str, Any]:
    done = _checked_in(request, checkin)
    return {
        "saved": checkin.model_dump(mode="json"),
        "new_red_flags": sorted(done.raised),
        "updated": done.updated,
        "feedback": done.feedback,
    }


# --- sessions: log, edit, undo -------------------------------------------------------------


@router.post("/sessions", include_in_schema=False)
async def session_form(request: Request) -> Response:
    form = await security.checked_form(request)
    try:
        log = _session_from_form(form, today(request))
    except FormProblems as exc:
        return _again(request, form, exc)
    saved = use(diary.save_session, ctx(request).home, log, _token(form))
    day = saved.session.log.date.isoformat()
    return RedirectResponse(f"/today?date={day}&saved=1", status_code=303)


@router.post("/api/sessions", summary="Log a session", status_code=201)
def session_json(request: Request, response: Response, log: SessionPost) -> dict[str, Any]:
    saved = use(diary.save_session, ctx(request).home, log.log(), log.token)
    if not saved.created:
        response.status_code = 200  # its token was saved before: nothing new was stored
    return _saved(saved)


@router.post("/sessions/{session_id}/edit", include_in_schema=False)
async def edit_form(request: Request, session_id: str) -> Response:
    form = await security.checked_form(request)
    number = _id(session_id)
    try:
        log = _session_from_form(form, today(request))
    except FormProblems as exc:
        return _again(request, form, exc, editing=number)
    saved = _changing(diary.edit_session, request, number, log, _token(form))
    day = saved.session.log.date.isoformat()
    return RedirectResponse(f"/today?date={day}&edited=1", status_code=303)


@router.post("/api/sessions/{session_id}/edit", summary="Edit a logged session (a new version)")
def edit_json(request: Request, session_id: str, log: SessionPost) -> dict[str, Any]:
    return _saved(_changing(diary.edit_session, request, _id(session_id), log.log(), log.token))


@router.post("/sessions/{session_id}/undo", include_in_schema=False)
async def undo_form(request: Request, session_id: str) -> Response:
    await security.checked_form(request)
    undone = _changing(diary.undo_session, request, _id(session_id))
    day = undone.log.date.isoformat()
    return RedirectResponse(f"/today?date={day}&undone={undone.id}", status_code=303)


@router.post("/api/sessions/{session_id}/undo", summary="Undo a logged session")
def undo_json(request: Request, session_id: str, body: Nothing) -> dict[str, Any]:
    undone = _changing(diary.undo_session, request, _id(session_id))
    return {"undone": undone.id, "session": undone.to_dict(today(request))}


@router.post("/sessions/{session_id}/restore", include_in_schema=False)
async def restore_form(request: Request, session_id: str) -> Response:
    await security.checked_form(request)
    restored = _changing(diary.restore_session, request, _id(session_id))
    day = restored.log.date.isoformat()
    return RedirectResponse(f"/today?date={day}&restored=1", status_code=303)


@router.post("/api/sessions/{session_id}/restore", summary="Restore an undone session")
def restore_json(request: Request, session_id: str, body: Nothing) -> dict[str, Any]:
    restored = _changing(diary.restore_session, request, _id(session_id))
    return {"restored": restored.id, "session": restored.to_dict(today(request))}


def _saved(saved: diary.Saved) -> dict[str, Any]:
    s = saved.session
    return {
        "saved": s.log.model_dump(mode="json"),
        "id": s.id,
        "version": s.version,
        "created": saved.created,
        "deleted": s.deleted,
    }


def _id(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) < 18):
        raise HTTPException(404, f"no logged session '{text[:40]}'")
    return int(text)


def _changing(case: Any, request: Request, *args: Any) -> Any:
    """An edit or an undo; a session that is not there (or undone) is 404."""
    try:
        return use(case, ctx(request).home, *args)
    except diary.NoSuchSession as exc:
        raise HTTPException(404, str(exc)) from None


def _token(form: FormData) -> str | None:
    token = _text(form, "token")
    if token is None:
        return None  # a page from before tokens: saved as it comes
    if not re.fullmatch(TOKEN_PATTERN, token):
        raise HTTPException(422, "token: not a session form's token: reload the page")
    return token


def _again(
    request: Request, form: FormData, exc: FormProblems, editing: int | None = None
) -> Response:
    """The Today page again with the form as typed and each problem beside its field; a
    request asking for JSON (a form kept on the phone offline and sent later) gets the reason
    as the JSON error instead."""
    if wants_json(request):
        return problem(request, 422, "; ".join(exc.messages))
    p = programme(request, WRITE)
    now = today(request)
    day = _day(_text(form, "date"), now)
    view = today_view(p, day, now)
    view.update(errors=exc.messages, entered=exc.entered)
    logbook.add_to_today(request, p, day, now, view, editing=editing)
    return page(request, "today.html", logbook.with_tokens(request, view), 422)


def _day(typed: str | None, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(typed) if typed else today
    except ValueError:
        raise HTTPException(422, f"date: '{typed[:20] if typed else ''}' is not a date") from None


OFFLINE_DAYS = 7  # a check-in kept on the phone is recorded for its morning up to this long


def _checkin_day(saved_on: object, today: dt.date) -> dt.date:
    """The morning a check-in is about: today, or the phone's date when it was kept offline and
    sent later (`saved_on`, added by the offline queue), never after today (a phone's clock a
    zone ahead) and refused when older than `OFFLINE_DAYS`."""
    if not isinstance(saved_on, str) or not saved_on:
        return today
    day = min(_day(saved_on[:10], today), today)
    if day < today - dt.timedelta(days=OFFLINE_DAYS):
        raise HTTPException(
            422,
            f"saved_on: this check-in was kept on the phone since {day.isoformat()}, more than "
            f"{OFFLINE_DAYS} days ago: give this morning's instead",
        )
    return day


PAIN_MISSING = "give your pain during it, from 0 (none) to 10 [PMM-1]"
PAIN_RANGE = "pain during is a whole number from 0 (none) to 10"


def _pain_problem(form: FormData, i: int) -> str | None:
    """Why item i's pain cannot be saved, when it is marked done."""
    if form.get(f"done_{i}") != "yes":
        return None
    typed = _text(form, f"pain_{i}")
    if typed is None:
        return PAIN_MISSING
    # (a long run of digits is refused before int(), which refuses over 4300 digits itself)
    if not (typed.isascii() and typed.isdigit() and len(typed) <= 2 and int(typed) <= 10):
        return PAIN_RANGE
    return None


def _entered(form: FormData, count: int, problems: dict[int, str]) -> dict[str, Any]:
    """What was typed into a session form, to fill it in again (by item number), with each
    item's problem."""
    session = _number(form, "session")
    return {
        "session": session if isinstance(session, int) else 0,
        "items": {
            str(i): {
                "done": form.get(f"done_{i}") == "yes",
                "pain": (_text(form, f"pain_{i}") or "")[:10],
                "sharp": form.get(f"sharp_{i}") == "yes",
                "difficulty": _text(form, f"difficulty_{i}") or "ok",
                "error": problems.get(i),
            }
            for i in range(count)
        },
        "pain_after": (_text(form, "pain_after") or "")[:10],
        "partial": form.get("partial") == "yes",
    }


def _session_from_form(form: FormData, today: dt.date) -> SessionLog:
    count = _number(form, "items")
    if not isinstance(count, int) or not 0 < count <= MAX_ITEMS:
        raise HTTPException(400, f"items: expected 1 to {MAX_ITEMS} exercises")
    catalogue = load_catalogue()
    problems = {i: p for i in range(count) if (p := _pain_problem(form, i)) is not None}
    if problems:

        def named(i: int) -> str:
            e = _text(form, f"exercise_{i}") or f"exercise {i + 1}"
            return catalogue[e].name if e in catalogue else e[:60]

        missing = [named(i) for i, p in problems.items() if p == PAIN_MISSING]
        wrong = [named(i) for i, p in problems.items() if p == PAIN_RANGE]
        messages = []
        if missing:
            messages.append(
                "Pain during is missing for "
                + ", ".join(missing)
                + ": give a number from 0 (none) to 10 for each exercise you did. [PMM-1]"
            )
        if wrong:
            messages.append(
                "Pain during must be a whole number from 0 (none) to 10 for " + ", ".join(wrong)
            )
        raise FormProblems(messages, _entered(form, count, problems))
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
