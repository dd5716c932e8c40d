"""`users`: the accounts of logins (clinic mode, or this Kneecap reached from a phone on the home
network). Run on the server by whoever runs it: the terminal acts as its administrator."""

from __future__ import annotations

from typing import Annotated

import typer

from kneecap.cli.common import JsonOpt, app, opened, use

users_app = typer.Typer(
    help="Accounts for logins: add, list, disable, reset a password.", no_args_is_help=True
)
app.add_typer(users_app, name="users")

RoleOpt = Annotated[
    list[str],
    typer.Option(
        "--role", help="runner, clinician or admin (repeat for an admin who is also a clinician)."
    ),
]


@users_app.command("add")
def add(
    ctx: typer.Context,
    email: str,
    role: RoleOpt,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    person: Annotated[
        str | None,
        typer.Option(help="A runner's: the person whose data the account uses (e.g. 'me')."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(help="The name it signs with, e.g. 'Dr Kim Lee' (a clinician's)."),
    ] = None,
) -> None:
    """Add an account (asks for its password, or reads it with --password-stdin)."""
    from kneecap.app import accounts
    from kneecap.cli import render_users

    password = render_users.read_password(password_stdin)
    with opened(ctx) as home:
        found = use(accounts.add_account, home, email, role, password, person, name)
    render_users.added(found)


@users_app.command("list")
def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every account: email, roles, whether its authenticator is set up, whether disabled."""
    from kneecap.app import accounts
    from kneecap.cli import render_users

    with opened(ctx) as home:
        found = use(accounts.list_accounts, home)
    render_users.listed(found, as_json)


@users_app.command("disable")
def disable(ctx: typer.Context, email: str) -> None:
    """Disable an account: it can no longer log in, and its logins end now."""
    from kneecap.app import accounts
    from kneecap.cli import render_users

    with opened(ctx) as home:
        found = use(accounts.disable_account, home, email)
    render_users.disabled(found)


@users_app.command("reset")
def reset(
    ctx: typer.Context,
    email: str,
    base_url: Annotated[
        str, typer.Option(help="The address the account's owner reaches Kneecap at.")
    ] = "http://127.0.0.1:8765",
    send: Annotated[
        bool,
        typer.Option("--send", help="Email the link through KNEECAP_SMTP_URL instead."),
    ] = False,
) -> None:
    """Print (or --send) a one-time link to set a new password (valid for an hour)."""
    from kneecap.app import accounts
    from kneecap.cli import render_users

    with opened(ctx) as home:
        if send:
            sent = use(accounts.send_reset_link, home, ctx.obj.smtp_url, email, base_url)
            return render_users.sent(sent)
        token = use(accounts.reset_link, home, email)
    render_users.reset(email, base_url, token)
