"""The runs loop in a real browser on a phone: answer how the knee felt after a run and see it on
the weekly charts, delete a run and bring it back with Undo, switch the units to miles; the
Runs, run and Progress pages as screenshots in test-artifacts/, checked by axe (WCAG 2.1 A and
AA) in both colour themes. Over HTTP: the weekly series in the JSON twins."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import ARTIFACTS, Server, shot
from tests.e2e.test_accessibility import axe, phone, violations  # noqa: F401 (axe: a fixture)
from tests.e2e.test_settings import save
from tests.e2e.test_web_http import onboard, token
from tests.e2e.test_web_runs import FLAT, HILLY, upload


@pytest.fixture
def runner(client: httpx.Client) -> httpx.Client:
    onboard(client)
    assert upload(client, [("hill.gpx", HILLY), ("flat.gpx", FLAT)]).status_code == 200
    return client


def runs_by_file(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {r["file"]: r for r in client.get("/api/runs").json()["runs"]}


def prefer(client: httpx.Client, units: str, theme: str = "system") -> None:
    assert save(client, units=units, theme=theme).status_code == 303


def test_the_weekly_series_carry_distance_downhill_and_the_worst_run_pain(
    runner: httpx.Client,
) -> None:
    hill, flat = runs_by_file(runner)["hill.gpx"], runs_by_file(runner)["flat.gpx"]
    for run, during, morning in ((hill, 2, 5), (flat, 4, None)):
        body = {"pain_during": during, "pain_next_morning": morning}
        secret = token(runner.get("/runs").text)
        r = runner.post(f"/api/runs/{run['id']}/pain", json=body, headers={"X-CSRF-Token": secret})
        assert r.status_code == 200, r.text
    weeks = runner.get("/api/runs").json()["weeks"]
    assert [w["week"] for w in weeks] == ["2026-11-30", "2026-12-07"]
    first, this = weeks
    assert first["runs"] == 2
    assert first["distance_km"] == pytest.approx(8.0, abs=0.1)
    assert first["downhill_km"] == pytest.approx(hill["downhill_km"], abs=0.01)
    assert (first["worst_pain_during"], first["worst_pain_next_morning"]) == (4, 5)
    assert (this["runs"], this["worst_pain_during"], this["worst_pain_next_morning"]) == (
        0,
        None,
        None,
    )
    progress = runner.get("/api/progress").json()["run_pain"]
    assert [(w["week"], w["worst_pain_during"]) for w in progress[-2:]] == [
        ("2026-11-30", 4),
        ("2026-12-07", None),
    ]
    page = runner.get("/runs").text
    assert "<title>pain during: 4</title>" in page
    assert "<title>next morning: 5</title>" in page
    assert "worst pain during a run 4/10, worst the next morning 5/10" in page
    assert '<title id="run-pain-t">' in runner.get("/progress").text


def test_miles_apply_to_the_runs_the_run_page_and_progress(runner: httpx.Client) -> None:
    hill = runs_by_file(runner)["hill.gpx"]
    prefer(runner, "mi")
    twin = runner.get("/api/runs").json()
    assert twin["units"] == "mi"
    row = next(r for r in twin["runs"] if r["id"] == hill["id"])
    miles = row["distance"]
    assert miles.endswith(" mi")
    assert float(miles.split()[0]) == pytest.approx(hill["distance_km"] / 1.609344, abs=0.01)
    assert row["distance_km"] == hill["distance_km"]  # the JSON keeps kilometres as well
    assert row["pace"].endswith(" /mi")
    assert row["downhill"].endswith(" mi")
    assert twin["weeks"][0]["distance"] == pytest.approx(8 / 1.609344, abs=0.02)
    page = runner.get(f"/runs/{hill['id']}").text
    assert miles in page
    assert "distance (mi)</text>" in page
    assert " km" not in re.sub(r"<svg.*?</svg>", "", page, flags=re.S).split("<main", 1)[1]
    progress = runner.get("/progress").text
    assert "Weekly running distance (mi) with morning pain" in progress
    assert "Weekly running distance and downhill (mi)" in progress


def test_a_runner_answers_deletes_restores_and_switches_to_miles_on_a_phone(
    browser: Any, server: Server, runner: httpx.Client
) -> None:
    hill = runs_by_file(runner)["hill.gpx"]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)

    # how the knee felt: saved, shown in the form and on the weekly chart
    page.goto(f"{server.url}/runs/{hill['id']}")
    page.get_by_label("Pain during the run").fill("3")
    page.get_by_label("Pain the next morning").fill("6")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    assert page.get_by_label("Pain during the run").input_value() == "3"
    page.goto(f"{server.url}/runs")
    chart = page.locator('[data-chart="weeks"] svg.narrow')
    assert chart.is_visible()
    assert chart.locator("title", has_text="pain during: 3").count() == 1
    assert chart.locator("title", has_text="next morning: 6").count() == 1
    page.goto(f"{server.url}/progress")
    assert (
        page.locator('[data-chart="run-pain"] svg.narrow title', has_text="next morning: 6").count()
        == 1
    )

    # deleted, then brought back with Undo
    page.goto(f"{server.url}/runs/{hill['id']}")
    page.get_by_role("button", name="Delete this run").click()
    page.wait_for_url(re.compile(r"/runs\?deleted="))
    assert page.get_by_text("Deleted: your run of Monday 30 November.").is_visible()
    assert page.locator(f'a[href="/runs/{hill["id"]}"]').count() == 0
    assert (
        page.locator('[data-chart="weeks"] svg.narrow title', has_text="pain during: 3").count()
        == 0
    )
    page.get_by_role("button", name="Undo").click()
    page.wait_for_url(f"{server.url}/runs/{hill['id']}")
    page.goto(f"{server.url}/runs")
    assert page.locator(f'a[href="/runs/{hill["id"]}"]').count() == 1
    assert page.get_by_text("Deleted:").count() == 0

    # miles, chosen in Settings
    page.goto(f"{server.url}/settings")
    page.get_by_label("miles").check()
    page.get_by_role("button", name="Save settings").click()
    page.goto(f"{server.url}/runs")
    miles = next(r for r in runner.get("/api/runs").json()["runs"] if r["id"] == hill["id"])
    assert page.get_by_text(miles["distance"]).first.is_visible()
    assert (
        page.locator('[data-chart="weeks"] svg.narrow text', has_text="distance (mi)").count() == 1
    )
    shot(page, "phone-runs")
    page.goto(f"{server.url}/runs/{hill['id']}")
    assert page.get_by_text(miles["distance"]).first.is_visible()
    shot(page, "phone-run-page")
    page.goto(f"{server.url}/progress")
    shot(page, "phone-progress")
    for chart in ("run-pain", "running"):  # the charts up close
        found = page.locator(f'[data-chart="{chart}"]')
        found.screenshot(path=str(ARTIFACTS / f"phone-progress-{chart}.png"))
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_runs_pages_have_no_wcag_a_or_aa_violation_in_either_theme(
    browser: Any,
    server: Server,
    runner: httpx.Client,
    axe: str,  # noqa: F811 (the fixture)
    theme: str,
) -> None:
    hill = runs_by_file(runner)["hill.gpx"]
    secret = token(runner.get("/runs").text)
    body = {"pain_during": 2, "pain_next_morning": 3}
    runner.post(f"/api/runs/{hill['id']}/pain", json=body, headers={"X-CSRF-Token": secret})
    prefer(runner, "mi", theme)
    page = phone(browser, width=360)
    found = []
    for name, path in {
        "runs": "/runs",
        "run-page": f"/runs/{hill['id']}",
        "progress": "/progress",
    }.items():
        page.goto(server.url + path)
        shot(page, f"phone-{name}-{theme}")
        found += [f"{path} ({theme}): {v}" for v in violations(page, axe)]
    page.context.close()
    assert found == [], "\n".join(found)
