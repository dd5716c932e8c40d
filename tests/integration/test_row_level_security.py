"""Row-level security on PostgreSQL (migration 0015): connected as the app's own role, a
transaction sees and writes a person's rows only when it acts for someone who may: the local
person, the person's own account, or a clinician linked to them now. Without either setting it
sees nothing, although the rows are there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import ProgrammingError

from kneecap.core.activity import Activity, Sport, empty
from kneecap.core.analysis import summarise
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.rtr import EntryCheck
from kneecap.store.engine import acting, make_engine
from kneecap.store.repository import Store
from tests.conftest import START, entry_check_data, make_profile
from tests.postgres import ROLE, Server

NOW = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)
OPEN = {"accounts", "care_links"}  # what the policies are made of: no policy of their own
PROTECTED_IN_0015 = {
    "people", "profiles", "clearances", "flag_reports", "sessions", "checkins", "akps",
    "activities", "activity_files", "rtr_checks", "preferences", "calendar_feeds",
    "clinic_notes", "clinic_overrides",
}  # fmt: skip


@pytest.fixture(scope="module")
def server(postgres_server: Server) -> Server:
    return postgres_server


@pytest.fixture
def engine(server: Server) -> Iterator[Engine]:
    url = server.fresh()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    server.drop(url)


def personal_tables(engine: Engine) -> dict[str, str]:
    """Every table of the schema holding people's rows: {table: the column naming the person}."""
    found = {"people": "id"}
    for table in inspect(engine).get_table_names():
        columns = {c["name"] for c in inspect(engine).get_columns(table)}
        if "person_id" in columns and table not in OPEN:
            found[table] = "person_id"
    return found


def _run(start: dt.datetime) -> Activity:
    t = np.arange(0, 1200, 1.0)
    n = t.size
    return Activity(
        sport=Sport.RUNNING,
        start=start,
        time_s=t,
        distance_m=t * 3.0,
        lat=empty(n),
        lon=empty(n),
        altitude_m=empty(n),
        heart_rate=empty(n),
        cadence_spm=empty(n),
        speed_mps=empty(n),
        source="gpx",
    )


def a_runner(store: Store, name: str, engine: Engine) -> int:
    """A runner with a row in every table of a person's data (as the local person)."""
    me = store.person_id(name, NOW)
    with store.transaction(me) as w:
        w.raise_flags(frozenset({"swelling"}), NOW)  # before a profile: a flag report
        w.save_profile(make_profile(), NOW)
        w.record_clearance(START, "Dr Okafor", None, NOW, "physiotherapist")
        entries = (Entry(exercise="glute-bridge", pain_during=1),)
        w.add_session(SessionLog(date=START, entries=entries), NOW, token=f"{name}-t")
        w.add_checkins([CheckIn(date=START, morning_pain=2)], NOW)
        w.add_akps(START, [0] * 13, 80, NOW)
        w.add_entry_check(EntryCheck.model_validate(entry_check_data()), NOW)
        run = _run(NOW - dt.timedelta(days=1))
        parts = [(run, summarise(run), run.start.date())]
        w.add_activities("run.gpx", name.encode().hex().ljust(64, "0"), parts, NOW, ("gpx", b"x"))
        w.set_preferences({"reminder_time": "07:30", "units": "km", "theme": "system"}, NOW)
    with engine.begin() as c:
        values = {"p": me, "now": NOW}
        c.execute(
            text(
                "INSERT INTO calendar_feeds (person_id, token_sha256, created_at) "
                "VALUES (:p, :digest, :now)"
            ),
            {**values, "digest": name.encode().hex().ljust(64, "1")},
        )
        for table, extra in (
            ("clinic_notes", "text, shared"),
            ("clinic_overrides", "kind, data, reason"),
        ):
            more = "'a note', false" if table == "clinic_notes" else "'phase', '{}', 'why'"
            c.execute(
                text(
                    f"INSERT INTO {table} (person_id, author, created_at, {extra}) "
                    f"VALUES (:p, 'Dr Okafor', :now, {more})"
                ),
                values,
            )
        c.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, person_id, detail) "
                "VALUES (:now, 'local', 'read', :p, 'progress')"
            ),
            values,
        )
    return me


def account(engine: Engine, email: str, roles: str, person: int | None = None) -> int:
    with engine.begin() as c:
        return int(
            c.execute(
                text(
                    "INSERT INTO accounts (email, roles, person_id, password_hash, created_at) "
                    "VALUES (:e, :r, :p, 'x', :now) RETURNING id"
                ),
                {"e": email, "r": roles, "p": person, "now": NOW},
            ).scalar_one()
        )


def counts(engine: Engine, tables: dict[str, str], person: int | None = None) -> dict[str, int]:
    """How many rows of each table this transaction sees (of `person` only when given)."""
    with engine.connect() as c:
        return {
            table: int(
                c.execute(
                    text(
                        f"SELECT count(*) FROM {table}"
                        + ("" if person is None else f" WHERE {column} = {int(person)}")
                    )
                ).scalar_one()
            )
            for table, column in tables.items()
        }


def test_the_app_connects_as_a_role_row_level_security_applies_to(engine: Engine) -> None:
    with engine.connect() as c:
        who = c.execute(
            text(
                "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            )
        ).one()
    assert tuple(who) == (ROLE, False, False)


def test_every_table_with_a_person_is_protected(engine: Engine) -> None:
    """ENABLE and FORCE (the app's role owns the tables) on every table naming a person."""
    tables = personal_tables(engine)
    with engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            )
        ).all()
    protected = {name for name, enabled, forced in rows if enabled and forced}
    assert set(tables) - protected == set()
    assert {
        "people",
        "sessions",
        "checkins",
        "activities",
        "audit_log",
        "clinic_notes",
    } <= protected
    assert not protected & OPEN


def test_a_query_sees_a_persons_rows_only_for_who_may(engine: Engine) -> None:
    tables = personal_tables(engine)
    store = Store(engine)
    with acting(local=True, account=None):
        sam = a_runner(store, "sam", engine)
        alex = a_runner(store, "alex", engine)
        every = counts(engine, tables)
        sams = counts(engine, tables, sam)
        runner = account(engine, "sam@example.org", "runner", sam)
        linked = account(engine, "okafor@example.org", "clinician")
        other = account(engine, "ng@example.org", "clinician")
        with engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO care_links (clinician_id, person_id, started_at) "
                    "VALUES (:c, :p, :now)"
                ),
                {"c": linked, "p": sam, "now": NOW},
            )
    # the tables sam has rows in: every one of 0015's at least (a later table may stay empty)
    tables = {t: c for t, c in tables.items() if sams[t] > 0}
    assert set(tables) >= PROTECTED_IN_0015
    sams = {t: sams[t] for t in tables}
    every = {t: every[t] for t in tables}
    assert all(every[t] > sams[t] for t in tables)  # alex has rows there too
    nothing = dict.fromkeys(tables, 0)

    assert counts(engine, tables) == nothing  # nobody acts
    with acting(local=False, account=None):
        assert counts(engine, tables) == nothing
    with acting(local=False, account=other):  # a clinician sam is not linked to
        assert counts(engine, tables) == nothing
    with acting(local=False, account=9999):  # no such account
        assert counts(engine, tables) == nothing
    with acting(local=False, account=linked):
        assert counts(engine, tables) == sams
        assert counts(engine, tables, alex) == nothing
    with acting(local=False, account=runner):  # sam's own account
        assert counts(engine, tables) == sams

    with acting(local=True, account=None), engine.begin() as c:
        c.execute(text("UPDATE care_links SET ended_at = :now"), {"now": NOW})
    with acting(local=False, account=linked):  # the link has ended
        assert counts(engine, tables) == nothing
    with acting(local=False, account=runner):
        assert counts(engine, tables) == sams
    with acting(local=True, account=None), engine.begin() as c:
        c.execute(
            text("UPDATE accounts SET disabled_at = :now WHERE id = :a"), {"now": NOW, "a": runner}
        )
    with acting(local=False, account=runner):  # a disabled account sees nothing
        assert counts(engine, tables) == nothing
    with acting(local=True, account=None):
        assert counts(engine, tables) == every


def test_nobody_and_a_stranger_write_nothing(engine: Engine) -> None:
    store = Store(engine)
    with acting(local=True, account=None):
        sam = store.person_id("sam", NOW)
        stranger = account(engine, "ng@example.org", "clinician")
    for who in (None, stranger):
        with acting(local=False, account=who):
            with pytest.raises(ProgrammingError, match="row-level security"), engine.begin() as c:
                c.execute(
                    text(
                        "INSERT INTO checkins (person_id, date, data, created_at) "
                        "VALUES (:p, :d, '{}', :now)"
                    ),
                    {"p": sam, "d": START, "now": NOW},
                )
            with engine.begin() as c:
                done = c.execute(text("UPDATE people SET revision = revision + 1"))
                assert done.rowcount == 0
    with acting(local=True, account=None):
        assert store.version(sam) == 0


def test_the_audit_log_takes_anyones_entry_and_shows_it_to_whom_it_concerns(engine: Engine) -> None:
    store = Store(engine)
    with acting(local=True, account=None):
        sam = store.person_id("sam", NOW)
        runner = account(engine, "sam@example.org", "runner", sam)
        admin = account(engine, "admin@example.org", "admin")
        clinician = account(engine, "ng@example.org", "clinician")
    entry = text(
        "INSERT INTO audit_log (at, account_id, actor, action, person_id, detail) "
        "VALUES (:now, :a, 'x', :action, :p, '')"
    )
    with engine.begin() as c:  # nobody acts: a failed login is still recorded
        c.execute(entry, {"now": NOW, "a": None, "action": "login failed", "p": None})
    with acting(local=False, account=clinician), engine.begin() as c:
        c.execute(entry, {"now": NOW, "a": clinician, "action": "read", "p": sam})
        assert c.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 1  # its own
        assert c.execute(text("UPDATE audit_log SET detail = 'changed'")).rowcount == 0
        assert c.execute(text("DELETE FROM audit_log")).rowcount == 0
    with acting(local=False, account=runner), engine.connect() as c:  # who has seen my data
        seen = c.execute(text("SELECT action, person_id FROM audit_log")).all()
        assert [tuple(r) for r in seen] == [("read", sam)]
    with acting(local=False, account=admin), engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 2
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 0
