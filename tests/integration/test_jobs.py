"""Background jobs (`app.jobs`): an import of a whole export or a report, submitted, run once by
a worker (`kneecap worker` processes on PostgreSQL's queue, a thread on SQLite), read back with
its state, progress and result or error by its own person only."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecap.app import Clock, Home, activities, jobs, profile
from kneecap.app.context import LOCAL
from kneecap.core.profile import Profile
from kneecap.store.engine import make_engine
from kneecap.store.repository import Store
from tests.activities import gpx_run
from tests.conftest import START, profile_data

CLOCK = Clock(START + dt.timedelta(days=30), "UTC")
NOW = CLOCK.now()
WORKER = [str(Path(sys.executable).parent / "kneecap")]


def export(runs: int, first_day: int = 0) -> bytes:
    """A watch export: a zip of `runs` GPX runs on days one after the other."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for n in range(runs):
            when = dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC) + dt.timedelta(days=first_day + n)
            z.writestr(f"activities/{first_day + n:03}.gpx", gpx_run(when, 3, every_s=10))
    return buffer.getvalue()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store(make_engine(db_url))
    yield opened
    opened.close()


def home_of(store: Store, name: str = "me") -> Home:
    return Home(store, store.person_id(name, NOW), LOCAL, CLOCK)


def wait(home: Home, job_id: int, seconds: float = 60) -> jobs.Job:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = jobs.status(home, job_id)
        if found.finished:
            return found
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not finished: {jobs.status(home, job_id)}")


def workers(url: str, count: int, tmp: Path) -> list[subprocess.CompletedProcess[str]]:
    """`kneecap worker --burst` in `count` processes at once, each until the queue is empty."""
    env = {**os.environ, "KNEECAP_HOME": str(tmp / "home"), "KNEECAP_DB": url}
    procs = [
        subprocess.Popen(
            [*WORKER, "worker", "--burst", "--concurrency", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    done = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)
def test_an_import_job_runs_in_worker_processes_once(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    home = home_of(store)
    sizes = [3, 2, 4, 1]
    ids = [
        jobs.submit(home, jobs.IMPORT, {}, (f"export{i}.zip", [export(n, 10 * i)]))
        for i, n in enumerate(sizes)
    ]
    queued = jobs.status(home, ids[0])
    assert queued.state == "queued"
    assert queued.result is None

    for ran in workers(db_url, 2, tmp_path):
        assert ran.returncode == 0, ran.stderr
        assert "Traceback" not in ran.stderr

    for job_id, n in zip(ids, sizes, strict=True):
        found = jobs.status(home, job_id)
        assert found.state == "done", found
        assert (found.done, found.total) == (n, n)
        assert found.result is not None
        assert found.result["imported"] == n
        assert found.result["duplicates"] == 0
        assert found.error is None
    assert len(activities.runs(home)) == sum(sizes)
    with store.engine.connect() as c:  # the uploads are gone once the jobs are done
        left = c.exec_driver_sql("SELECT count(*) FROM job_files").scalar_one()
    assert left == 0
    assert jobs.run(store, ids[0], CLOCK) is None  # a job is claimed once: never run twice


def test_a_broken_file_ends_with_its_error_and_stores_nothing(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    home = home_of(store)
    job_id = jobs.submit(home, jobs.IMPORT, {}, ("broken.gpx", [b"<gpx><trk>not a run"]))
    if store.engine.dialect.name == "postgresql":
        assert workers(db_url, 1, tmp_path)[0].returncode == 0
    found = wait(home, job_id)
    assert found.state == "failed"
    assert found.error is not None
    assert "broken.gpx" in found.error
    assert activities.runs(home) == []


@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
def test_an_import_job_in_process_stores_the_runs_of_the_export(store: Store) -> None:
    home = home_of(store)
    job_id = jobs.submit(home, jobs.IMPORT, {}, ("export.zip", [export(3)]))
    found = wait(home, job_id)
    assert found.state == "done"
    assert found.result is not None
    assert found.result["imported"] == 3
    assert (found.done, found.total) == (3, 3)
    stored = activities.runs(home)
    assert [r.date for r in stored] == [dt.date(2026, 11, d) for d in (2, 3, 4)]


def test_a_runner_sees_only_their_own_jobs(store: Store) -> None:
    mine, theirs = home_of(store, "me"), home_of(store, "sam")
    job_id = jobs.submit(mine, jobs.IMPORT, {}, ("broken.gpx", [b"nothing"]))
    with pytest.raises(jobs.NoSuchJob):
        jobs.status(theirs, job_id)
    assert jobs.status(mine, job_id).id == job_id


@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
def test_a_report_job_gives_the_pdf(store: Store) -> None:
    home = home_of(store)
    profile.save_profile(home, Profile.model_validate(profile_data()))
    job_id = jobs.submit(home, jobs.REPORT, {"letter": False})
    found = wait(home, job_id, 120)
    assert found.state == "done", found.error
    name, pdf = jobs.output(home, job_id)
    assert name.startswith("kneecap-report-")
    assert pdf.startswith(b"%PDF")
    assert found.result == {"file": name, "bytes": len(pdf)}


@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)
def test_a_job_left_running_by_a_worker_that_stopped_is_run_again(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    """A worker killed in the middle of an import: its job is `doing` in the queue with no
    worker alive, and Kneecap's record `running`. The next worker queues it again and runs it."""
    home = home_of(store)
    job_id = jobs.submit(home, jobs.IMPORT, {}, ("export.zip", [export(3)]))
    with store.engine.begin() as c:  # what a killed worker leaves behind
        c.exec_driver_sql(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = NULL WHERE status = 'todo'"
        )
        c.exec_driver_sql(f"UPDATE jobs SET state = 'running', done = 1 WHERE id = {job_id}")
    assert jobs.status(home, job_id).state == "running"

    (ran,) = workers(db_url, 1, tmp_path)
    assert ran.returncode == 0, ran.stderr
    found = jobs.status(home, job_id)
    assert found.state == "done", found
    assert found.result is not None
    assert found.result["imported"] == 3
    assert len(activities.runs(home)) == 3
