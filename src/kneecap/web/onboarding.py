"""Onboarding: the safety check first (age, red flags, then the injury or adolescent questions
that apply), then the knee, then the week.

The answers so far travel between steps in a hidden field, so the server trusts none of them:
every step checks its own answers, and the last one checks every safety answer again
(`core.intake.missing_answers`) before it stores a profile. A safety answer is never assumed:
each yes/no is a pair of radio buttons with neither chosen, and pain starts unset.

Each step after the first has a Back button: what was typed on the step goes with it, unchecked,
and the step before comes back with its answers. A reload (a GET of /onboarding) comes back to
the step last shown with its answers: they are kept for `KEPT_MINUTES` in a signed cookie
(`RESUME_COOKIE`, this page's path only, HttpOnly, SameSite=Strict) and forgotten once the plan
is made; when they could not be kept (too old, from an earlier server, too long for a cookie),
the page says so above step 1 rather than starting again silently.

A red flag ends the onboarding at a referral. The flags are written at once: into the profile
(a new version), or, for a new runner, as a report the first profile will carry, so starting
the questions again cannot lift the hold (`core.holds`); a new runner may finish the questions
so the plan is ready once cleared.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from kneecap.app import BadInput, Forbidden
from kneecap.app import profile as intake_cases
from kneecap.core import dates
from kneecap.core.intake import (
    ADOLESCENT_QUESTIONS,
    AGE_QUESTION,
    LOCATION_QUESTION,
    LOCATIONS,
    OTTAWA_QUESTIONS,
    RED_FLAG_QUESTIONS,
    missing_answers,
    questions_for,
)
from kneecap.core.plan import referral_to_dict
from kneecap.core.profile import (
    Aggravator,
    CrossTraining,
    Equipment,
    Pain,
    Profile,
    Side,
    Weekday,
)
from kneecap.core.screening import referral_for
from kneecap.documents import DocumentError, validate
from kneecap.web import security, strictjson, words
from kneecap.web.context import ctx, page, today, use
from kneecap.web.problems import field_errors

STEPS = ("flags", "more", "knee", "week")
RESUME_COOKIE = "kneecap_onboarding"
KEPT_MINUTES = 30
_COOKIE_MAX = 3_800  # bytes: a browser keeps about 4 KB a cookie
_KEY = secrets.token_bytes(32)  # this server's: a restart forgets the answers kept

router = APIRouter()


def options() -> dict[str, Any]:
    return {
        "age_question": AGE_QUESTION,
        "flags": RED_FLAG_QUESTIONS,
        "ottawa": OTTAWA_QUESTIONS,
        "adolescent": ADOLESCENT_QUESTIONS,
        "location_question": LOCATION_QUESTION,
        "locations": {loc.value: text for loc, text in LOCATIONS.items()},
        "sides": [s.value for s in Side],
        "aggravators": [a.value for a in Aggravator],
        "equipment": [e.value for e in Equipment],
        "days": [d.value for d in Weekday],
        "cross_training": [c.value for c in CrossTraining],
    }


def questions() -> dict[str, str]:
    """Each field by the question as the page asks it (for the list of problems above a
    step), its question mark left out: "Is the knee visibly swollen: answer yes or no"."""
    asked = {
        "age_years": AGE_QUESTION,
        **RED_FLAG_QUESTIONS,
        **OTTAWA_QUESTIONS,
        **ADOLESCENT_QUESTIONS,
        "affected_side": "Which knee hurts?",
        "worst_last_week": "Worst pain in the last week",
        "location": LOCATION_QUESTION,
        "at_rest": AT_REST_QUESTION,
        "sharp": SHARP_QUESTION,
        "days": "When can you train?",
        "minutes_per_session": "Minutes per session",
        "start_date": "Start on",
        "weekly_km": "Kilometres a week",
        "runs_per_week": "Runs a week",
    }
    return {name: q.rstrip("?").strip() for name, q in asked.items()}


AT_REST_QUESTION = "Does it hurt when you are resting?"
SHARP_QUESTION = "Is the pain ever sharp, rather than a dull ache?"


def text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def number(form: FormData, name: str) -> int | float | str | None:
    """A number as typed; a string that is not one is passed on so validation names the field."""
    typed = text(form, name)
    if typed is None:
        return None
    try:
        return int(typed)
    except ValueError:
        try:
            return float(typed)
        except ValueError:
            return typed


def yes_no(form: FormData, name: str) -> bool | None:
    """A yes/no radio pair: True, False, or None when neither was chosen."""
    return {"yes": True, "no": False}.get(text(form, name) or "")


def _labelled() -> list[str]:
    return [
        *(s.value for s in Side),
        *(a.value for a in Aggravator),
        *(e.value for e in Equipment),
        *(d.value for d in Weekday),
        *(c.value for c in CrossTraining),
    ]


def _carried(form: FormData) -> dict[str, Any]:
    raw = text(form, "answers") or "{}"
    try:
        data = strictjson.loads(raw.encode("utf-8", "surrogatepass"))
    except strictjson.BadJSON as bad:
        raise HTTPException(400, f"answers: the carried answers are not valid: {bad}") from None
    if not isinstance(data, dict):
        raise HTTPException(400, "answers: expected the answers so far")
    return data


def _follow_up(answers: dict[str, Any]) -> dict[str, str]:
    """The questions that apply after the first step: the injury questions after an injury
    (Ottawa knee rules), the adolescent ones under 18."""
    age = answers.get("age_years")
    flags = answers.get("red_flags")
    trauma = isinstance(flags, dict) and flags.get("recent_trauma") is True
    asked = questions_for(age if isinstance(age, int) else None, trauma)
    return {n: q for n, q in asked.items() if n not in RED_FLAG_QUESTIONS}


def _steps_for(answers: dict[str, Any]) -> list[str]:
    """The steps this runner sees: the follow-up questions only when some apply."""
    return [s for s in STEPS if s != "more" or _follow_up(answers)]


def _safety_problems(answers: dict[str, Any], scope: set[str]) -> list[str]:
    """The missing safety answers among the fields in `scope` (prefixes of the messages)."""
    return [p for p in missing_answers(answers) if p.split(":")[0].split(".")[0] in scope]


def _sign(payload: bytes) -> str:
    mac = hmac.new(_KEY, payload, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(mac + payload).decode()


def _kept(request: Request) -> tuple[str, dict[str, Any]] | bool | None:
    """The step and the answers the resume cookie keeps; None without one; False when there
    is one but its answers cannot be used (too old, tampered, from an earlier server)."""
    raw = request.cookies.get(RESUME_COOKIE)
    if not raw:
        return None
    try:
        blob = base64.urlsafe_b64decode(raw.encode())
        mac, payload = blob[:16], blob[16:]
        if not hmac.compare_digest(mac, hmac.new(_KEY, payload, hashlib.sha256).digest()[:16]):
            return False
        kept = strictjson.loads(payload)
    except (ValueError, strictjson.BadJSON):
        return False
    if not isinstance(kept, dict) or kept.get("step") not in STEPS[1:]:
        return False
    if not isinstance(kept.get("answers"), dict) or not isinstance(kept.get("at"), int | float):
        return False
    if time.time() - kept["at"] > KEPT_MINUTES * 60:
        return False
    return kept["step"], kept["answers"]


def _keep(request: Request, response: Response, step: str, answers: dict[str, Any]) -> Response:
    """The step shown and its answers kept for a reload (step 1 keeps nothing worth it)."""
    if step == "flags":
        response.delete_cookie(RESUME_COOKIE, path="/onboarding")
        return response
    payload = json.dumps({"step": step, "answers": answers, "at": int(time.time())}).encode()
    value = _sign(payload)
    if len(value) > _COOKIE_MAX:
        value = "lost"  # too long to keep: a reload says so
    response.set_cookie(
        RESUME_COOKIE,
        value,
        max_age=KEPT_MINUTES * 60,
        path="/onboarding",
        httponly=True,
        samesite="strict",
        secure=request.scope.get("scheme") == "https",
    )
    return response


def onboarding(
    request: Request,
    step: str,
    answers: dict[str, Any],
    errors: list[str],
    status: int = 200,
    note: str | None = None,
    keep: bool = True,
) -> Response:
    steps = _steps_for(answers)
    number = steps.index(step) + 1 if step in steps else 1
    view = {
        "step": step,
        "number": number,
        "of": len(steps),
        "back": steps[number - 2] if number > 1 else None,
        "note": note,
        "questions": questions(),
        "answers": answers,
        "answers_json": json.dumps(answers),
        "errors": errors,
        "field_errors": field_errors(errors),
        "options": options(),
        "labels": {v: words.label(v) for v in _labelled()},
        "more": _follow_up(answers),
        "today": today(request).isoformat(),
        "earliest": (today(request) - dt.timedelta(days=dates.WINDOW_DAYS)).isoformat(),
        "latest": (today(request) + dt.timedelta(days=dates.WINDOW_DAYS)).isoformat(),
    }
    shown = page(request, "onboarding.html", view, status)
    return _keep(request, shown, step, answers) if keep else shown


@router.get("/onboarding", include_in_schema=False)
def onboarding_start(request: Request) -> Response:
    # A GET leaves the kept answers as they are (only an unusable cookie is dropped): a page
    # fetched in the background, e.g. by the service worker, must not undo a step sent since.
    kept = _kept(request)
    if kept is False:
        note = "Your answers were not kept: start again."
        return onboarding(request, "flags", {}, [], note=note)
    if isinstance(kept, tuple):
        step, answers = kept
        note = f"Your answers so far were kept for {KEPT_MINUTES} minutes: carry on."
        return onboarding(request, step, answers, [], note=note, keep=False)
    return onboarding(request, "flags", {}, [], keep=False)


@router.get("/api/onboarding", summary="The onboarding questions (the page's view-model)")
def onboarding_json(request: Request) -> dict[str, Any]:
    return {"steps": list(STEPS), "options": options(), "today": today(request).isoformat()}


@router.post("/onboarding", include_in_schema=False)
async def onboarding_step(request: Request) -> Response:
    form = await security.checked_form(request)
    step = text(form, "step") or "flags"
    if step not in (*STEPS, "continue"):
        raise HTTPException(400, f"step: '{step[:20]}' is not one of {', '.join(STEPS)}")
    answers = _carried(form)
    if text(form, "back") and step in STEPS[1:]:
        # Back: this step's answers as typed (checked when it is sent again), the step before.
        _take(step, form, answers, request)
        steps = _steps_for(answers)
        before = steps[steps.index(step) - 1] if step in steps[1:] else "flags"
        return onboarding(request, before, answers, [])
    if step == "continue":  # a new runner with a red flag finishes the questions
        problems = _safety_problems(answers, {"age_years", "red_flags"})
        if problems:
            return onboarding(request, "flags", answers, problems, 422)
        return onboarding(request, "knee", answers, [])
    if step == "flags":
        answers["age_years"] = number(form, "age_years")
        answers["red_flags"] = {name: yes_no(form, name) for name in RED_FLAG_QUESTIONS}
        problems = _safety_problems(answers, {"age_years"}) + [
            p
            for p in _safety_problems(answers, {"red_flags"})
            if p.split(":")[0].removeprefix("red_flags.") in RED_FLAG_QUESTIONS
        ]
        age = answers["age_years"]
        if age is not None and (not isinstance(age, int) or not 10 <= age <= 100):
            problems.insert(0, "age_years: give your age in years, from 10 to 100")
        if problems:
            return onboarding(request, "flags", answers, problems, 422)
        if "more" in _steps_for(answers):
            return onboarding(request, "more", answers, [])
        return _after_flags(request, answers)
    if step == "more":
        _take("more", form, answers, request)
        problems = _safety_problems(answers, {"red_flags", "age_years"})
        if problems:
            return onboarding(request, "more", answers, problems, 422)
        return _after_flags(request, answers)
    if step == "knee":
        _take("knee", form, answers, request)
        problems = _knee_problems(answers)
        if problems:
            return onboarding(request, "knee", answers, problems, 422)
        return onboarding(request, "week", answers, [])
    _take("week", form, answers, request)
    missing = missing_answers(answers) + [
        p for p in _knee_problems(answers, only_missing=True) if "location" not in p
    ]
    if missing:
        # Only a tampered or stale form gets here: every step checked its own answers.
        return onboarding(request, "flags", answers, sorted(set(missing)), 422)
    try:
        profile = validate(Profile, answers, "onboarding")
    except DocumentError as exc:
        return onboarding(request, "week", answers, exc.problems, 422)
    try:
        intake_cases.save_profile(ctx(request).home, profile)
    except BadInput as exc:  # the start date out of bounds: shown next to it
        return onboarding(request, "week", answers, list(exc.problems), 422)
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None
    done = RedirectResponse("/today", status_code=303)
    done.delete_cookie(RESUME_COOKIE, path="/onboarding")
    return done


def _take(step: str, form: FormData, answers: dict[str, Any], request: Request) -> None:
    """A step's answers as typed, into `answers` (checked by the caller, or not at all for
    Back, which keeps them for the step's next showing)."""
    if step == "more":
        carried = answers.get("red_flags")
        flags = dict(carried) if isinstance(carried, dict) else {}
        for name in _follow_up(answers):
            flags[name] = yes_no(form, name)
        answers["red_flags"] = flags
        return
    if step == "knee":
        answers["affected_side"] = text(form, "affected_side")
        answers["pain"] = {
            "worst_last_week": number(form, "worst_last_week"),
            "location": text(form, "location"),
            "at_rest": yes_no(form, "at_rest"),
            "sharp": yes_no(form, "sharp"),
            "aggravated_by": form.getlist("aggravated_by"),
        }
        return
    answers.update(
        start_date=text(form, "start_date") or today(request).isoformat(),
        equipment=form.getlist("equipment"),
        availability={
            "days": form.getlist("days"),
            "minutes_per_session": number(form, "minutes_per_session"),
        },
        cross_training=form.getlist("cross_training"),
        running={
            "currently_running": form.get("currently_running") == "yes",
            "weekly_km": number(form, "weekly_km") or 0,
            "runs_per_week": number(form, "runs_per_week") or 0,
        },
    )


def _after_flags(request: Request, answers: dict[str, Any]) -> Response:
    flags = {name: value is True for name, value in answers["red_flags"].items()}
    if not any(flags.values()):
        return onboarding(request, "knee", answers, [])
    home = ctx(request).home
    # Written at once: walking away or answering again cannot lift the hold. Without a
    # profile yet, the report waits for the first one.
    raised = frozenset(n for n, v in flags.items() if v)
    use(intake_cases.report_flags, home, raised)
    if use(intake_cases.profile_or_none, home) is not None:
        return RedirectResponse("/referral", status_code=303)
    referral = referral_for(raised, answers["age_years"])
    view = {
        "referral": referral_to_dict(referral),
        "answers_json": json.dumps(answers),
        "new_runner": True,
        "pending": [],
        "clearance": None,
    }
    held = page(request, "referral.html", view)
    held.delete_cookie(RESUME_COOKIE, path="/onboarding")
    return held


def _knee_problems(answers: dict[str, Any], only_missing: bool = False) -> list[str]:
    """The knee step's answers: which knee, where, how much, at rest, sharp (none assumed)."""
    pain = answers.get("pain") if isinstance(answers.get("pain"), dict) else {}
    assert isinstance(pain, dict)
    problems: list[str] = []
    if answers.get("affected_side") not in [s.value for s in Side]:
        problems.append("affected_side: choose left, right or both")
    if pain.get("worst_last_week") is None:
        problems.append("pain.worst_last_week: required (0 = no pain, 10 = worst imaginable)")
    if pain.get("location") is None:
        problems.append("pain.location: required (where the knee hurts most)")
    for name, what in (("at_rest", "does it hurt at rest?"), ("sharp", "is the pain sharp?")):
        if pain.get(name) is None:
            problems.append(f"pain.{name}: answer yes or no ({what})")
    if only_missing or problems:
        return problems
    try:
        validate(Pain, pain, "onboarding")
    except DocumentError as exc:
        return exc.problems
    return []
