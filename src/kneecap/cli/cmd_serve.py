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
) -> None:
    """Start the web app (open the address it prints in your browser)."""
    import uvicorn

    from kneecap.cli import render_serve

    names = allowed_hosts(host, allowed_host)
    render_serve.exposure(host, allowed_host)
    settings = dataclasses.replace(ctx.obj, allowed_hosts=names)
    application = web_app(settings)
    certificate = _certificate(settings.home, host) if tls else None
    render_serve.running(host, port, certificate)
    uvicorn.run(
        application,
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=None if certificate is None else str(certificate.cert),
        ssl_keyfile=None if certificate is None else str(certificate.key),
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
