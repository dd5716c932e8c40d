"""The app factory: `create_app(settings)` builds the FastAPI app; nothing is created at import.

Pages are server-rendered (Jinja, autoescaped) and work without JavaScript; each page's view-model
is also served as JSON under `/api/...` (described by OpenAPI at `/openapi.json`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from kneecap import DISCLAIMER
from kneecap.app import BadInput, Forbidden, Home, NoProfile, read
from kneecap.app import home as app_home
from kneecap.catalog import load_catalogue
from kneecap.core import dates
from kneecap.programme import Programme
from kneecap.render.ical import plan_to_ics
from kneecap.settings import Settings
from kneecap.web import forms, problems, progress, runs, security, views
from kneecap.web.guard import Guard

HERE = Path(str(resources.files(__package__)))
T = TypeVar("T")


class Context:
    """What every request needs: the runner's home (store, person, who acts, the clock) and
    the views built from it, cached per person until their data or the day changes."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self.clock = home.clock
        self._memo: dict[str, tuple[tuple[object, ...], Any]] = {}

    def memo(self, name: str, build: Callable[[], Any]) -> Any:
        """`build()`'s value, built again only when the stored data or the day changed (any
        process may write: the revision says so). Keyed by person: one process may serve
        several runners."""
        key = (self.home.person, self.clock.today(), read.revision(self.home))
        found = self._memo.get(name)
        if found is not None and found[0] == key:
            return found[1]
        value = build()
        self._memo[name] = (key, value)
        return value

    def programme(self) -> Programme:
        p: Programme = self.memo("programme", lambda: read.programme(self.home))
        return p


def use(case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a use case; its refusals become HTTP answers with the reason (422 bad input, 409
    no profile yet, 403 not allowed)."""
    try:
        return case(*args, **kwargs)
    except BadInput as exc:
        raise HTTPException(422, "; ".join(exc.problems)) from None
    except NoProfile:
        raise HTTPException(409, "no profile yet: complete the onboarding first") from None
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.store.close()

    app = FastAPI(
        title="Kneecap",
        description="A home programme for runner's knee. " + DISCLAIMER,
        version="0.1.0",
        lifespan=lifespan,
        # No Swagger page: it loads its scripts from a public CDN, and a local-first app makes
        # no third-party requests. The description stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    store = app_home.open_store(settings)
    app.state.store = store
    app.state.ctx = Context(app_home.home_for(store, settings, settings.clock))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["disclaimer"] = DISCLAIMER
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    # Outermost of the app's layers: Host, CSRF, content types, body limits, strict JSON,
    # security headers on every answer, and 500s that log ids, not values (see guard.py).
    app.add_middleware(Guard, allowed_hosts=settings.allowed_hosts)

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, exc: StarletteHTTPException) -> Response:
        answer = problems.response(request, exc.status_code, str(exc.detail))
        answer.headers.update(exc.headers or {})  # 405's Allow, 401's WWW-Authenticate
        return answer

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request: Request, exc: RequestValidationError) -> Response:
        found = problems.from_validation(exc)
        return problems.response(request, 422, problems.summary(found), found)

    forms.register(app)
    runs.register(app)
    progress.register(app)
    _pages(app)
    return app


def page(request: Request, template: str, view: dict[str, Any], status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        template,
        {"v": view, "csrf": security.token_for(request), "today": today(request).isoformat()},
        status_code=status,
    )


def ctx(request: Request) -> Context:
    c: Context = request.app.state.ctx
    return c


def today(request: Request) -> dt.date:
    return ctx(request).clock.today()


def programme_or_none(request: Request) -> Programme | None:
    try:
        return ctx(request).programme()
    except NoProfile:
        return None


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


def _pages(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        target = "/today" if programme_or_none(request) else "/onboarding"
        return RedirectResponse(target, status_code=303)

    def today_model(request: Request, date: str | None) -> dict[str, Any] | None:
        p = programme_or_none(request)
        if p is None:
            return None
        now = today(request)
        return views.today_view(p, _date(date, now) or now, now)

    @app.get("/today", response_class=HTMLResponse, include_in_schema=False)
    def today_page(request: Request, date: str | None = None) -> Response:
        view = today_model(request, date)
        if view is None:
            return RedirectResponse("/onboarding", status_code=303)
        return page(request, "today.html", view)

    @app.get("/api/today", summary="Today's session (the Today page's view-model)")
    def today_json(request: Request, date: str | None = None) -> dict[str, Any]:
        view = today_model(request, date)
        if view is None:
            raise HTTPException(404, "no profile yet: complete the onboarding first")
        return view

    def plan_model(request: Request, start: str | None) -> dict[str, Any] | None:
        p = programme_or_none(request)
        if p is None:
            return None
        first = _date(start, today(request), "start") or today(request)
        first -= dt.timedelta(days=first.weekday())
        return views.plan_view(p, first, 7)

    @app.get("/plan", response_class=HTMLResponse, include_in_schema=False)
    def plan_page(request: Request, start: str | None = None) -> Response:
        view = plan_model(request, start)
        if view is None:
            return RedirectResponse("/onboarding", status_code=303)
        return page(request, "plan.html", view)

    @app.get("/api/plan", summary="The week's plan (the Plan page's view-model)")
    def plan_json(request: Request, start: str | None = None) -> dict[str, Any]:
        view = plan_model(request, start)
        if view is None:
            raise HTTPException(404, "no profile yet: complete the onboarding first")
        return view

    @app.get("/plan.ics", summary="The next four weeks as an iCalendar file")
    def plan_ics(request: Request) -> Response:
        p = programme_or_none(request)
        if p is None:
            raise HTTPException(404, "no profile yet: complete the onboarding first")
        first = today(request)
        body = plan_to_ics(
            p.plan(first, first + dt.timedelta(days=27)), p.catalogue, ctx(request).clock.now()
        )
        return Response(
            body,
            media_type="text/calendar",
            headers={"Content-Disposition": 'attachment; filename="kneecap-plan.ics"'},
        )

    @app.get("/exercises", response_class=HTMLResponse, include_in_schema=False)
    def exercises_page(
        request: Request, kind: str = "", equipment: str = "", phase: str = ""
    ) -> Response:
        view = views.exercises_view(load_catalogue(), kind, equipment, phase)
        return page(request, "exercises.html", view)

    @app.get("/api/exercises", summary="The exercise library, filtered")
    def exercises_json(kind: str = "", equipment: str = "", phase: str = "") -> dict[str, Any]:
        return views.exercises_view(load_catalogue(), kind, equipment, phase)

    def exercise_model(exercise_id: str) -> dict[str, Any]:
        catalogue = load_catalogue()
        if exercise_id not in catalogue:
            raise HTTPException(404, f"no exercise called '{exercise_id[:60]}'")
        return views.exercise_view(catalogue[exercise_id], catalogue)

    @app.get("/exercises/{exercise_id}", response_class=HTMLResponse, include_in_schema=False)
    def exercise_page(request: Request, exercise_id: str) -> Response:
        return page(request, "exercise.html", exercise_model(exercise_id))

    @app.get("/api/exercises/{exercise_id}", summary="One exercise")
    def exercise_json(exercise_id: str) -> dict[str, Any]:
        return exercise_model(exercise_id)

    @app.get("/figures/{exercise_id}.svg", summary="An exercise's illustration (animated SVG)")
    def figure(exercise_id: str, static: bool = False) -> Response:
        from kneecap.render import figures

        if not figures.has_figure(exercise_id):
            raise HTTPException(404, f"no illustration for '{exercise_id[:60]}'")
        return Response(
            figures.svg(exercise_id, animated=not static),
            media_type="image/svg+xml",
            headers={"Cache-Control": "max-age=3600"},
        )

    @app.get("/learn", response_class=HTMLResponse, include_in_schema=False)
    def learn_page(request: Request) -> Response:
        return page(request, "learn.html", views.learn_view())

    @app.get("/api/learn", summary="The education topics")
    def learn_json() -> dict[str, Any]:
        return views.learn_view()

    def topic_model(topic_id: str) -> dict[str, Any]:
        view = views.topic_view(topic_id)
        if view is None:
            raise HTTPException(404, f"no topic called '{topic_id[:60]}'")
        return view

    @app.get("/learn/{topic_id}", response_class=HTMLResponse, include_in_schema=False)
    def topic_page(request: Request, topic_id: str) -> Response:
        return page(request, "topic.html", topic_model(topic_id))

    @app.get("/api/learn/{topic_id}", summary="One education topic")
    def topic_json(topic_id: str) -> dict[str, Any]:
        return topic_model(topic_id)
