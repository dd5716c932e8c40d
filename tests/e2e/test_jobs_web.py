"""Long work leaves the request in clinic mode: an upload of a whole export on Runs answers 202
with its import job, whose page shows the progress (refreshed without scripts) and then the
import's summary; a report ask answers 202 and its job gives the PDF. A runner reads only
their own jobs. On SQLite the job runs in the server's process, on PostgreSQL in `kneecap
worker` processes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kneecap.app import Clock
from kneecap.app import home as app_home
from kneecap.app import profile as profiles
from kneecap.core.profile import Profile
from tests.conftest import profile_data
from tests.e2e.clinic import Clinic, start_clinic
from tests.integration.test_jobs import export

TODAY = "2026-12-07"
WORKER = str(Path(sys.executable).parent / "kneecap")


@pytest.fixture
def clinic(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clinic]:
    monkeypatch.setenv("KNEECAP_TODAY", TODAY)
    with start_clinic(db_url, tmp_path / "home") as found:
        data = profile_data(start_date="2026-11-02")
        with app_home.opened(found.settings, Clock(dt.date.fromisoformat(TODAY))) as home:
            there = dataclasses.replace(home, person=found.people["runner_a"])
            profiles.save_profile(there, Profile.model_validate(data))
        yield found


def finished(c: httpx.Client, clinic: Clinic, job_id: int) -> dict[str, Any]:
    """The job's JSON once it is done: a worker process runs the queue on PostgreSQL."""
    if clinic.settings.db_url.startswith("postgresql"):
        env = {**os.environ, "KNEECAP_DB": clinic.settings.db_url, "KNEECAP_TODAY": TODAY}
        ran = subprocess.run(
            [WORKER, "worker", "--burst"], env=env, capture_output=True, text=True, timeout=120
        )
        assert ran.returncode == 0, ran.stderr
    deadline = time.monotonic() + 60
    while True:
        found: dict[str, Any] = c.get(f"/api/jobs/{job_id}").json()
        if found["state"] in ("done", "failed") or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_an_upload_answers_202_and_its_job_page_shows_progress_then_the_runs(
    clinic: Clinic,
) -> None:
    with clinic.client("runner_a") as c, clinic.client("runner_b") as other:
        r = c.post("/api/runs", files=[("files", ("export.zip", export(3)))])
        assert r.status_code == 202, r.text
        (job,) = r.json()["jobs"]
        assert r.headers["location"] == f"/jobs/{job['id']}"
        assert job["kind"] == "import"
        assert other.get(f"/api/jobs/{job['id']}").status_code == 404

        done = finished(c, clinic, job["id"])
        assert done["state"] == "done", done
        assert done["progress"] == {"done": 3, "total": 3}
        assert done["result"]["imported"] == 3
        assert len(c.get("/api/runs").json()["runs"]) == 3
        page = c.get(f"/jobs/{job['id']}")
        assert page.status_code == 200
        assert "3 imported" in page.text
        assert "refresh" not in {k.lower() for k in page.headers}


def test_the_form_upload_answers_the_job_page_that_refreshes_itself(clinic: Clinic) -> None:
    with clinic.client("runner_a") as c:
        token = c.headers["x-csrf-token"]
        r = c.post("/runs", data={"csrf": token}, files=[("files", ("broken.gpx", b"<gpx>no"))])
        assert r.status_code == 202, r.text
        assert "Importing your activities" in r.text
        assert r.headers["refresh"] == "2"
        job_id = int(r.headers["location"].rsplit("/", 1)[1])
        done = finished(c, clinic, job_id)
        assert done["state"] == "failed"
        assert "broken.gpx" in done["error"]
        assert c.get("/api/runs").json()["runs"] == []
        assert "It did not work" in c.get(f"/jobs/{job_id}").text


def test_a_report_ask_answers_202_and_its_job_gives_the_pdf(clinic: Clinic) -> None:
    with clinic.client("runner_a") as c, clinic.client("runner_b") as other:
        r = c.get("/report.pdf", headers={"accept": "application/json"})
        assert r.status_code == 202, r.text
        (job,) = r.json()["jobs"]
        done = finished(c, clinic, job["id"])
        assert done["state"] == "done", done
        pdf = c.get(done["file_url"])
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")
        assert other.get(done["file_url"]).status_code == 404
