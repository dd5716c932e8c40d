"""Logging that is true, in a real browser at a phone's width (Debian's chromium driven by
Playwright): a form sent twice is one session, a done session can be edited and undone, pain
starts unset, and the check-in says what it changed. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

from kneecap.app import profile
from tests.conftest import make_profile
from tests.e2e.conftest import TODAY, Server, shot
from tests.e2e.test_browser import new_page


def phone(browser: Any, server: Server) -> Any:
    """A runner with a profile (saved through the use case: the onboarding has its own tests),
    on Today at a 360-px phone's width."""
    profile.save_profile(server.app.state.ctx.home, make_profile(start_date=TODAY))
    page = new_page(browser, server, width=360, height=740)
    page.goto(server.url + "/today")
    return page


def fill_session(page: Any, pain: str) -> None:
    form = page.locator("form.session").first
    pains = form.locator("input[type=number][name^=pain_]:not([name=pain_after])")
    for n in range(pains.count()):
        pains.nth(n).fill(pain)


def logged(page: Any, server: Server) -> int:
    answer = page.request.get(server.url + "/api/today")
    count: int = answer.json()["logged_sessions"]
    return count


def test_a_session_form_sent_twice_stores_one_session(browser: Any, server: Server) -> None:
    page = phone(browser, server)
    form = page.locator("form.session").first
    assert form.locator("input[name=token]").input_value()
    fill_session(page, "1")
    # what the form sends, kept to send it again (a queue re-sending, a flaky network)
    page.evaluate(
        "() => { sessionStorage.sent = new URLSearchParams(new FormData("
        "document.querySelector('form.session'))).toString() }"
    )
    form.get_by_role("button", name="Save session").dblclick()  # a double tap
    for attempt in range(3):
        try:
            page.wait_for_url("**/today?*saved=1*")
            break
        except Exception as exc:  # the first tap's page, cut short by the second tap's
            if "ERR_ABORTED" not in str(exc) or attempt == 2:
                raise
    status = page.evaluate(
        "() => fetch('/sessions', {method: 'POST', body: new URLSearchParams(sessionStorage.sent),"
        " redirect: 'manual'}).then(r => r.type === 'opaqueredirect' ? 303 : r.status)"
    )
    assert status == 303
    page.reload()
    assert logged(page, server) == 1
    assert "Logged today: 1 session" in page.inner_text("main")
    assert page.locator("section.session.done").count() == 1
    shot(page, "logging-done")


def test_pain_starts_unset_and_the_error_sits_next_to_the_field(
    browser: Any, server: Server
) -> None:
    page = phone(browser, server)
    form = page.locator("form.session").first
    form.locator("[name=pain_1]").fill("2")
    form.evaluate("f => f.noValidate = true")
    form.get_by_role("button", name="Save session").click()
    assert "Pain during is missing" in page.inner_text("main")
    assert page.locator("form.session [name=pain_0] + .field-error").is_visible()
    assert page.locator("form.session [name=pain_1]").first.input_value() == "2"
    assert logged(page, server) == 0
    shot(page, "logging-pain-missing")


def test_a_done_session_is_edited_then_undone(browser: Any, server: Server) -> None:
    page = phone(browser, server)
    fill_session(page, "1")
    page.get_by_role("button", name="Save session").first.click()
    done = page.locator("section.session.done").first
    assert "worst pain during 1/10" in done.inner_text()
    done.get_by_role("link", name="Edit").click()
    form = page.locator("form.session").first
    assert form.locator("[name=pain_0]").input_value() == "1"
    form.locator("[name=pain_0]").fill("3")
    form.get_by_role("button", name="Save changes").click()
    done = page.locator("section.session.done").first
    assert "worst pain during 3/10" in done.inner_text()
    assert "Edited." in done.inner_text()
    shot(page, "logging-edited")
    done.get_by_role("button", name="Undo").click()
    assert "The session was undone" in page.inner_text("main")
    assert page.locator("form.session").count() >= 1
    assert logged(page, server) == 0
    shot(page, "logging-undone")


def test_the_check_in_explains_itself_and_can_be_corrected(browser: Any, server: Server) -> None:
    page = phone(browser, server)
    page.get_by_label("Knee pain this morning").fill("2")
    page.get_by_role("button", name="Save check-in").click()
    box = page.locator("section.checkin")
    assert "Check-in saved: 2/10 this morning." in box.inner_text()
    box.locator("summary").click()
    box.get_by_label("Knee pain this morning").fill("3")
    box.get_by_role("button", name="Save the correction").click()
    assert "Check-in updated: 3/10 this morning." in page.locator("section.checkin").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    shot(page, "logging-checkin-updated")
