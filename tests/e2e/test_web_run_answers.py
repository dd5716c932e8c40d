"""A run's own answers over HTTP: how the knee felt during it and the next morning, a run
deleted with undo, and the pain answers kept when a fuller copy of the run replaces a cut-short
one."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from tests.activities import gpx_run
from tests.e2e.pages import problems
from tests.e2e.test_web_http import onboard, post, token
from tests.e2e.test_web_runs import stored, upload

START = dt.datetime(2026, 12, 5, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def runner(client: httpx.Client) -> httpx.Client:
    onboard(client)
    return client


def test_a_run_asks_how_the_knee_felt_and_keeps_the_answers(runner: httpx.Client) -> None:
    upload(runner, [("run.gpx", gpx_run(START, 5.0))])
    (run,) = stored(runner)
    page = runner.get(f"/runs/{run['id']}").text
    assert "How did the knee feel" in page
    assert not problems(page)
    r = post(
        runner,
        f"/runs/{run['id']}/pain",
        {"pain_during": "3", "pain_next_morning": "2"},
        page="/runs",
    )
    assert r.status_code == 303
    (run,) = stored(runner)
    assert (run["pain_during"], run["pain_next_morning"]) == (3, 2)
    assert 'value="3"' in runner.get(r.headers["location"]).text
    bad = post(runner, f"/runs/{run['id']}/pain", {"pain_during": "11"}, page="/runs")
    assert bad.status_code == 422
    h = {"X-CSRF-Token": token(runner.get("/runs").text)}
    r = runner.post(f"/api/runs/{run['id']}/pain", json={"pain_during": 1}, headers=h)
    assert r.status_code == 200
    assert stored(runner)[0]["pain_during"] == 1
    assert runner.post("/api/runs/999/pain", json={}, headers=h).status_code == 404


def test_a_run_is_deleted_with_undo(runner: httpx.Client) -> None:
    upload(runner, [("run.gpx", gpx_run(START, 5.0))])
    (run,) = stored(runner)
    r = post(runner, f"/runs/{run['id']}/delete", {}, page="/runs")
    assert r.status_code == 303
    assert stored(runner) == []
    page = runner.get("/runs").text
    assert "Deleted: your run of Saturday 5 December." in page
    assert not problems(page)
    assert runner.get(f"/runs/{run['id']}").status_code == 404
    r = post(runner, f"/runs/{run['id']}/restore", {}, page="/runs")
    assert r.status_code == 303
    assert [x["id"] for x in stored(runner)] == [run["id"]]
    assert "Deleted:" not in runner.get("/runs").text
    h = {"X-CSRF-Token": token(runner.get("/runs").text)}
    assert runner.post(f"/api/runs/{run['id']}/delete", json={}, headers=h).status_code == 200
    assert runner.post(f"/api/runs/{run['id']}/delete", json={}, headers=h).status_code == 404
    assert runner.post(f"/api/runs/{run['id']}/restore", json={}, headers=h).status_code == 200


def test_a_fuller_copy_keeps_the_pain_answers(runner: httpx.Client) -> None:
    short = gpx_run(START, 2.0).replace(b"<type>running</type>", b"")
    upload(runner, [("short.gpx", short)])
    (run,) = stored(runner)
    post(runner, f"/runs/{run['id']}/pain", {"pain_during": "4"}, page="/runs")
    upload(runner, [("full.gpx", gpx_run(START, 6.0))])
    (kept,) = stored(runner)
    assert kept["id"] == run["id"]
    assert kept["pain_during"] == 4
    assert kept["distance_km"] == pytest.approx(6.0, rel=0.02)
