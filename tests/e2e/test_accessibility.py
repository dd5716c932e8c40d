"""Every page checked by axe-core in a real browser: zero WCAG 2.1 A and AA violations; chart
text at least 12 CSS px on a 360-px phone; a screenshot of each page on a 390-px phone in
test-artifacts/ (look at them).

axe-core comes from the npm registry at test time, into a folder beside the virtual
environment (never into the repository): `.ci/run` and `make` install it ahead, and the fixture
installs it when it is missing and npm is there."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, shot
from tests.e2e.ladder import ladder_runner
from tests.e2e.test_browser import safety_check
from tests.e2e.test_web_http import carried, onboard, post, safety_answers
from tests.e2e.test_web_logging import filled
from tests.e2e.test_web_runs import HILLY, upload

AXE_DIR = Path(sys.prefix) / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe() -> str:
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: axe-core cannot be fetched (.ci/run installs it)")
        subprocess.run(
            [npm, "install", "--prefix", str(AXE_DIR), "axe-core@4", "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE.read_text()


def phone(browser: Any, width: int = 390, dark: bool = False) -> Any:
    # axe is injected as a script of the test's own; the app's CSP would refuse it otherwise
    context = browser.new_context(
        viewport={"width": width, "height": 844},
        bypass_csp=True,
        color_scheme="dark" if dark else "light",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def violations(page: Any, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    found = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
        }""",
        TAGS,
    )
    return list(found)


def check(page: Any, axe: str, server: Server, path: str, name: str) -> list[str]:
    page.goto(server.url + path)
    shot(page, f"phone-{name}")
    return [f"{path}: {v}" for v in violations(page, axe)]


def test_every_page_has_no_wcag_a_or_aa_violation(
    browser: Any, server: Server, client: httpx.Client, axe: str
) -> None:
    page = phone(browser)
    found = check(page, axe, server, "/onboarding", "onboarding")
    r = post(client, "/onboarding", safety_answers(age="7"))  # an error beside its field
    page.set_content(r.text.replace('href="/static/', f'href="{server.url}/static/'))
    found += [f"onboarding with an error: {v}" for v in violations(page, axe)]
    onboard(client)
    upload(client, [("hill.gpx", HILLY)])
    run_id = client.get("/api/runs").json()["runs"][0]["id"]
    pages = {
        "today-checkin-due": "/today",
        "plan": "/plan",
        "exercises": "/exercises",
        "exercises-filtered": "/exercises?kind=stretch",
        "exercise": "/exercises/wall-sit",
        "learn": "/learn",
        "topic": "/learn/what-is-runners-knee",
        "progress": "/progress",
        "runs": "/runs",
        "run": f"/runs/{run_id}",
        "settings": "/settings",
        "referral-nothing-on-hold": "/referral",
        "error-404": "/exercises/no-such-thing",
        "error-400": "/plan?start=0001-01-01",
    }
    for name, path in pages.items():
        found += check(page, axe, server, path, name)
    assert found == [], "\n".join(found)


def test_pages_on_hold_have_no_wcag_a_or_aa_violation(
    browser: Any, server: Server, client: httpx.Client, axe: str
) -> None:
    r = post(client, "/onboarding", safety_answers(locking="yes"))
    page = phone(browser)
    found = check(page, axe, server, "/onboarding", "onboarding-again")
    r = post(client, "/onboarding", {"step": "continue", "answers": carried(r.text)})
    from tests.e2e.test_web_http import knee_answers

    r = post(client, "/onboarding", knee_answers(carried(r.text)))
    week = {
        "step": "week",
        "answers": carried(r.text),
        "days": ["mon", "wed", "fri"],
        "minutes_per_session": "30",
    }
    assert post(client, "/onboarding", week).status_code == 303
    for name, path in {"today-on-hold": "/today", "referral": "/referral"}.items():
        found += check(page, axe, server, path, name)
    # the clearance form with a problem beside its field
    page.goto(server.url + "/referral")
    page.get_by_label("The clinician's name").fill(" ")
    page.get_by_label("Their profession").fill("doctor")
    page.get_by_role("button", name="Record the clearance").click()
    assert page.locator("#clinician-error").count() == 1
    assert page.get_by_label("Their profession").input_value() == "doctor"
    shot(page, "phone-clearance-error")
    found += [f"clearance error: {v}" for v in violations(page, axe)]
    assert found == [], "\n".join(found)


def test_chart_text_is_at_least_12_px_on_a_360_px_phone(
    browser: Any, server: Server, client: httpx.Client
) -> None:
    onboard(client)
    upload(client, [("hill.gpx", HILLY)])
    run_id = client.get("/api/runs").json()["runs"][0]["id"]
    page = phone(browser, width=360)
    smallest: dict[str, float] = {}
    for path in ("/progress", "/runs", f"/runs/{run_id}"):
        page.goto(server.url + path)
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('svg text')]
                .filter(t => t.getClientRects().length && t.getBoundingClientRect().width > 0)
                .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
        )
        assert sizes, path
        smallest[path] = min(sizes)
    assert all(size >= 12 for size in smallest.values()), json.dumps(smallest)


TARGETS = """() => [...document.querySelectorAll('input[type=checkbox], input[type=radio]')]
    .filter((b) => b.getClientRects().length)
    .map((b) => b.getBoundingClientRect())
    .filter((r) => r.width < 24 || r.height < 24).length"""


def test_today_after_the_check_in_and_with_the_session_done_has_no_violation(
    browser: Any, server: Server, client: httpx.Client, axe: str
) -> None:
    onboard(client)
    assert post(client, "/checkin", {"morning_pain": "2"}, page="/today").status_code == 303
    page = phone(browser)
    found = check(page, axe, server, "/today", "today-checked-in")
    assert page.get_by_role("heading", name="Checked in this morning").count() == 1
    assert page.evaluate(TARGETS) == 0  # every box a 24-px target
    page.locator("details.correct summary").click()  # the correction, opened
    shot(page, "phone-today-correction-open")
    found += [f"the correction open: {v}" for v in violations(page, axe)]
    done = client.post("/sessions", data=filled(client.get("/today").text), follow_redirects=False)
    assert done.status_code == 303
    found += check(page, axe, server, "/today", "today-done")
    assert page.get_by_role("button", name="Undo").count() == 1  # edit and undo shown
    edit = page.get_by_role("link", name="Edit").get_attribute("href")
    found += check(page, axe, server, edit, "today-editing")
    assert page.evaluate(TARGETS) == 0
    found += check(page, axe, server, "/reminders", "reminders")
    found += check(page, axe, server, "/run-check", "run-check")
    page.goto(server.url + "/run-check?speed=20")  # a timed test under way
    page.get_by_role("button", name="Start the wall sit timer").click()
    page.locator("#test-wall_sit").get_by_role("button", name="Pause").click()
    shot(page, "phone-run-check-timer")
    found += [f"the entry check's timer: {v}" for v in violations(page, axe)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_player_screens_have_no_violation(
    browser: Any, server: Server, client: httpx.Client, axe: str, theme: str
) -> None:
    onboard(client)
    page = phone(browser, dark=theme == "dark")
    found = check(page, axe, server, "/today?speed=20", f"today-{theme}")
    form = page.locator("form.session").first
    form.get_by_role("button", name="Start guided session").click()
    shot(page, f"phone-player-get-ready-{theme}", full_page=False)
    held = page.evaluate(  # the first exercise held for a time (the wall sit)
        """() => [...document.querySelectorAll("form.session")[0].querySelectorAll("[data-item]")]
            .findIndex((i) => JSON.parse(i.dataset.timing).mode.includes("holds"))"""
    )
    assert held > 0
    for _ in range(held):
        form.get_by_role("button", name="Skip this exercise").click()
    form.locator(".countdown .step", has_text="Hold").wait_for()
    form.get_by_role("button", name="Pause").click()
    shot(page, f"phone-player-hold-{theme}", full_page=False)
    found += [f"player started: {v}" for v in violations(page, axe)]
    page.evaluate(
        """() => {
        const next = [...document.querySelectorAll("form.session .controls button")]
          .find((b) => b.textContent === "Skip this exercise");
        while (next.textContent === "Skip this exercise") next.click();
      }"""
    )
    form.get_by_role("button", name="Skip to the summary").click()
    form.locator(".player-summary").wait_for()
    shot(page, f"phone-player-summary-{theme}", full_page=False)
    found += [f"player summary: {v}" for v in violations(page, axe)]
    assert page.evaluate(TARGETS) == 0
    assert found == [], "\n".join(found)


def test_the_ladder_pages_and_the_run_player_have_no_violation(
    browser: Any, server: Server, axe: str, tmp_path: Path
) -> None:
    ladder_runner(server, tmp_path, checked_in=True)
    page = phone(browser)
    found = check(page, axe, server, "/run-check", "run-check-ladder")
    assert "The entry check" not in page.inner_text("main")  # passed: where the runner stands
    assert "Next run: today, stage 1" in page.inner_text("main")  # the run day
    found += check(page, axe, server, "/today?speed=60", "today-run-day")
    jump = page.get_by_role("navigation", name="Sessions on this day")
    to_run = jump.get_by_role("link", name="Run", exact=True).get_attribute("href")
    assert page.locator(f"{to_run} [data-cadence]").count() == 1  # the run, further down
    form = page.locator("form.session", has=page.locator("[data-cadence]"))
    form.get_by_label(re.compile("Cadence metronome")).check()
    form.get_by_role("button", name="Start guided session").click()
    form.locator(".countdown .step", has_text="Walk").wait_for()
    form.get_by_role("button", name="Pause").click()
    shot(page, "phone-player-run", full_page=False)
    found += [f"run player: {v}" for v in violations(page, axe)]
    form.get_by_role("button", name="Skip to the summary").click()
    shot(page, "phone-player-run-summary", full_page=False)
    found += [f"run summary: {v}" for v in violations(page, axe)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_onboarding_steps_on_a_phone_have_no_violation(
    browser: Any, server: Server, axe: str, theme: str
) -> None:
    page = phone(browser, dark=theme == "dark")
    found = check(page, axe, server, "/onboarding", f"onboarding-1-{theme}")
    safety_check(page)
    assert "step 2 of 3" in page.inner_text("h1")
    shot(page, f"phone-onboarding-2-{theme}")
    found += [f"step 2: {v}" for v in violations(page, axe)]
    page.get_by_label("Which knee hurts?").select_option("left")
    page.get_by_label("Worst pain in the last week").fill("3")
    page.get_by_label("around or behind the kneecap").check()
    page.locator("#at_rest_no").check()
    page.locator("#sharp_no").check()
    page.get_by_role("button", name="Next").click()
    assert "step 3 of 3" in page.inner_text("h1")
    shot(page, f"phone-onboarding-3-{theme}")
    found += [f"step 3: {v}" for v in violations(page, axe)]
    assert page.evaluate(TARGETS) == 0
    page.goto(server.url + "/learn")
    shot(page, f"phone-learn-{theme}")
    found += [f"learn: {v}" for v in violations(page, axe)]
    assert found == [], "\n".join(found)


def test_the_running_advice_has_no_violation(
    browser: Any, server: Server, client: httpx.Client, axe: str
) -> None:
    """A runner who runs on their own: the "Your running" note on Today and Runs, and the run
    check saying so (core/running_advice.py)."""
    onboard(client, currently_running="yes", weekly_km="20", runs_per_week="3")
    upload(client, [("hill.gpx", HILLY)])
    run_id = client.get("/api/runs").json()["runs"][0]["id"]
    post(client, f"/runs/{run_id}/pain", {"pain_during": "6"}, page="/runs")
    assert client.get("/api/today").json()["running"]["advice"] == "cut_back"
    page = phone(browser)
    found = []
    for name, path in {"today-running": "/today", "runs-running": "/runs"}.items():
        found += check(page, axe, server, path, name)
    found += check(page, axe, server, "/run-check", "run-check-running")
    assert found == [], "\n".join(found)
