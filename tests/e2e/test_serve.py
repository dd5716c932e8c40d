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


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_serve_prints_its_address_and_warns_off_loopback(tmp_path: Path, host: str) -> None:
    port = free_port()
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(tmp_path), "KNEECAP_TODAY": "2026-12-07"}
    env.pop("KNEECAP_DB", None)
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
        assert r.status_code == 200
        assert "Getting started" in r.text
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"http://{host}:{port}/" in out
    assert ("accounts arrive with clinic mode" in err.lower()) is (host != "127.0.0.1")
