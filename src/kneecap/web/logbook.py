"""What Today adds about the day's log, beside the plan (`views.today_view`): a one-time token
on each session form (a second save with it stores nothing), each planned session shown done
once it is logged (with Edit and Undo while `core.history.EDIT_DAYS` allow), the form of a
session being edited filled in with what was logged, and the morning check-in's answer: what it
changed, in the runner's numbers (`app.diary.checkin_feedback`)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from fastapi import Request

from kneecap.app import diary
from kneecap.core.history import Logged, editable
from kneecap.programme import Programme
from kneecap.web.context import ctx, use


def new_token() -> str:
    """A session form's one-time token: random and unguessable."""
    return secrets.token_urlsafe(18)


def _exercises(session: dict[str, Any]) -> set[str]:
    return {it["exercise"] for it in session["items"]}


def _matched(sessions: list[dict[str, Any]], logged: list[Logged]) -> dict[int, Logged]:
    """Which planned session (by index) each logged one is: the one sharing most exercises,
    each planned session taken once, in the order they were logged."""
    found: dict[int, Logged] = {}
    for done in logged:
        names = {e.exercise for e in done.log.entries}
        free = [i for i in range(len(sessions)) if i not in found]
        best = max(free, key=lambda i: len(names & _exercises(sessions[i])), default=None)
        if best is not None and names & _exercises(sessions[best]):
            found[best] = done
    return found


def _done_view(done: Logged, today: dt.date, zone: dt.tzinfo) -> dict[str, Any]:
    entries = done.log.entries
    pains = [e.pain_during for e in entries]
    return {
        **done.to_dict(today),
        "exercises": len(entries),
        "worst_pain": max(pains) if pains else None,
        "pain_after": done.log.pain_after,
        "saved_time": done.saved_at.astimezone(zone).strftime("%H:%M"),
    }


def _entered_from(done: Logged, session: dict[str, Any], index: int) -> dict[str, Any]:
    """A logged session as the form's typed values, to edit it."""
    by_exercise = {e.exercise: e for e in done.log.entries}
    items = {}
    for i, it in enumerate(session["items"]):
        e = by_exercise.get(it["exercise"])
        items[str(i)] = {
            "done": e is not None,
            "pain": "" if e is None else str(e.pain_during),
            "sharp": bool(e and e.sharp),
            "difficulty": "ok" if e is None else e.difficulty.value,
        }
    after = done.log.pain_after
    return {
        "session": index,
        "items": items,
        "pain_after": "" if after is None else str(after),
        "partial": done.log.partial,
    }


def add_to_today(
    request: Request,
    p: Programme,
    day: dt.date,
    today: dt.date,
    view: dict[str, Any],
    editing: int | None = None,
) -> dict[str, Any]:
    """Today's view-model with the log's part; `?edit=ID` opens that session's form again,
    `?checked_in=updated` says the check-in replaced the morning's first one."""
    home = ctx(request).home
    zone = home.clock.zone()
    logged = use(diary.logged_on, home, day)
    sessions: list[dict[str, Any]] = view["sessions"]
    matched = _matched(sessions, logged)
    edit = request.query_params.get("edit", "")
    if editing is None and edit.isascii() and edit.isdigit() and len(edit) < 12:
        editing = int(edit)
    for i, s in enumerate(sessions):
        done = matched.get(i)
        s["done"] = None if done is None else _done_view(done, today, zone)
        s["editing"] = done is not None and done.id == editing and s["done"]["editable"]
        if s["editing"] and done is not None and not view.get("entered"):
            view["entered"] = _entered_from(done, s, i)
    view["logged"] = [_done_view(d, today, zone) for d in logged]
    view["other_logged"] = [_done_view(d, today, zone) for d in logged if d not in matched.values()]
    view["saved"] = request.query_params.get("saved") == "1"
    view["edited"] = request.query_params.get("edited") == "1"
    undone = request.query_params.get("undone", "")
    view["undone"] = bool(undone)
    view["restorable"] = None  # the undone session, while it can be brought back
    if undone.isascii() and undone.isdigit() and len(undone) < 12:
        gone = [
            d
            for d in use(diary.logged_on, home, day, True)
            if d.id == int(undone) and d.deleted and d not in logged
        ]
        if gone and editable(gone[0].log.date, today):
            view["restorable"] = _done_view(gone[0], today, zone)
    view["restored"] = request.query_params.get("restored") == "1"
    checkin = next((c for c in p.checkins if c.date == day), None)
    updated = request.query_params.get("checked_in") == "updated"
    view["checkin"] = (
        None
        if checkin is None or day != today
        else ctx(request).memo(  # a replay: once for each revision of the runner's data
            f"checkin-words-{updated}",
            lambda: diary.checkin_feedback(home, p, checkin, updated=updated),
        )
    )
    view["first_day"] = day == p.profile.start_date
    return view


def with_tokens(request: Request, view: dict[str, Any]) -> dict[str, Any]:
    """The page's part: a fresh one-time token on each session form (the JSON twin has none: a
    client makes its own, e.g. an offline queue's id for each session it keeps)."""
    for s in view["sessions"]:
        s["token"] = new_token()
    return view
