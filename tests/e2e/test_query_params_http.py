"""No URL parameter can make a page fail: every GET route, page and JSON twin, given days far
from today, numbers too big, words where numbers go and the like, answers below 500 (a 4xx says
why, or the parameter is ignored)."""

from __future__ import annotations

import re

import httpx
from fastapi.routing import APIRoute

from tests.e2e.conftest import Server
from tests.e2e.test_web_http import onboard

HOSTILE = (
    "9999-12-31",
    "0001-01-01",
    "-1",
    "99999999999999999999999",
    "1e309",
    "nan",
    "x" * 300,
    "%00",
    "2026-02-30",
    "",
)
NAMES = ("date", "start", "kind", "equipment", "phase", "static", "week", "page", "akps", "saved")


def get_routes(server: Server) -> list[str]:
    """Every GET path with its path parameters filled in with something that exists."""
    fill = {"exercise_id": "wall-sit", "topic_id": "active-recovery", "activity_id": "1"}
    paths = []
    for route in server.app.routes:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            paths.append(
                re.sub(r"\{(\w+)(:\w+)?\}", lambda m: fill.get(m.group(1), "1"), route.path)
            )
    return sorted(set(paths))


def test_no_query_parameter_causes_a_500(server: Server, client: httpx.Client) -> None:
    onboard(client)
    routes = get_routes(server)
    assert "/today" in routes
    assert "/settings" in routes
    failures = []
    for path in routes:
        declared = {
            p.name
            for r in server.app.routes
            if isinstance(r, APIRoute)
            for p in r.dependant.query_params
        }
        for name in sorted(declared | set(NAMES)):
            for value in HOSTILE:
                r = client.get(path, params={name: value})
                if r.status_code >= 500:
                    failures.append(f"{path}?{name}={value[:20]}: {r.status_code}")
    assert failures == []


def test_days_far_from_today_are_refused_in_words(client: httpx.Client) -> None:
    onboard(client)
    for path in ("/today?date=9999-12-31", "/plan?start=0001-01-01", "/plan?start=2026-02-30"):
        r = client.get(path)
        assert r.status_code == 400, path
        assert "Input should be" not in r.text
        assert "Today" in r.text  # the error page has the navigation: not a dead end
