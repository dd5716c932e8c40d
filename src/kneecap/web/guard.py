"""The gate every request passes before any route runs, and every answer passes on its way out.

In, in this order, each refusal in the one error shape (`problems`):
1. `Host` must name this server (`hosts`: DNS rebinding) -> 421.
2. Unsafe methods: the browser's word on where the request came from (`security`) -> 403.
3. The body's kind is decided by the route, never by a prefix of its content type: a route that
   reads a JSON model takes `application/json` (UTF-8) only, with the token in `X-CSRF-Token`;
   every other route takes a form (`application/x-www-form-urlencoded` or
   `multipart/form-data`), whose handler checks the token field (`security.checked_form`), or
   the header if one is sent. Anything else -> 415; a missing or wrong token -> 403.
4. The body is read here, at most `SMALL_BODY_BYTES` (-> 413), except on the routes that take
   activity files (`STREAMED`), whose handler streams them under its own cap. A JSON body is
   then read strictly (`strictjson`) -> 422 naming the field, before FastAPI parses it.

Out: every answer, a 500 included, carries the same security headers and the CSRF cookie when a
page handed out a new token. An exception that escapes a route becomes a 500 whose body and log
line carry an error id, the route and the exception's type and frames, never a message, a body
or a parameter: those can hold pain scores.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import params
from fastapi.routing import APIRoute
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kneecap.web import hosts, problems, security, strictjson

KB = 1024
SMALL_BODY_BYTES = 64 * KB  # a 40-item session form is about 10 KB
# activity uploads (runs.MAX_UPLOAD_BYTES) and form-check clips (formcheck.limits.Limits)
STREAMED = frozenset({"/runs", "/api/runs", "/form", "/api/form"})
JSON_TYPE = "application/json"
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
}

log = logging.getLogger("kneecap.web")


class Refused(Exception):
    """A request turned away at the gate: the status and the reason."""

    def __init__(self, status: int, reason: str, found: list[dict[str, str]] | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.problems = found or []


class Guard:
    """ASGI middleware: `app.add_middleware(Guard, allowed_hosts=...)`, added last so it is the
    outermost of the app's own layers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = frozenset(hosts.normal(h) for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            header = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
            if hosts.refusal(header, self.allowed):
                await send({"type": "websocket.close", "code": 1008})
                return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        started = False

        async def send_hardened(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                harden(MutableHeaders(scope=message), scope)
            await send(message)

        try:
            receive = await self.screen(request, receive)
            await self.app(scope, receive, send_hardened)
        except Refused as no:
            trusted = no.status != 421
            answer = problems.response(request, no.status, no.reason, no.problems, page=trusted)
            await answer(scope, receive, send_hardened)
        except Exception as exc:
            error_id = secrets.token_hex(4)
            log.error("error %s: %s", error_id, _described(request, exc))
            if started:
                return  # the answer is under way: the connection is closed unfinished
            reason = (
                f"the server failed on this request (error id {error_id}); "
                "it is in the server's log"
            )
            answer = problems.response(request, 500, reason)
            await answer(scope, receive, send_hardened)

    async def screen(self, request: Request, receive: Receive) -> Receive:
        """Refused, or the receive channel the app should read the body from."""
        reason = hosts.refusal(request.headers.get("host"), self.allowed)
        if reason is not None:
            raise Refused(421, reason)
        if request.method not in security.UNSAFE:
            return receive
        reason = security.cross_site_reason(request)
        if reason is not None:
            raise Refused(403, reason)
        route = _route(request)
        if route is None:
            return receive  # no such route: the router answers 404 or 405, reading nothing
        media, charset = _media_type(request.headers.get("content-type", ""))
        if _bodiless(route):  # an /api/ action without a body: the token header, no body
            reason = security.token_reason(request, request.headers.get(security.HEADER))
            if reason is not None:
                raise Refused(403, reason)
            await _read(request, receive, 0)
            return _replay(b"", receive)
        takes_json = _takes_json(route)
        if takes_json and (media != JSON_TYPE or charset not in ("", "utf-8")):
            raise Refused(415, f"send this as {JSON_TYPE} (UTF-8), not '{media[:60] or 'nothing'}'")
        if not takes_json and media not in FORM_TYPES:
            raise Refused(
                415,
                f"send a form ({' or '.join(sorted(FORM_TYPES))}), not '{media[:60] or 'nothing'}'",
            )
        header = request.headers.get(security.HEADER)
        if takes_json or header is not None:
            reason = security.token_reason(request, header)
            if reason is not None:
                raise Refused(403, reason)
        if route.path in STREAMED:
            return receive
        body = await _read(request, receive, SMALL_BODY_BYTES)
        if takes_json:
            try:
                strictjson.loads(body)
            except strictjson.BadJSON as bad:
                found = [{"field": bad.field, "rule": bad.rule, "message": bad.message}]
                raise Refused(422, str(bad), found) from None
        return _replay(body, receive)


def harden(headers: MutableHeaders, scope: Scope) -> None:
    for name, value in HEADERS.items():
        if name not in headers:
            headers[name] = value
    new = scope.get("state", {}).get("csrf_new")
    if new:
        cookie = Response()
        cookie.set_cookie(
            security.COOKIE, new, httponly=True, samesite="strict", secure=False, path="/"
        )
        headers.append("set-cookie", cookie.headers["set-cookie"])


def _route(request: Request) -> APIRoute | None:
    """The route that will answer: only FastAPI routes read bodies."""
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match == Match.FULL:
            return route if isinstance(route, APIRoute) else None
    return None


def _bodiless(route: APIRoute) -> bool:
    """An `/api/` action that takes no body (log out, make an invitation, end a link): no
    body model, and not one of the uploads, which read their body themselves."""
    return (
        route.path.startswith("/api/") and route.body_field is None and route.path not in STREAMED
    )


def _takes_json(route: APIRoute) -> bool:
    """A route FastAPI gives a body model to reads JSON; any other reads a form itself."""
    field: Any = route.body_field
    return field is not None and not isinstance(field.field_info, params.Form)


def _media_type(header: str) -> tuple[str, str]:
    """The media type and the charset parameter, lower case ("" when absent)."""
    media, *rest = header.split(";")
    charset = ""
    for param in rest:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


async def _read(request: Request, receive: Receive, cap: int) -> bytes:
    too_big = Refused(413, f"the request body is larger than {cap // KB} KB")
    length = request.headers.get("content-length", "")
    if length.isascii() and length.isdigit() and int(length) > cap:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refused(400, "the client went away before sending the whole body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            raise too_big
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, then: Receive) -> Receive:
    """The body already read, in one message; then the real channel (which tells of a
    disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _described(request: Request, exc: BaseException) -> str:
    """What failed, for the log: method, path, the exception types (with their causes) and the
    innermost frames. Never an exception's message: SQL errors and validation errors quote the
    values they were given."""
    kinds: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(kinds) < 5:
        kinds.append(type(seen).__qualname__)
        seen = seen.__cause__ or seen.__context__
    frames = traceback.extract_tb(exc.__traceback__)[-8:]
    where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{request.method} {str(request.scope.get('path', ''))[:200]} raised {' from '.join(kinds)} at {where}"
