"""Background jobs' records (migration 0016): `jobs` (kind, state, progress, result or error)
and `job_files` (an upload a job takes, a document it gives back, in chunks). Each write is its
own short transaction; a job's state moves queued → running → done or failed, and only one
claim of a queued job succeeds (the UPDATE's WHERE state = 'queued'), so two workers never run
one job twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from kneecap.store.engine import writer
from kneecap.store.queries import utc
from kneecap.store.repository import Store

CHUNK = 8 * 1024 * 1024  # bytes a row of job_files holds at most

_meta = MetaData()
jobs = Table(
    "jobs",
    _meta,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, nullable=False),
    Column("account_id", Integer),
    Column("kind", String(20), nullable=False),
    Column("state", String(20), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("result", JSON),
    Column("error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
)
files = Table(
    "job_files",
    _meta,
    Column("job_id", Integer, primary_key=True),
    Column("person_id", Integer, nullable=False),
    Column("role", String(10), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("data", LargeBinary, nullable=False),
)
INPUT, OUTPUT = "input", "output"


@dataclass(frozen=True)
class JobRecord:
    id: int
    person: int
    account: int | None
    kind: str
    state: str
    payload: dict[str, Any]
    done: int
    total: int
    result: dict[str, Any] | None
    error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def _record(row: Any) -> JobRecord:
    return JobRecord(
        row.id,
        row.person_id,
        row.account_id,
        row.kind,
        row.state,
        dict(row.payload),
        row.done,
        row.total,
        None if row.result is None else dict(row.result),
        row.error,
        utc(row.created_at),
        None if row.finished_at is None else utc(row.finished_at),
    )


def create(
    store: Store,
    person: int,
    account: int | None,
    kind: str,
    payload: dict[str, Any],
    now: dt.datetime,
    upload: tuple[str, Iterable[bytes]] | None = None,
) -> int:
    """A queued job, with the upload it takes (name, chunks) stored in the same transaction."""
    with writer(store.engine).begin() as c:
        job_id = int(
            c.execute(
                insert(jobs)
                .values(
                    person_id=person,
                    account_id=account,
                    kind=kind,
                    state="queued",
                    payload=payload,
                    done=0,
                    total=0,
                    created_at=now,
                )
                .returning(jobs.c.id)
            ).scalar_one()
        )
        if upload is not None:
            name, chunks = upload
            for seq, data in enumerate(_rechunk(chunks)):
                c.execute(
                    insert(files).values(
                        job_id=job_id, person_id=person, role=INPUT, seq=seq, name=name, data=data
                    )
                )
        return job_id


def _rechunk(chunks: Iterable[bytes]) -> Iterator[bytes]:
    pending = b""
    for chunk in chunks:
        pending += chunk
        while len(pending) >= CHUNK:
            yield pending[:CHUNK]
            pending = pending[CHUNK:]
    if pending:
        yield pending


def get(store: Store, job_id: int, person: int | None = None) -> JobRecord | None:
    """The job with `job_id` (only if it is `person`'s, when given)."""
    query = select(jobs).where(jobs.c.id == job_id)
    if person is not None:
        query = query.where(jobs.c.person_id == person)
    with store.engine.connect() as c:
        row = c.execute(query).first()
    return None if row is None else _record(row)


def claim(store: Store, job_id: int, now: dt.datetime) -> JobRecord | None:
    """Take a queued job to run it: the job, or None when it is not queued (run already, or
    taken by another worker)."""
    with writer(store.engine).begin() as c:
        taken = c.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == "queued")
            .values(state="running", started_at=now)
        )
        if taken.rowcount != 1:
            return None
        row = c.execute(select(jobs).where(jobs.c.id == job_id)).one()
    return _record(row)


def requeue(store: Store, job_id: int) -> bool:
    """A job left running by a worker that stopped (crashed, killed, its machine gone) queued
    again from the start; whether it was running. Rerunning is safe: an import stores each
    run once, a report is drawn again."""
    with writer(store.engine).begin() as c:
        again = c.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == "running")
            .values(state="queued", started_at=None, done=0)
        )
        return bool(again.rowcount)


def progress(store: Store, job_id: int, done: int, total: int) -> None:
    with writer(store.engine).begin() as c:
        c.execute(update(jobs).where(jobs.c.id == job_id).values(done=done, total=total))


def finish(
    store: Store,
    job_id: int,
    now: dt.datetime,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """The job done (its result) or failed (its error); the upload it took is deleted."""
    with writer(store.engine).begin() as c:
        c.execute(delete(files).where(files.c.job_id == job_id, files.c.role == INPUT))
        c.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(
                state="failed" if error is not None else "done",
                result=result,
                error=error,
                finished_at=now,
            )
        )


def add_output(store: Store, job: JobRecord, name: str, data: bytes) -> None:
    with writer(store.engine).begin() as c:
        for seq, part in enumerate(_rechunk([data])):
            c.execute(
                insert(files).values(
                    job_id=job.id, person_id=job.person, role=OUTPUT, seq=seq, name=name, data=part
                )
            )


def file_chunks(store: Store, job_id: int, role: str) -> Iterator[tuple[str, bytes]]:
    """The chunks of a job's upload (INPUT) or document (OUTPUT), in order, one row at a time."""
    with store.engine.connect() as c:
        seqs = c.execute(
            select(files.c.seq)
            .where(files.c.job_id == job_id, files.c.role == role)
            .order_by(files.c.seq)
        ).scalars()
        for seq in list(seqs):
            row = c.execute(
                select(files.c.name, files.c.data).where(
                    files.c.job_id == job_id, files.c.role == role, files.c.seq == seq
                )
            ).one()
            yield row.name, bytes(row.data)
