"""Schema upgrades: automatic for embedded SQLite, on explicit command (`kneecap db upgrade`)
for a server database; the revision is read without alembic when it is current.

A server database is a real PostgreSQL database (tests/postgres.py), and also SQLite under
another dialect name (tests/serverdb.py), whose URL is not SQLite's, as PostgreSQL's is not."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from kneecap.app import home
from kneecap.app.errors import CannotOpen
from kneecap.settings import Settings
from kneecap.store.engine import embedded, make_engine, migrate, migrations, newest_revision
from tests import serverdb
from tests.conftest import Cli
from tests.postgres import Server

OLDER = "0007"


def at(url: str, revision: str) -> None:
    """A database at `url` whose schema is at `revision`."""
    engine = make_engine(url)
    migrate(engine, revision)
    engine.dispose()


def settings(tmp_path: Path, url: str) -> Settings:
    return Settings(tmp_path, url)


@pytest.fixture(params=["postgresql", "standin"])
def new_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new server database without a schema: PostgreSQL's, or the stand-in's."""
    if request.param == "standin":
        yield serverdb.url(tmp_path / "server.db")
        return
    postgres: Server = request.getfixturevalue("postgres_server")
    url = postgres.empty()
    yield url
    postgres.drop(url)


@pytest.fixture
def server(new_server: str) -> str:
    """A server database whose schema is one migration behind."""
    at(new_server, OLDER)
    return new_server


def test_the_newest_revision_is_read_from_the_migration_files_as_alembic_reads_it() -> None:
    config = Config()
    config.set_main_option("script_location", str(migrations()))
    assert newest_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_only_sqlite_urls_are_embedded() -> None:
    assert embedded("sqlite:////home/sam/.local/share/kneecap/kneecap.sqlite3")
    assert embedded("sqlite+pysqlite:///k.sqlite3")
    assert embedded("sqlite://")
    assert not embedded("postgresql+psycopg://runner@db.example/kneecap")
    assert not embedded("postgresql://db/kneecap")
    assert not embedded(serverdb.url(Path("/tmp/k.db")))


def test_a_server_database_behind_is_refused_saying_to_run_db_upgrade(
    tmp_path: Path, server: str
) -> None:
    with pytest.raises(CannotOpen, match="run 'kneecap db upgrade'") as refused:
        home.open_store(settings(tmp_path, server))
    assert f"revision {OLDER}" in str(refused.value)
    assert newest_revision() in str(refused.value)
    assert home.schema_status(settings(tmp_path, server)).stored == OLDER  # nothing applied


def test_a_new_server_database_is_refused_until_upgraded(tmp_path: Path, new_server: str) -> None:
    url = new_server
    with pytest.raises(CannotOpen, match=r"no schema yet, this Kneecap needs .*kneecap db upgrade"):
        home.open_store(settings(tmp_path, url))
    before, after = home.upgrade(settings(tmp_path, url))
    assert (before.stored, after.stored, after.state) == (None, newest_revision(), "current")


def test_an_upgraded_server_database_opens(tmp_path: Path, server: str) -> None:
    before, after = home.upgrade(settings(tmp_path, server))
    assert (before.stored, before.state) == (OLDER, "behind")
    assert (after.stored, after.state) == (newest_revision(), "current")
    home.open_store(settings(tmp_path, server)).close()


def test_an_embedded_database_behind_is_upgraded_when_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    at(url, OLDER)
    home.open_store(settings(tmp_path, url)).close()
    assert home.schema_status(settings(tmp_path, url)).state == "current"


def test_a_schema_newer_than_this_kneecap_is_neither_opened_nor_upgraded(tmp_path: Path) -> None:
    refuse_newer(tmp_path, f"sqlite:///{tmp_path / 'k.sqlite3'}")


def test_a_server_schema_newer_than_this_kneecap_is_neither_opened_nor_upgraded(
    tmp_path: Path, new_server: str
) -> None:
    refuse_newer(tmp_path, new_server)


def refuse_newer(tmp_path: Path, url: str) -> None:
    at(url, "head")
    engine = make_engine(url)
    with engine.begin() as c:
        c.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    assert home.schema_status(settings(tmp_path, url)).state == "ahead"
    for attempt in (home.open_store, home.upgrade):
        with pytest.raises(CannotOpen, match="9999, newer than this Kneecap knows"):
            attempt(settings(tmp_path, url))


# --- through the command ----------------------------------------------------------------------


def test_the_cli_refuses_a_server_database_behind_then_db_upgrade_applies_it(
    cli: Cli, server: str
) -> None:
    # the command in this process, where importing tests.serverdb registered the dialect
    refused = cli("--db", server, "plan")
    assert refused.code == 2
    assert "run 'kneecap db upgrade'" in refused.err
    assert "Traceback" not in refused.err

    status = cli("--db", server, "db", "status", "--json")
    assert status.code == 0, status.err
    assert json.loads(status.out) == {
        "revision": OLDER,
        "newest": newest_revision(),
        "state": "behind",
        "upgrades": "explicit",
    }
    assert "kneecap db upgrade" in cli("--db", server, "db", "status").out

    upgraded = cli("--db", server, "db", "upgrade")
    assert upgraded.code == 0, upgraded.err
    assert f"from revision {OLDER} to revision {newest_revision()}" in upgraded.out

    again = cli("--db", server, "db", "upgrade", "--json")
    assert json.loads(again.out) == {"from": newest_revision(), "revision": newest_revision()}
    status = cli("--db", server, "db", "status", "--json")
    assert json.loads(status.out)["state"] == "current"


def test_the_default_database_is_upgraded_when_a_command_opens_it(cli: Cli) -> None:
    fresh = cli("db", "status", "--json")
    assert fresh.code == 0, fresh.err
    assert json.loads(fresh.out) == {
        "revision": None,
        "newest": newest_revision(),
        "state": "behind",
        "upgrades": "automatic",
    }
    assert "applied when Kneecap next opens the database" in cli("db", "status").out

    assert cli("today").code == 1  # no profile yet, but the database was opened

    assert json.loads(cli("db", "status", "--json").out)["state"] == "current"


def test_db_upgrade_of_an_unknown_url_is_refused_without_a_traceback(cli: Cli) -> None:
    result = cli("--db", "nosuchdb://x", "db", "upgrade")
    assert result.code == 2
    assert "cannot open the database" in result.err
    assert "Traceback" not in result.err


CURRENT_WITHOUT_ALEMBIC = """
import sys
from kneecap.app import home
from kneecap.settings import Settings
from pathlib import Path
folder = Path(sys.argv[1])
home.open_store(Settings(folder, f"sqlite:///{folder / 'k.sqlite3'}")).close()
print("alembic" in sys.modules)
"""


def test_a_current_schema_is_opened_without_importing_alembic(tmp_path: Path) -> None:
    at(f"sqlite:///{tmp_path / 'k.sqlite3'}", "head")
    found = subprocess.run(
        [sys.executable, "-c", CURRENT_WITHOUT_ALEMBIC, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "False"
