"""The Settings page over HTTP: the week, the equipment and the cardio re-plan at once (a new
profile version, no new onboarding); the reminder time, units and theme are kept per person;
warning signs are shown, never cleared there; a problem is shown next to its field with what
was typed, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from kneecap.app import preferences
from tests.e2e.conftest import Server
from tests.e2e.pages import problems
from tests.e2e.test_web_http import carried, onboard, post, safety_answers

WEEK = {
    "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "minutes_per_session": "40",
    "equipment": ["mat", "band", "foam_roller", "chair", "step", "wall"],
    "cross_training": ["swimming"],
    "reminder_time": "18:00",
    "units": "km",
    "theme": "system",
}


def save(client: httpx.Client, **changes: object) -> httpx.Response:
    return post(client, "/settings", {**WEEK, **changes}, page="/settings")


def strength_days(client: httpx.Client) -> list[str]:
    days = client.get("/api/plan").json()["days"]
    return [d["weekday"] for d in days if any(s["kind"] == "strength" for s in d["sessions"])]


def test_the_settings_page_shows_the_week_and_the_preferences(client: httpx.Client) -> None:
    onboard(client)
    r = client.get("/settings")
    assert r.status_code == 200
    assert problems(r.text) == []
    assert 'aria-current="page"' in r.text.split('href="/settings"')[1][:30]
    assert re.search(r'id="day_wed"[^>]*checked', r.text)
    assert "Wednesday" in r.text
    assert "foam roller" in r.text
    view = client.get("/api/settings").json()
    assert view["profile"]["minutes_per_session"] == 40
    assert view["preferences"] == {"reminder_time": "18:00", "units": "km", "theme": "system"}
    assert view["red_flags"] == []


def test_removing_a_day_moves_the_strength_day_at_once(client: httpx.Client) -> None:
    onboard(client)
    before = strength_days(client)
    assert "Wednesday" in before
    r = save(client, days=["mon", "tue", "thu", "fri", "sat", "sun"])
    assert (r.status_code, r.headers["location"]) == (303, "/settings?saved=1")
    after = strength_days(client)
    assert "Wednesday" not in after
    assert len(after) == len(before)
    assert "Saved" in client.get("/settings?saved=1").text
    assert client.get("/today", follow_redirects=False).status_code == 200  # no new onboarding


def test_changing_the_minutes_changes_the_session_length(client: httpx.Client) -> None:
    onboard(client)

    def longest() -> int:
        days = client.get("/api/plan").json()["days"]
        return max(s["minutes"] for d in days for s in d["sessions"])

    assert longest() > 15
    assert save(client, minutes_per_session="15").status_code == 303
    assert longest() <= 15
    assert client.get("/api/settings").json()["profile"]["minutes_per_session"] == 15


def test_preferences_are_kept_per_person_and_read_by_the_reminders(
    server: Server, client: httpx.Client
) -> None:
    onboard(client)
    assert preferences.reminder_time(server.app.state.ctx.home) == dt.time(18, 0)
    assert save(client, reminder_time="07:30", units="mi", theme="dark").status_code == 303
    assert client.get("/api/settings").json()["preferences"] == {
        "reminder_time": "07:30",
        "units": "mi",
        "theme": "dark",
    }
    assert preferences.reminder_time(server.app.state.ctx.home) == dt.time(7, 30)
    assert '<html lang="en" data-theme="dark">' in client.get("/today").text
    versions = client.get("/api/settings").json()["profile"]
    assert versions["minutes_per_session"] == 40  # the profile is left as it was


def test_the_default_reminder_time_is_six_in_the_evening(server: Server) -> None:
    assert preferences.reminder_time(server.app.state.ctx.home) == dt.time(18, 0)  # no profile


def test_a_problem_is_shown_next_to_its_field_with_what_was_typed(client: httpx.Client) -> None:
    onboard(client)
    before = client.get("/api/plan").json()
    r = save(client, days=[], minutes_per_session="5", reminder_time="25:99", units="furlongs")
    assert r.status_code == 422
    assert problems(r.text) == []
    assert re.search(r'id="days-error"[^>]*>.*choose at least one', r.text)
    assert re.search(r'id="minutes_per_session-error"[^>]*>.*must be 10 or more', r.text)
    assert re.search(r'id="minutes_per_session"[^>]*value="5"[^>]*aria-invalid="true"', r.text)
    assert re.search(r'id="reminder_time"[^>]*value="25:99"', r.text)
    assert "reminder_time-error" in r.text
    assert "units-error" in r.text
    assert "Input should be" not in r.text  # plain words, not pydantic's
    assert re.search(r'id="eq_band"[^>]*checked', r.text)  # the rest stays as typed
    assert client.get("/api/plan").json() == before  # nothing stored


def test_warning_signs_show_read_only_and_cannot_be_cleared_there(client: httpx.Client) -> None:
    r = post(client, "/onboarding", safety_answers(locking="yes"))
    r = post(client, "/onboarding", {"step": "continue", "answers": carried(r.text)})
    assert "step" in r.text
    # finish the questions, then the plan waits for a clinician
    from tests.e2e.test_web_http import knee_answers

    r = post(client, "/onboarding", knee_answers(carried(r.text)))
    r = post(client, "/onboarding", {"step": "week", "answers": carried(r.text), **WEEK})
    assert r.status_code == 303
    page = client.get("/settings").text
    assert "On hold until a clinician clears it" in page
    assert 'href="/referral"' in page
    assert 'name="locking"' not in page
    assert "red_flags" not in page
    r = save(client, locking="no", red_flags="")
    assert r.status_code == 303
    assert client.get("/api/settings").json()["red_flags"][0]["on_hold"] is True
    assert client.get("/api/today").json()["referral"]["needed"] is True
