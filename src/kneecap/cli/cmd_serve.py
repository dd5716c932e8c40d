"""`serve`: the web app on this machine."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kneecap.cli.common import app, err, fail, out
from kneecap.web.hosts import is_loopback, valid_name

if TYPE_CHECKING:
    from kneecap.cli import tls

WILDCARDS = ("0.0.0.0", "::")


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

    from kneecap.app.errors import CannotOpen
    from kneecap.web.app import create_app

    names = []
    for given in allowed_host or []:
        name = valid_name(given)
        if name is None:
            fail(f"--allowed-host {given!r}: give a host name or address, without a port")
        names.append(name)
    if not is_loopback(host) and host not in WILDCARDS:
        names.append(host)  # the address it listens on names it
    if not is_loopback(host):
        err.print(
            f"[bold yellow]warning:[/] listening on {host}: anyone who can reach this address "
            "can see and change your data. Accounts arrive with clinic mode; until then keep "
            "Kneecap on 127.0.0.1."
        )
        if host in WILDCARDS and not allowed_host:
            err.print(
                "Only this computer's own addresses are answered: add --allowed-host NAME for "
                "each name or address other devices use to reach it."
            )
    settings = dataclasses.replace(ctx.obj, allowed_hosts=tuple(names))
    try:
        application = create_app(settings)
    except CannotOpen as exc:
        fail(str(exc))
    shown = f"[{host}]" if ":" in host else host
    if not tls:
        out.print(f"Kneecap is running at http://{shown}:{port}/  (Ctrl-C to stop)")
        uvicorn.run(application, host=host, port=port, log_level="warning")
        return
    certificate = _certificate(settings.home, host)
    out.print(f"Kneecap is running at https://{shown}:{port}/  (Ctrl-C to stop)", soft_wrap=True)
    announce(certificate)
    uvicorn.run(
        application,
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=str(certificate.cert),
        ssl_keyfile=str(certificate.key),
    )


def announce(certificate: tls.Certificate) -> None:
    """Where the authority to install on the phone is, and the fingerprints to compare."""
    out.print(
        f"Install on your phone: {certificate.authority} (this computer's own certificate "
        f"authority), SHA-256 fingerprint: {certificate.fingerprint}",
        soft_wrap=True,
        highlight=False,
        emoji=False,  # a fingerprint's ":AB:" is not an emoji
        markup=False,
    )
    out.print(
        "Before you trust it on your phone, check that the fingerprint the phone shows is this "
        "one (README: Kneecap on your phone). To try it once without installing it, the "
        f"browser's warning shows the server's certificate: {certificate.server_fingerprint}",
        soft_wrap=True,
        highlight=False,
        emoji=False,
        markup=False,
    )


def _certificate(folder: Path, host: str) -> tls.Certificate:
    """The certificate to serve with. Its dates are the real ones, whatever day the plan is
    pinned to (KNEECAP_TODAY): a certificate dated otherwise is refused by the phone."""
    import datetime as dt

    from kneecap.cli import tls

    try:
        found = tls.ensure(folder, host, dt.datetime.now(dt.UTC))
    except (OSError, ValueError) as exc:
        fail(f"--tls: cannot make the certificate in {folder}: {exc}")
    if found.authority_made:
        err.print(
            f"A new certificate authority was made ({found.authority}): install it on the "
            "phone (again), after comparing its fingerprint.",
            soft_wrap=True,
        )
    if found.made:
        err.print(
            f"A new certificate was made ({found.cert}), valid for: {', '.join(found.names)}",
            soft_wrap=True,
        )
    return found
