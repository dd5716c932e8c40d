"""The web app in a real browser: Debian's chromium driven by Playwright (no browser download).
Screenshots go to test-artifacts/ (look at them)."""

from __future__ import annotations

from typing import Any

from kneecap.core.intake import RED_FLAG_QUESTIONS
from tests.e2e.conftest import Server, shot


def new_page(browser: Any, server: Server, width: int = 1000, height: int = 800) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(server.url + "/")
    return page


def safety_check(page: Any, *yes: str) -> None:
    """The first step: the age, and an explicit answer to every red-flag question."""
    page.get_by_label("How old are you").fill("34")
    for name in RED_FLAG_QUESTIONS:
        page.locator(f"#{name}_{'yes' if name in yes else 'no'}").check()
    page.get_by_role("button", name="Next").click()


def onboard(page: Any) -> None:
    safety_check(page)
    page.get_by_label("Which knee hurts?").select_option("left")
    page.get_by_label("Worst pain in the last week").fill("3")
    page.get_by_label("around or behind the kneecap").check()
    page.locator("#at_rest_no").check()
    page.locator("#sharp_no").check()
    page.get_by_label("stairs").check()
    page.get_by_role("button", name="Next").click()
    for item in ("mat", "chair", "wall", "step", "foam roller"):
        page.get_by_label(item, exact=True).check()
    page.get_by_label("Minutes per session").fill("35")
    page.get_by_role("button", name="Make my plan").click()


def test_a_new_runner_onboards_and_logs_a_session(browser: Any, server: Server) -> None:
    page = new_page(browser, server)

    assert "step 1 of 3" in page.inner_text("h1")
    shot(page, "onboarding-flags")
    onboard(page)
    assert page.url.endswith("/today")
    shot(page, "today")
    page.get_by_label("Knee pain this morning").fill("2")
    page.get_by_role("button", name="Save check-in").click()
    # The check-in is not due any more: its answer, and the correction as a small disclosure
    # (closed), never a second check-in form.
    assert page.get_by_role("heading", name="Morning check-in").count() == 0
    assert page.get_by_role("button", name="Save check-in").count() == 0
    assert "Check-in saved: 2/10 this morning." in page.inner_text("main")
    correct = page.locator("details.correct")
    assert correct.locator("summary").inner_text() == "Correct this morning's check-in"
    assert correct.get_attribute("open") is None
    assert not page.get_by_label("Knee pain this morning").is_visible()
    shot(page, "today-checked-in")
    correct.locator("summary").click()
    assert page.get_by_label("Knee pain this morning").input_value() == "2"
    assert page.get_by_role("button", name="Save the correction").is_visible()
    form = page.locator("form.session").first
    pains = form.locator("input[type=number][name^=pain_]:not([name=pain_after])")
    assert pains.first.input_value() == ""  # pain starts unset: nothing is assumed
    for n in range(pains.count()):
        pains.nth(n).fill("3" if n == 0 else "1")
    page.get_by_role("button", name="Save session").first.click()
    assert "Logged today: 1 session" in page.inner_text("main")
    shot(page, "today-logged")
    page.get_by_role("link", name="Progress").click()
    pain = page.locator("#pain-d")
    assert "morning: 2" in pain.text_content()
    assert "worst: 3" in pain.text_content()
    shot(page, "progress")


def test_the_red_flag_path_shows_a_referral(browser: Any, server: Server) -> None:
    page = new_page(browser, server)

    safety_check(page, "swelling")
    assert "See a physiotherapist or doctor first" in page.inner_text("h1")
    shot(page, "referral")


def test_pages_fit_a_360_px_phone(browser: Any, server: Server) -> None:
    page = new_page(browser, server, width=360, height=740)

    onboard(page)
    for path in ("/today", "/plan", "/progress", "/exercises", "/exercises/wall-sit", "/learn"):
        page.goto(server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width} px)"
        shot(page, "phone-" + (path.strip("/").replace("/", "-") or "home"))


def test_keyboard_reaches_the_main_content(browser: Any, server: Server) -> None:
    page = new_page(browser, server)

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"


def test_progress_charts_update_live_when_something_is_logged(browser: Any, server: Server) -> None:
    page = new_page(browser, server)
    onboard(page)
    # The page's polls fail until the check-in is made (offline, a slow first answer): what it
    # shows is compared with the revision it was drawn from, not with its first poll's.
    online = []
    page.route(
        "**/api/progress/charts", lambda route: route.continue_() if online else route.abort()
    )
    page.goto(server.url + "/progress?poll=200")
    pain = page.locator("#pain-d")
    assert "morning: no data yet" in pain.text_content()
    # a check-in from elsewhere (another tab, the terminal): here through the JSON API
    other = browser.new_context().new_page()
    other.goto(server.url + "/today")
    token = other.locator("input[name=csrf]").first.get_attribute("value")
    answer = other.request.post(
        server.url + "/api/checkin",
        data={"date": "2026-12-07", "morning_pain": 5},
        headers={"X-CSRF-Token": token},
    )
    assert answer.status == 201
    online.append(True)
    # within the page's timeout: polled every 200 ms, but the machine may be busy with other tests
    page.locator("#pain-d", has_text="morning: 5").wait_for(state="attached")
