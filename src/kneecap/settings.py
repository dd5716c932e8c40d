"""Where Kneecap keeps its data, and what "now" is: resolved once at the edge, passed inward.

The data is health data, so it is private by default: the data folder is made 0700 and the
SQLite files 0600, whatever the umask (`private_sqlite`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from kneecap.app.clock import Clock

DB_FILE = "kneecap.sqlite3"


@dataclass(frozen=True)
class Settings:
    home: Path
    db_url: str
    user: str = "me"
    # Host names the web app answers besides this computer's own (`serve --allowed-host`).
    allowed_hosts: tuple[str, ...] = ()
    clock: Clock = field(default_factory=Clock)  # today and now, read once (`Clock.from_env`)
    # Logins: every request needs one (`serve` beyond this computer, or a clinic); a clinic's
    # clearances are recorded by clinicians' accounts.
    logins: bool = False
    clinic: bool = False
    # the practice's mail server for reset links (`app/mail.py`), optional
    smtp_url: str | None = None

    @classmethod
    def resolve(
        cls,
        home: Path | None,
        db: str | None,
        user: str = "me",
        environ: Mapping[str, str] = os.environ,
    ) -> Settings:
        """`--home`/`KNEECAP_HOME` pick the data folder, `--db`/`KNEECAP_DB` any SQLAlchemy URL;
        the clock from `KNEECAP_TODAY`/`KNEECAP_TZ` (a ValueError naming a malformed one)."""
        folder = data_folder(home, environ)
        url = db or environ.get("KNEECAP_DB") or f"sqlite:///{folder / DB_FILE}"
        return cls(
            home=folder,
            db_url=url,
            user=user,
            clock=Clock.from_env(environ),
            smtp_url=environ.get("KNEECAP_SMTP_URL") or None,
        )


SERVE_ENV = "KNEECAP_SERVE"  # the settings a server's worker processes start with


def to_workers(s: Settings) -> dict[str, str]:
    """The environment that gives a server's worker processes `s` (`from_workers`)."""
    import json

    fields = {
        "home": str(s.home),
        "db_url": s.db_url,
        "user": s.user,
        "allowed_hosts": list(s.allowed_hosts),
        "logins": s.logins,
        "clinic": s.clinic,
    }
    return {SERVE_ENV: json.dumps(fields)}


def from_workers(environ: Mapping[str, str] = os.environ) -> Settings:
    """The settings the server that started this worker process was given (`to_workers`)."""
    import json

    fields = json.loads(environ[SERVE_ENV])
    return Settings(
        home=Path(fields["home"]),
        db_url=fields["db_url"],
        user=fields["user"],
        allowed_hosts=tuple(fields["allowed_hosts"]),
        clock=Clock.from_env(environ),
        logins=bool(fields["logins"]),
        clinic=bool(fields["clinic"]),
    )


def data_folder(home: Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The data folder: `--home`, else `KNEECAP_HOME`, else the platform's user data folder."""
    if home is not None:
        return home
    env_home = environ.get("KNEECAP_HOME")
    return Path(env_home) if env_home else Path(platformdirs.user_data_dir("kneecap"))


FOLDER_MODE = 0o700
FILE_MODE = 0o600
SQLITE = "sqlite:///"
# The database and the files SQLite keeps beside it (rollback journal, WAL and its index).
SQLITE_SIDE_FILES = ("", "-journal", "-wal", "-shm")


def private_sqlite(url: str) -> None:
    """Make a SQLite database private before it is opened: its folder 0700 when Kneecap creates
    it (an existing folder may be shared on purpose and is left alone), the database file
    created 0600, and the database and its side files narrowed to 0600 if they are wider.
    SQLite gives the journal and WAL files it creates the database file's mode. Other URLs
    (PostgreSQL, `sqlite://` in memory) have no files here."""
    path = sqlite_file(url)
    if path is None:
        return
    private_folder(path.parent)
    if path.parent == Path(platformdirs.user_data_dir("kneecap")):
        os.chmod(path.parent, FOLDER_MODE)  # the default folder is Kneecap's own: narrow it
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    for suffix in SQLITE_SIDE_FILES:
        private_file(path.with_name(path.name + suffix))


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL; None for memory or any other database."""
    if not url.startswith(SQLITE) or url == SQLITE or url.startswith(SQLITE + ":memory:"):
        return None
    return Path(url.removeprefix(SQLITE).split("?", 1)[0])


def private_folder(folder: Path) -> None:
    """Create `folder` (and any missing parents) with the last one 0700 whatever the umask."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    os.chmod(folder, FOLDER_MODE)


def private_file(path: Path) -> None:
    """Narrow an existing file of ours to 0600 (read and write for its owner only)."""
    try:
        if stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
            os.chmod(path, FILE_MODE)
    except (FileNotFoundError, PermissionError):  # gone, or someone else's file: not ours
        return


def write_private(path: Path, data: bytes) -> None:
    """Write an export (health data leaving the database) readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    private_file(path)
