"""The Runs pages over HTTP and in a real browser: uploading activity files (good, repeated,
broken, hostile), the list, one run's page with its elevation profile and route map, the JSON
twins, CSRF and unknown ids."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from kneecap.app.clock import Clock
from kneecap.core.activity import Sport
from kneecap.core.analysis import summarise
from kneecap.render import run_charts
from kneecap.settings import Settings
from kneecap.store.repository import Store
from kneecap.web import runs
from tests.activities import gpx_run, synthetic_run
from tests.conftest import CORPUS
from tests.e2e.conftest import Server, shot
from tests.e2e.pages import problems
from tests.e2e.test_web_http import onboard, token

START = dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)
HILLY = gpx_run(START, km=5, climb_then_descend_m=80)
FLAT = gpx_run(START + dt.timedelta(days=1), km=3)
DOWNHILL = "Downhill, steeper than \u22123%"
Files = list[tuple[str, bytes]]


def upload(
    client: httpx.Client, files: Files, api: bool = False, csrf: bool = True
) -> httpx.Response:
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    secret = token(client.get("/runs").text)
    if api:
        headers = {"X-CSRF-Token": secret} if csrf else {}
        return client.post("/api/runs", files=parts, headers=headers)
    return client.post("/runs", files=parts, data={"csrf": secret} if csrf else {})


def stored(client: httpx.Client) -> list[dict[str, Any]]:
    runs_: list[dict[str, Any]] = client.get("/api/runs").json()["runs"]
    return runs_


@pytest.fixture
def runner(client: httpx.Client) -> httpx.Client:
    onboard(client)
    return client


def test_an_uploaded_run_is_listed_and_has_its_page(runner: httpx.Client) -> None:
    r = upload(runner, [("hill.gpx", HILLY)])
    assert r.status_code == 200, r.text
    assert "hill.gpx</strong>:" in r.text
    assert "imported" in r.text
    assert problems(r.text) == []
    listing = runner.get("/runs").text
    assert problems(listing) == []
    assert "5.00 km" in listing
    [run] = stored(runner)
    assert run["distance_km"] == pytest.approx(5.0, abs=0.05)
    assert run["file"] == "hill.gpx"
    assert f'href="/runs/{run["id"]}"' in listing
    assert run["downhill_km"] > 1.5  # half the run descends 80 m over 2.5 km: 3.2%

    page = runner.get(f"/runs/{run['id']}").text
    assert problems(page) == []
    assert page.count('role="img"') == 4  # each drawing for a phone and for wider screens
    assert '<title id="profile-title">Elevation profile</title>' in page
    assert '<title id="route-title">Route map</title>' in page
    assert page.count("<desc id=") == 4
    assert DOWNHILL in page
    assert "Level or uphill" in page
    profile_n, profile_svg, route_n, route_svg = re.findall(r"<svg.*?</svg>", page, re.S)
    for svg in (profile_n, profile_svg, route_n, route_svg):
        assert f'stroke="{run_charts.DOWNHILL_COLOUR}"' in svg
        assert f'stroke="{run_charts.LEVEL_COLOUR}"' in svg
    assert "<title>Start</title>" in route_svg
    assert "<title>Finish</title>" in route_svg
    assert "http" not in route_svg.replace('xmlns="http://www.w3.org/2000/svg"', "")

    twin = runner.get(f"/api/runs/{run['id']}").json()
    assert twin["run"] == run
    assert twin["steepest"], "the descent is listed"
    for figure in twin["figures"]:
        assert html.escape(figure["value"]) in page
    assert twin["profile_svg"] == profile_n + profile_svg
    assert twin["route_svg"] == route_n + route_svg
    assert runner.get("/api/runs").json()["count"] == 1


def test_the_same_file_twice_is_already_known(runner: httpx.Client) -> None:
    assert upload(runner, [("hill.gpx", HILLY)]).status_code == 200
    r = upload(runner, [("hill-again.gpx", HILLY)])
    assert r.status_code == 200
    assert "already known" in r.text
    answer = upload(runner, [("third.gpx", HILLY)], api=True).json()
    assert (answer["imported"], answer["duplicates"], answer["failed"]) == (0, 1, [])
    assert answer["files"][0]["outcome"] == "known"
    assert len(stored(runner)) == 1


def test_a_broken_file_is_named_and_the_good_ones_are_stored(runner: httpx.Client) -> None:
    r = upload(runner, [("good.gpx", FLAT), ("broken.gpx", b"<gpx><trk><trkseg><trkpt")])
    assert r.status_code == 200
    assert problems(r.text) == []
    item = re.search(r"<strong>broken.gpx</strong>:.*?</li>\s*</ul>", r.text, re.S)
    assert item
    assert "failed" in item.group(0)
    assert [x["file"] for x in stored(runner)] == ["good.gpx"]
    answer = upload(runner, [("broken.gpx", b"\x00\x01garbage")], api=True)
    assert answer.status_code == 422
    [failure] = answer.json()["failed"]
    assert failure["file"] == "broken.gpx"
    assert failure["error"]


def test_a_file_that_is_not_an_activity_is_refused_with_a_reason(runner: httpx.Client) -> None:
    r = upload(runner, [("notes.txt", b"ran 5k today, knee ok")])
    assert r.status_code == 422
    assert "notes.txt</strong>:" in r.text
    assert "not an activity file" in r.text
    assert stored(runner) == []


def test_a_zip_bomb_is_refused_and_nothing_is_stored(runner: httpx.Client) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z, z.open("bomb.gpx", "w") as e:
        zeros = bytes(1024 * 1024)
        for _ in range(200):
            e.write(zeros)
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024
    r = upload(runner, [("bomb.zip", bomb), ("good.gpx", FLAT)])
    assert r.status_code == 200
    item = re.search(r"<strong>bomb.zip</strong>:.*?</li>\s*</ul>", r.text, re.S)
    assert item, r.text
    assert "bomb.gpx" in item.group(0)
    assert "zip bomb" in item.group(0) or "decompresses to more than" in item.group(0)
    assert [x["file"] for x in stored(runner)] == ["good.gpx"]
    answer = upload(runner, [("bomb.zip", bomb)], api=True)
    assert answer.status_code == 422
    assert answer.json()["failed"][0]["file"] == "bomb.zip:bomb.gpx"


def test_file_names_lose_their_path_parts(runner: httpx.Client) -> None:
    r = upload(runner, [("../../etc/evil.gpx", FLAT), ("..\\..\\x\\other.gpx", HILLY)])
    assert r.status_code == 200
    assert "evil.gpx</strong>:" in r.text
    assert "other.gpx</strong>:" in r.text
    assert "../" not in r.text
    assert "..\\" not in r.text
    assert sorted(x["file"] for x in stored(runner)) == ["evil.gpx", "other.gpx"]


def test_names_are_escaped(runner: httpx.Client) -> None:
    r = upload(runner, [("<img src=x onerror=alert(1)>.gpx", FLAT)])
    assert "<img src=x" not in r.text
    assert "&lt;img src=x onerror=alert(1)&gt;.gpx" in r.text
    assert problems(runner.get("/runs").text) == []


def test_an_upload_without_files_or_too_large_is_refused(
    runner: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = token(runner.get("/runs").text)
    r = runner.post("/runs", data={"csrf": secret}, files=[("files", ("", b"", "text/plain"))])
    assert r.status_code == 400
    assert "choose one or more activity files" in r.text
    monkeypatch.setattr(runs, "MAX_UPLOAD_BYTES", 20_000)
    r = upload(runner, [("a.gpx", FLAT), ("b.gpx", HILLY)])
    assert r.status_code == 413
    assert "larger than" in r.text
    assert stored(runner) == []


def test_a_missing_csrf_token_is_refused(runner: httpx.Client) -> None:
    assert upload(runner, [("hill.gpx", HILLY)], csrf=False).status_code == 403
    r = upload(runner, [("hill.gpx", HILLY)], api=True, csrf=False)
    assert r.status_code == 403
    assert "security" in r.json()["error"]
    assert stored(runner) == []


def test_an_unknown_run_is_not_found(runner: httpx.Client) -> None:
    for path in ("/runs/999", "/api/runs/999", "/runs/abc", "/api/runs/99999999999999999999"):
        r = runner.get(path)
        assert r.status_code == 404, path
    assert "no run with id" in runner.get("/runs/999").text
    assert runner.get("/api/runs/999").json()["error"] == "no run with id '999'"


def test_runs_need_a_profile_first(client: httpx.Client) -> None:
    assert client.get("/runs", follow_redirects=False).headers["location"] == "/onboarding"
    assert client.get("/api/runs").status_code == 404


def test_a_treadmill_run_has_no_route(runner: httpx.Client, server: Server) -> None:
    settings = Settings.resolve(server.home, None)
    store = Store.open(settings.db_url)
    try:
        a = synthetic_run(seconds=1200, sport=Sport.RUNNING)
        n = a.points
        indoor = type(a)(
            **{
                **{k: getattr(a, k) for k in a.__dataclass_fields__},
                "lat": np.full(n, np.nan),
                "lon": np.full(n, np.nan),
                "altitude_m": np.full(n, np.nan),
                "speed_mps": np.full(n, 3.0),
                "sub_sport": "treadmill",
                "source": "fit",
            }
        )
        now = Clock.from_env().now()
        with store.transaction(store.person_id(settings.user, now)) as w:
            w.add_activities(
                "belt.fit", "0" * 64, [(indoor, summarise(indoor), a.start.date())], now
            )
    finally:
        store.close()
    [run] = stored(runner)
    page = runner.get(f"/runs/{run['id']}").text
    assert problems(page) == []
    assert "No route: a treadmill run has no GPS positions." in page
    assert "No elevation profile" in page
    assert "<svg" not in page
    assert "(treadmill)" in runner.get("/runs").text


# --- In a browser ----------------------------------------------------------------------------

CORPUS_RUN = CORPUS / "sports-lib__6909950168.fit"


def new_page(browser: Any, server: Server, width: int = 1000, script: bool = True) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=script
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


@pytest.fixture
def corpus_run() -> Path:
    if not CORPUS_RUN.is_file():
        pytest.skip(f"activity corpus not found at {CORPUS} (set KNEECAP_CORPUS to its folder)")
    return CORPUS_RUN


def test_a_runner_uploads_a_watch_file_and_sees_the_run(
    browser: Any, server: Server, runner: httpx.Client, corpus_run: Path
) -> None:
    page = new_page(browser, server)
    page.goto(server.url + "/runs")
    page.get_by_label("Activity files from your watch or app").set_input_files(str(corpus_run))
    page.get_by_role("button", name="Upload").click()
    page.locator("form[data-done=yes]").wait_for()
    assert "imported" in page.locator(".progress-list").inner_text()
    link = page.locator("#runs-list table a").first
    link.wait_for()
    shot(page, "runs-list")
    link.click()
    page.wait_for_url(re.compile(r"/runs/\d+$"))
    profile = page.get_by_role("img", name="Elevation profile")
    route = page.get_by_role("img", name="Route map")
    assert profile.is_visible()
    assert route.is_visible()
    assert route.bounding_box()["height"] > 150
    assert page.locator(".legend").inner_text().count("\n") >= 1
    shot(page, "run-page")
    run_url = page.url
    phone = new_page(browser, server, width=360)
    for path, name in ((run_url, "phone-run-page"), (server.url + "/runs", "phone-runs")):
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways ({width} px)"
        shot(phone, name)


def test_the_upload_works_without_javascript(
    browser: Any, server: Server, runner: httpx.Client, tmp_path: Path
) -> None:
    files = [tmp_path / "hill.gpx", tmp_path / "notes.txt"]
    files[0].write_bytes(HILLY)
    files[1].write_text("not a run")
    page = new_page(browser, server, script=False)
    page.goto(server.url + "/runs")
    page.get_by_label("Activity files from your watch or app").set_input_files(
        [str(f) for f in files]
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Upload results").wait_for()
    results = page.locator(".results").inner_text()
    assert "hill.gpx: imported" in results
    assert "notes.txt: failed" in results
    assert "not an activity file" in results
    assert page.locator("#runs-list table tbody tr").count() == 1
    shot(page, "runs-upload-results")
    page.locator("#runs-list table a").first.click()
    page.get_by_role("img", name="Route map").wait_for()
    assert page.locator("svg.route polyline[stroke='#c0562f']").count() >= 1
    shot(page, "run-page-hill")


def test_the_weekly_chart_is_left_out_when_no_week_shown_has_running(
    runner: httpx.Client, server: Server
) -> None:
    upload(runner, [("hill.gpx", HILLY)])
    server.set_today((START + dt.timedelta(days=2)).date().isoformat())
    assert 'data-chart="weeks"' in runner.get("/runs").text
    server.set_today((START + dt.timedelta(weeks=30)).date().isoformat())
    later = runner.get("/runs").text
    assert 'data-chart="weeks"' not in later  # twelve empty weeks say nothing
    assert "No running in the last 12 weeks" in later
    assert problems(later) == []
