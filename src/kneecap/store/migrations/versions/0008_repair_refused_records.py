"""Repair stored records that today's stricter input rules refuse, so reading them back can
never fail: a session keeps at most its first 40 entries (the form's and the API's cap), an
amount stored as true/false becomes "not recorded", and a yes/no stored as a number becomes
true or false. Earlier versions accepted such input through the JSON API.

Revision ID: 0008
Revises: 0007
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"

MAX_ENTRIES = 40  # core.history.MAX_ENTRIES when this was written
AMOUNTS = ("sets_done", "reps_done", "hold_s_done", "minutes_done", "distance_km")


def _entry(e: dict[str, Any]) -> dict[str, Any]:
    out = dict(e)
    for key in AMOUNTS:
        value = out.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float | None):
            out[key] = None
    return out | _flags(out, ("sharp",))


def _flags(d: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: bool(d[k]) for k in keys if k in d and not isinstance(d[k], bool)}


def _session(d: dict[str, Any]) -> dict[str, Any]:
    entries = d.get("entries")
    if not isinstance(entries, list):
        return d
    return {**d, "entries": [_entry(e) for e in entries[:MAX_ENTRIES] if isinstance(e, dict)]}


def _checkin(d: dict[str, Any]) -> dict[str, Any]:
    return d | _flags(d, ("swelling", "limp"))


def _repair(name: str, fix: Any) -> None:
    table = sa.table(name, sa.column("id", sa.Integer), sa.column("data", sa.JSON))
    conn = op.get_bind()
    for row_id, data in conn.execute(sa.select(table.c.id, table.c.data)).all():
        if not isinstance(data, dict):
            continue
        fixed = fix(data)
        if json.dumps(fixed, sort_keys=True) != json.dumps(data, sort_keys=True):  # 0.0 == False
            conn.execute(sa.update(table).where(table.c.id == row_id).values(data=fixed))


def upgrade() -> None:
    _repair("sessions", _session)
    _repair("checkins", _checkin)


def downgrade() -> None:
    """Nothing to undo: the repaired records are valid under the earlier rules too."""
