"""Engines with the connection settings health data needs (see ARCHITECTURE reliability rules)."""

from __future__ import annotations

import sqlite3
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000
# SQLite releases with the WAL-reset fix; older ones keep the rollback journal.
_WAL_SAFE = {(3, 44): (3, 44, 6), (3, 50): (3, 50, 7)}
_WAL_SAFE_FROM = (3, 51, 3)
_WRITE = "kneecap_write"  # execution option: this transaction will write


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
    timeout."""
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

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions begin IMMEDIATE on SQLite: use it for every
    transaction that may write."""
    return engine.execution_options(**{_WRITE: True})


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("kneecap.store") / "migrations"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (applied automatically on every start). A schema already
    there is only read; otherwise the upgrade runs in one IMMEDIATE transaction, so processes
    starting together on a new database migrate it once, one after the other."""
    config = alembic_config(writer(engine))
    if revision == "head":
        head = ScriptDirectory.from_config(config).get_current_head()
        with engine.connect() as connection:
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
    command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(writer(engine)), revision)
