"""A stand-in for a server database: SQLite under another dialect name, so Kneecap treats its
URL (`kneecapserver:///path`) as a server's and upgrades its schema only on explicit command.
Importing this module registers the dialect (and alembic's support for it) in this process;
`run_cli` runs the real `kneecap` command in a child process that imports it first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.ddl.sqlite import SQLiteImpl
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

NAME = "kneecapserver"
REPO = Path(__file__).resolve().parents[1]


class ServerDialect(SQLiteDialect_pysqlite):
    name = NAME
    supports_statement_cache = True


class ServerImpl(SQLiteImpl):
    __dialect__ = NAME


registry.register(NAME, __name__, "ServerDialect")


def url(path: Path) -> str:
    return f"{NAME}:///{path}"


def run_cli(home: Path, *args: str, today: str = "2026-12-07") -> subprocess.CompletedProcess[str]:
    """`kneecap ARGS` with this dialect registered, against the data folder `home`."""
    env = {**os.environ, "KNEECAP_HOME": str(home), "KNEECAP_TODAY": today, "COLUMNS": "120"}
    env.pop("KNEECAP_DB", None)
    code = "import tests.serverdb; from kneecap.cli.app import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
