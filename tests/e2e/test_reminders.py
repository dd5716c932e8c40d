"""Reminders: the calendar puts sessions at the reminder time with an alarm; the secret calendar
feed needs no cookie, follows the plan as it changes, and answers 404 once revoked."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from tests.e2e.conftest import TODAY, Server
from tests.e2e.pages import problems
from tests.e2e.test_web_http import onboard, post


def events(ics: bytes) -> list[Any]:
    found: list[Any] = Calendar.from_ical(ics).walk("VEVENT")
    return found


def test_the_calendar_puts_sessions_at_the_reminder_time_with_an_alarm(
    client: httpx.Client,
) -> None:
    onboard(client)
    found = events(client.get("/plan.ics").content)
    assert len(found) >= 20
    for event in found:
        start = event.decoded("DTSTART")
        assert (start.hour, start.minute) in {(18, 0)} or start.hour >= 18, start
        assert event.decoded("DTEND") > start
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
    first_of_day: dict[object, Any] = {}
    for event in found:
        first_of_day.setdefault(event.decoded("DTSTART").date(), event.decoded("DTSTART"))
    assert {t.time().isoformat() for t in first_of_day.values()} == {"18:00:00"}
    assert b"DTSTART:" in client.get("/plan.ics").content  # a time, not VALUE=DATE


def feed_url(client: httpx.Client) -> str:
    r = post(client, "/reminders/feed", {}, page="/reminders")
    assert r.status_code == 200
    found = re.search(r'id="feed-url"[^>]*value="([^"]+)"', r.text)
    assert found, r.text
    return found.group(1)


def test_the_calendar_feed_follows_the_plan_and_answers_404_once_revoked(
    server: Server, client: httpx.Client
) -> None:
    onboard(client)
    page = client.get("/reminders").text
    assert "No calendar address yet" in page
    assert problems(page) == []
    assert 'href="/reminders"' in client.get("/plan").text
    url = feed_url(client)
    assert problems(client.get("/reminders").text) == []
    path = url.removeprefix(server.url)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    assert len(token) == 43  # 256 random bits
    assert token not in client.get("/reminders").text  # shown once, stored as a digest only
    assert client.get("/api/reminders").json()["feed"]["active"] is True

    anyone = httpx.Client(base_url=server.url, timeout=30)  # no cookie: the address is the key
    r = anyone.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    before = events(r.content)
    assert len(before) >= 20
    assert min(e.decoded("DTSTART").date().isoformat() for e in before) == TODAY
    assert all(e.walk("VALARM") for e in before)

    server.set_today("2026-12-10")  # the plan moves with the days
    moved = events(anyone.get(path).content)
    assert min(e.decoded("DTSTART").date().isoformat() for e in moved) == "2026-12-10"
    # a swollen knee withholds the plan: the calendar empties
    post(client, "/checkin", {"morning_pain": "3", "swelling": "yes"}, page="/reminders")
    assert events(anyone.get(path).content) == []

    assert anyone.get(path.replace(token[:4], "AAAA")).status_code == 404
    assert anyone.get("/calendar/short.ics").status_code == 404
    r = post(client, "/reminders/feed/revoke", {}, page="/reminders")
    assert r.status_code == 303
    assert anyone.get(path).status_code == 404
    assert client.get("/api/reminders").json()["feed"]["active"] is False
    newer = feed_url(client)
    assert newer != url
    assert anyone.get(newer.removeprefix(server.url)).status_code == 200
    feed_url(client)  # making another replaces it
    assert anyone.get(newer.removeprefix(server.url)).status_code == 404
    anyone.close()


def test_the_feed_has_a_json_twin(client: httpx.Client) -> None:
    onboard(client)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/reminders").text)
    assert csrf
    headers = {"X-CSRF-Token": csrf.group(1)}
    r = client.post("/api/reminders/feed", json={}, headers=headers)
    assert r.status_code == 201
    path = r.json()["url"].split("127.0.0.1", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert client.post("/api/reminders/feed", json={"x": 1}, headers=headers).status_code == 422
    r = client.post("/api/reminders/feed/revoke", json={}, headers=headers)
    assert r.json() == {"revoked": True}
    assert client.get("/" + path).status_code == 404
    assert client.get("/api/reminders").json()["reminder_time"] == "18:00"


def test_the_feed_follows_the_settings_days_and_reminder_time(
    server: Server, client: httpx.Client
) -> None:
    onboard(client)
    path = feed_url(client).removeprefix(server.url)
    before = events(httpx.get(server.url + path).content)
    assert {e.decoded("DTSTART").time().isoformat() for e in before} >= {"18:00:00"}
    r = post(
        client,
        "/settings",
        {
            "days": ["mon", "wed", "fri"],
            "minutes_per_session": "30",
            "equipment": ["mat", "chair", "wall", "step"],
            "reminder_time": "07:30",
            "units": "km",
            "theme": "system",
        },
        page="/settings",
    )
    assert r.status_code == 303, r.text
    after = events(httpx.get(server.url + path).content)

    def shown(found: list[Any]) -> list[tuple[object, str]]:
        return [(e.decoded("DTSTART").date(), str(e["SUMMARY"])) for e in found]

    assert after
    assert shown(after) != shown(before)
    firsts: dict[object, Any] = {}
    for e in after:
        firsts.setdefault(e.decoded("DTSTART").date(), e.decoded("DTSTART"))
    assert {t.time().isoformat() for t in firsts.values()} == {"07:30:00"}
    assert client.get("/api/reminders").json()["reminder_time"] == "07:30"
    assert "07:30" in client.get("/reminders").text


@pytest.mark.parametrize("path", ["/reminders/feed", "/reminders/feed/revoke"])
def test_a_reload_of_the_feed_forms_goes_back_to_the_page(client: httpx.Client, path: str) -> None:
    onboard(client)
    url = feed_url(client)
    r = client.get(path, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/reminders")
    assert url.rsplit("/", 1)[-1] not in r.headers["location"]  # the secret stays out of URLs
    page = client.get(path)  # followed: the page itself, not a bare 405
    assert page.status_code == 200
    assert "Calendar" in page.text
