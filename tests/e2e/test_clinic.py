"""The clinician's side on a real server in clinic mode: invitations and links, the dashboard
and a linked runner's JSON, a clearance signed by the clinician, notes, the audit log, and a
permission matrix generated from the app's own route table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from kneecap.app import BadInput
from kneecap.app import home as app_home
from kneecap.app import profile as profiles
from kneecap.app.clock import Clock
from kneecap.core.profile import Profile
from tests.conftest import profile_data
from tests.e2e.clinic import Clinic, start_clinic

TODAY = "2026-12-07"

SIGNED = "Dr Kim Lee (physio@example.com)"  # the clinician's name and account


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clinic]:
    monkeypatch.setenv("KNEECAP_TODAY", TODAY)
    with start_clinic(None, tmp_path / "home") as found:
        yield found


@pytest.fixture
def pg_clinic(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clinic]:
    monkeypatch.setenv("KNEECAP_TODAY", TODAY)
    with start_clinic(db_url, tmp_path / "home") as found:
        yield found


def give_profile(clinic: Clinic, runner: str, **flags: bool) -> None:
    """The runner's intake, stored as they would have answered it (with these red flags)."""
    data = profile_data(red_flags=flags, start_date="2026-11-02")
    clock = Clock(dt.date.fromisoformat(TODAY))
    with app_home.opened(clinic.settings, clock) as home:
        there = dataclasses.replace(home, person=clinic.people[runner])
        profiles.save_profile(there, Profile.model_validate(data))


def invite(c: httpx.Client) -> str:
    r = c.post("/api/clinic/invites")
    assert r.status_code == 201, r.text
    code: str = r.json()["code"]
    return code


# --- links and the JSON contract


def test_an_invitation_links_once_within_seven_days_and_says_why_not(clinic: Clinic) -> None:
    with clinic.client("clinician") as doc, clinic.client("runner_a") as a:
        r = doc.post("/api/clinic/invites")
        assert r.status_code == 201
        body = r.json()
        assert set(body) == {"code", "expires"}
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", body["code"])
        expires = dt.datetime.fromisoformat(body["expires"])
        assert (
            dt.timedelta(days=6, hours=23)
            < expires - dt.datetime.now(dt.UTC)
            <= dt.timedelta(days=7, minutes=1)
            or expires.date().isoformat() == "2026-12-14"
        )
        assert a.get("/api/me/clinicians").json() == []
        r = a.post("/api/me/clinicians", json={"code": body["code"].lower()})
        assert r.status_code == 201, r.text
        assert [c["email"] for c in a.get("/api/me/clinicians").json()] == ["physio@example.com"]
        with clinic.client("runner_b") as b:
            used = b.post("/api/me/clinicians", json={"code": body["code"]})
            wrong = b.post("/api/me/clinicians", json={"code": "WRONGCODE2"})
            extra = b.post("/api/me/clinicians", json={"code": "X", "more": 1})
        assert used.status_code == 422
        assert "used already" in used.json()["error"]
        assert wrong.status_code == 422
        assert "no invitation" in wrong.json()["error"]
        assert extra.status_code == 422


def test_an_expired_invitation_is_refused_with_the_reason(clinic: Clinic) -> None:
    from kneecap.app import clinic as cases

    with clinic.client("clinician") as doc:
        code = invite(doc)
    # the invitation as stored, a week and a moment later
    later = Clock(dt.date(2026, 12, 15))
    with app_home.opened(clinic.settings, later) as home:
        runner = dataclasses.replace(
            home,
            person=clinic.people["runner_a"],
            actor=dataclasses.replace(home.actor, local=True),
        )
        with pytest.raises(BadInput, match="expired"):
            cases.accept(runner, code)


def test_the_dashboard_puts_a_red_flag_first_and_the_runner_json_holds_the_same_truths(
    clinic: Clinic,
) -> None:
    give_profile(clinic, "runner_a")
    give_profile(clinic, "runner_b", locking=True)
    clinic.link("runner_a")
    clinic.link("runner_b")
    with clinic.client("clinician") as doc:
        rows = doc.get("/api/clinic/runners").json()
        assert [r["name"] for r in rows] == ["runner-b", "runner-a"]
        for row in rows:
            assert set(row) == {"id", "name", "attention", "adherence", "phase", "rtr_stage"}
        top = rows[0]["attention"][0]
        assert set(top) == {"reason", "rule", "since"}
        assert top["rule"].startswith("RF-")
        b = clinic.people["runner_b"]
        summary = doc.get(f"/api/clinic/runners/{b}").json()
        assert summary["id"] == b
        assert summary["pending"][0]["flag"] == "locking"
        assert summary["profile"]["red_flags"]["locking"] is True
        progress = doc.get(f"/api/clinic/runners/{b}/progress").json()
        decisions = doc.get(f"/api/clinic/runners/{b}/decisions").json()
        runs = doc.get(f"/api/clinic/runners/{b}/runs").json()
        assert progress["phase"]["id"] == summary["phase"]
        assert decisions["decisions"][0]["kind"] == "on_hold"
        assert runs["runs"] == []
        assert "weeks" in runs
        page = doc.get(f"/clinic/runners/{b}")
        assert page.status_code == 200
        assert "Record your clearance" in page.text
        assert doc.get("/clinic").text.index("runner-b") < doc.get("/clinic").text.index("runner-a")
    with clinic.client("runner_b") as runner:
        mine = runner.get("/api/progress").json()
    assert mine["phase"] == progress["phase"]
    assert mine["decisions"] == progress["decisions"]


def test_a_dashboard_row_is_kept_for_every_worker_until_the_runners_data_changes(
    clinic: Clinic,
) -> None:
    """The row is computed once for the day and the revision of the runner's data
    (`store/summaries.py`); a check-in with a swollen knee changes the data, and the next
    dashboard shows the red flag it raised, first."""
    from sqlalchemy import create_engine, text

    give_profile(clinic, "runner_a")
    give_profile(clinic, "runner_b")
    clinic.link("runner_a")
    clinic.link("runner_b")
    a = clinic.people["runner_a"]
    with clinic.client("clinician") as doc:
        first = doc.get("/api/clinic/runners").json()
        assert not any(x["rule"].startswith("RF-") for r in first for x in r["attention"])
        engine = create_engine(clinic.settings.db_url)
        with engine.connect() as c:
            kept = c.execute(text("SELECT person_id, revision FROM clinic_summaries")).all()
        assert {p for p, _ in kept} == {a, clinic.people["runner_b"]}
        assert doc.get("/api/clinic/runners").json() == first  # from the kept rows
        with clinic.client("runner_a") as runner:
            r = runner.post(
                "/api/checkin",
                json={"date": TODAY, "morning_pain": 2, "stiffness": 2, "swelling": True},
            )
            assert r.status_code == 201, r.text
        after = doc.get("/api/clinic/runners").json()
        assert after[0]["id"] == a
        assert after[0]["attention"][0]["rule"].startswith("RF-")
        with engine.connect() as c:
            (revision,) = c.execute(
                text(f"SELECT revision FROM clinic_summaries WHERE person_id = {a}")
            ).one()
        assert revision > dict(kept)[a]
        engine.dispose()


def test_ending_a_link_ends_the_clinicians_access_at_once(clinic: Clinic) -> None:
    give_profile(clinic, "runner_a")
    clinic.link("runner_a")
    a = clinic.people["runner_a"]
    with clinic.client("clinician") as doc, clinic.client("runner_a") as runner:
        assert doc.get(f"/api/clinic/runners/{a}").status_code == 200
        doctor = clinic.ids["clinician"]
        assert runner.delete(f"/api/me/clinicians/{doctor}").status_code == 204
        assert doc.get(f"/api/clinic/runners/{a}").status_code == 404
        assert doc.get(f"/clinic/runners/{a}").status_code == 404
        assert doc.get("/api/clinic/runners").json() == []
        assert runner.delete(f"/api/me/clinicians/{doctor}").status_code == 404
        for absurd in ("0", "-1", "99999999999999999999999"):  # no account: 404, not 500
            assert runner.delete(f"/api/me/clinicians/{absurd}").status_code == 404


# --- clearance by the clinician


def test_in_clinic_mode_the_clinician_clears_and_the_runner_sees_who(clinic: Clinic) -> None:
    give_profile(clinic, "runner_a", locking=True)
    clinic.link("runner_a")
    a = clinic.people["runner_a"]
    with clinic.client("runner_a") as runner:
        own = runner.post(
            "/api/clearance",
            json={
                "clinician": "Dr Myself",
                "profession": "doctor",
                "cleared_on": TODAY,
                "flags": ["locking"],
            },
        )
        assert own.status_code == 403
    with clinic.client("other_clinician") as other:
        r = other.post(
            f"/api/clinic/runners/{a}/clearance", json={"profession": "doctor", "flags": []}
        )
        assert r.status_code == 404
    with clinic.client("clinician") as doc:
        r = doc.post(
            f"/api/clinic/runners/{a}/clearance",
            json={"profession": "physiotherapist", "flags": ["locking"]},
        )
        assert r.status_code == 201, r.text
        assert r.json() == {"cleared": ["locking"], "clinician": SIGNED}
        assert doc.get("/api/clinic/runners").json()[0]["attention"] == [] or all(
            not a["rule"].startswith("RF-")
            for a in doc.get("/api/clinic/runners").json()[0]["attention"]
        )
    with clinic.client("runner_a") as runner:
        today = runner.get("/api/today").json()
        assert today["from_physio"]["released"] == {
            "clinician": SIGNED,
            "profession": "physiotherapist",
            "date": TODAY,
        }
        page = runner.get("/today").text
        assert "released by <strong>Dr Kim Lee (physio@example.com)</strong>" in page
        rows = runner.get("/api/progress").json()["decisions"]
        assert rows[0]["kind"] == "cleared"
        assert rows[0]["clinician"] == SIGNED


# --- notes and the audit log


def test_notes_shared_reach_the_runner_and_private_ones_do_not(clinic: Clinic) -> None:
    give_profile(clinic, "runner_a")
    clinic.link("runner_a")
    a = clinic.people["runner_a"]
    with clinic.client("clinician") as doc:
        ok = doc.post(f"/api/clinic/runners/{a}/notes", json={"text": "Keep going", "shared": True})
        assert ok.status_code == 201
        doc.post(f"/api/clinic/runners/{a}/notes", json={"text": "Watch the hip", "shared": False})
        notes = doc.get(f"/api/clinic/runners/{a}").json()["notes"]
        assert [n["text"] for n in notes] == ["Watch the hip", "Keep going"]
    with clinic.client("runner_a") as runner:
        page = runner.get("/today").text
        assert "Keep going" in page
        assert "Watch the hip" not in page
        assert [n["text"] for n in runner.get("/api/today").json()["from_physio"]["notes"]] == [
            "Keep going"
        ]


def test_the_audit_log_records_clinician_reads_and_changes_with_the_address(
    clinic: Clinic,
) -> None:
    give_profile(clinic, "runner_a", locking=True)
    clinic.link("runner_a")
    a = clinic.people["runner_a"]
    with clinic.client("clinician") as doc:
        doc.get(f"/api/clinic/runners/{a}/progress")
        doc.post(f"/api/clinic/runners/{a}/clearance", json={"profession": "doctor", "flags": []})
    with clinic.client("runner_a") as runner:
        seen = runner.get("/api/me/audit").json()
        page = runner.get("/account").text
    assert {"read", "cleared"} <= {e["action"] for e in seen}
    progress = next(e for e in seen if e["detail"] == "progress")
    assert progress["actor"] == "physio@example.com"
    assert progress["address"] == "127.0.0.1"
    assert seen == sorted(seen, key=lambda e: e["at"], reverse=True)
    assert "Who has seen my data" in page
    assert "physio@example.com" in page
    with clinic.client("admin") as admin:
        found = admin.get("/api/admin/audit", params={"actor": "physio@example.com"}).json()
        assert found
        assert all(e["actor"] == "physio@example.com" for e in found)
        by_person = admin.get("/api/admin/audit", params={"person": a, "action": "cleared"}).json()
        assert [e["action"] for e in by_person] == ["cleared"]
        assert admin.get("/admin").status_code == 200
    with clinic.client("clinician") as doc:
        assert doc.get("/api/admin/audit").status_code == 403


# --- nothing of one runner in another's pages


def test_nothing_of_one_runner_appears_in_anothers_pages_json_or_charts(clinic: Clinic) -> None:
    give_profile(clinic, "runner_a")
    give_profile(clinic, "runner_b")
    clinic.link("runner_a")
    clinic.link("runner_b")
    a, b = clinic.people["runner_a"], clinic.people["runner_b"]
    secret = "Zanzibar-kneecap-AAA"
    with clinic.client("clinician") as doc:
        doc.post(f"/api/clinic/runners/{a}/notes", json={"text": secret, "shared": True})
        pages = [
            doc.get(p).text
            for p in (
                f"/clinic/runners/{b}",
                f"/api/clinic/runners/{b}",
                f"/api/clinic/runners/{b}/progress",
                f"/api/clinic/runners/{b}/decisions",
                f"/api/clinic/runners/{b}/runs",
            )
        ]
    with clinic.client("runner_b") as runner:
        for path in ("/today", "/api/today", "/progress", "/api/progress", "/account", "/runs"):
            pages.append(runner.get(path).text)
        pages.append(runner.get("/api/me/audit").text)
    for text in pages:
        assert secret not in text
        assert "runner-a" not in text
        assert f'"person":{a}' not in text.replace(" ", "")


def test_the_clinician_sees_the_clips_a_linked_runner_kept_and_nobody_else_does(
    clinic: Clinic,
) -> None:
    import json

    give_profile(clinic, "runner_a")
    clinic.link("runner_a")
    a = clinic.people["runner_a"]
    folder = clinic.settings.home / "form-clips" / str(a)  # as the form check keeps a clip
    folder.mkdir(parents=True)
    clip = "20261207T080000-0a1b2c3d"
    (folder / f"{clip}.mp4").write_bytes(b"the runner's own clip")
    about = {
        "id": clip,
        "file": f"{clip}.mp4",
        "saved": "2026-12-07T08:00:00",
        "exercise": "step-down",
        "view": "front",
        "reps": 3,
        "feedback": ["your left knee moved inwards on reps 2 and 3"],
    }
    (folder / f"{clip}.json").write_text(json.dumps(about))
    with clinic.client("clinician") as doc:
        listed = doc.get(f"/api/clinic/runners/{a}/form-checks")
        assert listed.status_code == 200
        assert [c["id"] for c in listed.json()] == [clip]
        page = doc.get(f"/clinic/runners/{a}").text
        assert "your left knee moved inwards on reps 2 and 3" in page
        video = doc.get(f"/clinic/runners/{a}/form-checks/{clip}")
        assert video.content == b"the runner's own clip"
        assert (
            doc.get(f"/clinic/runners/{a}/form-checks/20261207T080000-ffffffff").status_code == 404
        )
    for other in ("other_clinician", "runner_b"):
        with clinic.client(other) as c:
            assert c.get(f"/clinic/runners/{a}/form-checks/{clip}").status_code in (303, 404)
            assert c.get(f"/api/clinic/runners/{a}/form-checks").status_code in (403, 404)
    with clinic.client("runner_a") as runner:
        seen = [e["detail"] for e in runner.get("/api/me/audit").json()]
        assert "form checks" in seen
        assert f"form-check clip {clip}" in seen


# --- the permission matrix, from the app's route table

ROLES = ("anonymous", "runner_a", "runner_b", "clinician", "other_clinician", "admin")
OK, NO, GONE, AUTH = 200, 403, 404, 401
# per role: anonymous, runner A (the runner the ids name), runner B, the linked clinician,
# an unlinked one, an admin; 3xx: a page sending elsewhere (the login, the clinic)
RUNNER_PAGE = (303, GONE, GONE, OK, GONE, GONE)
RUNNER_JSON = (AUTH, GONE, GONE, OK, GONE, GONE)
RUNNER_WRITE = (AUTH, GONE, GONE, 201, GONE, GONE)
RULES: dict[tuple[str, str], tuple[int, ...]] = {
    ("GET", "/clinic/runners/{runner_id}"): RUNNER_PAGE,
    ("GET", "/api/clinic/runners/{runner_id}"): RUNNER_JSON,
    ("GET", "/api/clinic/runners/{runner_id}/progress"): RUNNER_JSON,
    ("GET", "/api/clinic/runners/{runner_id}/decisions"): RUNNER_JSON,
    ("GET", "/api/clinic/runners/{runner_id}/runs"): RUNNER_JSON,
    ("GET", "/api/clinic/runners/{runner_id}/form-checks"): RUNNER_JSON,
    ("POST", "/api/clinic/runners/{runner_id}/notes"): RUNNER_WRITE,
    ("POST", "/api/clinic/runners/{runner_id}/clearance"): RUNNER_WRITE,
    ("POST", "/clinic/runners/{runner_id}/notes"): (303, GONE, GONE, 303, GONE, GONE),
    ("POST", "/clinic/runners/{runner_id}/clearance"): (303, GONE, GONE, 303, GONE, GONE),
    ("GET", "/api/clinic/runners/{runner_id}/overrides"): RUNNER_JSON,
    ("POST", "/api/clinic/runners/{runner_id}/overrides"): RUNNER_WRITE,
    ("POST", "/clinic/runners/{runner_id}/overrides"): (303, GONE, GONE, 303, GONE, GONE),
    ("GET", "/api/clinic/runners"): (AUTH, NO, NO, OK, OK, NO),
    ("GET", "/clinic"): (303, 403, 403, OK, OK, 403),
    ("POST", "/api/clinic/invites"): (AUTH, NO, NO, 201, 201, NO),
    ("GET", "/api/me/audit"): (AUTH, OK, OK, NO, NO, NO),
    ("GET", "/api/me/clinicians"): (AUTH, OK, OK, NO, NO, NO),
    ("GET", "/api/admin/audit"): (AUTH, NO, NO, NO, NO, OK),
    ("GET", "/admin"): (303, NO, NO, NO, NO, OK),
    ("GET", "/account"): (303, OK, OK, OK, OK, OK),
}
BODIES: dict[str, Any] = {
    "/api/clinic/runners/{runner_id}/notes": {"text": "a note", "shared": False},
    "/api/clinic/runners/{runner_id}/clearance": {"profession": "doctor", "flags": []},
    "/api/clinic/runners/{runner_id}/overrides": {
        "kind": "limits",
        "data": {"pain_limit": 4},
        "reason": "a limit",
    },
}
FORMS: dict[str, dict[str, str]] = {
    "/clinic/runners/{runner_id}/notes": {"text": "a note"},
    "/clinic/runners/{runner_id}/clearance": {"profession": "doctor"},
    "/clinic/runners/{runner_id}/overrides": {"kind": "limits", "pain_limit": "4", "reason": "a"},
}
# the routes that act on no runner's data named in their path, and where they are tested
ELSEWHERE = {
    "/api/me/clinicians",  # test_an_invitation_links_once_within_seven_days_and_says_why_not
    "/api/me/clinicians/{clinician_id}",  # test_ending_a_link_ends_the_clinicians_access_at_once
    "/account/clinicians",
    "/account/clinicians/{clinician_id}/end",
    "/clinic/invites",
    "/clinic/runners/{runner_id}/form-checks/{clip_id}",  # test_the_clinician_sees_the_clips_...
    # test_overrides_http.py::test_with_approvals_on_a_step_up_waits_for_the_physio_until_approved
    "/api/clinic/runners/{runner_id}/suggestions/{suggestion}",
    "/clinic/runners/{runner_id}/suggestions/{suggestion}",
}


def _clinic_routes(app: Any) -> list[tuple[str, str]]:
    """Every route of the clinic's (a runner's id in its path, or under the clinic, the
    account or the admin)."""
    found: list[tuple[str, str]] = []
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        clinical = "{runner_id}" in route.path or route.path.startswith(
            ("/clinic", "/api/clinic", "/admin", "/api/admin", "/account", "/api/me/")
        )
        if clinical:
            found.extend((m, route.path) for m in sorted(route.methods or ()))
    return found


def test_every_clinic_route_has_a_rule_and_keeps_to_it_for_every_role(clinic: Clinic) -> None:
    give_profile(clinic, "runner_a", locking=True)
    give_profile(clinic, "runner_b")
    clinic.link("runner_a")
    a = clinic.people["runner_a"]
    routes = _clinic_routes(clinic.app)
    unruled = [(m, p) for m, p in routes if (m, p) not in RULES and p not in ELSEWHERE]
    assert unruled == [], f"routes without a rule in the permission matrix: {unruled}"
    clients = {}
    try:
        for role in ROLES:
            clients[role] = clinic.client(None if role == "anonymous" else role)
        opened = {role: cm.__enter__() for role, cm in clients.items()}
        failures = []
        for (method, path), expected in RULES.items():
            url = path.replace("{runner_id}", str(a))
            for role, want in zip(ROLES, expected, strict=True):
                c = opened[role]
                if method == "GET":
                    r = c.get(url)
                elif path in FORMS:
                    form = {**FORMS[path], "csrf": c.headers["x-csrf-token"]}
                    r = c.post(url, data=form)
                elif path in BODIES:
                    r = c.post(url, json=BODIES[path])
                else:
                    r = c.post(url)
                if r.status_code != want:
                    failures.append((method, path, role, want, r.status_code, r.text[:120]))
                assert r.status_code < 500, (method, path, role, r.text[:300])
        assert failures == [], "\n".join(map(str, failures))
        # another runner's id, or one that does not exist, is 404 for the clinician
        b = clinic.people["runner_b"]
        for method, path in RULES:
            if "{runner_id}" not in path or not path.startswith("/api/") or method != "GET":
                continue
            for runner in (b, 999_999):
                r = opened["clinician"].get(path.replace("{runner_id}", str(runner)))
                assert r.status_code == 404, (path, runner)
    finally:
        for cm in clients.values():
            cm.__exit__(None, None, None)


# --- on PostgreSQL too


def test_links_reads_and_clearance_on_each_engine(pg_clinic: Clinic) -> None:
    clinic = pg_clinic
    give_profile(clinic, "runner_a", locking=True)
    clinic.link("runner_a")
    a = clinic.people["runner_a"]
    with clinic.client("clinician") as doc:
        rows = doc.get("/api/clinic/runners").json()
        assert [r["id"] for r in rows] == [a]
        r = doc.post(
            f"/api/clinic/runners/{a}/clearance", json={"profession": "doctor", "flags": []}
        )
        assert r.status_code == 201, r.text
    with clinic.client("runner_a") as runner:
        assert runner.get("/api/today").json()["from_physio"]["released"]["clinician"] == (SIGNED)
        assert runner.delete(f"/api/me/clinicians/{clinic.ids['clinician']}").status_code == 204
    with clinic.client("clinician") as doc:
        assert doc.get(f"/api/clinic/runners/{a}").status_code == 404


def test_a_runners_own_routes_act_on_them_and_another_runners_ids_are_not_found(
    clinic: Clinic, tmp_path: Path
) -> None:
    from kneecap.app import activities, diary
    from kneecap.core.history import Entry, SessionLog
    from tests.activities import gpx_run

    give_profile(clinic, "runner_a")
    give_profile(clinic, "runner_b")
    run_file = tmp_path / "run.gpx"
    run_file.write_bytes(gpx_run(dt.datetime(2026, 12, 5, 7, tzinfo=dt.UTC), 5))
    with app_home.opened(clinic.settings, Clock(dt.date.fromisoformat(TODAY))) as home:
        there = dataclasses.replace(home, person=clinic.people["runner_a"])
        activities.import_files(there, [run_file])
        log = SessionLog(
            date=dt.date(2026, 12, 6), entries=(Entry(exercise="glute-bridge", pain_during=1),)
        )
        saved = diary.save_session(there, log, None)
        run_id = activities.runs(there)[0].id
    session_id = saved.session.id
    with clinic.client("runner_b") as b:
        attempts = [
            b.get(f"/api/runs/{run_id}"),
            b.get(f"/runs/{run_id}"),
            b.post(f"/api/runs/{run_id}/pain", json={"pain_during": 3}),
            b.post(f"/api/runs/{run_id}/delete", json={}),
            b.post(f"/api/sessions/{session_id}/undo", json={}),
        ]
        assert [r.status_code for r in attempts] == [404] * len(attempts), [
            (r.request.url.path, r.status_code, r.text[:80]) for r in attempts
        ]
    with clinic.client("runner_a") as a:
        mine = a.get(f"/api/runs/{run_id}")
        assert mine.status_code == 200
        assert mine.json()["run"]["pain_during"] is None  # B's answer went nowhere
        assert [r["id"] for r in a.get("/api/runs").json()["runs"]] == [run_id]
