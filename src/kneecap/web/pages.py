"""The reading pages, each with its `/api/` JSON twin: Today, Plan (and its calendar file), the
exercise library with each exercise's illustration, and Learn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from kneecap.catalog import load_catalogue
from kneecap.core import dates
from kneecap.core.phases import Phase
from kneecap.render.ical import plan_to_ics
from kneecap.running_status import own_running_of
from kneecap.web import clinic, logbook, views, words
from kneecap.web.context import ONBOARDING, ctx, programme, programme_or_none, today, twin

router = APIRouter()

# Learn in the order a newcomer reads: what it is and what to expect first, then how to use pain
# as a guide, when to see someone, and the rest.
READING_ORDER = (
    "what-is-runners-knee",
    "outlook",
    "pain-monitoring",
    "when-to-see-a-clinician",
    "active-recovery",
    "exercises-to-avoid",
    "daily-habits",
    "relief-measures",
    "cross-training",
    "running-form-and-load",
    "footwear-and-orthoses",
    "prevention",
)


def _date(text: str | None, today: dt.date, what: str = "date") -> dt.date | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"{what}: '{text[:40]}' is not a date (YYYY-MM-DD)") from None
    problem = dates.view_problem(day, today, what)  # also keeps date arithmetic in range
    if problem is not None:
        raise HTTPException(400, problem)
    return day


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    target = "/today" if programme_or_none(request) else ONBOARDING
    return RedirectResponse(target, status_code=303)


@twin(
    router,
    "/today",
    "today.html",
    name="today",
    summary="Today's session (the Today page's view-model)",
    decorate=logbook.with_tokens,
)
def today_model(request: Request, date: str | None = None) -> dict[str, Any]:
    p = programme(request)
    now = today(request)
    day = _date(date, now) or now
    view = logbook.add_to_today(request, p, day, now, views.today_view(p, day, now))
    view["running"] = own_running_of(p) if day == now else None  # running on their own
    view["from_physio"] = clinic.from_physio(request, p)  # clinic mode: who released it, notes
    return view


@twin(
    router,
    "/plan",
    "plan.html",
    name="plan",
    summary="The week's plan (the Plan page's view-model)",
)
def plan_model(request: Request, start: str | None = None) -> dict[str, Any]:
    p = programme(request)
    first = _date(start, today(request), "start") or today(request)
    first -= dt.timedelta(days=first.weekday())
    return views.plan_view(p, first, 7, today(request))


@router.get("/plan.ics", summary="The next four weeks as an iCalendar file")
def plan_ics(request: Request) -> Response:
    p = programme(request)
    first = today(request)
    body = plan_to_ics(
        p.plan(first, first + dt.timedelta(days=27)), p.catalogue, ctx(request).clock.now()
    )
    return Response(
        body,
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="kneecap-plan.ics"'},
    )


def _exercise_words(request: Request, view: dict[str, Any]) -> dict[str, Any]:
    """The filters' values in words, for the page (the values stay in the URL and the JSON)."""
    values = [*view["kinds"], *view["equipment_options"]]
    labels = {v: words.label(v) for v in values} | {ph.value: ph.label for ph in Phase}
    return {**view, "labels": labels}


@twin(
    router,
    "/exercises",
    "exercises.html",
    name="exercises",
    summary="The exercise library, filtered",
    decorate=_exercise_words,
)
def exercises_model(
    request: Request, kind: str = "", equipment: str = "", phase: str = ""
) -> dict[str, Any]:
    return views.exercises_view(load_catalogue(), kind, equipment, phase)


@twin(router, "/exercises/{exercise_id}", "exercise.html", name="exercise", summary="One exercise")
def exercise_model(request: Request, exercise_id: str) -> dict[str, Any]:
    catalogue = load_catalogue()
    if exercise_id not in catalogue:
        raise HTTPException(404, f"no exercise called '{exercise_id[:60]}'")
    return views.exercise_view(catalogue[exercise_id], catalogue)


@router.get("/figures/{exercise_id}.svg", summary="An exercise's illustration (animated SVG)")
def figure(exercise_id: str, static: bool = False) -> Response:
    from kneecap.render import figures

    if not figures.has_figure(exercise_id):
        raise HTTPException(404, f"no illustration for '{exercise_id[:60]}'")
    return Response(
        figures.svg(exercise_id, animated=not static),
        media_type="image/svg+xml",
        headers={"Cache-Control": "max-age=3600"},
    )


@twin(router, "/learn", "learn.html", name="learn", summary="The education topics")
def learn_model(request: Request) -> dict[str, Any]:
    view = views.learn_view()
    rank = {topic: n for n, topic in enumerate(READING_ORDER)}
    view["topics"].sort(key=lambda t: (rank.get(t["id"], len(rank)), t["title"]))
    return view


@twin(router, "/learn/{topic_id}", "topic.html", name="topic", summary="One education topic")
def topic_model(request: Request, topic_id: str) -> dict[str, Any]:
    view = views.topic_view(topic_id)
    if view is None:
        raise HTTPException(404, f"no topic called '{topic_id[:60]}'")
    return view
