"""A new runner's first days, over HTTP against a real server and on a 390-px phone: the first
morning's question, a swelling tick corrected while the plan is on hold, the plan's past days
as they were logged, a start date in the future, an undo that can be restored, the decisions
timeline and the moderate-pain note. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from kneecap.app import profile
from tests.conftest import make_profile
from tests.e2e.conftest import TODAY, Server, shot
from tests.e2e.pages import problems
from tests.e2e.test_browser import new_page
from tests.e2e.test_web_http import onboard, post
from tests.e2e.test_web_logging import filled

START = dt.date.fromisoformat(TODAY)


def day(n: int) -> str:
    return (START + dt.timedelta(days=n)).isoformat()


def test_pmm_2_the_first_mornings_check_in_asks_about_this_morning(
    client: httpx.Client,
) -> None:
    """PMM-2: on the programme's first day there was no yesterday in it to ask about."""
    onboard(client)
    page = client.get("/today").text
    assert "Your first day: how is the knee this morning?" in page
    assert "yesterday's load" not in page


def test_rf_urgent_a_corrected_swelling_tick_keeps_the_hold_and_says_so(
    client: httpx.Client, server: Server
) -> None:
    """RF-URGENT: a check-in with swelling puts the plan on hold; a correction without it the
    same morning keeps the hold (only a recorded clearance lifts it) and the card says why,
    what to do and that a clinician can clear it."""
    onboard(client)
    client.post("/sessions", data=filled(client.get("/today").text, pain="2"))
    server.set_today(day(1))
    assert "yesterday's load" in client.get("/today").text
    r = post(client, "/checkin", {"morning_pain": "3", "swelling": "yes"}, page="/today")
    assert r.status_code == 303
    r = post(client, "/checkin", {"morning_pain": "3"}, page="/today")
    shown = client.get(r.headers["location"]).text
    assert "Check-in updated: 3/10 this morning." in shown
    assert "Your plan stays on hold: swelling was reported this morning." in shown
    assert "Correcting the check-in does not lift the hold." in shown
    assert 'href="/referral"' in shown
    assert "carry on as planned" not in shown
    assert not problems(shown)
    answer = client.get("/api/today").json()
    assert answer["referral"]["needed"]
    assert answer["checkin"]["hold"]["flags"] == ["swelling"]


def test_rf_urgent_the_hold_on_the_check_in_card_on_a_phone(browser: Any, server: Server) -> None:
    profile.save_profile(server.app.state.ctx.home, make_profile(start_date=TODAY))
    page = new_page(browser, server, width=390, height=844)
    page.goto(server.url + "/today")
    page.locator("form.checkin input[name=morning_pain]").fill("3")
    page.locator("form.checkin label[for=swelling]").click()
    page.locator("form.checkin button[type=submit]").click()
    page.wait_for_url("**/today*")
    page.locator("details.correct summary").click()
    page.locator("#swelling_fix").uncheck()
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_url("**/today*")
    text = page.inner_text("main")
    assert "Your plan stays on hold: swelling was reported this morning." in text
    assert "carry on as planned" not in text
    assert page.get_by_role("link", name="Record a clearance").is_visible()
    shot(page, "checkin-hold-corrected")


def log_planned(server: Server, on: str) -> None:
    """The day's planned session, done at pain 1, saved through the use case."""
    from kneecap.app import diary, read
    from kneecap.core.history import Entry, SessionLog

    server.set_today(on)
    home = server.app.state.ctx.home
    when = dt.date.fromisoformat(on)
    p = read.programme(home)
    items = [i for d in p.plan(when, when).days for s in d.sessions for i in s.items]
    entries = tuple(Entry(exercise=i.exercise, pain_during=1) for i in items)
    diary.save_session(home, SessionLog(date=when, entries=entries))


def test_r13_the_plan_shows_past_days_as_logged_after_a_settings_change(
    client: httpx.Client, server: Server
) -> None:
    """R13 (the week re-planned from the runner's days): a change re-plans from today; the days
    before show what was logged (done, or nothing logged) and today's logged session stays done
    even when the new plan has nothing today."""
    profile.save_profile(server.app.state.ctx.home, make_profile(start_date=TODAY))
    log_planned(server, day(0))
    log_planned(server, day(2))
    home = server.app.state.ctx.home
    old = home.store.profile(home.person)
    fewer = make_profile(start_date=TODAY, availability={"days": ["thu", "sun"]})
    profile.save_profile(home, fewer, old)
    week = client.get("/api/plan").json()["days"]
    assert [d["state"] for d in week[:4]] == ["done", "nothing", "today", "planned"]
    assert week[0]["done"]
    assert week[0]["sessions"] == []  # the new schedule is not shown over the log
    assert len(week[2]["done"]) == 1
    assert week[2]["sessions"] == []
    page = client.get("/plan").text
    assert "Nothing logged" in page
    assert "Done:" in page
    assert "Nothing more planned today" in page
    assert not problems(page)
    today_page = client.get("/today").text
    assert "Logged today: 1 session" in today_page
    assert "No session planned today" not in today_page
    assert "Nothing more planned today" in today_page


def settings_form(client: httpx.Client, **changes: object) -> dict[str, object]:
    """The Settings form as it is filled in now, with changes."""
    week = client.get("/api/settings").json()
    chosen = week["preferences"]
    return {
        "days": week["profile"]["days"],
        "minutes_per_session": str(week["profile"]["minutes_per_session"]),
        "equipment": week["profile"]["equipment"],
        "cross_training": week["profile"]["cross_training"],
        "start_date": week["profile"]["start_date"],
        "reminder_time": chosen["reminder_time"],
        "units": chosen["units"],
        "theme": chosen["theme"],
        **changes,
    }


def test_start_date_in_the_future_today_offers_nothing_to_log_and_settings_moves_it(
    client: httpx.Client, server: Server
) -> None:
    """A start date in the future: Today says when the plan starts and what to do until then,
    with no check-in or session form (a save would be refused); Settings moves the date."""
    profile.save_profile(server.app.state.ctx.home, make_profile(start_date=day(366)))
    page = client.get("/today").text
    assert f"Your plan starts on {dt.date.fromisoformat(day(366)):%A} {day(366)}" in page
    assert 'action="/checkin"' not in page
    assert 'action="/sessions"' not in page
    assert not client.get("/api/today").json()["checkin_due"]
    r = post(client, "/settings", settings_form(client, start_date=TODAY), page="/settings")
    assert r.status_code == 303, r.text
    page = client.get("/today").text
    assert "Your plan starts on" not in page
    assert 'action="/checkin"' in page
    client.post("/sessions", data=filled(page, pain="1"))
    r = post(client, "/settings", settings_form(client, start_date=day(3)), page="/settings")
    assert r.status_code == 422
    assert "after the first day you logged" in r.text
    assert not problems(r.text)
    assert client.get("/api/settings").json()["profile"]["start_date"] == TODAY


def test_edit_days_an_undone_session_can_be_restored_over_http(
    client: httpx.Client, server: Server
) -> None:
    onboard(client)
    client.post("/sessions", data=filled(client.get("/today").text, pain="1"))
    done = client.get("/api/today").json()["logged"][0]["id"]
    r = post(client, f"/sessions/{done}/undo", {}, page="/today")
    assert r.status_code == 303
    shown = client.get(r.headers["location"]).text
    assert "The session was undone" in shown
    assert f'action="/sessions/{done}/restore"' in shown
    assert not problems(shown)
    no_csrf = client.post(f"/sessions/{done}/restore", data={"csrf": "wrong"})
    assert no_csrf.status_code == 403
    r = post(client, f"/sessions/{done}/restore", {}, page="/today")
    assert r.status_code == 303
    assert "The session is restored" in client.get(r.headers["location"]).text
    assert client.get("/api/today").json()["logged_sessions"] == 1
    h = {"X-CSRF-Token": token_of(client)}
    assert client.post(f"/api/sessions/{done}/undo", json={}, headers=h).status_code == 200
    again = client.post(f"/api/sessions/{done}/restore", json={}, headers=h)
    assert again.status_code == 200, again.text
    assert again.json()["restored"] == done
    assert client.post(f"/api/sessions/{done}/restore", json={}, headers=h).status_code == 404


def token_of(client: httpx.Client) -> str:
    from tests.e2e.test_web_http import token

    return token(client.get("/today").text)


def test_edit_days_undo_then_restore_on_a_phone(browser: Any, server: Server) -> None:
    profile.save_profile(server.app.state.ctx.home, make_profile(start_date=TODAY))
    log_planned(server, TODAY)
    page = new_page(browser, server, width=390, height=844)
    page.goto(server.url + "/today")
    page.get_by_role("button", name="Undo").first.click()
    page.wait_for_url("**undone=*")
    assert "The session was undone" in page.inner_text("main")
    shot(page, "session-undone-restore")
    page.get_by_role("button", name="Restore").click()
    page.wait_for_url("**restored=1*")
    assert "The session is restored" in page.inner_text("main")
    assert page.locator("section.session.done").count() >= 1
