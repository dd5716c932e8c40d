"""The schema's revisions as this Kneecap knows them, without SQLAlchemy or alembic: each
migration file in migrations/versions is named after its revision id (0001_..., 0008_...), so
the newest is the largest. The readers that load no SQLAlchemy (`store.stamp`,
`store.sqlite_reads`) compare a database's revision with it as `store.engine` does."""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable

VERSION_TABLE = "alembic_version"
_MIGRATION_FILE = re.compile(r"(\d{4})_\w+\.py")  # versions/0008_repair_refused_records.py


def migrations() -> Traversable:
    return resources.files("kneecap.store") / "migrations"


def newest_revision() -> str:
    """The id of the newest migration, found without alembic."""
    found = [
        m.group(1)
        for f in (migrations() / "versions").iterdir()
        if (m := _MIGRATION_FILE.fullmatch(f.name))
    ]
    return max(found)
