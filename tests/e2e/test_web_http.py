"""The web app over HTTP (a real server on loopback, a real SQLite file):
every page and its JSON twin, onboarding, the red-flag path, CSRF, escaping and bad input."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from kneecap.core.intake import RED_FLAG_QUESTIONS
from tests.e2e.conftest import TODAY, Server
from tests.e2e.pages import problems


def token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def post(
    client: httpx.Client, path: str, data: dict[str, object], page: str = "/onboarding"
) -> httpx.Response:
    form = {"csrf": token(client.get(page).text), **data}
    return client.post(path, data=form, follow_redirects=False)


def carried(page: str) -> str:
    """The answers so far, as the page carries them to the next step."""
    found = re.search(r'name="answers" value="([^"]*)"', page)
    assert found, "the page carries no answers"
    return html.unescape(found.group(1))


def safety_answers(age: str = "34", **raised: str) -> dict[str, object]:
    """The first step, every question answered: the age, and "no" unless given."""
    return {"step": "flags", "age_years": age, **dict.fromkeys(RED_FLAG_QUESTIONS, "no"), **raised}


def knee_answers(answers: str, **changes: object) -> dict[str, object]:
    return {
        "step": "knee",
        "answers": answers,
        "affected_side": "right",
        "location": "around_kneecap",
        "worst_last_week": "3",
        "at_rest": "no",
        "sharp": "no",
        "aggravated_by": ["stairs", "running"],
        **changes,
    }


def onboard(client: httpx.Client, **week: object) -> None:
    r = post(client, "/onboarding", safety_answers())
    assert "step 2 of 3" in r.text, r.text
    r = post(client, "/onboarding", knee_answers(carried(r.text)))
    assert "step 3 of 3" in r.text, r.text
    form: dict[str, object] = {
        "step": "week",
        "answers": carried(r.text),
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "minutes_per_session": "40",
        "equipment": ["mat", "band", "foam_roller", "chair", "step", "wall"],
        "cross_training": ["swimming"],
        "start_date": TODAY,
        **week,
    }
    r = post(client, "/onboarding", form)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/today"


def test_a_new_visitor_is_taken_to_onboarding(client: httpx.Client) -> None:
    r = client.get("/", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/onboarding")
    assert client.get("/today", follow_redirects=False).headers["location"] == "/onboarding"
    assert client.get("/api/today").status_code == 404


def test_onboarding_makes_a_plan_and_today_shows_the_session(client: httpx.Client) -> None:
    onboard(client)
    page = client.get("/today").text
    assert "Strength session" in page
    assert "Morning check-in" in page
    assert problems(page) == []
    data = client.get("/api/today").json()
    assert data["phase"]["id"] == "strengthen"
    assert data["sessions"][0]["kind"] == "strength"
    assert data["sessions"][0]["minutes"] <= 40
    assert data["checkin_due"] is True


def test_red_flags_lead_to_a_referral_not_a_plan(client: httpx.Client) -> None:
    r = post(client, "/onboarding", safety_answers(calf_pain_or_swelling="yes"))
    assert r.status_code == 200
    assert "Get medical help today" in r.text
    assert "RF-EMERGENCY" in r.text
    assert problems(r.text) == []
    assert client.get("/", follow_redirects=False).headers["location"] == "/onboarding"
    r = post(client, "/onboarding", safety_answers(locking="yes"))
    assert "See a physiotherapist or doctor first" in r.text


def test_every_page_is_sound_html_with_labelled_fields_and_alt_texts(client: httpx.Client) -> None:
    onboard(client)
    for path in (
        "/onboarding",
        "/today",
        "/plan",
        "/exercises",
        "/exercises?kind=stretch",
        "/exercises/wall-sit",
        "/exercises/lunge",
        "/learn",
        "/learn/active-recovery",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert problems(r.text) == [], path


NAV = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.S)


def test_the_navigation_reaches_the_run_check_and_marks_the_page_you_are_on(
    client: httpx.Client,
) -> None:
    onboard(client)
    for path, name in (
        ("/today", "Today"),
        ("/plan", "Plan"),
        ("/run-check", "Run"),
        ("/exercises/wall-sit", "Exercises"),
        ("/learn", "Learn"),
        ("/settings", "Settings"),
    ):
        nav = NAV.search(client.get(path).text)
        assert nav, path
        assert '<a href="/run-check"' in nav.group(1), path
        current = re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', nav.group(1))
        assert [c[1] for c in current] == [name], path  # one, and the right one
    check = client.get("/run-check").text
    assert "Do the entry check when the other criteria are met." in check
    assert "kneecap rtr" not in check  # the web's own form, not the terminal's command


def test_every_page_has_a_json_twin_with_the_same_view(client: httpx.Client) -> None:
    onboard(client)
    plan = client.get("/api/plan").json()
    assert len(plan["days"]) == 7
    assert plan["days"][0]["weekday"] == "Monday"
    assert plan["days"][0]["date"] in client.get("/plan").text
    stretches = client.get("/api/exercises", params={"kind": "stretch"}).json()
    assert stretches["exercises"]
    assert {e["kind"] for e in stretches["exercises"]} == {"stretch"}
    assert all(
        e["name"] in client.get("/exercises?kind=stretch").text for e in stretches["exercises"]
    )
    wall = client.get("/api/exercises/wall-sit").json()
    assert wall["name"] in client.get("/exercises/wall-sit").text
    topics = client.get("/api/learn").json()["topics"]
    assert topics
    topic = client.get(f"/api/learn/{topics[0]['id']}").json()
    assert topic["title"] in html.unescape(client.get(f"/learn/{topics[0]['id']}").text)
    questions = client.get("/api/onboarding").json()
    assert questions["steps"][0] == "flags"
    first_question = next(iter(questions["options"]["flags"].values()))
    assert html.escape(first_question, quote=False) in client.get("/onboarding").text
    spec = client.get("/openapi.json").json()
    for path in ("/api/today", "/api/plan", "/api/progress", "/api/runs", "/api/onboarding"):
        assert path in spec["paths"], path


def test_the_avoid_list_offers_safe_alternatives(client: httpx.Client) -> None:
    data = client.get("/api/exercises").json()
    lunge = next(e for e in data["avoid"] if e["id"] == "lunge")
    assert lunge["reason"]
    assert lunge["alternatives"]
    assert "Avoid for now" in client.get("/exercises").text


def test_plan_exports_to_icalendar(client: httpx.Client) -> None:
    onboard(client)
    r = client.get("/plan.ics")
    assert r.headers["content-type"].startswith("text/calendar")
    assert r.text.count("BEGIN:VEVENT") >= 20


def test_check_in_is_saved_and_a_swelling_withholds_the_plan(client: httpx.Client) -> None:
    onboard(client)
    r = post(client, "/checkin", {"morning_pain": "2"}, page="/today")
    assert r.status_code == 303
    assert client.get("/api/today").json()["checkin_due"] is False
    r = post(client, "/checkin", {"morning_pain": "3", "swelling": "yes"}, page="/today")
    today = client.get("/api/today").json()
    assert today["referral"]["needed"] is True
    assert today["sessions"] == []
    assert "Your plan is on hold" in client.get("/today").text


def test_a_logged_session_is_saved_and_counted(client: httpx.Client) -> None:
    onboard(client)
    page = client.get("/today").text
    form = {"date": TODAY, "items": "2", "exercise_0": "glute-bridge", "done_0": "yes"}
    form |= {"pain_0": "2", "difficulty_0": "ok", "exercise_1": "clamshell", "pain_1": "1"}
    r = client.post("/sessions", data={"csrf": token(page), **form}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/today").json()["logged_sessions"] == 1
    assert "Logged today: 1 session" in client.get("/today").text


@pytest.mark.parametrize(
    ("path", "data", "words"),
    [
        ("/checkin", {"morning_pain": "11"}, "morning_pain"),
        ("/checkin", {"morning_pain": "lots"}, "morning_pain"),
        (
            "/sessions",
            {"items": "1", "exercise_0": "glute-bridge", "done_0": "yes", "pain_0": "12"},
            "Pain during must be a whole number",
        ),
        (
            "/sessions",
            {"items": "1", "exercise_0": "no-such-move", "done_0": "yes", "pain_0": "1"},
            "unknown exercise",
        ),
        ("/sessions", {"items": "1", "exercise_0": "glute-bridge"}, "at least one"),
        ("/sessions", {"items": "1000"}, "items"),
    ],
)
def test_bad_input_gets_a_4xx_with_the_reason_and_stores_nothing(
    client: httpx.Client, path: str, data: dict[str, str], words: str
) -> None:
    onboard(client)
    before = client.get("/api/today").json()
    r = post(client, path, {"date": TODAY, **data}, page="/today")
    assert 400 <= r.status_code < 500
    assert words in r.text
    assert client.get("/api/today").json() == before


def test_forms_without_the_token_or_from_another_site_are_refused(client: httpx.Client) -> None:
    onboard(client)
    for path in ("/checkin", "/sessions", "/onboarding"):
        r = client.post(path, data={"morning_pain": "2", "step": "flags", "items": "1"})
        assert r.status_code == 403, path
        assert "security token" in r.text
    good = token(client.get("/today").text)
    r = client.post(
        "/checkin",
        data={"morning_pain": "2", "csrf": good},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert r.status_code == 403
    assert "cross-site" in r.text
    r = client.post(
        "/checkin",
        data={"morning_pain": "2", "csrf": good},
        headers={"Origin": "http://evil.example"},
    )
    assert r.status_code == 403
    assert client.get("/api/today").json()["checkin_due"] is True


def test_user_text_is_escaped(client: httpx.Client) -> None:
    r = post(client, "/onboarding", knee_answers("{}", affected_side="<script>alert(1)</script>"))
    assert r.status_code == 422
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;" in r.text
    r = client.get("/exercises/<b>x</b>")
    assert r.status_code == 404
    assert "<b>x</b>" not in r.text


def test_json_api_logs_and_checks_in(client: httpx.Client) -> None:
    onboard(client)
    csrf = token(client.get("/today").text)
    headers = {"X-CSRF-Token": csrf}
    r = client.post("/api/checkin", json={"date": TODAY, "morning_pain": 2}, headers=headers)
    assert r.status_code == 201
    r = client.post("/api/checkin", json={"date": TODAY, "morning_pain": 14}, headers=headers)
    assert r.status_code == 422
    log = {"date": TODAY, "entries": [{"exercise": "wall-sit", "pain_during": 1}]}
    assert client.post("/api/sessions", json=log, headers=headers).status_code == 201
    assert client.post("/api/sessions", json=log).status_code == 403
    broken = {"date": TODAY, "entries": [{"exercise": "wall-sit", "pain_during": 11}]}
    r = client.post("/api/sessions", json=broken, headers=headers)
    assert r.status_code == 422  # the entry's own fault, not also "at least 1 item"
    assert [p["field"] for p in r.json()["problems"]] == ["entries.0.pain_during"]


def test_progress_page_charts_and_its_twin(client: httpx.Client) -> None:
    onboard(client)
    page = client.get("/progress")
    assert page.status_code == 200
    assert problems(page.text) == []
    assert 'role="img"' in page.text
    assert "morning: no data yet" in page.text
    post(client, "/checkin", {"morning_pain": "4"}, page="/today")
    after = client.get("/progress").text
    assert "morning: 4 (12-07) to 4 (12-07), 1 values" in after
    data = client.get("/api/progress").json()
    assert data["weeks"][-1]["morning"] == 4
    assert data["next_phase"]["to"] == "build"


def test_akps_form_scores_and_rejects_a_missing_answer(client: httpx.Client) -> None:
    onboard(client)
    best = {f"q{n}": "0" for n in range(13)}
    r = post(client, "/akps", best, page="/progress")
    assert r.status_code == 303
    data = client.get("/api/progress").json()
    assert [x["score"] for x in data["akps"]["results"]] == [100]
    assert "100/100" in client.get("/progress").text
    missing = dict(best)
    del missing["q5"]
    r = post(client, "/akps", missing, page="/progress")
    assert r.status_code == 422
    assert "Running" in r.text
    assert len(client.get("/api/progress").json()["akps"]["results"]) == 1


def test_a_check_in_kept_on_the_phone_is_recorded_for_the_morning_it_was_made(
    server: Server, client: httpx.Client
) -> None:
    onboard(client)
    server.set_today("2026-12-09")
    sent = post(client, "/checkin", {"morning_pain": "2", "saved_on": "2026-12-08"}, "/today")
    assert sent.status_code == 303
    assert client.get("/api/today").json()["checkin_due"] is True  # today's is still to come
    server.set_today("2026-12-08")
    assert client.get("/api/today").json()["checkin_due"] is False  # the 8th has its check-in
    server.set_today("2026-12-20")
    stale = post(client, "/checkin", {"morning_pain": "2", "saved_on": "2026-12-08"}, "/today")
    assert stale.status_code == 422
    assert "more than 7 days ago" in stale.text
    ahead = post(client, "/checkin", {"morning_pain": "1", "saved_on": "2026-12-21"}, "/today")
    assert ahead.status_code == 303  # a phone a zone ahead: recorded for the server's today
    assert client.get("/api/today").json()["checkin_due"] is False
