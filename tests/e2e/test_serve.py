"""`kneecap serve`: loopback by default, a warning for any other address, and it really serves."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from kneecap.web.hosts import is_loopback
from tests.e2e.conftest import free_port


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
    ],
)
def test_only_loopback_addresses_count_as_private(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_beyond_this_computer_refuses_to_start_without_an_account(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(tmp_path), "KNEECAP_TODAY": "2026-12-07"}
    env.pop("KNEECAP_DB", None)
    done = subprocess.run(
        [str(exe), "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "needs logins, and there is no account yet" in done.stderr
    assert "kneecap users add" in done.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_serve_prints_its_address_and_asks_for_logins_off_loopback(
    tmp_path: Path, host: str
) -> None:
    port = free_port()
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(tmp_path), "KNEECAP_TODAY": "2026-12-07"}
    env.pop("KNEECAP_DB", None)
    if host != "127.0.0.1":
        subprocess.run(
            [str(exe), "users", "add", "me@example.com", "--role", "runner", "--password-stdin"],
            input="a long passphrase\n",
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", host, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/onboarding", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        if host == "127.0.0.1":
            assert r.status_code == 200
            assert "Getting started" in r.text
        else:  # every page needs a login
            assert r.status_code == 303
            assert r.headers["location"] == "/login?next=/onboarding"
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"http://{host}:{port}/" in out
    assert ("every page needs a login" in err.lower()) is (host != "127.0.0.1")
