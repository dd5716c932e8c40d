"""The phone's own reminder: while Kneecap is open, a notification at the runner's reminder time
on a day with a session still to do, once a day, and none once the session is logged. The
page's clock is Playwright's, moved on by the test; notifications are recorded, not shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from tests.e2e.conftest import TODAY, Server
from tests.e2e.test_web_http import onboard, token

PHONE = {"width": 390, "height": 844}
RECORD = """
window.__shown = [];
window.Notification = class {
  constructor(title, options) { window.__shown.push([title, (options || {}).body || ""]); }
  static get permission() { return "granted"; }
  static requestPermission() { return Promise.resolve("granted"); }
};
"""


def phone(browser: Any, server: Server, at: str) -> Any:
    """A phone page (no service worker: the page shows the notification itself) whose clock
    reads `at` on the server's today, in UTC."""
    context = browser.new_context(
        viewport=PHONE, service_workers="block", timezone_id="UTC", locale="en-GB"
    )
    page = context.new_page()
    page.clock.install(time=dt.datetime.fromisoformat(f"{TODAY}T{at}:00+00:00"))
    page.add_init_script(RECORD)
    return page


def turn_on(page: Any, server: Server) -> None:
    page.goto(server.url + "/reminders")
    page.get_by_role("button", name="Remind me on this phone").click()
    page.get_by_text("This phone will remind you at your reminder time").wait_for()


def shown(page: Any) -> list[list[str]]:
    found: list[list[str]] = page.evaluate("window.__shown")
    return found


def test_a_notification_at_the_reminder_time_on_a_session_day(
    browser: Any, server: Server, client: httpx.Client
) -> None:
    onboard(client)
    page = phone(browser, server, "17:50")
    turn_on(page, server)
    page.clock.run_for("09:00")  # 17:59
    assert shown(page) == []
    page.clock.run_for("01:30")  # 18:00:30
    for _ in range(100):  # polled: the pages' CSP forbids the eval that wait_for_function uses
        if shown(page):
            break
        page.wait_for_timeout(20)
    ((title, body),) = shown(page)
    assert title == "Kneecap: time for today's session"
    assert body  # the session's title, e.g. "Strength session"
    page.reload()  # once a day, however often the app is opened
    page.clock.run_for("10:00")
    assert shown(page) == []
    page.context.close()


def test_no_notification_once_the_session_is_logged(
    browser: Any, server: Server, client: httpx.Client
) -> None:
    onboard(client)
    page = phone(browser, server, "17:30")
    turn_on(page, server)
    planned = client.get("/api/today").json()["sessions"]
    assert planned, "the start day has a session"
    for si, session in enumerate(planned):  # every session of the day logged before 18:00
        form: dict[str, object] = {"date": TODAY, "items": str(len(session["items"]))}
        form |= {"session": str(si), "csrf": token(client.get("/today").text)}
        for i, item in enumerate(session["items"]):
            form |= {f"exercise_{i}": item["exercise"], f"done_{i}": "yes", f"pain_{i}": "1"}
        assert client.post("/sessions", data=form).status_code in (200, 303)
    page.clock.run_for("45:00")  # 18:15
    page.wait_for_timeout(200)
    assert shown(page) == []
    page.context.close()


def test_no_notification_after_the_time_has_passed(
    browser: Any, server: Server, client: httpx.Client
) -> None:
    onboard(client)
    page = phone(browser, server, "19:00")  # opened after 18:00: too late for today
    turn_on(page, server)
    page.clock.run_for("01:00:00")
    assert shown(page) == []
    page.context.close()
