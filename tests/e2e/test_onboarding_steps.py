"""Going through the onboarding's steps: which knee is never assumed, problems named by the
question as asked, Back between steps keeping the answers (no script needed), and a reload of a
later step (a GET) coming back to it with the answers, or saying plainly that they were lost."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from kneecap.web.onboarding import RESUME_COOKIE
from tests.e2e.conftest import Server, shot
from tests.e2e.test_browser import safety_check
from tests.e2e.test_web_http import carried, knee_answers, post, safety_answers

PHONE = {"width": 390, "height": 844}


def selected_side(page: str) -> list[str]:
    select = page.split('id="affected_side"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)" selected', select)


def test_which_knee_is_not_chosen_for_the_runner(client: httpx.Client) -> None:
    r = post(client, "/onboarding", safety_answers())
    assert "Which knee hurts?" in r.text
    assert selected_side(r.text) == [""]  # "Choose one", not "left"
    answers = knee_answers(carried(r.text))
    del answers["affected_side"]
    r = post(client, "/onboarding", answers)
    assert r.status_code == 422
    assert re.search(r'id="affected_side-error"[^>]*>.*choose left, right or both', r.text)
    assert 'id="affected_side" name="affected_side" required aria-invalid="true"' in r.text
    assert "step 2 of 3" in r.text
    answers["affected_side"] = "right"
    r = post(client, "/onboarding", answers)
    assert "step 3 of 3" in r.text


def test_problems_are_named_by_the_question_as_asked(client: httpx.Client) -> None:
    answers = safety_answers()
    del answers["swelling"]
    r = post(client, "/onboarding", answers)
    assert r.status_code == 422
    problems = html.unescape(r.text.split('id="problems"')[1].split("</ul>")[0])
    assert "Is the knee visibly swollen</a>: answer yes or no" in problems
    assert ">swelling<" not in problems
    r = post(client, "/onboarding", safety_answers(age="7"))
    problems = html.unescape(r.text.split('id="problems"')[1].split("</ul>")[0])
    assert "How old are you (years)</a>: give your age in years, from 10 to 100" in problems


def test_back_goes_to_the_step_before_with_every_answer_kept(client: httpx.Client) -> None:
    r = post(client, "/onboarding", safety_answers(age="41"))
    assert "step 1 of" not in r.text
    assert 'name="back"' in r.text  # a Back button from step 2
    typed = knee_answers(carried(r.text), affected_side="both", worst_last_week="4")
    del typed["sharp"]  # not answered yet: Back does not ask for it
    r = post(client, "/onboarding", {**typed, "back": "1"})
    assert r.status_code == 200
    assert "step 1 of 3" in r.text
    assert 'name="back"' not in r.text  # nothing before step 1
    assert re.search(r'id="age_years"[^>]*value="41"', r.text)
    assert 'id="swelling_no" name="swelling" type="radio" value="no" checked' in r.text
    r = post(client, "/onboarding", {**safety_answers(age="41"), "answers": carried(r.text)})
    assert "step 2 of 3" in r.text
    assert selected_side(r.text) == ["both"]  # the knee step as it was left
    assert re.search(r'id="worst_last_week"[^>]*value="4"', r.text)
    assert not re.search(r'id="sharp_(yes|no)"[^>]*checked', r.text)  # still unanswered
    r = post(client, "/onboarding", knee_answers(carried(r.text), affected_side="both"))
    assert "step 3 of 3" in r.text
    r = post(client, "/onboarding", {"step": "week", "answers": carried(r.text), "back": "1"})
    assert "step 2 of 3" in r.text  # from the week to the knee
    assert selected_side(r.text) == ["both"]


def test_a_reload_of_a_later_step_comes_back_to_it(client: httpx.Client) -> None:
    r = post(client, "/onboarding", safety_answers(age="52"))
    r = post(client, "/onboarding", knee_answers(carried(r.text), affected_side="left"))
    assert "step 3 of 3" in r.text
    again = client.get("/onboarding")  # the address bar, a reload after the browser's warning
    assert "step 3 of 3" in again.text
    assert "Your answers so far were kept" in again.text
    assert '"affected_side": "left"' in carried(again.text)
    assert '"age_years": 52' in carried(again.text)
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Path=/onboarding" in cookie


def test_answers_that_cannot_be_kept_are_said_to_be_lost(client: httpx.Client) -> None:
    post(client, "/onboarding", safety_answers())
    kept = client.cookies.get(RESUME_COOKIE)
    assert kept
    client.cookies.delete(RESUME_COOKIE)
    client.cookies.set(RESUME_COOKIE, kept[:-6] + "AAAAAA", path="/onboarding")  # tampered
    again = client.get("/onboarding")
    assert "step 1 of" in again.text
    assert "Your answers were not kept: start again." in again.text
    assert carried(again.text) == "{}"


def test_the_kept_answers_go_once_the_plan_is_made(client: httpx.Client) -> None:
    r = post(client, "/onboarding", safety_answers())
    r = post(client, "/onboarding", knee_answers(carried(r.text)))
    week = {
        "step": "week",
        "answers": carried(r.text),
        "days": ["mon"],
        "minutes_per_session": "30",
    }
    r = post(client, "/onboarding", week)
    assert r.status_code == 303
    assert RESUME_COOKIE not in client.cookies
    fresh = client.get("/onboarding").text  # starting again: nothing carried, nothing said
    assert "step 1 of" in fresh
    assert "kept" not in fresh


def test_back_and_a_reload_on_a_phone(browser: Any, server: Server) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(server.url + "/onboarding")
    safety_check(page)
    assert "step 2 of 3" in page.inner_text("h1")
    page.get_by_label("Which knee hurts?").select_option("right")
    page.get_by_label("Worst pain in the last week").fill("5")
    back = page.get_by_role("button", name="Back")
    box = back.bounding_box()
    assert box
    assert box["x"] + box["width"] <= PHONE["width"]
    shot(page, "onboarding-back")
    back.click()
    assert "step 1 of 3" in page.inner_text("h1")
    assert page.get_by_label("How old are you").input_value() == "34"
    page.get_by_role("button", name="Next").click()
    page.wait_for_selector("h1:has-text('step 2 of 3')")  # the step's answer, and its cookie
    assert page.get_by_label("Which knee hurts?").input_value() == "right"
    assert page.get_by_label("Worst pain in the last week").input_value() == "5"
    page.goto(server.url + "/onboarding")  # come back to the address
    assert "step 2 of 3" in page.inner_text("h1")
    assert page.get_by_label("Which knee hurts?").input_value() == "right"
    shot(page, "onboarding-kept")
    page.get_by_label("around or behind the kneecap").check()
    page.locator("#at_rest_no").check()
    page.locator("#sharp_no").check()
    page.get_by_role("button", name="Next").click()
    assert "step 3 of 3" in page.inner_text("h1")
    page.get_by_role("button", name="Make my plan").click()
    assert page.url.endswith("/today")


def test_opening_the_page_leaves_the_kept_answers_alone(client: httpx.Client) -> None:
    # The service worker fetches pages in the background (Today sends a new runner here): a
    # late answer to such a GET must not delete or roll back answers sent in the meantime.
    fresh = client.get("/onboarding")
    assert RESUME_COOKIE not in str(fresh.headers.get_list("set-cookie"))
    r = post(client, "/onboarding", safety_answers())
    kept = client.cookies.get(RESUME_COOKIE)
    again = client.get("/onboarding")
    assert "step 2 of 3" in again.text
    assert RESUME_COOKIE not in str(again.headers.get_list("set-cookie"))
    assert client.cookies.get(RESUME_COOKIE) == kept
    assert r.status_code == 200
