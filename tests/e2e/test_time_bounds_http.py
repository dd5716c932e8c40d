"""Dates from the web are bounded as in the CLI (`core.dates`): a day in a URL far from today is
a 400, not a 500 (OverflowError); a start date more than a year away or a log before the start
is a 422, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from kneecap.store.repository import Store
from tests.conftest import make_profile
from tests.e2e.conftest import TODAY, Server
from tests.e2e.test_web_http import onboard


def seed(server: Server, start: str = TODAY) -> None:
    store = Store.open(f"sqlite:///{server.home / 'kneecap.sqlite3'}")
    now = dt.datetime.now(dt.UTC)
    with store.transaction(store.person_id("me", now)) as w:
        w.save_profile(make_profile(start_date=start), now)
    store.close()


@pytest.mark.parametrize(
    "path",
    [
        "/today?date=9999-12-31",
        "/today?date=0001-01-01",
        "/api/today?date=9999-12-31",
        "/plan?start=0001-01-01",
        "/plan?start=9999-12-31",
        "/api/plan?start=0001-01-01",
        "/api/plan?start=9999-12-31",
    ],
)
def test_a_day_far_from_today_in_the_url_is_a_400_not_a_500(
    server: Server, client: httpx.Client, path: str
) -> None:
    seed(server)
    r = client.get(path)
    assert r.status_code == 400, r.text[:300]
    assert "outside the dates shown" in r.text


def test_onboarding_refuses_a_start_date_in_year_one(client: httpx.Client) -> None:
    with pytest.raises(AssertionError, match="more than a year ago"):
        onboard(client, start_date="0001-01-01")
    assert client.get("/api/today").status_code == 404  # nothing stored


def token(client: httpx.Client) -> dict[str, str]:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/onboarding").text)
    assert found
    return {"X-CSRF-Token": found.group(1)}


def test_a_checkin_before_the_programme_start_is_a_422(
    server: Server, client: httpx.Client
) -> None:
    seed(server)
    headers = token(client)
    for day in ("2026-12-06", "0001-01-01", "9999-12-31"):
        r = client.post("/api/checkin", json={"date": day, "morning_pain": 1}, headers=headers)
        assert r.status_code == 422, r.text
    assert client.get("/api/today").json()["checkin_due"] is True  # nothing stored


def test_a_session_before_the_programme_start_is_a_422(
    server: Server, client: httpx.Client
) -> None:
    seed(server)
    log = {"date": "2026-01-01", "entries": [{"exercise": "glute-bridge", "pain_during": 1}]}
    r = client.post("/api/sessions", json=log, headers=token(client))
    assert r.status_code == 422, r.text
    assert "before your programme's start" in r.text
