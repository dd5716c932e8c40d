"""Logging that is true, over HTTP against a real server: the session form's one-time token
(saved twice, stored once), done with Edit and Undo for a week, pain that starts unset, and a
check-in that says what it changed, corrected the same day."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from tests.e2e.conftest import TODAY, Server
from tests.e2e.pages import problems
from tests.e2e.test_web_http import onboard, post, token


def form_of(page: str, index: int = 0) -> dict[str, str]:
    """The hidden fields of the index-th session form on Today, as the page rendered them."""
    forms = re.findall(r'<form class="card session".*?</form>', page, re.S)
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', forms[index])
    return dict(fields)


def filled(page: str, index: int = 0, pain: str = "1") -> dict[str, str]:
    """The session form with every item done at `pain`."""
    data = form_of(page, index)
    for i in range(int(data["items"])):
        data |= {f"done_{i}": "yes", f"pain_{i}": pain, f"difficulty_{i}": "ok"}
    return data


def headers(client: httpx.Client) -> dict[str, str]:
    return {"X-CSRF-Token": token(client.get("/today").text)}


def test_a_session_form_saved_twice_stores_one_session(client: httpx.Client) -> None:
    onboard(client)
    page = client.get("/today").text
    data = filled(page)
    assert len(data["token"]) >= 20
    first = client.post("/sessions", data=data, follow_redirects=False)
    again = client.post("/sessions", data=data, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    today = client.get("/api/today").json()
    assert today["logged_sessions"] == 1
    assert today["sessions"][0]["done"]["id"] == today["logged"][0]["id"]
    shown = client.get(again.headers["location"]).text
    assert "Logged today: 1 session" in shown
    assert 'action="/sessions"' not in shown.split("</h1>")[1].split("Pain after")[0]
    assert not problems(shown)


def test_each_rendered_form_has_its_own_token(client: httpx.Client) -> None:
    onboard(client)
    tokens = {form_of(client.get("/today").text)["token"] for _ in range(3)}
    assert len(tokens) == 3


def test_the_json_twin_answers_200_with_the_stored_session_for_a_known_token(
    client: httpx.Client,
) -> None:
    onboard(client)
    h = headers(client)
    log = {"date": TODAY, "entries": [{"exercise": "glute-bridge", "pain_during": 2}]}
    first = client.post("/api/sessions", json={**log, "token": "queue-0001"}, headers=h)
    assert first.status_code == 201
    other = {**log, "entries": [{"exercise": "glute-bridge", "pain_during": 7}]}
    again = client.post("/api/sessions", json={**other, "token": "queue-0001"}, headers=h)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["saved"]["entries"][0]["pain_during"] == 2
    assert again.json()["created"] is False
    assert client.get("/api/today").json()["logged_sessions"] == 1
    # without a token, as before: each post is a session
    assert client.post("/api/sessions", json=log, headers=h).status_code == 201
    assert client.get("/api/today").json()["logged_sessions"] == 2
    bad = client.post("/api/sessions", json={**log, "token": "no spaces!"}, headers=h)
    assert bad.status_code == 422


def test_a_done_session_can_be_edited_and_undone(client: httpx.Client) -> None:
    onboard(client)
    client.post("/sessions", data=filled(client.get("/today").text, pain="1"))
    today = client.get("/api/today").json()
    done = today["sessions"][0]["done"]
    assert done["editable"]
    assert done["version"] == 1
    page = client.get("/today").text
    assert ">Edit</a>" in page
    assert ">Undo</button>" in page
    # Edit: the form again, filled in with what was logged, posting to the edit route
    editing = client.get(f"/today?edit={done['id']}").text
    assert f'action="/sessions/{done["id"]}/edit"' in editing
    assert 'value="1"' in editing
    r = client.post(
        f"/sessions/{done['id']}/edit",
        data=filled(editing, pain="3"),
        follow_redirects=False,
    )
    assert r.status_code == 303
    today = client.get("/api/today").json()
    assert today["sessions"][0]["done"]["version"] == 2
    assert today["sessions"][0]["done"]["worst_pain"] == 3
    assert today["logged_sessions"] == 1
    # Undo: the session no longer counts, and the form is back
    r = post(client, f"/sessions/{done['id']}/undo", {}, page="/today")
    assert r.status_code == 303
    today = client.get("/api/today").json()
    assert today["logged_sessions"] == 0
    assert today["sessions"][0]["done"] is None
    shown = client.get(r.headers["location"]).text
    assert "The session was undone" in shown
    again = post(client, f"/sessions/{done['id']}/undo", {}, page="/today")
    assert again.status_code == 404


def test_edit_and_undo_have_json_twins(client: httpx.Client) -> None:
    onboard(client)
    h = headers(client)
    log = {"date": TODAY, "entries": [{"exercise": "glute-bridge", "pain_during": 2}]}
    sid = client.post("/api/sessions", json=log, headers=h).json()["id"]
    changed = {**log, "entries": [{"exercise": "glute-bridge", "pain_during": 4}]}
    r = client.post(f"/api/sessions/{sid}/edit", json=changed, headers=h)
    assert r.status_code == 200
    assert r.json()["version"] == 2
    r = client.post(f"/api/sessions/{sid}/undo", json={}, headers=h)
    assert r.status_code == 200
    assert r.json()["session"]["deleted"] is True
    assert client.post(f"/api/sessions/{sid}/undo", json={}, headers=h).status_code == 404
    assert client.post("/api/sessions/abc/undo", json={}, headers=h).status_code == 404
    assert client.post(f"/api/sessions/{sid}/undo", json={}).status_code == 403


def test_a_session_older_than_seven_days_is_refused_with_the_reason(
    client: httpx.Client, server: Server
) -> None:
    onboard(client)
    h = headers(client)
    log = {"date": TODAY, "entries": [{"exercise": "glute-bridge", "pain_during": 2}]}
    sid = client.post("/api/sessions", json=log, headers=h).json()["id"]
    server.set_today((dt.date.fromisoformat(TODAY) + dt.timedelta(days=8)).isoformat())
    r = client.post(f"/api/sessions/{sid}/undo", json={}, headers=h)
    assert r.status_code == 422
    assert "more than 7 days ago" in r.json()["error"]
    assert client.get(f"/api/today?date={TODAY}").json()["logged"][0]["editable"] is False
    assert ">Undo</button>" not in client.get(f"/today?date={TODAY}").text


def test_pain_starts_unset_and_a_done_item_needs_its_pain(client: httpx.Client) -> None:
    onboard(client)
    page = client.get("/today").text
    assert re.search(r'name="pain_0" [^>]*value=""', page)
    untouched = form_of(page) | {"done_0": "yes", "done_1": "yes", "pain_1": "2"}
    r = client.post("/sessions", data=untouched, follow_redirects=False)
    assert r.status_code == 422
    assert client.get("/api/today").json()["logged_sessions"] == 0
    assert "Pain during is missing" in r.text
    # the error sits next to the field, and what was typed is kept
    assert re.search(
        r'name="pain_0"[^>]*aria-invalid="true"[^>]*>\s*<p class="field-error"', r.text
    )
    assert re.search(r'name="pain_1" [^>]*value="2"', r.text)
    assert not problems(r.text)
    wrong = form_of(page) | {"done_0": "yes", "pain_0": "12"}
    r = client.post("/sessions", data=wrong, follow_redirects=False)
    assert r.status_code == 422
    assert "whole number from 0 (none) to 10" in r.text
    assert re.search(r'name="pain_0" [^>]*value="12"', r.text)


def test_the_check_in_says_what_it_changed_and_can_be_corrected(
    client: httpx.Client, server: Server
) -> None:
    """PMM-2: the answer quotes the runner's numbers and the rule; a second check-in the same
    day replaces the first and says so."""
    start = dt.date.fromisoformat(TODAY)
    onboard(client)
    h = headers(client)
    for n in range(1, 4):
        day = (start + dt.timedelta(days=n)).isoformat()
        server.set_today(day)
        assert post(client, "/checkin", {"morning_pain": "1"}, page="/today").status_code == 303
    server.set_today((start + dt.timedelta(days=4)).isoformat())
    day4 = (start + dt.timedelta(days=4)).isoformat()
    client.post("/sessions", data=filled(client.get("/today").text, pain="1"))
    day5 = (start + dt.timedelta(days=5)).isoformat()
    server.set_today(day5)
    r = client.post("/api/checkin", json={"date": day5, "morning_pain": 6}, headers=h)
    assert r.status_code == 201, r.text
    said = r.json()
    assert said["updated"] is False
    assert said["feedback"]["headline"] == "Check-in saved: 6/10 this morning."
    changes = said["feedback"]["changes"]
    assert {c["rule"] for c in changes} == {"PMM-2"}
    assert all("6/10 against your usual 1/10" in c["text"] for c in changes)
    eased = next(c for c in changes if c["action"] == "regress")
    assert "Glute bridge: 3 x 12 → 2 x 12" in eased["exercises"]
    page = client.get("/today").text
    assert "6/10 against your usual 1/10" in page
    assert "Rule PMM-2" in page
    assert "Correct this morning" in page
    assert not problems(page)
    r = post(client, "/checkin", {"morning_pain": "1"}, page="/today")
    assert r.headers["location"].startswith("/today?checked_in=updated")
    shown = client.get(r.headers["location"]).text
    assert "Check-in updated: 1/10 this morning." in shown
    assert "Nothing in your plan changes" in shown
    assert day4  # the session that morning answered
