"""What every command shares: the Typer app, consoles, errors, JSON output, the open store.

Exit codes: 0 ok, 1 nothing to show yet, 2 bad input, 3 plan withheld, 4 database busy.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from kneecap import DISCLAIMER, settings
from kneecap.programme import NoProfile, Programme
from kneecap.settings import Settings
from kneecap.store.repository import Store

EXIT_NOTHING, EXIT_BAD_INPUT, EXIT_WITHHELD, EXIT_BUSY = 1, 2, 3, 4

app = typer.Typer(
    help="Kneecap: a home programme for runner's knee. " + DISCLAIMER,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
profile_app = typer.Typer(help="Show or edit your profile.", invoke_without_command=True)
app.add_typer(profile_app, name="profile")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output (docs/json.md).")]
DateOpt = Annotated[dt.date | None, typer.Option(formats=["%Y-%m-%d"], help="A date, YYYY-MM-DD.")]


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@app.callback()
def main_options(
    ctx: typer.Context,
    home: Annotated[Path | None, typer.Option(help="Data folder (env KNEECAP_HOME).")] = None,
    db: Annotated[str | None, typer.Option(help="Database URL (env KNEECAP_DB).")] = None,
    user: Annotated[
        str, typer.Option(help="Whose data, when several people share a database.")
    ] = "me",
) -> None:
    ctx.obj = Settings.resolve(home, db, user)


@contextmanager
def opened(ctx: typer.Context) -> Iterator[tuple[Store, int]]:
    s: Settings = ctx.obj
    try:
        settings.private_sqlite(s.db_url)
        store = Store.open(s.db_url)
    except OSError as exc:  # the data folder or file cannot be made private or created
        fail(f"cannot prepare the database {s.db_url!r}: {exc.strerror} ({exc.filename})")
    except (ArgumentError, OperationalError, NoSuchModuleError, ModuleNotFoundError) as exc:
        fail(
            f"cannot open the database {s.db_url!r}: {exc.__class__.__name__}: {exc.args[0] if exc.args else ''}"
        )
    try:
        yield store, store.person_id(s.user, settings.now_utc())
    except OperationalError as exc:  # e.g. another process held the write lock past the timeout
        fail(f"the database is busy, nothing was saved: try again ({exc.orig})", EXIT_BUSY)
    finally:
        store.close()


def programme(store: Store, person_id: int) -> Programme:
    try:
        return Programme.of(store, person_id, settings.today())
    except NoProfile as exc:
        fail(str(exc), EXIT_NOTHING)
