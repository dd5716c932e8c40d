"""`db`: the database's schema, where it is (`db status`) and its upgrade (`db upgrade`).

An embedded SQLite database is upgraded when Kneecap opens it; a server database (any other
URL given with --db or KNEECAP_DB) only by `kneecap db upgrade`, after a backup."""

from __future__ import annotations

import typer

from kneecap.app.errors import CannotOpen
from kneecap.cli.common import JsonOpt, app, fail

db_app = typer.Typer(
    help="The database's schema: its status, and upgrades (explicit for a server database).",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")


@db_app.command("status")
def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Where the schema is: current, behind (an upgrade is due) or ahead of this Kneecap."""
    from kneecap.app import home
    from kneecap.cli import render_db

    try:
        found = home.schema_status(ctx.obj)
    except CannotOpen as exc:
        fail(str(exc))
    render_db.status(found, as_json)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Apply the migrations this Kneecap brings (in one transaction); prints the revision."""
    from kneecap.app import home
    from kneecap.cli import render_db

    try:
        before, after = home.upgrade(ctx.obj)
    except CannotOpen as exc:
        fail(str(exc))
    render_db.upgraded(before, after, as_json)
