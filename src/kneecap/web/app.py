"""The app factory: `create_app(settings)` builds the FastAPI app; nothing is created at import.

Pages are server-rendered (Jinja, autoescaped) and work without JavaScript; each page's view-model
is also served as JSON under `/api/...` (described by OpenAPI at `/openapi.json`). The routes live
in their modules' routers (`ROUTERS`); what they share is in `context.py`.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from kneecap import DISCLAIMER
from kneecap.app import home as app_home
from kneecap.app.context import NOBODY, Actor, Home
from kneecap.settings import Settings
from kneecap.web import (
    auth,
    clearance,
    clinic,
    data,
    documents,
    form,
    forms,
    jobs,
    onboarding,
    overrides,
    pages,
    problems,
    progress,
    pwa,
    reminders,
    rtr,
    runs,
)
from kneecap.web import settings as settings_page
from kneecap.web.context import Context
from kneecap.web.guard import Guard

__all__ = ["ROUTERS", "Context", "create_app"]

HERE = Path(str(resources.files(__package__)))

# Every route, in the order the app matches them.
ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    overrides.router,
    clinic.router,
    onboarding.router,
    clearance.router,
    forms.router,
    runs.router,
    jobs.router,
    progress.router,
    settings_page.router,
    data.router,
    pwa.router,
    reminders.router,
    rtr.router,
    form.router,
    documents.router,
    pages.router,
)


def from_workers() -> FastAPI:
    """The app of one of a server's worker processes (`kneecap serve --workers N`)."""
    from kneecap.settings import from_workers as settings_of_workers

    return create_app(settings_of_workers())


# The server keeps each runner's programme built (a year of history is many small objects): the
# cyclic collector's full passes over them paused requests for tens of milliseconds, more often
# the more were kept. Replays make little cyclic garbage, so the youngest generation is
# collected after 50,000 allocations instead of 700 (CPython's default).
GC_THRESHOLD = (50_000, 20, 100)


def create_app(settings: Settings) -> FastAPI:
    gc.set_threshold(*GC_THRESHOLD)

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
    app.state.data_folder = settings.home  # what forget deletes there (web/data.py)
    app.state.memo = {}  # the views built, per person (web/context.py)
    if settings.logins:  # every request brings its login's context; the server's own is nobody's
        base = Home(store, NOBODY, Actor("anonymous"), settings.clock)
        app.state.base_home = base
        app.state.ctx = Context(base, app.state.memo)
    else:
        app.state.base_home = None  # no logins (web/auth.py answers 404)
        app.state.ctx = Context(app_home.home_for(store, settings, settings.clock), app.state.memo)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["disclaimer"] = DISCLAIMER
    templates.env.globals["preferences"] = settings_page.current
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    # Outermost of the app's layers: Host, CSRF, content types, body limits, strict JSON,
    # security headers on every answer, and 500s that log ids, not values (see guard.py).
    if settings.logins:
        app.add_middleware(auth.Logins, base=base, clinic=settings.clinic)
    else:
        app.add_middleware(auth.Local)
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

    # Each module's routes go straight into the app's own list, in order. From FastAPI 0.137,
    # `include_router` adds one lazy node instead, which the Guard (it finds the route a request
    # will reach, to know the body and token it takes) and anything listing `app.routes` would
    # not see into. The routers carry no prefix, dependencies or tags for an include to apply.
    for router in ROUTERS:
        app.router.routes.extend(router.routes)
    return app
