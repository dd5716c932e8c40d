"""A stand-in for a server database: SQLite under another dialect name, so Kneecap treats its
URL (`kneecapserver:///path`) as a server's and upgrades its schema only on explicit command.
Importing this module registers the dialect (and alembic's support for it) in this process,
where the `cli` fixture runs the `kneecap` command."""

from __future__ import annotations

from pathlib import Path

from alembic.ddl.sqlite import SQLiteImpl
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

NAME = "kneecapserver"


class ServerDialect(SQLiteDialect_pysqlite):
    name = NAME
    supports_statement_cache = True


class ServerImpl(SQLiteImpl):
    __dialect__ = NAME


registry.register(NAME, __name__, "ServerDialect")


def url(path: Path) -> str:
    return f"{NAME}:///{path}"
