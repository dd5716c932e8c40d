"""Logins on the web (clinic mode, and any server reachable beyond this computer): the gate that
finds who a request comes from, and the pages and JSON routes to log in, give the code, enrol an
authenticator, reset a password and log out.

The gate (`Logins`, inside the `Guard`) reads the session cookie, asks the use case who it
belongs to (`app.accounts.resolve`) and puts that runner's `Context` on the request; it never
decides what the login may do (every use case asks `can`). Without a login, an `/api/` route
answers 401 and a page goes to `/login`; a login still owing its code (or its authenticator's
enrolment) reaches only that step. Changes made by a logged-in account are written to the audit
log (who, what, from where), after the route answered."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kneecap.app import BadInput, accounts
from kneecap.app.accounts import ENROL, FULL, TOTP, Resolved, Throttled, WrongLogin
from kneecap.app.context import LOCAL, NOBODY, RUNNER, Actor, Home
from kneecap.app.home import acting_as
from kneecap.web import problems, security
from kneecap.web.context import Context, page, use

COOKIE = "kneecap_session"
# Reached without a login: the login steps, the reset link, the static files the login page
# uses, the installable app's files, and a calendar's secret feed (the token is its key).
OPEN = ("/login", "/api/login", "/reset/", "/api/reset", "/static/", "/icons/", "/calendar/")
OPEN_EXACT = frozenset({"/manifest.webmanifest", "/sw.js", "/favicon.ico"})
STEPS = {TOTP: "/login/code", ENROL: "/enrol"}
STEP_PATHS = {
    TOTP: frozenset({"/login/code", "/api/login/code"}),
    ENROL: frozenset({"/enrol", "/api/enrol"}),
}
LOGOUT = frozenset({"/logout", "/api/logout"})
CLINIC_HOME = "/clinic"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

router = APIRouter()


def _open(path: str) -> bool:
    return path in OPEN_EXACT or any(path == p or path.startswith(p) for p in OPEN)


def _address(scope: Scope) -> str | None:
    client = scope.get("client")
    return None if not client else str(client[0])


class Logins:
    """ASGI middleware: `app.add_middleware(Logins, base=..., clinic=...)`. `base` is the
    server's home (store, clock) whose actor is replaced by the login's."""

    def __init__(self, app: ASGIApp, base: Home, clinic: bool) -> None:
        self.app = app
        self.base = base
        self.clinic = clinic

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(COOKIE, "")
        home = self._home(Actor("anonymous", address=_address(scope)))
        found = await run_in_threadpool(accounts.resolve, home, token, self.clinic)
        state = scope.setdefault("state", {})
        state["login"] = found
        path: str = scope["path"]
        refusal = self._refusal(request, path, found)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if found is not None and found.stage == FULL:
            state["ctx"] = self._context(request, found.actor)
        status: list[int] = []

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        with acting_as(found.actor if found is not None else home.actor):
            await self.app(scope, receive, sending)
        if found is not None and scope["method"] in UNSAFE and status and status[0] < 400:
            await run_in_threadpool(self._audit, found, scope)

    def _home(self, actor: Actor, person: int = NOBODY) -> Home:
        """The server's store and clock, acted on by `actor` for `person`."""
        return Home(self.base.store, person, actor, self.base.clock)

    def _context(self, request: Request, actor: Actor) -> Context:
        memo: dict[Any, Any] = request.app.state.memo
        return Context(self._home(actor, actor.person or NOBODY), memo)

    def _refusal(self, request: Request, path: str, found: Resolved | None) -> Response | None:
        api = path.startswith("/api/")
        if found is None:
            if _open(path):
                return None
            if api:
                return problems.response(request, 401, "log in first (POST /api/login)", page=False)
            return RedirectResponse(f"/login?next={quote(path, safe='/')}", status_code=303)
        if found.stage != FULL:
            if path in STEP_PATHS[found.stage] or path in LOGOUT or _open(path):
                return None
            if api:
                return problems.response(
                    request, 401, f"finish logging in first ({STEPS[found.stage]})", page=False
                )
            return RedirectResponse(STEPS[found.stage], status_code=303)
        no_person = RUNNER not in found.actor.roles
        if no_person and not _accounts_path(path) and not _open(path):
            if api:
                return problems.response(
                    request,
                    403,
                    "this account has no programme of its own: see /api/clinic/runners",
                    page=False,
                )
            return RedirectResponse(CLINIC_HOME, status_code=303)
        return None

    def _audit(self, found: Resolved, scope: Scope) -> None:
        what = f"{scope['method']} {scope['path'][:60]}"
        accounts.record_change(self._home(found.actor, found.actor.person or NOBODY), what)


class Local:
    """ASGI middleware of personal mode: every request acts for the local person (on
    PostgreSQL, row-level security then lets it see every row)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with acting_as(LOCAL):
            await self.app(scope, receive, send)


def _accounts_path(path: str) -> bool:
    """The routes of an account without a programme of its own (clinicians, admins)."""
    return path.startswith(("/clinic", "/api/clinic", "/admin", "/api/admin", "/account")) or (
        path in LOGOUT or path in ("/api/me/audit",)
    )


def login_of(request: Request) -> Resolved | None:
    found: Resolved | None = request.scope.get("state", {}).get("login")
    return found


def _set_cookie(request: Request, response: Response, token: str, roles: frozenset[str]) -> None:
    idle = min(accounts.IDLE[r] for r in roles)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(idle.total_seconds()) if RUNNER in roles else None,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def _home(request: Request) -> Home:
    """The server's store and clock, acted on by whoever is logging in; 404 in personal mode,
    which has no logins."""
    base: Home | None = request.app.state.base_home
    if base is None:
        raise HTTPException(
            404, "this Kneecap has no logins: it serves the person at this computer"
        )
    actor = Actor("anonymous", address=request.client.host if request.client else None)
    return Home(base.store, NOBODY, actor, base.clock)


def _after_login(login: accounts.Login, next_page: str = "/") -> str:
    if login.stage != FULL:
        return STEPS[login.stage]
    if RUNNER not in login.account.roles:
        return CLINIC_HOME
    return next_page if next_page.startswith("/") and not next_page.startswith("//") else "/"


def _throttled(exc: Throttled) -> HTTPException:
    return HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)})


WRONG = "wrong email, password or code"


# --- logging in: pages


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    _home(request)  # 404 in personal mode: no logins
    return page(request, "login.html", {"next": next[:200], "error": None})


@router.post("/login", include_in_schema=False)
async def login_form(request: Request) -> Response:
    form = await security.checked_form(request)
    email, password = str(form.get("email", ""))[:300], str(form.get("password", ""))[:300]
    code = str(form.get("totp", "")).strip()[:64] or None
    next_page = str(form.get("next", "/"))[:200]
    try:
        login = await run_in_threadpool(accounts.login, _home(request), email, password, code)
    except WrongLogin:
        return page(request, "login.html", {"next": next_page, "error": WRONG}, 401)
    except Throttled as exc:
        raise _throttled(exc) from None
    response = RedirectResponse(_after_login(login, next_page), status_code=303)
    _set_cookie(request, response, login.token, login.account.roles)
    return response


@router.get("/login/code", include_in_schema=False)
def code_page(request: Request) -> Response:
    _home(request)
    return page(request, "login_code.html", {"error": None})


@router.post("/login/code", include_in_schema=False)
async def code_form(request: Request) -> Response:
    form = await security.checked_form(request)
    token = request.cookies.get(COOKIE, "")
    try:
        login = await run_in_threadpool(
            accounts.second_factor, _home(request), token, str(form.get("totp", ""))[:64]
        )
    except WrongLogin:
        return page(request, "login_code.html", {"error": "that code is not right"}, 401)
    except Throttled as exc:
        raise _throttled(exc) from None
    response = RedirectResponse(_after_login(login), status_code=303)
    _set_cookie(request, response, login.token, login.account.roles)
    return response


def _qr(uri: str) -> str:
    """The otpauth address as a QR code, an SVG data URI (the page's CSP allows data: images)."""
    import segno

    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@router.get("/enrol", include_in_schema=False)
def enrol_page(request: Request) -> Response:
    token = request.cookies.get(COOKIE, "")
    try:
        found = use(accounts.start_enrolment, _home(request), token)
    except WrongLogin:
        return RedirectResponse("/login", status_code=303)
    view = {"secret": found.secret, "uri": found.uri, "qr": _qr(found.uri), "error": None}
    return page(request, "enrol.html", view)


@router.post("/enrol", include_in_schema=False)
async def enrol_form(request: Request) -> Response:
    form = await security.checked_form(request)
    token = request.cookies.get(COOKIE, "")
    secret, code = str(form.get("secret", ""))[:64], str(form.get("totp", ""))[:64]
    try:
        login, codes = await run_in_threadpool(
            accounts.finish_enrolment, _home(request), token, secret, code
        )
    except WrongLogin:
        return RedirectResponse("/login", status_code=303)
    except BadInput as exc:
        uri = _uri(secret, request)
        view = {"secret": secret, "uri": uri, "qr": _qr(uri), "error": exc.problems[0]}
        return page(request, "enrol.html", view, 422)
    response = page(request, "recovery_codes.html", {"codes": codes, "next": _after_login(login)})
    _set_cookie(request, response, login.token, login.account.roles)
    return response


def _uri(secret: str, request: Request) -> str:
    import pyotp

    found = login_of(request)
    name = found.account.email if found is not None else "account"
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=accounts.ISSUER)


@router.post("/logout", include_in_schema=False)
async def logout_form(request: Request) -> Response:
    await security.checked_form(request)
    await run_in_threadpool(accounts.logout, _home(request), request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/reset/{token}", include_in_schema=False)
def reset_page(request: Request, token: str) -> Response:
    _home(request)
    return page(request, "reset.html", {"token": token[:64], "error": None, "done": False})


@router.post("/reset/{token}", include_in_schema=False)
async def reset_form(request: Request, token: str) -> Response:
    form = await security.checked_form(request)
    try:
        await run_in_threadpool(
            accounts.use_reset, _home(request), token, str(form.get("password", ""))[:300]
        )
    except BadInput as exc:
        view = {"token": token[:64], "error": "; ".join(exc.problems), "done": False}
        return page(request, "reset.html", view, 422)
    return page(request, "reset.html", {"token": "", "error": None, "done": True})


# --- logging in: JSON


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=300)
    password: str = Field(max_length=300)
    totp: str | None = Field(default=None, max_length=64)


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    totp: str = Field(max_length=64)


class EnrolIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret: str = Field(max_length=64)
    totp: str = Field(max_length=64)


def _login_json(request: Request, login: accounts.Login, **extra: Any) -> Response:
    from fastapi.responses import JSONResponse

    body = {
        "stage": login.stage,
        "email": login.account.email,
        "roles": sorted(login.account.roles),
    }
    response = JSONResponse(body | extra)
    _set_cookie(request, response, login.token, login.account.roles)
    return response


@router.post("/api/login", summary="Log in: 200 and the session cookie, 401 wrong, 429 throttled")
def login_json(request: Request, body: LoginIn) -> Response:
    try:
        login = accounts.login(_home(request), body.email, body.password, body.totp)
    except WrongLogin:
        raise HTTPException(401, WRONG) from None
    except Throttled as exc:
        raise _throttled(exc) from None
    return _login_json(request, login)


@router.post("/api/login/code", summary="The TOTP (or a recovery) code of a login awaiting it")
def code_json(request: Request, body: CodeIn) -> Response:
    try:
        login = accounts.second_factor(_home(request), request.cookies.get(COOKIE, ""), body.totp)
    except WrongLogin:
        raise HTTPException(401, WRONG) from None
    except Throttled as exc:
        raise _throttled(exc) from None
    return _login_json(request, login)


@router.get("/api/enrol", summary="A new authenticator key for a login awaiting its enrolment")
def enrol_start_json(request: Request) -> dict[str, str]:
    try:
        found = accounts.start_enrolment(_home(request), request.cookies.get(COOKIE, ""))
    except WrongLogin:
        raise HTTPException(401, "log in first") from None
    return {"secret": found.secret, "uri": found.uri}


@router.post("/api/enrol", summary="Confirm the authenticator: the recovery codes, shown once")
def enrol_json(request: Request, body: EnrolIn) -> Response:
    try:
        login, codes = use(
            accounts.finish_enrolment,
            _home(request),
            request.cookies.get(COOKIE, ""),
            body.secret,
            body.totp,
        )
    except WrongLogin:
        raise HTTPException(401, "log in first") from None
    return _login_json(request, login, recovery_codes=codes)


@router.post("/api/logout", summary="End this login")
def logout_json(request: Request) -> Response:
    accounts.logout(_home(request), request.cookies.get(COOKIE, ""))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response
