"""A form kept on the phone while offline that the server refuses when it is sent: kept with
what was typed and the server's reason, never sent again, shown in words until dismissed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from kneecap.web.forms import OFFLINE_DAYS
from tests.e2e.conftest import TODAY, Server, shot
from tests.e2e.test_browser import onboard as onboard_in_browser
from tests.e2e.test_pwa import PHONE
from tests.e2e.test_web_http import onboard
from tests.e2e.test_web_logging import form_of

KEPT_ON = dt.date.fromisoformat(TODAY) - dt.timedelta(days=OFFLINE_DAYS + 3)
KEPT_WORDS = f"{KEPT_ON:%A} {KEPT_ON.day} {KEPT_ON:%B}"  # "Friday 27 November"


def test_the_form_routes_answer_a_refusal_as_json_when_asked_for_json(
    client: httpx.Client,
) -> None:
    onboard(client)
    page = client.get("/today").text
    json = {"Accept": "application/json"}
    untouched = form_of(page) | {"done_0": "yes"}  # done, its pain not given
    r = client.post("/sessions", data=untouched, headers=json, follow_redirects=False)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/json")
    assert "Pain during is missing" in r.json()["error"]
    old = {"csrf": form_of(page)["csrf"], "morning_pain": "3", "saved_on": KEPT_ON.isoformat()}
    r = client.post("/checkin", data=old, headers=json, follow_redirects=False)
    assert r.status_code == 422
    assert f"more than {OFFLINE_DAYS} days ago" in r.json()["error"]
    assert client.get("/api/today").json()["logged_sessions"] == 0


def refused(page: Any) -> Any:
    return page.evaluate("KneecapOutbox.all().then((e) => e.filter((x) => x.refused))")


def test_a_check_in_the_server_refuses_is_kept_with_its_reason_until_dismissed(
    browser: Any, server: Server
) -> None:
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # the phone's date: more than OFFLINE_DAYS before the server's today
    page.clock.install(time=dt.datetime.combine(KEPT_ON, dt.time(8)))
    page.goto(server.url + "/")
    onboard_in_browser(page)
    page.goto(server.url + "/today")
    context.set_offline(True)
    page.get_by_label("Knee pain this morning").fill("3")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Saved on this phone; it will be sent when you are back online.").wait_for()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    said = (
        f"Morning check-in of {KEPT_WORDS}, pain 3/10: not stored — this check-in was kept on "
        f"the phone since {KEPT_WORDS}, more than {OFFLINE_DAYS} days ago: give this morning's "
        "instead."
    )
    notice = page.locator("#outbox-refused")
    notice.get_by_text(said).wait_for()
    shot(page, "pwa-refused-offline-checkin")
    assert "could not be stored" not in page.inner_text("main")
    assert httpx.get(server.url + "/api/today").json()["checkin_due"] is True
    kept = refused(page)
    assert len(kept) == 1
    assert dict(kept[0]["fields"])["morning_pain"] == "3"

    page.reload()  # kept on the phone, shown again, never sent again
    notice.get_by_text(said).wait_for()
    page.evaluate("KneecapOutbox.flush(null)")
    assert len(refused(page)) == 1
    assert httpx.get(server.url + "/api/today").json()["checkin_due"] is True

    notice.get_by_role("button", name="Dismiss").click()
    notice.wait_for(state="detached")
    assert page.evaluate("KneecapOutbox.all().then((e) => e.length)") == 0
    page.reload()
    page.locator("h1").wait_for()
    assert page.locator("#outbox-refused").count() == 0
    assert "not stored" not in page.inner_text("main")
    context.close()


def test_a_refused_session_is_said_by_its_date_and_exercise_count(
    browser: Any, server: Server
) -> None:
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(server.url + "/")
    onboard_in_browser(page)
    page.goto(server.url + "/today")
    fields = [[k, v] for k, v in form_of(page.content()).items()] + [["done_0", "yes"]]
    page.evaluate("(f) => KneecapOutbox.add('/sessions', f)", fields)  # a pain left out
    page.evaluate("window.dispatchEvent(new Event('online'))")
    day = dt.date.fromisoformat(TODAY)
    notice = page.locator("#outbox-refused")
    notice.get_by_text(
        f"Session of {day:%A} {day.day} {day:%B}, 1 exercise: not stored — Pain during is missing"
    ).wait_for()
    assert httpx.get(server.url + "/api/today").json()["logged_sessions"] == 0
    notice.get_by_role("button", name="Dismiss").click()
    notice.wait_for(state="detached")
    context.close()
