"""`serve`: the web app on this machine."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from kneecap.cli.common import app, err, out

LOOPBACK = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8765,
) -> None:
    """Start the web app (open the address it prints in your browser)."""
    import uvicorn

    from kneecap.web.app import create_app

    if not is_loopback(host):
        err.print(
            f"[bold yellow]warning:[/] listening on {host}: anyone who can reach this address "
            "can see and change your data. Accounts arrive with clinic mode; until then keep "
            "Kneecap on 127.0.0.1."
        )
    application = create_app(ctx.obj)
    shown = f"[{host}]" if ":" in host else host
    out.print(f"Kneecap is running at http://{shown}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
