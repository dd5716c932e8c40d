"""The stamp of a runner's data in an embedded SQLite database: the schema's revision and the
person's row (id, creation time, and the revision every write of their data moves,
`Store.transaction`). Read with the standard library's sqlite3, read-only, so that a caller can
tell that nothing changed without loading SQLAlchemy."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def stamp(database: Path, person: str) -> str | None:
    """The stamp of `person`'s data in the SQLite file `database`; None when there is no
    database, no schema or no such person yet, or it cannot be read."""
    if not database.is_file():
        return None
    try:
        with sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True) as db:
            schema = db.execute("SELECT version_num FROM alembic_version").fetchone()
            found = db.execute(
                "SELECT id, created_at, revision FROM people WHERE name = ?", (person,)
            ).fetchone()
        db.close()
    except sqlite3.Error:
        return None
    if schema is None or found is None:
        return None
    return f"{schema[0]}:{found[0]}:{found[1]}:{found[2]}"
