"""`serve`: the web app on this machine."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kneecap.cli.common import app, fail

if TYPE_CHECKING:
    from fastapi import FastAPI

    from kneecap.cli import tls
    from kneecap.settings import Settings


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8765,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A name (or address) the app may be reached by besides this computer's own; "
            "repeat for several. Requests naming any other host are refused (DNS rebinding).",
        ),
    ] = None,
    tls: Annotated[
        bool,
        typer.Option(
            "--tls",
            help="Serve over https with a self-signed certificate kept in the data folder (made "
            "on first use; its fingerprint is printed), so a phone can install the app and use "
            "it offline.",
        ),
    ] = False,
    clinic: Annotated[
        bool,
        typer.Option(
            "--clinic",
            help="Clinic mode: every page needs a login; clinicians look after the runners "
            "linked to them (docs/clinic.md). Use a PostgreSQL database (--db).",
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (a server database scales).")
    ] = 1,
) -> None:
    """Start the web app (open the address it prints in your browser)."""
    from kneecap.cli import render_serve

    names = allowed_hosts(host, allowed_host)
    render_serve.exposure(host, allowed_host)
    settings = logins_checked(ctx.obj, host, names, clinic)
    certificate = _certificate(settings.home, host) if tls else None
    render_serve.running(host, port, certificate)
    _run(settings, host, port, certificate, workers)


def logins_checked(given: Settings, host: str, names: tuple[str, ...], clinic: bool) -> Settings:
    """The server's settings: logins needed in a clinic and beyond this computer, which is
    refused while there is no account to log in with."""
    from kneecap.app import accounts
    from kneecap.app.errors import Busy, CannotOpen
    from kneecap.app.home import opened
    from kneecap.web.hosts import is_loopback

    logins = clinic or not is_loopback(host)
    settings = dataclasses.replace(given, allowed_hosts=names, logins=logins, clinic=clinic)
    if not logins:
        return settings
    try:
        with opened(settings, settings.clock) as home:
            found = accounts.any_accounts(home)
    except (CannotOpen, Busy) as exc:
        fail(str(exc))
    if not found:
        why = "clinic mode" if clinic else f"serving on {host}"
        fail(
            f"{why} needs logins, and there is no account yet: create one first, "
            "e.g. 'kneecap users add you@example.com --role runner --person me' (your own data) "
            "or '--role clinician'; then start the server again"
        )
    return settings


def _run(
    settings: Settings, host: str, port: int, certificate: tls.Certificate | None, workers: int
) -> None:
    import os

    import uvicorn

    from kneecap.settings import to_workers

    cert = None if certificate is None else str(certificate.cert)
    key = None if certificate is None else str(certificate.key)
    application = web_app(settings)  # refused here, with the reason, if it cannot open
    if workers > 1:  # each worker process makes its own app from the settings
        application.state.store.close()
        os.environ.update(to_workers(settings))
    uvicorn.run(
        application if workers == 1 else "kneecap.web.app:from_workers",
        factory=workers > 1,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=cert,
        ssl_keyfile=key,
    )


def allowed_hosts(host: str, given: list[str] | None) -> tuple[str, ...]:
    """The names requests may give besides this computer's own: each --allowed-host (a name or
    an address, no port), and the address listened on unless it is this computer's or any."""
    from kneecap.cli.render_serve import WILDCARDS
    from kneecap.web.hosts import is_loopback, valid_name

    names = []
    for value in given or []:
        name = valid_name(value)
        if name is None:
            fail(f"--allowed-host {value!r}: give a host name or address, without a port")
        names.append(name)
    if not is_loopback(host) and host not in WILDCARDS:
        names.append(host)  # the address it listens on names it
    return tuple(names)


def web_app(settings: Settings) -> FastAPI:
    from kneecap.app.errors import CannotOpen
    from kneecap.web.app import create_app

    try:
        return create_app(settings)
    except CannotOpen as exc:
        fail(str(exc))


def _certificate(folder: Path, host: str) -> tls.Certificate:
    """The certificate to serve with. Its dates are the real ones, whatever day the plan is
    pinned to (KNEECAP_TODAY): a certificate dated otherwise is refused by the phone."""
    import datetime as dt

    from kneecap.cli import render_serve, tls

    try:
        found = tls.ensure(folder, host, dt.datetime.now(dt.UTC))
    except (OSError, ValueError) as exc:
        fail(f"--tls: cannot make the certificate in {folder}: {exc}")
    render_serve.made(found)
    return found
