"""Complete screening and holds that hold in the web app, over HTTP on a real loopback server
with a real SQLite file: safety answers never assumed, a hold lifted only by a recorded
clearance, and the clearance form on the referral page (CLINICAL CPG-DX, RF-*)."""

from __future__ import annotations

import json
import re

import httpx

from kneecap.core.intake import ADOLESCENT_QUESTIONS, OTTAWA_QUESTIONS, RED_FLAG_QUESTIONS
from tests.e2e.conftest import TODAY
from tests.e2e.pages import problems
from tests.e2e.test_web_http import carried, knee_answers, onboard, post, safety_answers, token


def plan_is_held(client: httpx.Client) -> bool:
    return bool(client.get("/api/today").json()["referral"]["needed"])


def test_onboarding_without_an_answer_to_a_red_flag_question_is_asked_again(
    client: httpx.Client,
) -> None:
    answers = safety_answers()
    del answers["swelling"]
    r = post(client, "/onboarding", answers)
    assert r.status_code == 422
    assert re.search(r'id="swelling-error"[^>]*>.*answer yes or no', r.text)  # by its field
    assert "step 1 of" in r.text
    assert 'value="no" checked' in r.text  # what was answered is kept


def test_onboarding_questions_start_unanswered(client: httpx.Client) -> None:
    page = client.get("/onboarding").text
    assert "checked" not in page
    assert re.search(r'id="age_years"[^>]*value=""', page)
    r = post(client, "/onboarding", safety_answers())
    assert re.search(r'id="worst_last_week"[^>]*value=""', r.text)
    assert 'name="location"' in r.text
    assert "checked" not in r.text.split('name="location"')[1][:80]


def test_the_server_does_not_store_a_profile_without_its_safety_answers(
    client: httpx.Client,
) -> None:
    r = post(client, "/onboarding", safety_answers())
    r = post(client, "/onboarding", knee_answers(carried(r.text)))
    answers = json.loads(carried(r.text))
    del answers["red_flags"]
    week = {
        "step": "week",
        "answers": json.dumps(answers),
        "days": ["mon", "wed"],
        "minutes_per_session": "30",
    }
    r = post(client, "/onboarding", week)
    assert r.status_code == 422
    assert re.search(r'id="swelling-error"[^>]*>.*answer yes or no', r.text)
    assert client.get("/api/today").status_code == 404  # nothing stored


def test_an_injury_brings_the_ottawa_questions(client: httpx.Client) -> None:
    r = post(client, "/onboarding", safety_answers(recent_trauma="yes"))
    assert "step 2 of 4" in r.text
    for question in OTTAWA_QUESTIONS.values():
        assert question.split(",")[0].replace("'", "&#39;") in r.text
    more = {"step": "more", "answers": carried(r.text), **dict.fromkeys(OTTAWA_QUESTIONS, "no")}
    more["ottawa_cannot_bend_90"] = "yes"
    r = post(client, "/onboarding", more)
    assert "X-ray" in r.text
    assert "RF-URGENT" in r.text


def test_rf_adolescent_pain_at_the_bump_below_the_kneecap_gives_a_referral(
    client: httpx.Client,
) -> None:
    r = post(client, "/onboarding", safety_answers(age="14"))
    assert "step 2 of 4" in r.text
    more = {"step": "more", "answers": carried(r.text), **dict.fromkeys(ADOLESCENT_QUESTIONS, "no")}
    more["tibial_tubercle_pain"] = "yes"
    r = post(client, "/onboarding", more)
    assert "Osgood-Schlatter" in r.text
    assert "RF-ADOLESCENT" in r.text


def test_reanswering_the_intake_keeps_an_uncleared_hold(client: httpx.Client) -> None:
    onboard(client)
    r = post(client, "/onboarding", safety_answers(swelling="yes"))
    assert r.status_code == 303
    assert r.headers["location"] == "/referral"
    assert plan_is_held(client)

    onboard(client)  # every answer "no" this time

    assert plan_is_held(client)
    assert "Your plan is on hold" in client.get("/today").text


def test_a_new_runner_stopped_at_the_referral_cannot_answer_again_to_get_a_plan(
    client: httpx.Client,
) -> None:
    r = post(client, "/onboarding", safety_answers(locking="yes"))  # no profile yet
    assert "See a physiotherapist or doctor" in r.text or r.status_code == 200

    onboard(client)  # the visitor starts again and answers every question "no"

    assert plan_is_held(client)
    assert client.get("/api/referral").json()["pending"][0]["flag"] == "locking"


def test_a_swelling_check_in_hold_survives_a_new_onboarding(client: httpx.Client) -> None:
    onboard(client)
    post(client, "/checkin", {"morning_pain": "3", "swelling": "yes"}, page="/today")
    assert plan_is_held(client)

    onboard(client)

    assert plan_is_held(client)
    assert client.get("/api/today").json()["sessions"] == []


def test_web_clearance_lifts_the_hold(client: httpx.Client) -> None:
    onboard(client)
    post(client, "/checkin", {"morning_pain": "3", "swelling": "yes"}, page="/today")
    page = client.get("/referral")
    assert problems(page.text) == []
    assert "Record a clinician's clearance" in page.text
    assert client.get("/api/referral").json()["pending"][0]["flag"] == "swelling"

    r = post(
        client,
        "/clearance",
        {
            "clinician": "Ana Ruiz",
            "profession": "physiotherapist",
            "cleared_on": TODAY,
            "flags": ["swelling"],
            "note": "Effusion settled.",
        },
        page="/referral",
    )

    assert r.status_code == 303
    assert not plan_is_held(client)
    assert client.get("/api/today").json()["sessions"]
    assert client.get("/api/referral").json()["pending"] == []


def test_a_clearance_covers_only_the_flags_ticked(client: httpx.Client) -> None:
    onboard(client)
    post(client, "/onboarding", safety_answers(swelling="yes", locking="yes"))
    form = {"clinician": "Ana Ruiz", "profession": "physiotherapist", "flags": ["swelling"]}
    post(client, "/clearance", form, page="/referral")
    assert [p["flag"] for p in client.get("/api/referral").json()["pending"]] == ["locking"]
    assert plan_is_held(client)


def test_a_clearance_without_a_name_is_refused_with_the_reason(client: httpx.Client) -> None:
    onboard(client)
    post(client, "/onboarding", safety_answers(locking="yes"))
    form = {"clinician": " ", "profession": "doctor", "cleared_on": TODAY, "flags": ["locking"]}
    r = post(client, "/clearance", form, page="/referral")
    assert r.status_code == 422
    assert re.search(r'id="clinician-error"[^>]*>.*give the name of the clinician', r.text)
    assert 'value="doctor"' in r.text  # what was typed is kept
    assert plan_is_held(client)


def test_a_clearance_dated_in_the_future_is_refused(client: httpx.Client) -> None:
    onboard(client)
    post(client, "/onboarding", safety_answers(locking="yes"))
    form = {"clinician": "Dr Okafor", "profession": "doctor", "cleared_on": "2026-12-08"}
    r = post(client, "/clearance", {**form, "flags": ["locking"]}, page="/referral")
    assert r.status_code == 422
    assert "in the future" in r.text
    csrf = {"X-CSRF-Token": token(client.get("/referral").text)}
    r = client.post(
        "/api/clearance",
        json={**form, "flags": ["locking"], "clinician": ""},
        headers=csrf,
    )
    assert r.status_code == 422
    assert "clinician" in r.json()["error"]
    assert plan_is_held(client)


def test_pain_away_from_the_kneecap_is_labelled_general_knee_care(client: httpx.Client) -> None:
    r = post(client, "/onboarding", safety_answers())
    r = post(client, "/onboarding", knee_answers(carried(r.text), location="outer_knee"))
    week = {"step": "week", "answers": carried(r.text), "days": ["mon", "wed"]}
    r = post(client, "/onboarding", {**week, "minutes_per_session": "30", "start_date": TODAY})
    assert r.status_code == 303
    assert client.get("/api/today").json()["scope"] == "general_knee_care"
    assert client.get("/api/plan").json()["scope"] == "general_knee_care"
    for path in ("/today", "/plan"):
        page = client.get(path).text
        assert "General knee care, not a runner's knee programme" in page
        assert "iliotibial band syndrome" in page


def test_the_pain_inputs_start_unset(client: httpx.Client) -> None:
    onboard(client)
    page = client.get("/today").text
    assert re.search(r'<input id="morning_pain"[^>]*required', page)
    assert not re.search(r'<input id="morning_pain"[^>]*value=', page)
    pains = re.findall(r'<input id="pain_\d+_\d+"[^>]*>', page)
    assert pains
    assert all('value=""' in p for p in pains)


def test_a_session_with_a_pain_left_unset_is_not_saved_and_the_page_says_which(
    client: httpx.Client,
) -> None:
    onboard(client)
    form = {"date": TODAY, "items": "2", "session": "0"}
    form |= {"exercise_0": "glute-bridge", "done_0": "yes", "pain_0": "2", "sharp_0": "yes"}
    form |= {"exercise_1": "clamshell", "done_1": "yes", "pain_after": "3"}
    r = post(client, "/sessions", form, page="/today")
    assert r.status_code == 422
    assert "Pain during is missing for Clamshell" in r.text
    assert (
        'name="pain_0" type="number" min="0" max="10" step="1" inputmode="numeric" value="2"'
        in r.text
    )
    assert re.search(r'id="sharp_0_0"[^>]*checked', r.text)
    assert (
        'name="pain_after" type="number" min="0" max="10" inputmode="numeric" value="3"' in r.text
    )
    assert problems(r.text) == []
    assert client.get("/api/today").json()["logged_sessions"] == 0


def test_the_onboarding_twin_lists_every_safety_question(client: httpx.Client) -> None:
    options = client.get("/api/onboarding").json()["options"]
    assert set(options["flags"]) == set(RED_FLAG_QUESTIONS)
    assert set(options["ottawa"]) == set(OTTAWA_QUESTIONS)
    assert set(options["adolescent"]) == set(ADOLESCENT_QUESTIONS)
    assert "around_kneecap" in options["locations"]
