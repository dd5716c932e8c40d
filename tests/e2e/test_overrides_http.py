"""A clinician's overrides on a real server in clinic mode: recorded by the linked clinician
(JSON and the form with its CSRF token), 404 for another runner or an unlinked clinician, and
shown to the runner on Today's JSON and page with the author and reason; with approvals on, a
step-up waits for the physio until approved."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kneecap.app import Home, diary
from kneecap.app import home as app_home
from kneecap.app import profile as profiles
from kneecap.app.clock import Clock
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.profile import Profile
from kneecap.store import accounts as book
from tests.conftest import profile_data
from tests.e2e.clinic import Clinic, start_clinic

TODAY = "2026-12-07"
START = dt.date(2026, 11, 30)


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clinic]:
    monkeypatch.setenv("KNEECAP_TODAY", TODAY)
    with start_clinic(None, tmp_path / "home") as found:
        for runner in ("runner_a", "runner_b"):
            with _home(found, runner) as there:
                data = profile_data(start_date=START.isoformat())
                profiles.save_profile(there, Profile.model_validate(data))
        _link(found, "runner_a")
        yield found


@contextmanager
def _home(clinic: Clinic, runner: str, today: str = TODAY) -> Iterator[Home]:
    """The runner's home, as the use cases open it, as of `today`."""
    clock = Clock(dt.date.fromisoformat(today))
    with app_home.opened(clinic.settings, clock) as home:
        yield dataclasses.replace(home, person=clinic.people[runner])


def _link(clinic: Clinic, runner: str) -> None:
    """The runner accepts the clinician's invitation (through the store's own steps)."""
    store_clock = Clock(dt.date.fromisoformat(TODAY))
    with app_home.opened(clinic.settings, store_clock) as home:
        now = store_clock.now()
        digest = hashlib.sha256(f"code-{runner}".encode()).hexdigest()
        book.add_invitation(
            home.store, digest, clinic.ids["clinician"], now, now + dt.timedelta(days=7)
        )
        assert book.accept_invitation(home.store, digest, clinic.people[runner], now)


def test_a_linked_clinician_sets_a_limit_the_runner_sees_with_who_and_why(clinic: Clinic) -> None:
    a = clinic.people["runner_a"]
    body = {"kind": "limits", "data": {"pain_limit": 3}, "reason": "Irritable after the race"}
    with clinic.client("clinician") as doc:
        r = doc.post(f"/api/clinic/runners/{a}/overrides", json=body)
        assert r.status_code == 201, r.text
        assert r.json()["author"]
        listed = doc.get(f"/api/clinic/runners/{a}/overrides").json()
        assert [o["kind"] for o in listed["overrides"]] == ["limits"]
        bad = doc.post(
            f"/api/clinic/runners/{a}/overrides",
            json={"kind": "limits", "data": {"pain_limit": 30}, "reason": "x"},
        )
        assert bad.status_code == 422
        assert "pain_limit" in bad.text
        page = doc.get(f"/clinic/runners/{a}").text
        assert 'id="overrides"' in page
        assert "Irritable after the race" in page
    with clinic.client("runner_a") as runner:
        today = runner.get("/api/today").json()
        (note,) = today["clinician"]["applied"]
        assert note["text"].startswith("Your physio ")
        assert f"set your pain limit to 3/10 on {TODAY}" in note["text"]
        assert note["reason"] == "Irritable after the race"
        page = runner.get("/", follow_redirects=True).text
        assert "Set by your physio" in page
        assert "Irritable after the race" in page


def test_another_runner_or_an_unlinked_clinician_is_404(clinic: Clinic) -> None:
    a, b = clinic.people["runner_a"], clinic.people["runner_b"]
    body = {"kind": "remove_exercise", "data": {"exercise": "clamshell"}, "reason": "Hip"}
    with clinic.client("clinician") as doc:
        assert doc.post(f"/api/clinic/runners/{b}/overrides", json=body).status_code == 404
        assert doc.get(f"/api/clinic/runners/{b}/overrides").status_code == 404
        assert doc.post("/api/clinic/runners/999/overrides", json=body).status_code == 404
    with clinic.client("other_clinician") as other:
        assert other.post(f"/api/clinic/runners/{a}/overrides", json=body).status_code == 404
    with clinic.client("runner_a") as runner:
        r = runner.post(f"/api/clinic/runners/{a}/overrides", json=body)
        assert r.status_code in (403, 404)
    with clinic.client("clinician") as doc:
        assert doc.get(f"/api/clinic/runners/{a}/overrides").json()["overrides"] == []


def test_the_form_needs_its_csrf_token_and_records_the_override(clinic: Clinic) -> None:
    a = clinic.people["runner_a"]
    with clinic.client("clinician") as doc:
        token = doc.headers.pop("x-csrf-token")
        form = {"kind": "phase", "phase": "build", "reason": "Strong enough"}
        refused = doc.post(f"/clinic/runners/{a}/overrides", data=form)
        assert refused.status_code == 403
        r = doc.post(f"/clinic/runners/{a}/overrides", data={**form, "csrf": token})
        assert r.status_code == 303
        assert r.headers["location"] == f"/clinic/runners/{a}#overrides"
        doc.headers["x-csrf-token"] = token
        listed = doc.get(f"/api/clinic/runners/{a}/overrides").json()
        assert listed["overrides"][0]["data"] == {"phase": "build"}
    with clinic.client("runner_a") as runner:
        assert runner.get("/api/today").json()["phase"]["id"] == "build"


def test_with_approvals_on_a_step_up_waits_for_the_physio_until_approved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNEECAP_TODAY", "2026-12-12")
    with start_clinic(None, tmp_path / "home") as clinic:
        with _home(clinic, "runner_a", "2026-12-12") as there:
            data = profile_data(start_date=START.isoformat())
            profiles.save_profile(there, Profile.model_validate(data))
        _link(clinic, "runner_a")
        a = clinic.people["runner_a"]
        early = Clock(START)
        with app_home.opened(clinic.settings, early) as home:
            book.add_override(
                home.store,
                a,
                clinic.ids["clinician"],
                "Dr Kim",
                "approve_progressions",
                {"on": True},
                "After surgery",
                early.now(),
            )
        with _home(clinic, "runner_a", "2026-12-12") as there:
            for n in (1, 3):
                day = START + dt.timedelta(days=n)
                entry = Entry(exercise="glute-bridge", pain_during=1)
                diary.log_sessions(there, [SessionLog(date=day, entries=(entry,))])
                diary.check_in(there, CheckIn(date=day + dt.timedelta(days=1), morning_pain=1))
        with clinic.client("runner_a") as runner:
            (waiting,) = runner.get("/api/today").json()["clinician"]["waiting"]
            assert "waiting for your physio" in waiting["text"]
        with clinic.client("clinician") as doc:
            url = f"/api/clinic/runners/{a}/suggestions/{waiting['id']}"
            assert doc.post(url, json={"decision": "maybe"}).status_code == 422
            r = doc.post(url, json={"decision": "approve", "reason": "Moving well"})
            assert r.status_code == 200, r.text
            assert doc.get(f"/api/clinic/runners/{a}/overrides").json()["waiting"] == []
        with clinic.client("runner_a") as runner:
            assert runner.get("/api/today").json()["clinician"]["waiting"] == []
