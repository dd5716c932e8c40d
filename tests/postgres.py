"""A real PostgreSQL server for the tests: Debian's `postgresql` binaries (initdb, pg_ctl), a
cluster in a temporary folder, started once per test process and stopped at its end.

One server per pytest-xdist worker (and one for a run without workers), never one shared by the
workers: a shared server needs a lock file to elect who starts it and, worse, someone to know
when the last worker is done with it to stop it; a cluster of our own costs half a second
(initdb without fsync, a few MB), needs no coordination, and goes with the process that made it.
It listens on a Unix socket in its own folder only (no TCP port to find free or to collide on).

PostgreSQL refuses to run as root, and the tests run as root in CI: the cluster's folder is then
given to the `postgres` system user and initdb and pg_ctl run as that user (runuser); as any
other user they run as that user. fsync, full-page writes and synchronous commit are off: a
crash loses a test database, never anything kept.

Two roles: `postgres`, the superuser, makes databases; `kneecap`, a plain role that owns them
(not a superuser, no BYPASSRLS: row-level security applies to it as to a practice's app role),
is the one the tests' URLs connect as. A test's database is a copy (CREATE DATABASE ... TEMPLATE)
of one migrated to the newest schema once per server: a copy takes tens of milliseconds where
running the migrations takes about a second."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROLE = "kneecap"  # the app's role: owns the databases, subject to row-level security
ADMIN = "postgres"  # the cluster's superuser: makes and drops databases
TEMPLATE = "kneecap_head"  # migrated to the newest revision once; tests get copies


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on the PATH, or Debian's /usr/lib/postgresql/N/bin
    (the newest N); None when PostgreSQL is not installed."""
    found = shutil.which("initdb"), shutil.which("pg_ctl")
    if all(found):
        return Path(os.path.realpath(str(found[0]))).parent
    folders = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda f: int(Path(f).parent.name) if Path(f).parent.name.isdigit() else 0,
    )
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


class Server:
    """A running cluster and the databases made in it."""

    def __init__(self, bin_folder: Path) -> None:
        self.bin = bin_folder
        self.folder = Path(tempfile.mkdtemp(prefix="kneecap-pg-"))  # short: a socket path
        self.data = self.folder / "data"
        self._names = itertools.count(1)
        self._template_ready = False
        as_root = os.geteuid() == 0
        if as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as = ["runuser", "-u", "postgres", "--"] if as_root else []
        initdb = ["-D", str(self.data), "-U", ADMIN, "-A", "trust", "--no-sync", "-E", "UTF8"]
        self._run("initdb", *initdb, "--locale=C.UTF-8")
        options = (
            f"-c listen_addresses='' -k {self.folder} -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off -c shared_buffers=16MB -c max_connections=200"
        )
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-s", "start")
        self.admin(f"CREATE ROLE {ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as, str(self.bin / tool), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=120,
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-s", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str, role: str = ROLE) -> str:
        """The SQLAlchemy URL of `database`, connecting as `role` over the server's socket."""
        return f"postgresql+psycopg://{role}@/{database}?host={self.folder}"

    def admin(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run `sql` as the superuser, outside any transaction (CREATE DATABASE needs that)."""
        import psycopg

        with psycopg.connect(host=str(self.folder), user=ADMIN, dbname=ADMIN) as c:
            c.autocommit = True
            cursor = c.execute(sql.encode(), params)  # type: ignore[call-overload]
            return list(cursor.fetchall()) if cursor.description else []

    def empty(self) -> str:
        """A new database owned by the app's role, without a schema."""
        name = f"k{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} OWNER {ROLE}")
        return self.url(name)

    def fresh(self) -> str:
        """A new database at the newest schema (a copy of the template)."""
        if not self._template_ready:
            from kneecap.store.engine import make_engine, migrate

            self.admin(f"CREATE DATABASE {TEMPLATE} OWNER {ROLE}")
            engine = make_engine(self.url(TEMPLATE))
            migrate(engine)
            engine.dispose()  # a template is copied only while nobody is connected to it
            self._template_ready = True
        name = f"k{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} OWNER {ROLE}")
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop the database at `url`, ending any connection still open to it."""
        name = url.split("?")[0].rsplit("/", 1)[-1]
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start() -> Server:
    found = binaries()
    if found is None:
        raise FileNotFoundError("PostgreSQL's initdb and pg_ctl")
    return Server(found)
