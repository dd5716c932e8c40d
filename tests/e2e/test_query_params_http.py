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


_FILL = {"exercise_id": "wall-sit", "topic_id": "active-recovery", "activity_id": "1"}


def get_routes(server: Server) -> list[str]:
    """Every GET path with its path parameters filled in with something that exists."""
    fill = _FILL
    paths = []
    for route in server.app.routes:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            paths.append(
                re.sub(r"\{(\w+)(:\w+)?\}", lambda m: fill.get(m.group(1), "1"), route.path)
            )
    return sorted(set(paths))


def test_no_query_parameter_causes_a_500(server: Server, client: httpx.Client) -> None:
    """Each route's own parameters one at a time (a refused one stops FastAPI before the
    handler, so they are not sent together); every other name a page might read for itself
    (those of `NAMES` and the other routes' parameters) all at once, with each hostile value."""
    onboard(client)
    routes = [r for r in server.app.routes if isinstance(r, APIRoute) and "GET" in r.methods]
    paths = get_routes(server)
    assert "/today" in paths
    assert "/settings" in paths
    declared: dict[str, set[str]] = {path: set() for path in paths}
    for route in routes:
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: _FILL.get(m.group(1), "1"), route.path)
        declared[path] |= {p.name for p in route.dependant.query_params}
    every = set().union(*declared.values()) | set(NAMES)
    failures = []
    for path in paths:
        for value in HOSTILE:
            asked = [{name: value} for name in sorted(declared[path])]
            asked.append(dict.fromkeys(sorted(every - declared[path]), value))
            for params in asked:
                r = client.get(path, params=params)
                if r.status_code >= 500:
                    failures.append(f"{path}?{','.join(params)}={value[:20]}: {r.status_code}")
    assert failures == []


def test_days_far_from_today_are_refused_in_words(client: httpx.Client) -> None:
    onboard(client)
    for path in ("/today?date=9999-12-31", "/plan?start=0001-01-01", "/plan?start=2026-02-30"):
        r = client.get(path)
        assert r.status_code == 400, path
        assert "Input should be" not in r.text
        assert "Today" in r.text  # the error page has the navigation: not a dead end
