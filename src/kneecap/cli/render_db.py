"""The database's schema in the terminal: `db status` and `db upgrade`, as text or JSON.
Imported inside the commands only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kneecap.cli.common import emit_json, out

if TYPE_CHECKING:
    from kneecap.app.home import SchemaStatus


def status(found: SchemaStatus, as_json: bool) -> None:
    if as_json:
        emit_json(found.to_dict())
        return
    out.print(describe(found))


def describe(found: SchemaStatus) -> str:
    at = f"Schema at revision {found.stored}" if found.stored else "No schema yet"
    if found.state == "current":
        said = f"{at}: current."
    elif found.state == "ahead":
        said = f"{at}, newer than this Kneecap knows ({found.newest}): upgrade Kneecap to use it."
    elif found.automatic:
        said = f"{at}, {found.newest} is due: applied when Kneecap next opens the database."
    else:
        said = f"{at}, {found.newest} is due: back the database up, then run 'kneecap db upgrade'."
    how = (
        "embedded SQLite: upgraded automatically when opened"
        if found.automatic
        else "server database: upgraded only by 'kneecap db upgrade'"
    )
    return f"{said} ({how})"


def upgraded(before: SchemaStatus, after: SchemaStatus, as_json: bool) -> None:
    if as_json:
        emit_json({"from": before.stored, "revision": after.stored})
    elif before.stored == after.stored:
        out.print(f"Schema at revision {after.stored}: already current, nothing to do.")
    else:
        out.print(
            f"Schema upgraded from {f'revision {before.stored}' if before.stored else 'nothing'} "
            f"to revision {after.stored}."
        )
