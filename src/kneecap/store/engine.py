"""Engines with the connection settings health data needs (see ARCHITECTURE reliability rules),
and the schema's revision: read with one query and compared with the newest migration file, so
alembic is imported only when there is something to upgrade.

On PostgreSQL every transaction says who acts (`ACTING`, set with `acting`): row-level security
(migration 0015) shows and lets write only the rows of the people that one may see; a
transaction begun while nobody acts sees no rows and can write none."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text

from kneecap.store.revisions import VERSION_TABLE as VERSION_TABLE
from kneecap.store.revisions import migrations as migrations
from kneecap.store.revisions import newest_revision as newest_revision

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session

BUSY_TIMEOUT_MS = 5000
# SQLite releases with the WAL-reset fix; older ones keep the rollback journal.
_WAL_SAFE = {(3, 44): (3, 44, 6), (3, 50): (3, 50, 7)}
_WAL_SAFE_FROM = (3, 51, 3)
_WRITE = "kneecap_write"  # execution option: this transaction will write


@dataclass(frozen=True)
class Acting:
    """Who the database acts for: the local person at this computer (the CLI, personal mode,
    migrations: every row), or a logged-in account (its own person's rows and those of the
    runners linked to it)."""

    local: bool
    account: int | None


ACTING: ContextVar[Acting | None] = ContextVar("kneecap_acting", default=None)


@contextmanager
def acting(local: bool, account: int | None) -> Iterator[Acting]:
    """Transactions begun inside act for `local` or `account` (PostgreSQL's per-transaction
    settings kneecap.local and kneecap.account; nothing on SQLite)."""
    who = Acting(local, account)
    token = ACTING.set(who)
    try:
        yield who
    finally:
        ACTING.reset(token)


# pg_advisory_xact_lock's first key: Kneecap's write lock of one person (the second key)
_PERSON_LOCK = 0x6B6E


def lock_person(session: Session, person_id: int) -> None:
    """Take the write lock of `person_id`'s data for the rest of the transaction (PostgreSQL:
    an advisory lock; SQLite's BEGIN IMMEDIATE already serialises every write). Writes that
    read before they write (is this run stored already? which session version is current?)
    then see every write committed before theirs: no duplicate run, no lost edit."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :person)"),
            {"space": _PERSON_LOCK, "person": person_id},
        )


def wal_is_safe(version: tuple[int, int, int]) -> bool:
    fixed = _WAL_SAFE.get(version[:2])
    return version >= fixed if fixed else version >= _WAL_SAFE_FROM


def make_engine(url: str) -> Engine:
    """An engine for `url`. On SQLite, Kneecap begins its own transactions instead of the
    driver: BEGIN IMMEDIATE for writes (`writer`), none for reads, each of whose statements
    then holds the shared lock only while it runs (with the rollback journal a reader's lock
    holds up every commit). A write that began as a read cannot take the write lock later
    without risking "database is locked" at once (SQLite skips the busy handler when waiting
    could deadlock); beginning IMMEDIATE takes it first, and waits for it under the busy
    timeout. On PostgreSQL each transaction begins by saying who acts (`ACTING`), for the
    row-level security policies."""
    engine = create_engine(url, hide_parameters=True)  # no health data in logged SQL errors
    if engine.dialect.name == "sqlite":
        wal = wal_is_safe(sqlite3.sqlite_version_info)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # the driver issues no BEGIN of its own
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=FULL")
            # TRUNCATE: the rollback journal, emptied rather than deleted at each commit (no
            # file deletion and folder sync per write: ~40% more writes a second measured)
            cursor.execute("PRAGMA journal_mode=WAL" if wal else "PRAGMA journal_mode=TRUNCATE")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            if connection.get_execution_options().get(_WRITE, False):
                connection.exec_driver_sql("BEGIN IMMEDIATE")

    elif engine.dialect.name == "postgresql":

        @event.listens_for(engine, "begin")
        def _acting(connection: Connection) -> None:
            who = ACTING.get()
            if who is None:  # nobody acts: row-level security shows no rows
                return
            connection.exec_driver_sql(
                "SELECT set_config('kneecap.local', %s, true), "
                "set_config('kneecap.account', %s, true)",
                ("on" if who.local else "", "" if who.account is None else str(who.account)),
            )

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions begin IMMEDIATE on SQLite: use it for every
    transaction that may write."""
    return engine.execution_options(**{_WRITE: True})


def embedded(url: str) -> bool:
    """Is `url` an embedded SQLite database (a file, or memory) rather than a server's?"""
    return url.split(":", 1)[0].split("+", 1)[0] == "sqlite"


@dataclass(frozen=True)
class Schema:
    """Where a database's schema is: `stored` is its revision (None before the first
    migration), `newest` the one this Kneecap brings."""

    stored: str | None
    newest: str

    @property
    def state(self) -> str:
        """current, behind (an upgrade applies the newer migrations) or ahead (the database
        was upgraded by a newer Kneecap, or holds a revision this one does not know)."""
        if self.stored == self.newest:
            return "current"
        if self.stored is None or self.stored < self.newest:
            return "behind"
        return "ahead"


class SchemaBehind(RuntimeError):
    """The database's schema needs an upgrade that is not applied automatically."""

    def __init__(self, schema: Schema) -> None:
        super().__init__(f"schema at {schema.stored or 'none'}, {schema.newest} needed")
        self.schema = schema


def stored_revision(connection: Connection) -> str | None:
    """The revision the database's schema is at; None when it has none yet."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").all()
    return str(rows[0][0]) if len(rows) == 1 else None


def schema(engine: Engine) -> Schema:
    with engine.connect() as connection:
        return Schema(stored_revision(connection), newest_revision())


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations()))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`. A schema already at the newest is only read (one query,
    no alembic); otherwise the upgrade runs in one IMMEDIATE transaction, so processes starting
    together on a new database migrate it once, one after the other."""
    if revision == "head" and schema(engine).state == "current":
        return
    from alembic import command

    command.upgrade(alembic_config(writer(engine)), revision)


def require_current(engine: Engine) -> Schema:
    """The schema, refused with SchemaBehind when it is not at the newest revision: for
    databases whose upgrades are applied on explicit command (`kneecap db upgrade`)."""
    found = schema(engine)
    if found.state == "behind":
        raise SchemaBehind(found)
    return found


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(writer(engine)), revision)
