"""Where Kneecap keeps its data, and what "now" is: resolved once at the edge, passed inward."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DB_FILE = "kneecap.sqlite3"


@dataclass(frozen=True)
class Settings:
    home: Path
    db_url: str
    user: str = "me"

    @classmethod
    def resolve(cls, home: Path | None, db: str | None, user: str = "me") -> Settings:
        """`--home`/`KNEECAP_HOME` pick the data folder, `--db`/`KNEECAP_DB` any SQLAlchemy URL."""
        env_home = os.environ.get("KNEECAP_HOME")
        folder = home or (
            Path(env_home) if env_home else Path(platformdirs.user_data_dir("kneecap"))
        )
        url = db or os.environ.get("KNEECAP_DB") or f"sqlite:///{folder / DB_FILE}"
        return cls(home=folder, db_url=url, user=user)


def now_utc() -> dt.datetime:
    """The current time in UTC. `KNEECAP_TODAY=YYYY-MM-DD` pins the date (demos and tests)."""
    pinned = os.environ.get("KNEECAP_TODAY")
    if pinned:
        return dt.datetime.combine(dt.date.fromisoformat(pinned), dt.time(12), tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """The runner's local calendar date (plans are in local days)."""
    pinned = os.environ.get("KNEECAP_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.datetime.now().astimezone().date()


def local_zone() -> dt.tzinfo:
    """The runner's time zone, for the local date of a run: `KNEECAP_TZ` (an IANA name such as
    Europe/Ljubljana) or the machine's own."""
    name = os.environ.get("KNEECAP_TZ")
    if name:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    zone = dt.datetime.now().astimezone().tzinfo
    return zone if zone is not None else dt.UTC
