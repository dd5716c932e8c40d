"""In a real browser: a clinician logs in for the first time and enrols an authenticator (codes
from pyotp), finds the runner with a red flag at the top of the dashboard and records a
clearance; the runner, on a phone-sized page, sees the plan released with the clinician's name.
Screenshots in test-artifacts/."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from kneecap.app import accounts
from kneecap.app import clinic as cases
from kneecap.app import home as app_home
from kneecap.app.context import Actor
from tests.e2e.clinic import PASSWORD, Clinic, start_clinic
from tests.e2e.conftest import shot
from tests.e2e.test_clinic import TODAY, give_profile

NEW_PHYSIO = "new.physio@example.com"


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clinic]:
    monkeypatch.setenv("KNEECAP_TODAY", TODAY)
    with start_clinic(None, tmp_path / "home") as found:
        yield found


def new_clinician_links(clinic: Clinic, *runners: str) -> None:
    """A clinician without an authenticator yet, linked to `runners` (each accepted a code)."""
    with app_home.opened(clinic.settings, clinic.settings.clock) as home:
        made = accounts.add_account(home, NEW_PHYSIO, ["clinician"], PASSWORD)
        doctor = Actor(NEW_PHYSIO, account=made.id, roles=frozenset({"clinician"}), clinic=True)
        for runner in runners:
            code = cases.invite(dataclasses.replace(home, actor=doctor)).code
            with clinic.client(runner) as c:
                assert c.post("/api/me/clinicians", json={"code": code}).status_code == 201


def log_in(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")


def test_a_clinician_enrols_clears_a_red_flag_and_the_runner_sees_who(
    clinic: Clinic, browser: Any
) -> None:
    give_profile(clinic, "runner_a")
    give_profile(clinic, "runner_b", locking=True)
    new_clinician_links(clinic, "runner_a", "runner_b")

    desk = browser.new_context(viewport={"width": 1200, "height": 900})
    page = desk.new_page()
    log_in(page, clinic.url, NEW_PHYSIO)
    page.wait_for_url(re.compile(r"/enrol$"))
    secret = page.input_value("input[name=secret]")
    shot(page, "clinic-enrol")
    page.fill("#totp", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    page.click("text=I have kept them: continue")
    page.wait_for_url(re.compile(r"/clinic$"))
    first = page.locator("li.runner").first
    assert "runner-b" in first.inner_text()
    assert "Rule RF-" in first.inner_text()
    shot(page, "clinic-dashboard")
    first.locator("a").first.click()
    page.wait_for_selector("text=Record your clearance")
    page.select_option("#profession", "physiotherapist")
    page.click("text=Clear and release the plan")
    page.wait_for_url(re.compile(r"cleared=1"))
    assert "Record your clearance" not in page.content()
    shot(page, "clinic-runner-cleared")
    desk.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    mine = phone.new_page()
    log_in(mine, clinic.url, clinic.email("runner_b"))
    mine.goto(f"{clinic.url}/today")
    released = mine.locator(".released")
    assert NEW_PHYSIO in released.inner_text()
    assert "physiotherapist" in released.inner_text()
    width = mine.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(mine, "clinic-runner-released-phone")
    phone.close()
