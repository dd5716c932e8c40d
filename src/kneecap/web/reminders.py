"""Reminders: the page (`/reminders`, with its JSON twin) that makes, shows once and revokes the
runner's calendar feed, and offers the phone's notification; and the feed itself,
`/calendar/{token}.ics`, which needs no cookie (its secret address is the key) and answers 404
for any address that is not a live feed's.

The Calendar block of the page is `reminders.html`'s `calendar` block, so it can move into
another page as it is.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from kneecap.app import NoProfile, reminders
from kneecap.core.session_words import session_title
from kneecap.web import security
from kneecap.web.context import ctx, page, programme_or_none, today, twin, use

router = APIRouter()

NOT_A_FEED = "no calendar at this address: it was revoked, or never made"


class Nothing(BaseModel):
    """An empty JSON object: the body of the feed's JSON actions."""

    model_config = ConfigDict(extra="forbid")


def feed_address(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/calendar/{token}.ics"


def _today_sessions(request: Request) -> list[str]:
    """Today's sessions not yet logged (what a reminder is about)."""
    p = programme_or_none(request)
    if p is None:
        return []
    day = today(request)
    plan = p.plan(day, day)
    if plan.referral.needed:
        return []
    found = plan.day(day)
    planned = [session_title(s).capitalize() for s in found.sessions] if found else []
    logged = sum(1 for s in p.sessions if s.date == day)
    return planned[logged:]  # the sessions still to do today: none once they are logged


@twin(router, "/reminders", "reminders.html", name="reminders", summary="Reminders")
def reminders_model(request: Request) -> dict[str, Any]:
    home = ctx(request).home
    made = use(reminders.feed_made_at, home)
    return {
        "reminder_time": use(reminders.reminder_time, home).strftime("%H:%M"),
        "today": {"date": today(request).isoformat(), "sessions": _today_sessions(request)},
        "feed": {
            "active": made is not None,
            "made_at": made.isoformat(timespec="minutes") if made else None,
            "weeks": reminders.FEED_WEEKS,
        },
    }


def _page(request: Request, **extra: Any) -> Response:
    view = reminders_model(request)
    view.update(extra)
    return page(request, "reminders.html", view)


@router.get("/reminders/feed", include_in_schema=False)
@router.get("/reminders/feed/revoke", include_in_schema=False)
def feed_form_again(request: Request) -> Response:
    """The address bar or a reload after the form: back to the page. The feed's address is
    shown once, in the answer to the form, and never goes into a URL."""
    return RedirectResponse("/reminders", status_code=303)


@router.post("/reminders/feed", include_in_schema=False)
async def new_feed_form(request: Request) -> Response:
    await security.checked_form(request)
    token = use(reminders.new_feed, ctx(request).home)
    return _page(request, new_feed=feed_address(request, token))


@router.post("/reminders/feed/revoke", include_in_schema=False)
async def revoke_feed_form(request: Request) -> Response:
    await security.checked_form(request)
    use(reminders.revoke_feed, ctx(request).home)
    return RedirectResponse("/reminders?revoked=1", status_code=303)


@router.post(
    "/api/reminders/feed",
    summary="Make a new calendar feed address (any earlier one stops working)",
    status_code=201,
)
def new_feed_json(request: Request, body: Nothing) -> dict[str, Any]:
    token = use(reminders.new_feed, ctx(request).home)
    return {"url": feed_address(request, token), "weeks": reminders.FEED_WEEKS}


@router.post("/api/reminders/feed/revoke", summary="Stop the calendar feed")
def revoke_feed_json(request: Request, body: Nothing) -> dict[str, Any]:
    return {"revoked": use(reminders.revoke_feed, ctx(request).home)}


@router.get(
    "/calendar/{token}.ics",
    summary="The calendar feed: the next four weeks of the plan, at the reminder time",
)
def feed(request: Request, token: str) -> Response:
    try:
        body = reminders.feed_calendar(ctx(request).home, token)
    except NoProfile:
        body = None
    if body is None:
        raise HTTPException(404, NOT_A_FEED)
    return Response(
        body,
        media_type="text/calendar",
        headers={
            "Cache-Control": "private, no-store",
            "Content-Disposition": 'inline; filename="kneecap-plan.ics"',
        },
    )
