"""A real Kneecap server on loopback (uvicorn in a thread) with a fresh SQLite file per test
(a copy of the session's migrated template: the migrations themselves are tested in
tests/integration/test_db_upgrade.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import shutil
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from kneecap.app.clock import Clock
from kneecap.settings import DB_FILE, Settings
from kneecap.web.app import Context, create_app

TODAY = "2026-12-07"


@dataclass
class Server:
    url: str
    home: Path
    app: Any = None

    def set_today(self, day: str) -> None:
        """Move the server's clock to `day`. The clock is read once when the app is made, as
        in production; a test that lives through several days sets it here."""
        context = self.app.state.ctx
        clock = Clock(dt.date.fromisoformat(day))
        self.app.state.ctx = Context(dataclasses.replace(context.home, clock=clock))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Server(uvicorn.Server):
    """uvicorn's server, looking for the request to stop every 10 ms rather than every 100 (a
    test stops hundreds of servers)."""

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            await asyncio.sleep(0.01)
            counter = (counter + 1) % 10  # on_tick renews the Date header at 0: every 100 ms


# Servers told to stop, finishing in their threads while the next tests run (uvicorn waits
# 100 ms for the connections it closes); a few at most, all joined at the end.
_STOPPING: list[threading.Thread] = []


def _stopped(keep: int = 0) -> None:
    while len(_STOPPING) > keep:
        _STOPPING.pop(0).join(timeout=10)


@pytest.fixture(scope="session", autouse=True)
def _servers_stop_at_the_end() -> Iterator[None]:
    yield
    _stopped()


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` served by uvicorn in a thread on a free loopback port: its address, until the
    block ends (then told to stop)."""
    _stopped(keep=4)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    running = _Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        _STOPPING.append(thread)


@pytest.fixture
def server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path
) -> Iterator[Server]:
    monkeypatch.setenv("KNEECAP_TODAY", TODAY)
    home = tmp_path / "home"
    home.mkdir(mode=0o700)  # as the app makes it; the app narrows the copied file to 0600
    shutil.copyfile(sqlite_template, home / DB_FILE)
    app = create_app(Settings.resolve(home, None))
    with serving(app) as url:
        yield Server(url, home, app)


# The servers speak plain HTTP on loopback; a client would otherwise build a TLS context of
# its own each time (tens of milliseconds, hundreds of clients).
TLS = ssl.create_default_context()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, follow_redirects=True, timeout=30, verify=TLS) as c:
        yield c


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives the browser is marked `browser`, so the group can be run or left
    out as one (`pytest -m browser`, `pytest -m "not browser"`)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (never a downloaded browser), for one test module
    (Playwright's synchronous API keeps an event loop running in the thread while it is open,
    where other tests run their own)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt-get)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The browser for one test: every context it opened (its pages, cookies, storage and
    service workers) is closed when the test ends."""
    yield chromium
    for context in chromium.contexts:
        context.close()


def shot(page: Any, name: str, full_page: bool = True) -> None:
    """A screenshot in test-artifacts/ (look at them): the full page, or with `full_page=False`
    the screen as the runner sees it (a player's state)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
