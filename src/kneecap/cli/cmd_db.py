"""`db`: the database's schema, where it is (`db status`) and its upgrade (`db upgrade`).

An embedded SQLite database is upgraded when Kneecap opens it; a server database (any other
URL given with --db or KNEECAP_DB) only by `kneecap db upgrade`, after a backup."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from kneecap.app.errors import CannotOpen
from kneecap.cli.common import JsonOpt, app, emit_json, fail, out

if TYPE_CHECKING:
    from kneecap.app.home import SchemaStatus

db_app = typer.Typer(
    help="The database's schema: its status, and upgrades (explicit for a server database).",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")


@db_app.command("status")
def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Where the schema is: current, behind (an upgrade is due) or ahead of this Kneecap."""
    from kneecap.app import home

    try:
        found = home.schema_status(ctx.obj)
    except CannotOpen as exc:
        fail(str(exc))
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


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Apply the migrations this Kneecap brings (in one transaction); prints the revision."""
    from kneecap.app import home

    try:
        before, after = home.upgrade(ctx.obj)
    except CannotOpen as exc:
        fail(str(exc))
    if as_json:
        emit_json({"from": before.stored, "revision": after.stored})
    elif before.stored == after.stored:
        out.print(f"Schema at revision {after.stored}: already current, nothing to do.")
    else:
        out.print(
            f"Schema upgraded from {f'revision {before.stored}' if before.stored else 'nothing'} "
            f"to revision {after.stored}."
        )
