"""CSRF protection for unsafe methods (FastAPI has none built in).

Two checks, both required: the browser's own word on where the request came from
(`Sec-Fetch-Site`, else `Origin` against the host), and a double-submit token: a random value in
a SameSite=Strict cookie that every form echoes in a hidden `csrf` field (or an `X-CSRF-Token`
header for scripts). A request failing either gets 403 with the reason.

Which token a request must carry is decided by its route, never by its content type
(`guard.Guard`): a JSON route always needs the header, checked before the body is read; a form
route's handler reads the field (`checked_form`), or the gate checks the header if one is sent.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import HTTPException
from starlette.datastructures import FormData
from starlette.requests import Request

COOKIE = "kneecap_csrf"
FIELD = "csrf"
HEADER = "x-csrf-token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_for(request: Request) -> str:
    """The request's token: the cookie's, or a new one the response must set."""
    existing = request.cookies.get(COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    token: str = getattr(request.state, "csrf_new", "") or new_token()
    request.state.csrf_new = token
    return token


def cross_site_reason(request: Request) -> str | None:
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return None if site in ("same-origin", "none") else f"a {site} request is refused"
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        if urlsplit(origin).netloc != request.headers.get("host", ""):
            return "a request from another site is refused"
    elif origin == "null":
        return "a request from an opaque origin is refused"
    return None


def token_reason(request: Request, submitted: str | None) -> str | None:
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return "the form's security cookie is missing: reload the page and try again"
    if not submitted or not secrets.compare_digest(cookie, submitted):
        return "the form's security token does not match: reload the page and try again"
    return None


async def checked_form(request: Request) -> FormData:
    """The submitted form, once its token matches the cookie's; else 403 with the reason."""
    form = await request.form()
    value = form.get(FIELD)
    reason = token_reason(request, value if isinstance(value, str) else None)
    if reason is not None:
        raise HTTPException(403, reason)
    return form
