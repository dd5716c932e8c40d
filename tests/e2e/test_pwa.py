"""Kneecap on the phone: installable (manifest, icons, service worker), Today, the plan and the
exercises offline, forms saved offline and sent once when back online, and `serve --tls`."""

from __future__ import annotations

import datetime as dt
import os
import re
import ssl
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from kneecap.cli import tls
from kneecap.web.pwa import STATIC
from tests.e2e.conftest import TODAY, Server, free_port, shot
from tests.e2e.test_browser import onboard as onboard_in_browser
from tests.e2e.test_web_http import onboard

PHONE = {"width": 390, "height": 844}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# --- installable --------------------------------------------------------------------------------


def test_every_page_links_a_valid_manifest_whose_icons_are_pngs_of_their_size(
    client: httpx.Client,
) -> None:
    onboard(client)
    for path in ("/today", "/plan", "/exercises", "/onboarding"):
        page = client.get(path).text
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page, path
        assert '<meta name="theme-color"' in page
        assert 'rel="apple-touch-icon"' in page
        assert '<script src="/static/pwa.js" defer></script>' in page
    r = client.get("/manifest.webmanifest")
    assert r.headers["content-type"].startswith("application/manifest+json")
    m = r.json()
    assert (m["start_url"], m["display"], m["short_name"]) == ("/today", "standalone", "Kneecap")
    assert m["name"]
    assert m["theme_color"].startswith("#")
    assert m["background_color"].startswith("#")
    sizes = set()
    for icon in m["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200, icon["src"]
        assert got.headers["content-type"] == icon["type"]
        if icon["type"] == "image/png":
            side = int(icon["sizes"].split("x")[0])
            assert png_size(got.content) == (side, side), icon["src"]
            sizes.add((side, icon.get("purpose", "any")))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes
    assert png_size(client.get("/icons/apple-touch-icon.png").content) == (180, 180)
    assert client.get("/icons/nothing.png").status_code == 404


def test_the_service_worker_is_served_at_the_root_with_a_versioned_cache(
    client: httpx.Client,
) -> None:
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert "no-cache" in r.headers["cache-control"]
    assert "__VERSION__" not in r.text
    assert re.search(r'const VERSION = "[0-9a-f]{16}";', r.text)
    assert client.get("/static/outbox.js").status_code == 200


def test_the_service_worker_keeps_every_static_file_the_pages_load(client: httpx.Client) -> None:
    """Each script and style sheet (the guided player's, loaded by app.js, too) is in the
    worker's list, so a page opened offline has all of them, not only those already fetched."""
    kept = set(re.findall(r'"(/static/[^"]+)"', client.get("/sw.js").text.split("const PAGES")[0]))
    files = {f"/static/{f.name}" for f in STATIC.iterdir() if f.name != "sw.js"}
    assert {"/static/player.js", "/static/player.css"} <= files
    assert kept == files
    for url in kept:
        assert client.get(url).status_code == 200, url


def phone(browser: Any, server: Server) -> tuple[Any, Any]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(server.url + "/")
    return context, page


def controlled(page: Any) -> None:
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def kept(page: Any) -> list[str]:
    """What the worker keeps, cache by cache: said when a page was not found offline."""
    found: list[str] = page.evaluate(
        "async () => { const out = []; for (const k of await caches.keys()) {"
        " for (const r of await (await caches.open(k)).keys()) out.push(k + ' ' + r.url); }"
        " return out; }"
    )
    return found


def cached(page: Any, url: str, timeout_s: float = 10) -> None:
    """Wait until the worker keeps `url`. Polled with `evaluate`, which awaits the answer:
    `wait_for_function` takes the promise an async check returns for a yes."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(
        "async (u) => { for (const k of await caches.keys()) {"
        " if (await (await caches.open(k)).match(u)) return true; } return false; }",
        url,
    ):
        assert time.monotonic() < deadline, f"never kept: {url}\n{kept(page)}"
        page.wait_for_timeout(20)


def test_after_one_visit_today_the_plan_and_the_exercises_work_offline(
    browser: Any, server: Server
) -> None:
    context, page = phone(browser, server)
    onboard_in_browser(page)
    page.goto(server.url + "/today")
    controlled(page)
    # Installed, before any page went through the worker: the player's files are kept already
    for url in ("/static/player.js", "/static/player.css", "/run-check"):
        cached(page, server.url + url)
    page.reload()  # the worker now sees the page and keeps it
    exercise = page.locator("a[href^='/exercises/']").first.get_attribute("href")
    figure = page.locator("img[src^='/figures/']").first.get_attribute("src")
    for url in ("/today", "/plan", exercise, figure, "/static/app.js", "/static/app.css"):
        cached(page, server.url + url)

    context.set_offline(True)
    page.goto(server.url + "/today?speed=10")  # a new load offline: player.js from the cache
    assert page.locator("h1").inner_text().startswith("Today")
    assert page.locator("form.session").count() >= 1
    form = page.locator("form.session").first
    form.get_by_role("button", name="Start guided session").click()
    assert "Exercise 1 of" in form.locator(".progress").inner_text()
    assert form.locator(".countdown .step").inner_text() == "Get ready"
    form.locator(".countdown .step", has_text="Walk").wait_for()  # the clock runs offline
    # player.css is applied: the big countdown digits
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.countdown .timer')).fontSize)"
    )
    assert size >= 60
    shot(page, "pwa-today-offline")
    page.goto(server.url + "/plan")
    assert "Your week" in page.inner_text("h1"), kept(page)
    page.goto(server.url + exercise)
    shown = page.locator("img.figure")
    if shown.count():
        page.wait_for_function("document.querySelector('img.figure').naturalWidth > 0")
    shot(page, "pwa-exercise-offline")
    page.goto(server.url + "/learn/outlook")  # never opened: said plainly, not a browser error
    assert "offline" in page.inner_text("main").lower()
    context.set_offline(False)
    context.close()


def logged(server: Server) -> int:
    count: int = httpx.get(server.url + "/api/today", timeout=10).json()["logged_sessions"]
    return count


def test_a_session_saved_offline_is_sent_once_when_back_online(
    browser: Any, server: Server
) -> None:
    context, page = phone(browser, server)
    onboard_in_browser(page)
    page.goto(server.url + "/today")
    controlled(page)
    page.reload()
    cached(page, server.url + "/today")
    assert logged(server) == 0

    context.set_offline(True)
    page.reload()
    form = page.locator("form.session").first
    pains = form.locator("input[type=number][name^=pain_]:not([name=pain_after])")
    for n in range(pains.count()):
        pains.nth(n).fill("1")
    form.get_by_role("button", name="Save session").click()
    page.get_by_text("Saved on this phone; it will be sent when you are back online.").wait_for()
    shot(page, "pwa-saved-offline")
    waiting = page.evaluate("KneecapOutbox.all()")
    assert len(waiting) == 1
    assert waiting[0]["url"] == "/sessions"
    assert "token" in dict(waiting[0]["fields"])
    assert logged(server) == 0

    context.set_offline(False)  # Background Sync, or the page's "online" event, sends it
    page.get_by_text("Sent 1 form saved on this phone").wait_for()
    assert page.evaluate("KneecapOutbox.all().then((e) => e.length)") == 0
    assert logged(server) == 1
    page.goto(server.url + "/today")
    assert "Logged today: 1 session" in page.inner_text("main")

    # The same form sent again (an answer lost on the way): the server keeps it once.
    sent = page.evaluate(
        """(fields) => KneecapOutbox.add('/sessions', fields)
          .then(() => KneecapOutbox.add('/sessions', fields))
          .then(() => KneecapOutbox.flush(null))""",
        waiting[0]["fields"],
    )
    assert sent["sent"] == 2  # both answered with success...
    assert page.evaluate("KneecapOutbox.all().then((e) => e.length)") == 0
    assert logged(server) == 1  # ...and stored nothing
    context.close()


def test_a_check_in_saved_offline_without_a_service_worker_is_sent_when_back_online(
    browser: Any, server: Server
) -> None:
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # the phone's date is the server's today: the queue records the check-in for that morning
    page.clock.set_fixed_time(dt.datetime.fromisoformat(f"{TODAY}T08:00:00"))
    page.goto(server.url + "/")
    onboard_in_browser(page)
    page.goto(server.url + "/today")
    context.set_offline(True)
    page.get_by_label("Knee pain this morning").fill("2")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Saved on this phone; it will be sent when you are back online.").wait_for()
    assert httpx.get(server.url + "/api/today").json()["checkin_due"] is True
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_text("Sent 1 form saved on this phone").wait_for()
    assert httpx.get(server.url + "/api/today").json()["checkin_due"] is False
    context.close()


# --- secure context -----------------------------------------------------------------------------


def test_serve_tls_makes_a_certificate_prints_its_fingerprint_and_serves_https(
    tmp_path: Path,
) -> None:
    port = free_port()
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(tmp_path), "KNEECAP_TODAY": TODAY}
    env.pop("KNEECAP_DB", None)
    proc = subprocess.Popen(
        [str(exe), "serve", "--tls", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    authority = tmp_path / tls.AUTHORITY_FILE
    try:
        deadline = time.monotonic() + 60  # the certificate is made first
        while True:
            try:
                trust = ssl.create_default_context(cafile=str(authority))
                r = httpx.get(f"https://127.0.0.1:{port}/onboarding", verify=trust, timeout=2)
                break
            except (httpx.TransportError, FileNotFoundError, ssl.SSLError):
                assert time.monotonic() < deadline, "the server did not start"
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        assert r.status_code == 200
        assert "Getting started" in r.text
        assert httpx.get(f"https://localhost:{port}/sw.js", verify=trust).status_code == 200
        with pytest.raises(httpx.ConnectError):  # not trusted unless compared and accepted
            httpx.get(f"https://127.0.0.1:{port}/", timeout=5)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"https://127.0.0.1:{port}/" in out
    printed = re.search(r"fingerprint: ([0-9A-F:]{95})", out)
    assert printed, out
    assert printed.group(1) == tls.fingerprint(authority.read_bytes())
    server = re.search(r"server's certificate: ([0-9A-F:]{95})", out)
    assert server, out
    assert server.group(1) == tls.fingerprint((tmp_path / tls.CERT_FILE).read_bytes())
    assert "A new certificate authority was made" in err
    assert "A new certificate was made" in err
    assert (tmp_path / tls.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert (tmp_path / tls.AUTHORITY_KEY_FILE).stat().st_mode & 0o777 == 0o600
    # Kept: a second start serves the same certificate.
    again = tls.ensure(tmp_path, "127.0.0.1", dt.datetime.now(dt.UTC))
    assert (again.made, again.authority_made, again.fingerprint) == (False, False, printed.group(1))
