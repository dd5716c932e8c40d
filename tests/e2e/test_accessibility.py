"""Every page checked by axe-core in a real browser: zero WCAG 2.1 A and AA violations; chart
text at least 12 CSS px on a 360-px phone; a screenshot of each page on a 390-px phone in
test-artifacts/ (look at them).

axe-core comes from the npm registry at test time, into a folder beside the virtual
environment (never into the repository): `.ci/run` and `make` install it ahead, and the fixture
installs it when it is missing and npm is there."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, shot
from tests.e2e.test_web_http import carried, onboard, post, safety_answers
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


def phone(browser: Any, width: int = 390) -> Any:
    # axe is injected as a script of the test's own; the app's CSP would refuse it otherwise
    context = browser.new_context(viewport={"width": width, "height": 844}, bypass_csp=True)
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
