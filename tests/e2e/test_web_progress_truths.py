"""The Progress page over HTTP, on data logged through the `kneecap` command into the server's
home: repeated holds are one timeline row with a count and dates; extra sessions are counted
apart."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import Cli
from tests.e2e.conftest import Server
from tests.e2e.pages import problems
from tests.integration.test_smaller_truths import HARD, held_for_eight_weeks, iso, log, start


def test_the_decisions_timeline_shows_repeated_holds_once_with_count_and_dates(
    server: Server, client: httpx.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held_for_eight_weeks(Cli(server.home), tmp_path)
    server.set_today(iso(56))
    rows = [d for d in client.get("/api/progress").json()["decisions"] if d["reason"] == HARD]
    assert [(d["count"], d["first"], d["last"], d["date"]) for d in rows] == [
        (28, iso(0), iso(54), iso(54))
    ]
    page = client.get("/progress")
    assert page.status_code == 200
    assert problems(page.text) == []
    assert page.text.count(HARD) == 1
    assert f'<time datetime="{iso(0)}">{iso(0)}</time> to <time datetime="{iso(54)}">' in page.text
    assert "(28 times)" in page.text


def test_the_progress_page_counts_extra_sessions_apart(
    server: Server, client: httpx.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(server.home, today=iso(6))
    start(cli, tmp_path, availability={"days": ["mon", "wed", "fri"], "minutes_per_session": 40})
    bridge = [{"exercise": "glute-bridge", "pain_during": 1}]
    log(cli, tmp_path, [{"date": iso(d), "entries": bridge} for d in (0, 2, 4, 5)], [])
    server.set_today(iso(6))
    (week,) = client.get("/api/progress").json()["weeks"]
    assert (week["planned"], week["done"], week["extra"]) == (3, 3, 1)
    page = client.get("/progress").text
    assert "3/3 (+1 extra)" in page
    assert problems(page) == []


def test_a_swelling_hold_and_its_clearance_are_in_why_the_plan_changed(
    server: Server, client: httpx.Client
) -> None:
    from tests.e2e.conftest import TODAY
    from tests.e2e.test_web_http import onboard, post

    onboard(client)
    post(client, "/checkin", {"morning_pain": "3", "swelling": "yes"}, page="/today")
    form = {
        "clinician": "Ana Ruiz",
        "profession": "physiotherapist",
        "cleared_on": TODAY,
        "flags": ["swelling"],
    }
    assert post(client, "/clearance", form, page="/referral").status_code == 303
    rows = client.get("/api/progress").json()["decisions"]
    kinds = [(d["kind"], d["action"], d["date"]) for d in rows]
    assert kinds[:2] == [("cleared", "cleared", TODAY), ("on_hold", "on_hold", TODAY)]
    assert rows[0]["clinician"] == "Ana Ruiz"
    assert rows[0]["profession"] == "physiotherapist"
    assert rows[1]["rule"] == "RF-URGENT"
    assert rows[1]["flags"] == ["swelling"]
    page = client.get("/progress").text
    assert problems(page) == []
    assert "No changes yet" not in page
    assert "cleared by a clinician" in page
    assert "Ana Ruiz, physiotherapist," in page
    assert "plan on hold" in page
    assert "Warning sign reported: swelling." in page
