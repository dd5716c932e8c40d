"""What every command shares: the Typer app, consoles, errors, JSON output, the open store.

Exit codes, consoles and JSON output: `cli/console.py`.

Every command module is imported to list the commands in `--help`, so they import only what
this module does (typer, rich's console): the rest (the store, the engine, the catalogue, numpy)
inside the commands that use it, so `kneecap --help` starts in a blink.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from kneecap import DISCLAIMER
from kneecap.app import BadInput, Clock, Forbidden, Home, NoProfile
from kneecap.app.errors import Busy, CannotOpen
from kneecap.cli.console import EXIT_BAD_INPUT as EXIT_BAD_INPUT
from kneecap.cli.console import EXIT_BUSY as EXIT_BUSY
from kneecap.cli.console import EXIT_NOTHING as EXIT_NOTHING
from kneecap.cli.console import EXIT_WITHHELD as EXIT_WITHHELD
from kneecap.cli.console import emit_json as emit_json
from kneecap.cli.console import err as err
from kneecap.cli.console import out as out

if TYPE_CHECKING:
    from kneecap.programme import Programme
    from kneecap.settings import Settings

T = TypeVar("T")

# Help in plain text (rich_markup_mode=None, inherited by every sub-app): a flag is listed as a
# flag (rich panels show every option's type, `--json <bool>` for a flag), and --help loads no
# rich tables.
app = typer.Typer(
    help="Kneecap: a home programme for runner's knee. " + DISCLAIMER,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
profile_app = typer.Typer(help="Show or edit your profile.", invoke_without_command=True)
app.add_typer(profile_app, name="profile")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output (docs/json.md).")]
DateOpt = Annotated[dt.date | None, typer.Option(formats=["%Y-%m-%d"], help="A date, YYYY-MM-DD.")]


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def finish(code: int) -> None:
    """End a command with `code` (the exit codes above): 0 returns as usual."""
    if code:
        raise typer.Exit(code)


def version() -> str:
    """The installed package's version (its metadata), else the source's."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("kneecap")
    except PackageNotFoundError:  # running from a source tree that is not installed
        from kneecap import __version__

        return __version__


def _show_version(value: bool) -> None:
    if value:
        out.print(f"kneecap {version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    home: Annotated[Path | None, typer.Option(help="Data folder (env KNEECAP_HOME).")] = None,
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL (env KNEECAP_DB). A server database (not SQLite) is upgraded "
            "only by 'kneecap db upgrade'."
        ),
    ] = None,
    user: Annotated[
        str, typer.Option(help="Whose data, when several people share a database.")
    ] = "me",
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            expose_value=False,
            callback=_show_version,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    from kneecap.settings import Settings

    ctx.obj = Settings.resolve(home, db, user)


@contextmanager
def opened(ctx: typer.Context) -> Iterator[Home]:
    """The runner's home for this command; the app's errors become exit codes."""
    from kneecap.app import home as app_home

    s: Settings = ctx.obj
    try:
        with app_home.opened(s, s.clock) as found:
            yield found
    except CannotOpen as exc:
        fail(str(exc))
    except Busy as exc:  # e.g. another process held the write lock past the timeout
        fail(str(exc), EXIT_BUSY)


def clock(ctx: typer.Context) -> Clock:
    settings: Settings = ctx.obj
    return settings.clock


def today(ctx: typer.Context) -> dt.date:
    return clock(ctx).today()


def programme(found: Home) -> Programme:
    """The programme as of today; exit 1 before the intake."""
    from kneecap.app import read

    return use(read.programme, found)


def use(case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a use case; its refusals become the CLI's messages and exit codes (2: bad input,
    1: nothing to show yet)."""
    try:
        return case(*args, **kwargs)
    except BadInput as exc:
        fail("\n".join(exc.problems))
    except NoProfile:
        fail("no profile yet: run 'kneecap init' first", EXIT_NOTHING)
    except Forbidden as exc:
        fail(str(exc))
