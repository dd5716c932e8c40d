"""A run in the runner's words and units: a deletion said as "your run of Wednesday 9 December",
the pain the next morning asked for only from the day after the run (refused before, beside its
field and in the JSON twin), and climb, descent and a descent's drop in feet once the runner
chooses miles."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx
import pytest

from tests.activities import gpx_run
from tests.e2e.conftest import Server, shot
from tests.e2e.test_settings import save
from tests.e2e.test_web_http import onboard, post, token
from tests.e2e.test_web_runs import HILLY, stored, upload

RUN_DAY = dt.datetime(2026, 12, 9, 7, 0, tzinfo=dt.UTC)  # a Wednesday, after the pinned today


@pytest.fixture
def runner(client: httpx.Client) -> httpx.Client:
    onboard(client)
    return client


def test_a_deleted_run_is_said_in_words(server: Server, runner: httpx.Client) -> None:
    server.set_today("2026-12-10")
    upload(runner, [("run.gpx", gpx_run(RUN_DAY, 5.0))])
    (run,) = stored(runner)
    post(runner, f"/runs/{run['id']}/delete", {}, page="/runs")
    page = runner.get("/runs").text
    assert "Deleted: your run of Wednesday 9 December. <button" in page
    assert 'aria-label="Undo the deletion of your run of Wednesday 9 December"' in page
    assert "running of" not in page


def test_the_next_morning_is_asked_from_the_day_after(server: Server, runner: httpx.Client) -> None:
    server.set_today("2026-12-09")
    upload(runner, [("run.gpx", gpx_run(RUN_DAY, 5.0))])
    (run,) = stored(runner)
    page = runner.get(f"/runs/{run['id']}").text
    assert "answer tomorrow morning, from Thursday 10 December" in page
    assert 'name="pain_next_morning"' not in page  # no field to fill in yet
    assert runner.get(f"/api/runs/{run['id']}").json()["morning"]["open"] is False
    r = post(
        runner, f"/runs/{run['id']}/pain", {"pain_during": "2", "pain_next_morning": "4"}, "/runs"
    )
    assert r.status_code == 422  # the form from an earlier page, sent on the day of the run
    assert re.search(
        r'id="pain_next_morning-error"[^>]*>.*answer tomorrow morning, from Thursday 10 December',
        r.text,
    )
    assert 'value="2"' in r.text  # what was typed is kept
    h = {"X-CSRF-Token": token(runner.get("/runs").text)}
    answer = runner.post(f"/api/runs/{run['id']}/pain", json={"pain_next_morning": 4}, headers=h)
    assert answer.status_code == 422
    assert "answer tomorrow morning" in answer.json()["error"]
    assert stored(runner)[0]["pain_next_morning"] is None
    ok = post(runner, f"/runs/{run['id']}/pain", {"pain_during": "2"}, "/runs")
    assert ok.status_code == 303  # the pain during the run is fine the same day
    server.set_today("2026-12-10")
    page = runner.get(f"/runs/{run['id']}").text
    assert 'name="pain_next_morning"' in page
    r = post(
        runner, f"/runs/{run['id']}/pain", {"pain_during": "2", "pain_next_morning": "4"}, "/runs"
    )
    assert r.status_code == 303
    assert stored(runner)[0]["pain_next_morning"] == 4


def test_climb_descent_and_drops_are_in_feet_with_miles(
    runner: httpx.Client, browser: Any, server: Server
) -> None:
    upload(runner, [("hill.gpx", HILLY)])
    (hill,) = stored(runner)
    metres = runner.get(f"/runs/{hill['id']}").text
    assert re.search(r"<dt>Climb</dt><dd>\d+ m</dd>", metres)
    assert save(runner, units="mi").status_code == 303
    row = runner.get("/api/runs").json()["runs"][0]
    assert row["climb"].endswith(" ft")
    assert row["climb_m"] == hill["climb_m"]  # the JSON keeps metres as well
    assert int(row["climb"].split()[0]) == pytest.approx(hill["climb_m"] / 0.3048, abs=2)
    listing = runner.get("/runs").text
    assert f'data-label="Climb" class="num">{row["climb"]}<' in listing
    page = runner.get(f"/runs/{hill['id']}").text
    assert re.search(r"<dt>Climb</dt><dd>\d+ ft</dd>", page)
    assert re.search(r"<dt>Descent</dt><dd>\d+ ft</dd>", page)
    steepest = runner.get(f"/api/runs/{hill['id']}").json()["steepest"]
    assert steepest
    assert steepest[0]["drop"].endswith(" ft")
    assert f'<td class="num">{steepest[0]["drop"]}</td>' in page
    tables = page.split('id="descents-heading"')[1].split("</table>")[0]
    assert " m<" not in tables
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{server.url}/runs/{hill['id']}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "run-in-feet")
