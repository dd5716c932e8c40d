"""The store on SQLite and on PostgreSQL (each test that takes `db_url`, `empty_url` or `store`
runs on both): migrations, connection settings, profiles and clearances."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from kneecap.store.engine import downgrade, make_engine, migrate, wal_is_safe
from kneecap.store.repository import Store
from tests.conftest import make_profile

NOW = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    yield s
    s.close()


def test_migrations_upgrade_downgrade_upgrade(empty_url: str) -> None:
    engine = make_engine(empty_url)
    migrate(engine)
    assert {"people", "profiles", "clearances", "sessions", "checkins", "akps"} <= set(
        inspect(engine).get_table_names()
    )
    downgrade(engine, "base")
    assert not {"people", "profiles", "clearances", "sessions", "checkins", "akps"} & set(
        inspect(engine).get_table_names()
    )
    migrate(engine)
    assert {"people", "profiles", "clearances", "sessions", "checkins", "akps"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_every_connection_enforces_foreign_keys_and_full_sync(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as c:
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert c.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        with pytest.raises(IntegrityError):
            c.execute(
                text(
                    "INSERT INTO profiles (person_id, created_at, data) VALUES (999, '2026-01-01', '{}')"
                )
            )


def test_wal_only_on_sqlite_versions_with_the_reset_fix() -> None:
    assert not wal_is_safe((3, 40, 1))  # Debian 12
    assert not wal_is_safe((3, 50, 6))
    assert wal_is_safe((3, 50, 7))
    assert wal_is_safe((3, 44, 6))
    assert not wal_is_safe((3, 51, 2))
    assert wal_is_safe((3, 51, 3))


def test_profile_round_trips_and_keeps_history(store: Store) -> None:
    me = store.person_id("me", NOW)
    with store.transaction(me) as w:
        w.save_profile(make_profile(), NOW)
    with store.transaction(me) as w:
        w.save_profile(make_profile(availability={"minutes_per_session": 25}), NOW)
    assert store.profile(me) == make_profile(availability={"minutes_per_session": 25})
    with store.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM profiles")).scalar() == 2


def test_people_are_kept_apart(store: Store) -> None:
    alice, bob = store.person_id("alice", NOW), store.person_id("bob", NOW)
    assert alice != bob
    assert store.person_id("alice", NOW) == alice
    with store.transaction(alice) as w:
        w.save_profile(make_profile(affected_side="left"), NOW)
    assert store.profile(bob) is None
    assert store.profile(alice) is not None


def test_a_clearance_covers_the_flags_raised_when_it_was_recorded(store: Store) -> None:
    me = store.person_id("me", NOW)
    with store.transaction(me) as w:
        w.save_profile(make_profile(red_flags={"swelling": True}), NOW)
    assert store.cleared_flags(me) == frozenset()
    with store.transaction(me) as w:
        assert w.record_clearance(NOW.date(), "Dr Okafor", None, NOW) == {"swelling"}
    assert store.cleared_flags(me) == {"swelling"}
    # another flag later: the old clearance does not cover it
    with store.transaction(me) as w:
        w.save_profile(make_profile(red_flags={"swelling": True, "locking": True}), NOW)
    assert store.cleared_flags(me) == {"swelling"}


def test_a_flag_that_comes_back_needs_a_new_clearance(store: Store) -> None:
    me = store.person_id("me", NOW)
    with store.transaction(me) as w:
        w.save_profile(make_profile(red_flags={"swelling": True}), NOW)
    with store.transaction(me) as w:
        w.record_clearance(NOW.date(), "Dr Okafor", "all fine", NOW)
    for profile in (make_profile(), make_profile(red_flags={"swelling": True})):
        with store.transaction(me) as w:
            w.save_profile(profile, NOW)
    assert store.cleared_flags(me) == frozenset()


def test_clearance_without_a_profile_is_refused(store: Store) -> None:
    me = store.person_id("me", NOW)
    with pytest.raises(LookupError), store.transaction(me) as w:
        w.record_clearance(NOW.date(), "Dr Okafor", None, NOW)


def test_a_check_in_with_swelling_raises_the_flag_in_the_profile(store: Store) -> None:
    from kneecap.core.history import CheckIn

    me = store.person_id("me", NOW)
    with store.transaction(me) as w:
        w.save_profile(make_profile(), NOW)
    with store.transaction(me) as w:
        raised = w.add_checkins([CheckIn(date=NOW.date(), morning_pain=3, swelling=True)], NOW)
    assert raised == {"swelling"}
    profile = store.profile(me)
    assert profile is not None
    assert profile.red_flags.swelling


def test_a_second_check_in_the_same_day_replaces_the_first(store: Store) -> None:
    from kneecap.core.history import CheckIn

    me = store.person_id("me", NOW)
    for pain in (3, 1):
        with store.transaction(me) as w:
            w.add_checkins([CheckIn(date=NOW.date(), morning_pain=pain)], NOW)
    assert [c.morning_pain for c in store.checkins(me)] == [1]


def test_version_changes_with_every_write(db_url: str) -> None:
    import datetime as dt

    from kneecap.core.history import CheckIn
    from kneecap.store.repository import Store
    from tests.conftest import make_profile

    store = Store.open(db_url)
    now = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    me = store.person_id("me", now)
    other = store.person_id("other", now)
    seen = {store.version(me)}
    with store.transaction(me) as w:
        w.save_profile(make_profile(), now)
    seen.add(store.version(me))
    for pain in (2, 3):  # the second replaces the first
        with store.transaction(me) as w:
            w.add_checkins([CheckIn(date=dt.date(2026, 12, 7), morning_pain=pain)], now)
        seen.add(store.version(me))
    assert len(seen) == 4
    before = store.version(me)
    with store.transaction(other) as w:
        w.save_profile(make_profile(), now)
    assert store.version(me) == before
    store.close()


def test_records_stored_before_the_stricter_rules_are_repaired_on_upgrade(empty_url: str) -> None:
    """The 300,000-entry session and `true` as a number of sets, once accepted by the JSON API,
    must read back after the upgrade instead of failing every page."""
    url = empty_url
    engine = make_engine(url)
    migrate(engine)
    downgrade(engine, "0007")
    entry = {"exercise": "glute-bridge", "pain_during": 1, "sets_done": True, "sharp": 0}
    with engine.begin() as c:
        c.execute(text("INSERT INTO people (id, name, created_at) VALUES (1, 'me', '2026-12-01')"))
        for data in (
            {"date": "2026-12-07", "entries": [entry] * 300},
            {"date": "2026-12-08", "entries": [{**entry, "reps_done": "12"}]},
        ):
            c.execute(
                text(
                    "INSERT INTO sessions (person_id, date, data, created_at) "
                    "VALUES (1, :d, :data, '2026-12-09')"
                ),
                {"d": data["date"], "data": json.dumps(data)},
            )
        c.execute(
            text(
                "INSERT INTO checkins (person_id, date, data, created_at) "
                "VALUES (1, '2026-12-08', :data, '2026-12-09')"
            ),
            {"data": json.dumps({"date": "2026-12-08", "morning_pain": 1, "swelling": 0.0})},
        )
    engine.dispose()
    store = Store.open(url)
    sessions = store.sessions(1)
    assert [len(s.entries) for s in sessions] == [40, 1]
    assert sessions[0].entries[0].sets_done is None
    assert sessions[0].entries[0].sharp is False
    assert sessions[1].entries[0].reps_done is None
    assert store.checkins(1)[0].swelling is False
    store.close()
