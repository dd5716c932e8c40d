"""`kneecap today` read straight from the SQLite file (`store.sqlite_reads`, `app.quick`) is
the programme the store reads (`Store`, SQLAlchemy): the same records from every read, the same
programme, the same day's plan and the same printed answer, on generated diaries (sessions with
edits and undos, check-ins with swelling, clearances, Kujala results, entry checks, runs with
answers and deletions) and on the example runner; and the store answers whatever the file
alone cannot (a schema to migrate, no profile, a review flag to store)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.app import Clock, quick, read
from kneecap.app.home import opened
from kneecap.cli import render
from kneecap.core.analysis import summarise
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.rtr import EntryCheck
from kneecap.programme import Programme
from kneecap.settings import Settings
from kneecap.store.repository import Store
from kneecap.store.sqlite_reads import SqliteReads
from tests.activities import gpx_run, synthetic_run
from tests.conftest import START, Cli, entry_check_data, make_profile

REPO = Path(__file__).resolve().parents[2]
SAM_YAML = REPO / "docs" / "examples" / "sam.yaml"
NOW = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)
READS = (
    "profile",
    "cleared_flags",
    "clearances",
    "hold_history",
    "sessions",
    "checkins",
    "akps",
    "activities",
    "entry_checks",
    "overrides",
)
STRENGTH = ["straight-leg-raise", "glute-bridge", "clamshell", "wall-sit", "step-up"]


@pytest.fixture(scope="module")
def migrated() -> Iterator[Path]:
    """An empty database at the newest revision, copied for each example (migrating is slow)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "k.sqlite3"
        Store.open(f"sqlite:///{path}").close()
        yield path


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def at(n: int) -> dt.datetime:
    return NOW + dt.timedelta(days=n)


pain = st.integers(0, 10)
sessions = st.lists(
    st.tuples(st.integers(0, 60), st.sets(st.sampled_from(STRENGTH), min_size=1), pain),
    max_size=25,
)
checkins = st.lists(st.tuples(st.integers(0, 60), pain), max_size=30)
diary = st.fixed_dictionaries(
    {
        "profile": st.fixed_dictionaries(
            {
                "worst": st.integers(0, 8),
                "running": st.booleans(),
                "flags": st.sets(
                    st.sampled_from(["swelling", "locking", "giving_way"]), max_size=1
                ),
            }
        ),
        "sessions": sessions,
        "edits": st.lists(st.tuples(st.integers(0, 30), pain, st.booleans()), max_size=4),
        "checkins": checkins,
        "swelling_on": st.none() | st.integers(0, 40),
        "cleared_on": st.none() | st.integers(0, 50),
        "akps": st.lists(st.tuples(st.integers(0, 60), st.integers(0, 3)), max_size=3),
        "entry": st.lists(st.tuples(st.integers(10, 50), st.integers(0, 4)), max_size=2),
        "runs": st.lists(
            st.tuples(st.integers(0, 60), st.integers(600, 2400), st.none() | pain, st.booleans()),
            max_size=4,
        ),
        "todays": st.lists(st.integers(-3, 80), min_size=1, max_size=3),
    }
)


def write(store: Store, d: dict[str, Any]) -> int:
    """The diary `d`, written as the use cases write it (each step its own transaction)."""
    person = store.person_id("me", NOW)
    p = d["profile"]
    profile = make_profile(
        pain={"worst_last_week": p["worst"]},
        red_flags=dict.fromkeys(p["flags"], True),
        running={"currently_running": p["running"], "weekly_km": 20, "runs_per_week": 3},
    )
    with store.transaction(person) as w:
        w.save_profile(profile, NOW)
    series = []
    for n, done, hurt in sorted(d["sessions"]):
        log = SessionLog.model_validate(
            {
                "date": day(n),
                "entries": [{"exercise": e, "pain_during": hurt} for e in sorted(done)],
            }
        )
        with store.transaction(person) as w:
            series.append(w.add_session(log, at(n))[0].id)
    for k, hurt, undo in d["edits"]:
        if not series:
            break
        target = series[k % len(series)]
        with store.transaction(person) as w:
            current = w.current_session(target)
            if current is None:
                continue
            if undo:
                w.undo_session(target, at(k))
            else:
                edited = current.log.model_copy(update={"pain_after": hurt})
                w.edit_session(target, edited, at(k))
    days = {n: (hurt, False) for n, hurt in d["checkins"]}
    if d["swelling_on"] is not None:
        days[d["swelling_on"]] = (2, True)
    for n, (hurt, swollen) in sorted(days.items()):
        with store.transaction(person) as w:
            w.add_checkins([CheckIn(date=day(n), morning_pain=hurt, swelling=swollen)], at(n))
    if d["cleared_on"] is not None:
        with store.transaction(person) as w:
            stored = w.profile()
            if stored is not None and stored.red_flags.raised():
                w.record_clearance(day(d["cleared_on"]), "Dr A", "ok", at(d["cleared_on"]))
    for n, answer in d["akps"]:
        with store.transaction(person) as w:
            w.add_akps(day(n), [answer] * 13, 60 + 10 * answer, at(n))
    for n, hurt in d["entry"]:
        check = EntryCheck.model_validate(
            entry_check_data(date=day(n).isoformat(), daily_pain=hurt)
        )
        with store.transaction(person) as w:
            w.add_entry_check(check, at(n))
    for i, (n, seconds, hurt, deleted) in enumerate(d["runs"]):
        start = dt.datetime.combine(day(n), dt.time(7, i), tzinfo=dt.UTC)
        activity = synthetic_run(seconds=seconds, start=start, seed=i)
        parts = [(activity, summarise(activity), day(n))]
        with store.transaction(person) as w:
            w.add_activities(f"run{i}.gpx", f"{i:064x}", parts, at(n))
        found = [r for r in store.activities(person) if r.file == f"run{i}.gpx"]
        if not found:  # a copy of another run: not stored
            continue
        run = found[0]
        with store.transaction(person) as w:
            w.answer_run(run.id, hurt, None)
            if deleted:
                w.delete_run(run.id, at(n))
    return person


def printed(planned: read.Planned, as_json: bool) -> tuple[int, str]:
    """What `kneecap today` prints for `planned`, and its exit code."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = render.today_view(planned, as_json)
    return code, buffer.getvalue()


def same_answers(path: Path, person: int, todays: list[dt.date]) -> None:
    store = Store.open(f"sqlite:///{path}")
    reads = SqliteReads.open(path)
    assert reads is not None
    try:
        assert reads.person_id("me") == person
        for name in READS:
            assert getattr(reads, name)(person) == getattr(store, name)(person), name
        for flag in ("swelling", "locking", "no_improvement"):
            assert reads.flag_raised_on(person, flag) == store.flag_raised_on(person, flag)
        for today in todays:
            quickly = Programme.of(reads, person, today)
            fully = Programme.of(store, person, today)
            assert quickly == fully
            assert read.plan_of(quickly, today, today, 1) == read.plan_of(fully, today, today, 1)
    finally:
        reads.close()
        store.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(diary)
def test_the_file_read_with_sqlite3_gives_what_the_store_gives(
    migrated: Path, d: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "k.sqlite3"
        shutil.copy(migrated, path)
        store = Store.open(f"sqlite:///{path}")
        try:
            person = write(store, d)
        finally:
            store.close()
        same_answers(path, person, [day(n) for n in d["todays"]])


def answers_of(home: Path, today: str) -> tuple[tuple[int, str], ...]:
    """`kneecap today` and `today --json` as of `today`: read from the file, then by the store."""
    clock = Clock(dt.date.fromisoformat(today))
    s = Settings(home, f"sqlite:///{home / 'kneecap.sqlite3'}", clock=clock)
    quickly = quick.planned_today(s)
    assert quickly is not None
    with opened(s, clock) as found:
        fully = read.planned(found, clock.today(), 1)
    return tuple(printed(p, as_json) for p in (quickly, fully) for as_json in (False, True))


@pytest.mark.parametrize("today", ["2026-12-07", "2026-12-16", "2027-01-20", "2027-03-03"])
def test_the_example_runner_is_answered_alike_in_every_state(cli: Cli, today: str) -> None:
    """Sam (docs/examples/sam.yaml): as first seen, with a plan on hold, cleared, with runs."""
    assert cli("init", "--profile", str(SAM_YAML)).code == 0
    quick_text, quick_json, full_text, full_json = answers_of(cli.home, today)
    assert (quick_text, quick_json) == (full_text, full_json)
    assert cli("checkin", "--morning-pain", "2", "--swelling").code == 3
    quick_text, quick_json, full_text, full_json = answers_of(cli.home, today)
    assert (quick_text, quick_json) == (full_text, full_json)
    assert quick_text[0] == 3
    assert "See a clinician" in quick_text[1]
    assert cli("clearance", "--clinician", "Dr A", "--profession", "physio").code == 0
    folder = cli.home.parent / "runs"
    folder.mkdir()
    for n in range(3):
        start = dt.datetime.combine(day(2 * n + 1), dt.time(7), tzinfo=dt.UTC)
        (folder / f"run{n}.gpx").write_bytes(gpx_run(start, 3 + n))
    assert cli("import", str(folder)).code == 0
    quick_text, quick_json, full_text, full_json = answers_of(cli.home, today)
    assert (quick_text, quick_json) == (full_text, full_json)
    assert json.loads(quick_json[1])["referral"]["needed"] is False


def test_the_store_answers_what_the_file_alone_cannot(cli: Cli, tmp_path: Path) -> None:
    clock = Clock(START)
    s = Settings(cli.home, f"sqlite:///{cli.home / 'kneecap.sqlite3'}", clock=clock)
    assert quick.planned_today(s) is None  # no database yet
    assert cli("init", "--profile", str(SAM_YAML)).code == 0
    assert quick.planned_today(s) is not None
    assert quick.planned_today(Settings(cli.home, s.db_url, user="someone", clock=clock)) is None
    with sqlite3.connect(cli.home / "kneecap.sqlite3") as db:  # a schema to migrate
        db.execute("UPDATE alembic_version SET version_num = '0001'")
    db.close()
    assert quick.planned_today(s) is None
