"""One Kujala (AKPS) result per day, as for check-ins: a second one that day replaces the first,
also when two arrive at the same moment (an upsert on a unique index, migration 0006); on SQLite
and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from kneecap.store.engine import downgrade, make_engine, migrate
from kneecap.store.repository import Store
from tests.integration.test_concurrent_writes import DAY, NOW, race, stores, url

AKPS = [0, 0, 1, 1, 1, 2, 1, 1, 1, 1, 0, 0, 0]
__all__ = ["url"]  # the fixture


def test_a_second_akps_the_same_day_replaces_the_first(url: str) -> None:
    store = Store.open(url)
    me = store.person_id("me", NOW)
    for day, score in ((DAY, 80), (DAY, 85), (DAY + dt.timedelta(days=14), 90)):
        with store.transaction(me) as w:
            w.add_akps(day, AKPS, score, NOW)
    assert store.akps(me) == [(DAY, 85), (DAY + dt.timedelta(days=14), 90)]
    store.close()


def test_racing_akps_results_for_one_day_keep_one_and_fail_none(url: str) -> None:
    writers = stores(url, 6)

    def add(n: int) -> None:
        with writers[n].transaction(writers[n].person_id("me", NOW)) as w:
            w.add_akps(DAY, AKPS, 70 + n, NOW)

    results = race(6, add)
    assert [r for r in results if isinstance(r, Exception)] == []
    stored = writers[0].akps(writers[0].person_id("me", NOW))
    assert len(stored) == 1
    assert stored[0][1] in range(70, 76)
    for s in writers:
        s.close()


def test_migrating_keeps_the_last_akps_of_each_day(empty_url: str) -> None:
    engine = make_engine(empty_url)
    migrate(engine, "0005")
    with engine.begin() as c:
        c.execute(text("INSERT INTO people (id, name, created_at) VALUES (1, 'me', '2026-12-07')"))
        for score in (60, 70, 80):
            c.execute(
                text(
                    "INSERT INTO akps (person_id, date, answers, score, created_at) "
                    "VALUES (1, '2026-12-08', '[]', :score, '2026-12-08')"
                ),
                {"score": score},
            )
    migrate(engine)
    with engine.connect() as c:
        kept = c.execute(text("SELECT date, score FROM akps")).all()
        assert [(str(day), score) for day, score in kept] == [("2026-12-08", 80)]
    downgrade(engine, "0005")
    migrate(engine)
    engine.dispose()
