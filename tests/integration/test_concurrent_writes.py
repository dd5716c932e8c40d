"""Concurrent writes on SQLite and on PostgreSQL (each test taking `url`, `db_url` or
`empty_url` runs on both): several stores (as several processes would hold) and the real CLI
racing for the same rows. On SQLite writes begin IMMEDIATE so the busy timeout applies; on
PostgreSQL a write takes its person's advisory lock first; on both, rows with a natural key are
upserts, so a race never fails, never doubles a row and never loses a write."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from kneecap.core.activity import Activity, Sport, empty
from kneecap.core.analysis import summarise
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.store.engine import make_engine
from kneecap.store.repository import Store
from tests.conftest import START, Cli, make_profile, profile_data

NOW = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)
DAY = START + dt.timedelta(days=1)


def race(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(n)` for n in range(count) in threads released together; return results or
    the exceptions raised."""
    gate = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        gate.wait()
        try:
            results[n] = work(n)
        except Exception as exc:  # the test reports whatever escaped
            results[n] = exc

    # each thread in a copy of this one's context: who acts (store.engine.ACTING) goes along
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(run, n)) for n in range(count)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def url(db_url: str) -> str:
    """A database (on each engine in turn) holding the profile of the runner "me"."""
    db = db_url
    store = Store.open(db)
    with store.transaction(store.person_id("me", NOW)) as w:
        w.save_profile(make_profile(), NOW)
    store.close()
    return db


def stores(url: str, count: int) -> list[Store]:
    """One store per writer, each with its own engine and connections, as separate processes."""
    return [Store.open(url) for _ in range(count)]


def test_racing_checkins_for_one_day_keep_one_and_fail_none(url: str) -> None:
    writers = stores(url, 6)

    def check_in(n: int) -> frozenset[str]:
        with writers[n].transaction(writers[n].person_id("me", NOW)) as w:
            return w.add_checkins([CheckIn(date=DAY, morning_pain=n)], NOW)

    for _round in range(5):
        results = race(6, check_in)
        assert [r for r in results if isinstance(r, Exception)] == []
    checkins = writers[0].checkins(writers[0].person_id("me", NOW))
    assert [c.date for c in checkins] == [DAY]
    assert checkins[0].morning_pain in range(6)
    for s in writers:
        s.close()


def test_a_second_checkin_that_day_replaces_the_first(url: str) -> None:
    store = Store.open(url)
    me = store.person_id("me", NOW)
    for pain in (4, 1):
        with store.transaction(me) as w:
            w.add_checkins([CheckIn(date=DAY, morning_pain=pain)], NOW)
    assert [(c.date, c.morning_pain) for c in store.checkins(me)] == [(DAY, 1)]
    store.close()


def _activity() -> Activity:
    t = np.arange(0, 1800, 1.0)
    return Activity(
        sport=Sport.RUNNING,
        start=dt.datetime(2026, 12, 1, 7, tzinfo=dt.UTC),
        time_s=t,
        distance_m=t * 3.0,
        lat=empty(t.size),
        lon=empty(t.size),
        altitude_m=empty(t.size),
        heart_rate=empty(t.size),
        cadence_spm=empty(t.size),
        speed_mps=empty(t.size),
        source="gpx",
    )


def one_file(n: int) -> tuple[str, str]:
    return "run.gpx", "ab" * 32


def two_files(n: int) -> tuple[str, str]:
    return f"run-{n}.fit", f"{n:02x}" * 32


@pytest.mark.parametrize("named", [one_file, two_files])
def test_racing_imports_of_one_run_store_it_once(
    url: str, named: Callable[[int], tuple[str, str]]
) -> None:
    """The same run imported by four writers at once is stored once. From one file: the unique
    index on (person, file, part) with an upsert that skips. From different files (another
    name, another digest): found by its start and length, a read before the write, which the
    person's write lock (PostgreSQL's advisory lock, SQLite's IMMEDIATE transaction) makes the
    second writer do after the first commits."""
    activity = _activity()
    parts = [(activity, summarise(activity), activity.start.date())]
    writers = stores(url, 4)

    def add(n: int) -> tuple[int, int]:
        with writers[n].transaction(writers[n].person_id("me", NOW)) as w:
            return w.add_activities(*named(n), parts, NOW)

    results = race(4, add)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(results) == [(0, 1), (0, 1), (0, 1), (1, 0)]
    assert len(writers[0].activities(writers[0].person_id("me", NOW))) == 1
    for s in writers:
        s.close()


def test_racing_writers_lose_no_session_and_no_revision(url: str) -> None:
    """Writers logging sessions for one runner at once: every session is stored and the
    runner's revision moved once for each (an increment in the database, under the lock)."""
    writers = stores(url, 4)
    me = writers[0].person_id("me", NOW)
    before = writers[0].version(me)

    def log(n: int) -> None:
        for k in range(5):
            entries = (Entry(exercise="glute-bridge", pain_during=n),)
            with writers[n].transaction(me) as w:
                w.add_session(SessionLog(date=DAY, entries=entries), NOW, token=f"{n}-{k}")

    assert [r for r in race(4, log) if isinstance(r, Exception)] == []
    assert len(writers[0].sessions(me)) == 20
    assert writers[0].version(me) == before + 20
    for s in writers:
        s.close()


FIRST_RUN = """
import sys, time, datetime as dt
from kneecap.store.engine import acting
from kneecap.store.repository import Store
when, url = float(sys.argv[1]), sys.argv[2]
time.sleep(max(0.0, when - time.time()))
with acting(local=True, account=None):
    print(Store.open(url).person_id("me", dt.datetime.now(dt.UTC)))
"""


def test_processes_starting_together_on_a_new_database_make_it_once(empty_url: str) -> None:
    """The first run's migration (one IMMEDIATE transaction on SQLite, under an advisory lock
    on PostgreSQL) and the person's row (an upsert) happen once, whichever process gets there
    first; the others wait and find them."""
    db = empty_url
    when = time.time() + 3  # every process has imported Kneecap by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", FIRST_RUN, str(when), db],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = [p.communicate(timeout=120) for p in procs]
    assert [err for _, err in outcomes if err] == []
    # one id for all (on PostgreSQL not always 1: an insert that found the row took a number)
    assert len({out.strip() for out, _ in outcomes}) == 1
    store = Store.open(db)
    with store.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM people")).scalar_one() == 1
    store.close()


def test_a_write_transaction_takes_the_write_lock_before_its_first_read(tmp_path: Path) -> None:
    """SQLite's BEGIN IMMEDIATE: while one writer's transaction is open, even before it has
    written, a second writer cannot start, so it waits (under the busy timeout) instead of
    reading first and failing at once on the lock upgrade."""
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    store = Store.open(url)
    engine = make_engine(url)
    with store._write() as s:  # the transaction every write uses
        s.execute(text("SELECT count(*) FROM checkins"))
        with engine.connect() as other:
            other.exec_driver_sql("PRAGMA busy_timeout=0")
            with pytest.raises(OperationalError, match="locked"):
                other.exec_driver_sql("BEGIN IMMEDIATE")
    engine.dispose()
    store.close()


def test_two_racing_cli_checkins_never_print_a_traceback(
    cli: Cli, tmp_path: Path, db_url: str
) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(profile_data()))
    db = {"KNEECAP_DB": db_url}
    assert cli("init", "--profile", str(profile), env=db).code == 0
    exe = str(Path(sys.executable).parent / "kneecap")
    env = {**os.environ, "KNEECAP_HOME": str(cli.home), "KNEECAP_TODAY": cli.today, **db}
    for round_ in range(3):
        procs = [
            subprocess.Popen(
                [exe, "checkin", "--morning-pain", str(n + round_)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(2)
        ]
        outcomes = [(p.communicate(timeout=120)[1], p.returncode) for p in procs]
        for err, code in outcomes:
            assert "Traceback" not in err
            assert code == 0, err
    shown = cli("progress", "--json", env=db)
    assert shown.code == 0
    assert json.loads(shown.out)["weeks"][-1]["morning"] in (2.0, 3.0)
