"""Logins on a real server in clinic mode: the password, the TOTP code, throttling, the cookie,
logging out, disabling, resetting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyotp
import pytest

from kneecap.app import accounts
from kneecap.app import home as app_home
from kneecap.app.errors import BadInput
from tests.e2e.clinic import PASSWORD, Clinic, start_clinic


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clinic]:
    monkeypatch.setenv("KNEECAP_TODAY", "2026-12-07")
    with start_clinic(None, tmp_path / "home") as found:
        yield found


def test_without_a_login_every_api_route_is_401_and_every_page_goes_to_the_login(
    clinic: Clinic,
) -> None:
    with clinic.client(None) as anonymous:
        for path in (
            "/api/today",
            "/api/plan",
            "/api/progress",
            "/api/runs",
            "/api/clinic/runners",
        ):
            r = anonymous.get(path)
            assert r.status_code == 401, path
            assert r.json()["error"].startswith("log in first")
        for path in ("/", "/today", "/plan", "/settings", "/clinic"):
            r = anonymous.get(path)
            assert r.status_code == 303, path
            assert r.headers["location"].startswith("/login?next=")


def test_a_runner_logs_in_with_a_cookie_that_scripts_cannot_read(clinic: Clinic) -> None:
    with clinic.client(None) as c:
        r = c.post("/api/login", json={"email": clinic.email("runner_a"), "password": PASSWORD})
        assert r.status_code == 200
        assert r.json() == {"stage": "full", "email": "runner.a@example.com", "roles": ["runner"]}
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert "secure" not in cookie  # plain http on loopback; https sets it
        assert c.get("/api/today").status_code in (200, 404)  # 404: no profile yet


def test_a_wrong_password_is_401_and_says_not_which_part_was_wrong(clinic: Clinic) -> None:
    with clinic.client(None) as c:
        wrong = c.post("/api/login", json={"email": clinic.email("runner_a"), "password": "x" * 12})
        nobody = c.post("/api/login", json={"email": "nobody@example.com", "password": PASSWORD})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json()["error"] == nobody.json()["error"] == "wrong email, password or code"


def test_five_failures_lock_the_account_and_the_right_password_does_not_bypass_it(
    clinic: Clinic, caplog: pytest.LogCaptureFixture
) -> None:
    email = clinic.email("runner_b")
    with clinic.client(None) as c:
        codes = [
            c.post("/api/login", json={"email": email, "password": f"wrong-{n}-password"})
            for n in range(5)
        ]
        assert [r.status_code for r in codes] == [401] * 5
        locked = c.post("/api/login", json={"email": email, "password": PASSWORD})
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 30
    assert "wrong-3-password" not in caplog.text  # failures are logged without the password


def test_a_clinician_needs_the_code_and_a_wrong_code_is_refused(clinic: Clinic) -> None:
    email, key = clinic.email("clinician"), clinic.secrets["clinician"]
    with clinic.client(None) as c:
        r = c.post("/api/login", json={"email": email, "password": PASSWORD})
        assert r.json()["stage"] == "totp"
        assert c.get("/api/clinic/runners").status_code == 401  # not yet
        assert c.post("/api/login/code", json={"totp": "000000"}).status_code == 401
        r = c.post("/api/login/code", json={"totp": pyotp.TOTP(key).now()})
        assert r.status_code == 200
        assert r.json()["stage"] == "full"


def test_the_session_id_changes_at_each_step_of_the_login(clinic: Clinic) -> None:
    email, key = clinic.email("clinician"), clinic.secrets["clinician"]
    with clinic.client(None) as c:
        first = c.post("/api/login", json={"email": email, "password": PASSWORD})
        before = first.cookies["kneecap_session"]
        second = c.post("/api/login/code", json={"totp": pyotp.TOTP(key).now()})
        assert second.cookies["kneecap_session"] != before


def test_a_new_clinician_enrols_an_authenticator_and_a_recovery_code_works_once(
    clinic: Clinic,
) -> None:
    with app_home.opened(clinic.settings, clinic.settings.clock) as home:
        accounts.add_account(home, "new.physio@example.com", ["clinician"], PASSWORD)
    with clinic.client(None) as c:
        r = c.post("/api/login", json={"email": "new.physio@example.com", "password": PASSWORD})
        assert r.json()["stage"] == "enrol"
        assert c.get("/enrol").status_code == 200
        key = c.get("/api/enrol").json()["secret"]
        wrong = c.post("/api/enrol", json={"secret": key, "totp": "123456"})
        assert wrong.status_code == 422
        r = c.post("/api/enrol", json={"secret": key, "totp": pyotp.TOTP(key).now()})
        assert r.status_code == 200
        codes = r.json()["recovery_codes"]
        assert len(codes) == 10
        assert len(set(codes)) == 10
    for expected in (200, 401):  # the same recovery code twice: once only
        with clinic.client(None) as c:
            c.post("/api/login", json={"email": "new.physio@example.com", "password": PASSWORD})
            assert c.post("/api/login/code", json={"totp": codes[3]}).status_code == expected


def test_logout_ends_the_login(clinic: Clinic) -> None:
    with clinic.client("runner_a") as c:
        cookie = c.cookies["kneecap_session"]
        assert c.post("/api/logout").status_code == 204
        c.cookies.set("kneecap_session", cookie)  # replaying the old cookie
        assert c.get("/api/today").status_code == 401


def test_disabling_an_account_ends_its_logins(clinic: Clinic) -> None:
    with clinic.client("runner_b") as c:
        with app_home.opened(clinic.settings, clinic.settings.clock) as home:
            accounts.disable_account(home, clinic.email("runner_b"))
        assert c.get("/api/today").status_code == 401
        r = c.post("/api/login", json={"email": clinic.email("runner_b"), "password": PASSWORD})
        assert r.status_code == 401


def test_a_reset_link_sets_a_new_password_once_and_ends_every_login(clinic: Clinic) -> None:
    with clinic.client("runner_a") as old:
        with app_home.opened(clinic.settings, clinic.settings.clock) as home:
            token = accounts.reset_link(home, clinic.email("runner_a"))
        with clinic.client(None) as c:
            page = c.get(f"/reset/{token}")
            assert page.status_code == 200
            form = {"csrf": c.headers["x-csrf-token"], "password": "an entirely new phrase"}
            assert c.post(f"/reset/{token}", data=form).status_code == 200
            assert c.post(f"/reset/{token}", data=form).status_code == 422  # once only
        assert old.get("/api/today").status_code == 401
    with clinic.client(None) as c:
        body = {"email": clinic.email("runner_a"), "password": "an entirely new phrase"}
        assert c.post("/api/login", json=body).status_code == 200


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "at least 10"), ("password123", "too common"), ("1234567890", "too common")],
)
def test_weak_passwords_are_refused(clinic: Clinic, password: str, reason: str) -> None:
    with (
        app_home.opened(clinic.settings, clinic.settings.clock) as home,
        pytest.raises(BadInput, match=reason),
    ):
        accounts.add_account(home, "weak@example.com", ["runner"], password)


def test_personal_mode_has_no_login_pages(client: httpx.Client) -> None:
    """On this computer with no logins, the login steps are not there (404 with the reason),
    rather than a form that cannot work."""
    for path in ("/login", "/login/code", "/reset/sometoken"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "no logins" in r.text
