"""`serve`: the web app on this machine."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from kneecap.cli.common import app, err, fail, out
from kneecap.web.hosts import is_loopback, valid_name

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
    out.print(f"Kneecap is running at http://{shown}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
