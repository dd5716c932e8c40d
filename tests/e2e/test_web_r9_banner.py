"""R9's banner over HTTP and in the terminal: the pain the runner gave, the physio-style
exercises this week's plan holds, and the same words on both faces."""

from __future__ import annotations

import html
import re

import httpx

from tests.conftest import Cli
from tests.e2e.conftest import Server
from tests.e2e.pages import problems
from tests.e2e.test_web_http import carried, knee_answers, post, safety_answers


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_r9_banner_is_true_of_this_weeks_plan_on_both_faces(
    server: Server, client: httpx.Client
) -> None:
    from tests.e2e.conftest import TODAY

    r = post(client, "/onboarding", safety_answers())
    r = post(client, "/onboarding", knee_answers(carried(r.text), worst_last_week="5"))
    form: dict[str, object] = {
        "step": "week",
        "answers": carried(r.text),
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "minutes_per_session": "40",
        "equipment": ["mat", "band", "foam_roller", "chair", "step", "wall"],
        "cross_training": ["swimming"],
        "start_date": TODAY,
    }
    post(client, "/onboarding", form)
    (reason,) = [
        x for x in client.get("/api/today").json()["referral"]["reasons"] if x["rule"] == "R9"
    ]
    text = reason["text"]
    assert text.startswith("You told us your worst pain was 5/10")
    assert "(low step-ups, chair squats, mobility drills)" not in text
    week = client.get("/api/plan").json()
    used = {i["exercise"] for d in week["days"] for s in d["sessions"] for i in s["items"]}
    for exercise, name in [
        ("low-step-up", "low step-up"),
        ("chair-squat", "chair squat"),
        ("mobility-drills", "mobility drills"),
    ]:
        assert (name in text) == (exercise in used)
    page = client.get("/today")
    assert problems(page.text) == []
    assert text in words(page.text)
    assert text in words(client.get("/plan").text)
    shown = Cli(server.home)("plan").out  # the terminal shows the advice with the week
    assert text in " ".join(shown.replace("│", " ").split())
