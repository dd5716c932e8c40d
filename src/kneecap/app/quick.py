"""`kneecap today` read straight from an embedded SQLite file with the standard library
(`store.sqlite_reads`), without SQLAlchemy: the programme and the day's plan that
`read.planned(home, today, 1)` gives, for the first `kneecap today` after the data changed
(`cli/entry.py`). Whenever the store must answer instead, None, and the caller opens the home:
a server database, no database file or no such person yet, a schema to migrate, no profile
yet, a review flag due to be stored (`Programme.due`: a write), or a file that cannot be read
(locked past the busy timeout, damaged)."""

from __future__ import annotations

import sqlite3

from kneecap import settings
from kneecap.app.context import LOCAL, Action, Actor, require
from kneecap.app.errors import NoProfile
from kneecap.app.read import Planned, plan_of
from kneecap.programme import Programme
from kneecap.settings import Settings
from kneecap.store.sqlite_reads import SqliteReads


def planned_today(s: Settings, actor: Actor = LOCAL) -> Planned | None:
    """Today's plan of `s.user`, read from the SQLite file at `s.db_url`; None when the store
    must answer (see the module)."""
    path = settings.sqlite_file(s.db_url)
    if path is None or not path.is_file():
        return None
    today = s.clock.today()
    try:
        settings.private_sqlite(s.db_url)  # as the store does before it opens the file
        reads = SqliteReads.open(path)
        if reads is None:
            return None
        try:
            person = reads.person_id(s.user)
            if person is None:
                return None
            require(actor, Action.READ, person)
            p = Programme.of(reads, person, today)
        finally:
            reads.close()
    except (OSError, sqlite3.Error, NoProfile):
        return None
    return None if p.due else plan_of(p, today, today, 1)
