"""What every route needs, in one module the factory and the route modules import: the runner's
context on the request, the use-case call, the page render, the programme or the "no profile
yet" answer, and `twin`, which serves a page and its `/api/` JSON twin from one view-model.

"No profile yet" is answered here and nowhere else: a page goes to the onboarding (303), a JSON
read (and the calendar) is 404, a write 409, each with `NO_PROFILE` as its reason.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from kneecap.app import BadInput, Forbidden, Home, NoProfile, read
from kneecap.programme import Programme
from kneecap.web import security

T = TypeVar("T")
View = dict[str, Any]
Model = Callable[..., View]

MEMO_PEOPLE = 200  # people whose views a server keeps built
MEMO_NAMES = 6  # views kept per person (the programme, the check-in's words, ...)
NO_PROFILE = "no profile yet: complete the onboarding first"
ONBOARDING = "/onboarding"
READ = 404  # what a JSON read (and the calendar) answers before the onboarding
WRITE = 409  # what a write answers


class Context:
    """What every request needs: the runner's home (store, person, who acts, the clock) and
    the views built from it, cached per person until their data or the day changes."""

    def __init__(self, home: Home, memo: dict[Any, Any] | None = None) -> None:
        self.home = home
        self.clock = home.clock
        self._memo: dict[Any, Any] = {} if memo is None else memo

    def memo(self, name: str, build: Callable[[], Any]) -> Any:
        """`build()`'s value, built again only when the stored data or the day changed (any
        process may write: the revision says so). Kept per person (one process serves several
        runners: a login's context shares the server's memo), for the `MEMO_PEOPLE` people
        seen last."""
        slot = (name, self.home.person)
        key = (self.clock.today(), read.revision(self.home))
        found = self._memo.pop(slot, None)
        if found is None or found[0] != key:
            found = (key, build())
        self._memo[slot] = found  # last in the dict: the most recently used
        while len(self._memo) > MEMO_PEOPLE * MEMO_NAMES:
            del self._memo[next(iter(self._memo))]
        return found[1]

    def keep(self, name: str, value: Any, revision: int) -> None:
        """Keep `value`, read at `revision` of the person's data (or later), as `name`'s for
        today: a write that read the programme afresh hands it to the next read."""
        self._memo[(name, self.home.person)] = ((self.clock.today(), revision), value)

    def programme(self) -> Programme:
        p: Programme = self.memo("programme", lambda: read.programme(self.home))
        return p


class NoProfileYet(HTTPException):
    """The runner has no profile yet: `READ` (404) or `WRITE` (409), with `NO_PROFILE` as the
    reason; a page catches it and goes to the onboarding instead (`twin`, `to_onboarding`)."""

    def __init__(self, status: int = READ) -> None:
        super().__init__(status, NO_PROFILE)


def ctx(request: Request) -> Context:
    """The request's context: its login's (`web.auth`), else the server's own (personal mode:
    the local person; with logins: an anonymous actor, who may do nothing)."""
    c: Context = request.scope.get("state", {}).get("ctx") or request.app.state.ctx
    return c


def today(request: Request) -> dt.date:
    return ctx(request).clock.today()


def programme_or_none(request: Request) -> Programme | None:
    try:
        return ctx(request).programme()
    except NoProfile:
        return None


def programme(request: Request, status: int = READ) -> Programme:
    """The runner's programme; NoProfileYet (404 for a read, 409 for a write) before the
    onboarding."""
    p = programme_or_none(request)
    if p is None:
        raise NoProfileYet(status)
    return p


def to_onboarding() -> Response:
    """A page's answer before the onboarding."""
    return RedirectResponse(ONBOARDING, status_code=303)


def use(case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a use case; its refusals become HTTP answers with the reason (422 bad input, 409
    no profile yet, 403 not allowed)."""
    try:
        return case(*args, **kwargs)
    except BadInput as exc:
        raise HTTPException(422, "; ".join(exc.problems)) from None
    except NoProfile:
        raise NoProfileYet(WRITE) from None
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None


NOT_A_RUNNER = "no such runner among yours"


def reader(request: Request) -> Callable[[Home], Programme]:
    """A runner's programme through the server's per-person cache (built once per revision of
    their data): what a clinician's reads of a linked runner go through."""
    memo: dict[Any, Any] = request.app.state.memo

    def read_it(home: Home) -> Programme:
        return Context(home, memo).programme()

    return read_it


def on_runner(case: Callable[..., T], *args: Any) -> T:
    """A clinician's use case on a runner: not theirs (or no such runner) and no profile yet
    are 404, so an id says nothing of who exists."""
    try:
        return use(case, *args)
    except HTTPException as exc:
        if exc.status_code in (403, 409):
            raise HTTPException(404, NOT_A_RUNNER) from None
        raise
    except NoProfile:
        raise HTTPException(404, "this runner has no profile yet") from None


def page(request: Request, template: str, view: View, status: int = 200) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        template,
        {"v": view, "csrf": security.token_for(request), "today": today(request).isoformat()},
        status_code=status,
    )


def twin(
    router: APIRouter,
    path: str,
    template: str,
    *,
    name: str,
    summary: str,
    decorate: Callable[[Request, View], View] | None = None,
) -> Callable[[Model], Model]:
    """Serve the decorated view-model as the page `path` (rendered by `template`, after
    `decorate` adds what only the page shows) and as JSON at `/api` + `path`, routes named
    `{name}_page` and `{name}_json`.

    The model takes the request first, then the route's path and query parameters, which both
    routes declare as it does. A model that raises NoProfileYet (`programme`) sends the page to
    the onboarding, and the JSON answers with it (404)."""

    def register(model: Model) -> Model:
        signature = inspect.signature(model, eval_str=True)
        first = next(iter(signature.parameters), None)
        if first != "request":
            raise TypeError(f"{model.__name__}: a view-model takes the request first")

        def as_page(**params: Any) -> Response:
            request: Request = params["request"]
            try:
                view = model(**params)
            except NoProfileYet:
                return to_onboarding()
            return page(request, template, decorate(request, view) if decorate else view)

        def as_json(**params: Any) -> View:
            return model(**params)

        # FastAPI reads a route's parameters from its signature: both take the model's.
        setattr(as_page, "__signature__", signature.replace(return_annotation=Response))  # noqa: B010
        setattr(as_json, "__signature__", signature.replace(return_annotation=View))  # noqa: B010
        router.add_api_route(
            path,
            as_page,
            methods=["GET"],
            name=f"{name}_page",
            response_class=HTMLResponse,
            include_in_schema=False,
        )
        router.add_api_route(
            "/api" + path, as_json, methods=["GET"], name=f"{name}_json", summary=summary
        )
        return model

    return register
