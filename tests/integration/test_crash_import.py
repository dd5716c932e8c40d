"""kill -9 during `kneecap import`, at random moments: each file is stored in one transaction, so
after every kill the database passes SQLite's integrity check, every stored activity has its
track and figures, and a last import completes the set without duplicates."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kneecap.store.repository import Store
from tests.activities import gpx_run
from tests.conftest import Cli, profile_data

FILES = 30
KILLS = 5


def check_database(db: Path) -> int:
    """Integrity ok and no partial activity; returns how many activities are stored."""
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = c.execute("SELECT id, length(track), summary FROM activities").fetchall()
    for _id, track_bytes, summary in rows:
        assert (track_bytes or 0) > 0
        assert json.loads(summary)["duration_s"] > 0
    store = Store.open(f"sqlite:///{db}")
    me = store.person_id("me", dt.datetime.now(dt.UTC))
    for run in store.activities(me):
        found = store.activity(me, run.id)
        assert found is not None
        assert found[1].points > 0  # the samples unpack
    store.close()
    return len(rows)


def test_kill_9_during_an_import_leaves_no_partial_activity(cli: Cli, tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(profile_data()))
    assert cli("init", "--profile", str(profile)).code == 0
    folder = tmp_path / "runs"
    folder.mkdir()
    for n in range(FILES):
        when = dt.datetime(2026, 11, 1, 7, tzinfo=dt.UTC) + dt.timedelta(days=n)
        (folder / f"{n:02}.gpx").write_bytes(gpx_run(when, 3 + n % 3, every_s=2))
    exe = str(Path(sys.executable).parent / "kneecap")
    env = {**os.environ, "KNEECAP_HOME": str(cli.home), "KNEECAP_TODAY": cli.today}
    env.pop("KNEECAP_DB", None)
    db = cli.home / "kneecap.sqlite3"
    rng = random.Random(9)
    counts = []
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [exe, "import", str(folder)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.8, 2.5))  # start-up takes about a second
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        counts.append(check_database(db))
    assert counts == sorted(counts)  # what a killed import stored stays stored
    done = cli("import", str(folder), "--json")
    assert done.code == 0, done.err
    assert check_database(db) == FILES
    runs = json.loads(cli("runs", "--json").out)
    assert len(runs["runs"] if isinstance(runs, dict) else runs) == FILES
