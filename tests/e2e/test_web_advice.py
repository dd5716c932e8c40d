"""R9's routine advice (moderate-to-severe pain: a physiotherapist should guide the programme)
shows on the Today and Plan pages, as the terminal shows it with `kneecap today` and `plan`."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import TODAY
from tests.e2e.pages import problems
from tests.e2e.test_web_http import carried, knee_answers, post, safety_answers


def onboard_with_pain(client: httpx.Client, worst: str) -> None:
    r = post(client, "/onboarding", safety_answers())
    r = post(client, "/onboarding", knee_answers(carried(r.text), worst_last_week=worst))
    week = {
        "step": "week",
        "answers": carried(r.text),
        "days": ["mon", "wed", "fri"],
        "minutes_per_session": "30",
        "start_date": TODAY,
    }
    assert post(client, "/onboarding", week).status_code == 303


def test_moderate_pain_brings_the_physiotherapist_advice_to_today_and_plan(
    client: httpx.Client,
) -> None:
    onboard_with_pain(client, "7")
    referral = client.get("/api/today").json()["referral"]
    assert referral["urgency"] == "routine"
    assert any(r["rule"] == "R9" for r in referral["reasons"])
    for path in ("/today", "/plan"):
        page = client.get(path).text
        assert "See a physiotherapist or doctor when you can" in page, path
        assert "Rule R9" in page
        assert problems(page) == []


def test_mild_pain_brings_no_advice(client: httpx.Client) -> None:
    onboard_with_pain(client, "2")
    assert "See a physiotherapist" not in client.get("/today").text
