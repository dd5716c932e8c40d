"""`worker`: run clinic mode's background jobs (imports of whole watch exports, reports) from
the queue in the PostgreSQL database; several workers may run, on several machines."""

from __future__ import annotations

from typing import Annotated

import typer

from kneecap.app.errors import CannotOpen
from kneecap.cli.common import app, fail


@app.command("worker")
def worker(
    ctx: typer.Context,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=64, help="Jobs run at once.")
    ] = 1,
    burst: Annotated[
        bool, typer.Option("--burst", help="Stop once the queue is empty (scripts, tests).")
    ] = False,
) -> None:
    """Run the queued background jobs of a clinic's database until stopped (Ctrl-C finishes
    the jobs running first). Personal mode on SQLite runs its jobs itself and needs none."""
    from kneecap.app import job_queue
    from kneecap.cli import render_worker

    try:
        job_queue.require_server(ctx.obj)
        render_worker.starting(ctx.obj, concurrency)
        job_queue.work(ctx.obj, concurrency, burst)
    except CannotOpen as exc:
        fail(str(exc))
    render_worker.stopped()
