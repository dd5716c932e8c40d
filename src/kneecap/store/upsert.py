"""INSERT ... ON CONFLICT for rows with a natural key (a check-in per day, an AKPS per day, a
file's part): one statement, so two writers racing for the same key cannot both insert (one
would fail on the unique constraint) and neither reads first. SQLite and PostgreSQL only, the
two databases Kneecap runs on; both spell it the same way in SQLAlchemy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import FromClause, TableClause
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(s: Session, table: FromClause) -> Any:
    target = cast(TableClause, table)  # a mapped class's __table__: a Table
    dialect = s.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(target)
    if dialect == "postgresql":
        return postgresql.insert(target)
    raise NotImplementedError(f"no upsert for {dialect}")


def replace(
    s: Session,
    table: FromClause,
    values: dict[str, Any],
    key: Sequence[str],
    keep: Sequence[str] = (),
) -> None:
    """Insert `values`, or overwrite the row with the same `key` columns (all but `keep`)."""
    stmt = _insert(s, table).values(**values)
    changed = {c: stmt.excluded[c] for c in values if c not in key and c not in keep}
    s.execute(stmt.on_conflict_do_update(index_elements=list(key), set_=changed))


def add_new(s: Session, table: FromClause, values: dict[str, Any], key: Sequence[str]) -> bool:
    """Insert `values` unless a row with the same `key` columns exists; True if inserted."""
    stmt = _insert(s, table).values(**values).on_conflict_do_nothing(index_elements=list(key))
    return bool(s.execute(stmt).rowcount)  # type: ignore[attr-defined]
