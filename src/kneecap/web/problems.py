"""One shape for every error the web app answers, whatever the route or the status.

JSON (under `/api/`, or when the client accepts JSON):

    {"status": 422, "error": "entries.0.sets_done: ...", "problems": [
        {"field": "entries.0.sets_done", "rule": "int_type", "message": "..."}]}

`error` is one line fit to show; `problems` lists each field at fault with the rule it broke
(empty when no field is). Pages get the same reason in the error page, in plain words (`plain`:
"must be 10 or less", not pydantic's "Input should be less than or equal to 10"). A value the
client sent is quoted at most `ECHO_CHARS` characters long: a 10-MB field is never sent back.

A form that can show its own errors shows each next to its field (`field_errors`), keeping what
was typed; the error page is for what no form can answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kneecap.documents import own_errors

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
    for error in own_errors(exc.errors())[:MAX_LISTED]:
        message = str(error.get("msg", "invalid"))[:200]
        kind = str(error.get("type", "invalid"))
        if kind not in ("missing", "extra_forbidden") and "input" in error:
            got = error["input"]
            if not isinstance(got, dict | list):
                message += f" (got {short(got)})"
        found.append({"field": field_of(error.get("loc", ())), "rule": kind, "message": message})
    return found


# pydantic's wording → plain words, for people (the JSON keeps pydantic's own)
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), words)
    for pattern, words in (
        (r"Input should be less than or equal to (\S+)", r"must be \1 or less"),
        (r"Input should be less than (\S+)", r"must be less than \1"),
        (r"Input should be greater than or equal to (\S+)", r"must be \1 or more"),
        (r"Input should be greater than (\S+)", r"must be more than \1"),
        (r"Input should be a valid integer.*", "must be a whole number"),
        (r"Input should be a finite number.*", "must be a number"),
        (r"Input should be a valid number.*", "must be a number"),
        (r"Input should be a valid date.*", "must be a date (year-month-day)"),
        (r"Input should be a valid boolean.*", "answer yes or no"),
        (r"Input should be a valid time.*", "must be a time of day, like 18:00"),
        (r"(List|Tuple) should have at least 1 item.*", "choose at least one"),
        (r"Field required", "required"),
        (r"required \(true or false\)", "answer yes or no"),
        (r"Input should be (.*)", r"choose one of \1"),
        (r"String should have at most (\d+) characters?", r"at most \1 characters"),
    )
)
_GOT = re.compile(r" \(got .*\)$")
_LINE = re.compile(r"^line \d+: ")


def plain(message: str) -> str:
    """A validation message in plain words; the typed value it quotes is left out (the form
    keeps it)."""
    message = _GOT.sub("", message.strip())
    for pattern, words in _PLAIN:
        if pattern.match(message):
            return pattern.sub(words, message, count=1)
    return message


def split(problem: str) -> tuple[str, str]:
    """ "pain.worst_last_week: Input should be…" → ("worst_last_week", "must be …"): the form
    field at fault (the last name of the dotted path, list indexes left out) and the message in
    plain words. A problem naming no field gives ("", its words)."""
    text = _LINE.sub("", problem.strip())
    head, sep, rest = text.partition(": ")
    if head in _SOURCES and sep:  # "check-in: morning_pain: …" names the form first
        return split(rest)
    if not sep or " " in head:
        return "", plain(text)
    names = [n for n in head.split(".") if n and not n.isdigit() and n not in _SOURCES]
    return (names[-1] if names else ""), plain(rest)


_SOURCES = ("onboarding", "check-in", "session", "settings", "body", "query")


def field_errors(problems: Iterable[str]) -> dict[str, str]:
    """Each form field at fault with its first message in plain words ("" holds those that
    name no field)."""
    found: dict[str, str] = {}
    for problem in problems:
        field, message = split(problem)
        found.setdefault(field, message)
    return found


def summary(problems: list[dict[str, str]]) -> str:
    return "; ".join(f"{p['field'] or 'body'}: {p['message']}" for p in problems[:3])


TITLES = {
    400: "Kneecap cannot show that",
    403: "That is not allowed here",
    404: "Not found",
    405: "That is not allowed here",
    409: "Not yet",
    413: "That is too large",
    422: "Something needs changing",
    500: "That did not work: something went wrong on our side",
}


def _items(reason: str, problems: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """What went wrong, one line per field, in plain words, for the error page."""
    if problems:
        lines = [f"{p['field']}: {p['message']}" if p["field"] else p["message"] for p in problems]
    else:
        lines = [part for part in reason[:_REASON_CHARS].split("; ") if part.strip()]
    out = []
    for line in lines:
        field, message = split(line)
        out.append({"name": field, "field": field.replace("_", " "), "message": message})
    return out


def _back(request: Request) -> str | None:
    """The page the runner came from, when it is one of this app's (a path, never a host)."""
    referer = request.headers.get("referer", "")
    path = re.sub(r"^https?://[^/]+", "", referer)
    if not path.startswith("/") or path.startswith("//") or path.startswith("/api/"):
        return None
    return path[:300]


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
                    "title": TITLES.get(status, TITLES[400 if status < 500 else 500]),
                    "items": _items(reason, problems),
                    "back": _back(request),
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
