"""Engines with the connection settings health data needs (see ARCHITECTURE reliability rules)."""

from __future__ import annotations

import sqlite3
from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000
# SQLite releases with the WAL-reset fix; older ones keep the rollback journal.
_WAL_SAFE = {(3, 44): (3, 44, 6), (3, 50): (3, 50, 7)}
_WAL_SAFE_FROM = (3, 51, 3)


def wal_is_safe(version: tuple[int, int, int]) -> bool:
    fixed = _WAL_SAFE.get(version[:2])
    return version >= fixed if fixed else version >= _WAL_SAFE_FROM


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        wal = wal_is_safe(sqlite3.sqlite_version_info)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=FULL")
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("kneecap.store") / "migrations"))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (applied automatically on every start)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)
