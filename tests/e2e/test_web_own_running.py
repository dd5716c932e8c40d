"""A runner who still runs before the walk/run ladder, over HTTP: Today, Runs and the run check
say what to do about running from their runs and answers (core/running_advice.py), and the
JSON twins carry it ({"advice", "reasons": [{"rule", "text"}]})."""

from __future__ import annotations

import datetime as dt

import httpx

from tests.activities import gpx_run
from tests.e2e.conftest import TODAY, Server
from tests.e2e.pages import problems
from tests.e2e.test_web_http import onboard, post
from tests.e2e.test_web_runs import stored, upload

RUN_DAY = dt.date.fromisoformat(TODAY)
NEXT_DAY = (RUN_DAY + dt.timedelta(days=1)).isoformat()


def still_running(client: httpx.Client) -> None:
    onboard(client, currently_running="yes", weekly_km="20", runs_per_week="3")


def test_a_run_that_was_worse_the_next_morning_is_answered_everywhere(
    server: Server, client: httpx.Client
) -> None:
    still_running(client)
    before = client.get("/today").text
    assert "Your running" in before  # said at the intake: the limits before any run
    assert "tell Kneecap how each run went" in before
    upload(client, [("run.gpx", gpx_run(dt.datetime(2026, 12, 7, 7, tzinfo=dt.UTC), 5.0))])
    (run,) = stored(client)
    server.set_today(NEXT_DAY)
    r = post(
        client,
        f"/runs/{run['id']}/pain",
        {"pain_during": "3", "pain_next_morning": "5"},
        page="/runs",
    )
    assert r.status_code == 303
    for address in ("/today", "/runs", "/run-check"):
        page = client.get(address).text
        assert "Cut back your running" in page, address
        assert "the knee was 5/10 against 3/10 during the run" in page, address
        assert "Rule PMM-2" in page, address
        assert not problems(page), address
    check = client.get("/run-check").text
    assert "Not running yet" not in check
    assert "You run on your own" in check
    assert "If running has to pause, the walk/run ladder is the way back" in check
    plan = client.get("/api/plan").json()
    assert any(n["text"].startswith("Cut back your running") for n in plan["notes"])
    for address in ("/api/today", "/api/runs"):
        own = client.get(address).json()["running"]
        assert own["advice"] == "cut_back", address
        assert own["reasons"][0]["rule"] == "PMM-2"
        assert set(own["reasons"][0]) == {"rule", "text"}
    own = client.get("/api/run-check").json()["own_running"]
    assert own["advice"] == "cut_back"


def test_a_runner_who_does_not_run_sees_no_running_advice(client: httpx.Client) -> None:
    onboard(client)
    assert "Your running" not in client.get("/today").text
    assert client.get("/api/today").json()["running"] is None
    assert client.get("/api/runs").json()["running"] is None
    assert client.get("/api/run-check").json()["own_running"] is None
