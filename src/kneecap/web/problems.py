"""One shape for every error the web app answers, whatever the route or the status.

JSON (under `/api/`, or when the client accepts JSON):

    {"status": 422, "error": "entries.0.sets_done: ...", "problems": [
        {"field": "entries.0.sets_done", "rule": "int_type", "message": "..."}]}

`error` is one line fit to show; `problems` lists each field at fault with the rule it broke
(empty when no field is). Pages get the same reason in the error page. A value the client sent
is quoted at most `ECHO_CHARS` characters long: a 10-MB field is never sent back.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

ECHO_CHARS = 40
MAX_LISTED = 10  # problems listed in one answer
_REASON_CHARS = 2_000


def short(value: Any) -> str:
    """`value` quoted for a message: its repr (escapes included, so any string is printable),
    cut to ECHO_CHARS characters."""
    text = repr(value)
    return text if len(text) <= ECHO_CHARS else text[: ECHO_CHARS - 1] + "…"


def field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    """A validation location as a dotted field path, without FastAPI's "body"/"query" head."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(p[:40] for p in parts)


def from_validation(exc: RequestValidationError) -> list[dict[str, str]]:
    """pydantic's errors as {field, rule, message}; the input is quoted short, never whole."""
    found = []
    for error in exc.errors()[:MAX_LISTED]:
        message = str(error.get("msg", "invalid"))[:200]
        kind = str(error.get("type", "invalid"))
        if kind not in ("missing", "extra_forbidden") and "input" in error:
            got = error["input"]
            if not isinstance(got, dict | list):
                message += f" (got {short(got)})"
        found.append({"field": field_of(error.get("loc", ())), "rule": kind, "message": message})
    return found


def summary(problems: list[dict[str, str]]) -> str:
    return "; ".join(f"{p['field'] or 'body'}: {p['message']}" for p in problems[:3])


def wants_json(request: Request) -> bool:
    path: str = request.scope.get("path", "")  # (not request.url: a bad Host breaks it)
    return path.startswith("/api/") or "json" in request.headers.get("accept", "")


def body(status: int, reason: str, problems: list[dict[str, str]] | None = None) -> bytes:
    """The JSON error document (ASCII escapes: any text the client sent can be written)."""
    doc = {"status": status, "error": reason[:_REASON_CHARS], "problems": problems or []}
    return json.dumps(doc, ensure_ascii=True).encode()


def response(
    request: Request,
    status: int,
    reason: str,
    problems: list[dict[str, str]] | None = None,
    *,
    page: bool = True,
) -> Response:
    """The error answer: JSON for scripts, the error page for browsers. `page=False` gives a
    bare page (no token, no templates): for refusals made before the request is trusted and
    for failures that the templates themselves might share."""
    if wants_json(request):
        return Response(body(status, reason, problems), status, media_type="application/json")
    if page:
        from kneecap.web import security

        templates = request.app.state.templates
        try:
            return templates.TemplateResponse(  # type: ignore[no-any-return]
                request,
                "error.html",
                {
                    "status": status,
                    "reason": reason[:_REASON_CHARS],
                    "csrf": security.token_for(request),
                },
                status_code=status,
            )
        except Exception:  # the error page must not become a second error: a bare one
            pass
    text = escape(reason[:_REASON_CHARS])
    return HTMLResponse(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Problem · Kneecap</title>"
        f"<h1>That did not work</h1><p role=alert>{text}</p></html>",
        status,
    )
