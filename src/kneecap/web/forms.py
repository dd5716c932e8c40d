"""The forms: onboarding (red-flag screen first), the morning check-in and logging a session.

Every form is validated by the same core models as the CLI's files (`documents.validate`), so a
bad value gets the same located message; a rejected form stores nothing and answers 422.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from kneecap import settings as clock
from kneecap.catalog import load_catalogue
from kneecap.core import dates
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.plan import referral_to_dict
from kneecap.core.profile import (
    Aggravator,
    CrossTraining,
    Equipment,
    Pain,
    Profile,
    RedFlags,
    Side,
    Weekday,
)
from kneecap.core.screening import RED_FLAG_QUESTIONS, screen
from kneecap.documents import DocumentError, validate
from kneecap.web import security

STEPS = ("flags", "knee", "week")
MAX_ITEMS = 40  # a session form never has more items than this


def options() -> dict[str, Any]:
    return {
        "flags": RED_FLAG_QUESTIONS,
        "sides": [s.value for s in Side],
        "aggravators": [a.value for a in Aggravator],
        "equipment": [e.value for e in Equipment],
        "days": [d.value for d in Weekday],
        "cross_training": [c.value for c in CrossTraining],
    }


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _number(form: FormData, name: str) -> int | float | str | None:
    """A number as typed; a string that is not one is passed on so validation names the field."""
    text = _text(form, name)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _carried(form: FormData) -> dict[str, Any]:
    raw = _text(form, "answers") or "{}"
    try:
        data = json.loads(raw)
    except ValueError:
        raise HTTPException(400, "answers: the carried answers are not valid JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(400, "answers: expected the answers so far")
    return data


def register(app: FastAPI) -> None:
    from kneecap.web.app import ctx, page, programme_or_none

    def onboarding(
        request: Request, step: str, answers: dict[str, Any], errors: list[str], status: int = 200
    ) -> Response:
        view = {
            "step": step,
            "number": STEPS.index(step) + 1,
            "of": len(STEPS),
            "answers": answers,
            "answers_json": json.dumps(answers),
            "errors": errors,
            "options": options(),
            "today": clock.today().isoformat(),
        }
        return page(request, "onboarding.html", view, status)

    @app.get("/onboarding", include_in_schema=False)
    def onboarding_start(request: Request) -> Response:
        return onboarding(request, "flags", {}, [])

    @app.get("/api/onboarding", summary="The onboarding questions (the page's view-model)")
    def onboarding_json() -> dict[str, Any]:
        return {"steps": list(STEPS), "options": options(), "today": clock.today().isoformat()}

    @app.post("/onboarding", include_in_schema=False)
    async def onboarding_step(request: Request) -> Response:
        form = await security.checked_form(request)
        step = _text(form, "step") or "flags"
        if step not in STEPS:
            raise HTTPException(400, f"step: '{step[:20]}' is not one of {', '.join(STEPS)}")
        answers = _carried(form)
        if step == "flags":
            flags = {name: form.get(name) == "yes" for name in RED_FLAG_QUESTIONS}
            answers["red_flags"] = flags
            if any(flags.values()):
                return _referral(request, flags)
            return onboarding(request, "knee", answers, [])
        if step == "knee":
            answers["affected_side"] = _text(form, "affected_side")
            answers["pain"] = {
                "worst_last_week": _number(form, "worst_last_week"),
                "at_rest": form.get("at_rest") == "yes",
                "sharp": form.get("sharp") == "yes",
                "aggravated_by": form.getlist("aggravated_by"),
            }
            try:
                validate(Pain, answers["pain"], "onboarding")
                if answers["affected_side"] not in options()["sides"]:
                    raise DocumentError("onboarding", ["affected_side: choose left, right or both"])
            except DocumentError as exc:
                return onboarding(request, "knee", answers, exc.problems, 422)
            return onboarding(request, "week", answers, [])
        answers.update(
            start_date=_text(form, "start_date") or clock.today().isoformat(),
            equipment=form.getlist("equipment"),
            availability={
                "days": form.getlist("days"),
                "minutes_per_session": _number(form, "minutes_per_session"),
            },
            cross_training=form.getlist("cross_training"),
            running={
                "currently_running": form.get("currently_running") == "yes",
                "weekly_km": _number(form, "weekly_km") or 0,
                "runs_per_week": _number(form, "runs_per_week") or 0,
            },
        )
        try:
            profile = validate(Profile, answers, "onboarding")
        except DocumentError as exc:
            return onboarding(request, "week", answers, exc.problems, 422)
        c = ctx(request)
        c.store.save_profile(c.person, profile, clock.now_utc())
        return RedirectResponse("/today", status_code=303)

    def _referral(request: Request, flags: dict[str, bool]) -> Response:
        placeholder = Profile(
            start_date=clock.today(),
            affected_side=Side.BOTH,
            pain=Pain(worst_last_week=0),
            red_flags=RedFlags(**flags),
            availability={"days": ["mon"], "minutes_per_session": 30},
        )
        referral = screen(placeholder).referral
        return page(request, "referral.html", {"referral": referral_to_dict(referral)})

    @app.post("/checkin", include_in_schema=False)
    async def checkin_form(request: Request) -> Response:
        form = await security.checked_form(request)
        data = {
            "date": clock.today().isoformat(),
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

    @app.post("/api/checkin", summary="Record the morning check-in", status_code=201)
    def checkin_json(request: Request, checkin: CheckIn) -> dict[str, Any]:
        _check_date(checkin.date)
        raised = _save_checkin(request, checkin)
        return {"saved": checkin.model_dump(mode="json"), "new_red_flags": sorted(raised)}

    def _save_checkin(request: Request, checkin: CheckIn) -> frozenset[str]:
        c = ctx(request)
        profile = c.store.profile(c.person)  # not the whole programme: writes stay cheap
        if profile is None:
            raise HTTPException(409, "no profile yet: complete the onboarding first")
        _check_date(checkin.date, profile.start_date)
        return c.store.add_checkins(c.person, [checkin], clock.now_utc())

    @app.post("/sessions", include_in_schema=False)
    async def session_form(request: Request) -> Response:
        form = await security.checked_form(request)
        log = _session_from_form(form)
        _save_session(request, log)
        return RedirectResponse(f"/today?date={log.date.isoformat()}&saved=1", status_code=303)

    @app.post("/api/sessions", summary="Log a session", status_code=201)
    def session_json(request: Request, log: SessionLog) -> dict[str, Any]:
        _save_session(request, log)
        return {"saved": log.model_dump(mode="json")}

    def _save_session(request: Request, log: SessionLog) -> None:
        _check_date(log.date)
        catalogue = load_catalogue()
        unknown = [e.exercise for e in log.entries if e.exercise not in catalogue]
        if unknown:
            raise HTTPException(422, f"entries: unknown exercise '{unknown[0][:60]}'")
        c = ctx(request)
        p = programme_or_none(request)
        if p is None:
            raise HTTPException(409, "no profile yet: complete the onboarding first")
        _check_date(log.date, p.profile.start_date)
        c.store.add_sessions(c.person, [log], clock.now_utc())


def _check_date(day: dt.date, start: dt.date | None = None) -> None:
    """A log's date: not in the future, not before the programme's start (`core.dates`)."""
    problem = dates.log_problem(day, start, clock.today())
    if problem is not None:
        raise HTTPException(422, problem)


def _session_from_form(form: FormData) -> SessionLog:
    count = _number(form, "items")
    if not isinstance(count, int) or not 0 < count <= MAX_ITEMS:
        raise HTTPException(400, f"items: expected 1 to {MAX_ITEMS} exercises")
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
        "date": _text(form, "date") or clock.today().isoformat(),
        "entries": [{k: v for k, v in e.items() if v is not None} for e in entries],
        "pain_after": _number(form, "pain_after"),
        "partial": form.get("partial") == "yes",
    }
    try:
        return validate(SessionLog, data, "session")
    except DocumentError as exc:
        raise HTTPException(422, str(exc)) from None
