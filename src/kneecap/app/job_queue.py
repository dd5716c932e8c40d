"""Clinic mode's job queue: procrastinate, in the PostgreSQL database Kneecap already uses (its
tables come with migration 0016; no broker to run). A queued job carries only the id of
Kneecap's own record (`store.jobs`); procrastinate hands each queued job to one worker
(SELECT ... FOR UPDATE SKIP LOCKED), and `jobs.run` claims the record once more, so a job that
two workers somehow got is still run once. procrastinate is imported only here."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import procrastinate
    from sqlalchemy import URL

    from kneecap.settings import Settings

TASK = "kneecap.run_job"
QUEUE = "kneecap"


def conninfo(url: URL | str) -> str:
    """The libpq address of a SQLAlchemy URL (postgresql+psycopg://... → postgresql://...)."""
    from sqlalchemy import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _app(url: URL | str) -> procrastinate.App:
    import procrastinate

    return procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))


def defer(url: URL | str, job_id: int) -> None:
    """Queue the job with `job_id` for a worker."""
    app = _app(url)
    with app.open():
        app.configure_task(TASK, queue=QUEUE).defer(job_id=job_id)


RECOVER = "kneecap.recover_stalled_jobs"
STALLED_AFTER_S = 60  # a worker silent this long (no heartbeat: procrastinate's) has stopped


async def _recover(app: procrastinate.App, store: Any) -> None:
    """Queue again the jobs whose worker stopped while running them: procrastinate's job back
    to its queue, Kneecap's record back to queued (so the next claim takes it)."""
    from kneecap.store import jobs as records
    from kneecap.store.engine import acting

    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, task_name=TASK, seconds_since_heartbeat=STALLED_AFTER_S
    )
    for job in stalled:
        with acting(local=True, account=None):
            records.requeue(store, int(str(job.task_kwargs["job_id"])))
        await app.job_manager.retry_job(job)


def require_server(s: Settings) -> None:
    """CannotOpen unless `s` names a server database, where the queue lives."""
    from kneecap.app.errors import CannotOpen
    from kneecap.store.engine import embedded

    if embedded(s.db_url):
        raise CannotOpen(
            "a worker takes jobs from a server database (--db postgresql+psycopg://...): "
            "on SQLite, Kneecap runs its jobs itself"
        )


def work(s: Settings, concurrency: int = 1, burst: bool = False) -> None:
    """Run queued jobs until stopped (SIGINT/SIGTERM: the jobs running are finished first), or
    with `burst` until the queue is empty. Several workers may run, on several machines."""
    from kneecap.app import home as app_home
    from kneecap.app import jobs

    require_server(s)
    with app_home.acting_locally():
        store = app_home.open_store(s)
    app = _app(store.engine.url)

    @app.task(name=TASK, queue=QUEUE)
    def run_job(job_id: int) -> dict[str, Any] | None:
        done = jobs.run(store, job_id, s.clock)
        return None if done is None else {"state": done.state}

    @app.periodic(cron="* * * * *")  # every minute, by one of the workers running
    @app.task(name=RECOVER, queue=QUEUE, queueing_lock=RECOVER)
    async def recover_stalled(timestamp: int) -> None:
        await _recover(app, store)

    async def recover_first() -> None:
        async with app.open_async():
            await _recover(app, store)

    try:
        asyncio.run(recover_first())  # what a worker that stopped left running, first
        app.run_worker(
            queues=[QUEUE],
            concurrency=concurrency,
            wait=not burst,
            install_signal_handlers=True,
            delete_jobs="successful",
        )
    finally:
        store.close()
