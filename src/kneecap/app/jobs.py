"""Long work out of the request: importing a whole watch export, rendering a report. A job is
submitted (`submit`: its record and the upload it takes are stored, then it is handed to a
runner), run once (`run`: claimed, worked, finished with its result or error) and read back by
its person (`status`, `output`) as long as its record is kept.

Two runners, one status: on a server database (PostgreSQL, a clinic) the job goes into
procrastinate's queue in that same database and `kneecap worker` processes (several, on several
machines) take it (`app.job_queue`); on SQLite (personal mode, a clinic's trial) a thread of this
process runs it. Either way the record in `jobs` says where it is, so a page polls one thing and a
result outlives the worker that made it.

The worker acts as the local person at the server (as the CLI does): who may ask for the job is
checked when it is submitted, and the job only ever touches its own person's data."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kneecap.app.clock import Clock
from kneecap.app.context import LOCAL, Action, Home, require
from kneecap.app.errors import BadInput
from kneecap.store import jobs as records

IMPORT = "import"
REPORT = "report"
KINDS = {IMPORT: Action.LOG, REPORT: Action.READ}
# The most a job's upload may hold, kept in the database in chunks of 8 MB until the job is done.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024
PROGRESS_EVERY = 0.5  # seconds between two progress writes


class NoSuchJob(LookupError):
    """No job with this id for this person."""

    def __init__(self, job_id: int) -> None:
        super().__init__(f"no job with id {job_id}")


@dataclass(frozen=True)
class Job:
    """Where a job is: queued, running, done or failed; its progress (`done` of `total` files
    for an import), and its result or error."""

    id: int
    kind: str
    state: str
    done: int
    total: int
    result: dict[str, Any] | None
    error: str | None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "progress": {"done": self.done, "total": self.total},
            "result": self.result,
            "error": self.error,
        }


def in_background(home: Home) -> bool:
    """Does long work go to a job for `home` (clinic mode, or a server database), rather than
    being answered in the request (personal mode, as ever)?"""
    return home.actor.clinic or home.store.engine.dialect.name == "postgresql"


def submit(
    home: Home,
    kind: str,
    payload: dict[str, Any],
    upload: tuple[str, Iterable[bytes]] | None = None,
) -> int:
    """Store a job for `home`'s person (an import takes `upload`: its file name and chunks)
    and hand it to the runner; its id."""
    if kind not in KINDS:
        raise BadInput(f"kind: one of {', '.join(KINDS)}")
    require(home.actor, KINDS[kind], home.person)
    if kind == IMPORT and upload is None:
        raise BadInput("an import job needs a file")
    chunks = None if upload is None else (upload[0], _bounded(upload[1]))
    job_id = records.create(
        home.store, home.person, home.actor.account, kind, payload, home.clock.now(), chunks
    )
    if home.store.engine.dialect.name == "postgresql":
        from kneecap.app import job_queue

        job_queue.defer(home.store.engine.url, job_id)
    else:
        _in_process(home, job_id)
    return job_id


def _bounded(chunks: Iterable[bytes]) -> Iterable[bytes]:
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > MAX_UPLOAD_BYTES:
            raise BadInput(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        yield chunk


def _in_process(home: Home, job_id: int) -> None:
    """Personal mode: run the job in a thread of this process (daemon: a job cut short by the
    process's end stays 'running' and says so)."""
    thread = threading.Thread(
        target=run, args=(home.store, job_id, home.clock), name=f"kneecap-job-{job_id}"
    )
    thread.daemon = True
    thread.start()


def status(home: Home, job_id: int) -> Job:
    """The job's state, progress and result or error: only the person's own jobs."""
    require(home.actor, Action.READ, home.person)
    found = records.get(home.store, job_id, home.person)
    if found is None:
        raise NoSuchJob(job_id)
    return Job(
        found.id, found.kind, found.state, found.done, found.total, found.result, found.error
    )


def output(home: Home, job_id: int) -> tuple[str, bytes]:
    """The document a finished job made (a report's PDF): its name and bytes."""
    job = status(home, job_id)
    parts = list(records.file_chunks(home.store, job.id, records.OUTPUT))
    if job.state != "done" or not parts:
        raise NoSuchJob(job_id)
    return parts[0][0], b"".join(data for _, data in parts)


def run(store: Any, job_id: int, clock: Clock) -> Job | None:
    """Run the job once: claim it (None when it is not queued: done already, or another
    worker's), do its work, finish it with its result or its error."""
    from kneecap.store.engine import acting

    with acting(local=True, account=None):
        job = records.claim(store, job_id, clock.now())
        if job is None:
            return None
        home = Home(store, job.person, LOCAL, clock)
        try:
            result = _WORK[job.kind](home, job)
        except Exception as exc:  # the job's error, kept for the page: nothing else is lost
            records.finish(store, job_id, clock.now(), error=_said(exc))
        else:
            failed = result.pop("_error", None)
            records.finish(store, job_id, clock.now(), result=result, error=failed)
        done = records.get(store, job_id)
    assert done is not None
    return Job(done.id, done.kind, done.state, done.done, done.total, done.result, done.error)


def _said(exc: Exception) -> str:
    if isinstance(exc, BadInput):
        return "; ".join(exc.problems)
    return str(exc) or exc.__class__.__name__


def _import(home: Home, job: records.JobRecord) -> dict[str, Any]:
    """The upload into a private temporary folder, imported file by file (each its own
    transaction, as `kneecap import`); progress as files are done. A job that stored nothing
    and found broken files fails with their reasons."""
    from kneecap.app.activities import import_files

    with tempfile.TemporaryDirectory(prefix="kneecap-job-") as folder:
        path: Path | None = None
        with_name = None
        for name, data in records.file_chunks(home.store, job.id, records.INPUT):
            if path is None:
                with_name = Path(name).name or "upload"
                path = Path(folder) / with_name
            with path.open("ab") as f:
                f.write(data)
        if path is None:
            raise BadInput("the job's file is gone")
        total = _entries(path)
        records.progress(home.store, job.id, 0, total)
        tick = _ticker(home.store, job.id, total)
        report = import_files(home, [path], on_file=tick, relative_to=Path(folder))
        records.progress(home.store, job.id, total, total)
    result = report.to_dict()
    if not report.imported and not report.duplicates and (report.failed or report.usage):
        result["_error"] = "; ".join(f"{f}: {e}" for f, e in report.usage + report.failed)
    return result


def _entries(path: Path) -> int:
    """How many files the upload holds (a zip export's entries; else one)."""
    try:
        with zipfile.ZipFile(path) as z:
            return max(1, sum(1 for i in z.infolist() if not i.is_dir()))
    except (zipfile.BadZipFile, OSError):
        return 1


def _ticker(store: Any, job_id: int, total: int) -> Callable[[str], None]:
    import time

    seen = [0, 0.0]

    def tick(_name: str) -> None:
        seen[0] += 1
        now = time.monotonic()
        if now - seen[1] >= PROGRESS_EVERY:
            seen[1] = now
            records.progress(store, job_id, min(int(seen[0]), total), total)

    return tick


def _report(home: Home, job: records.JobRecord) -> dict[str, Any]:
    """The progress report rendered to PDF and kept with the job."""
    from kneecap.app import documents
    from kneecap.render.documents import report_html, to_pdf

    p = job.payload
    first, last = (
        None if p.get(k) is None else dt.date.fromisoformat(p[k]) for k in ("from", "to")
    )
    records.progress(home.store, job.id, 0, 1)
    view = documents.report(home, first, last, bool(p.get("letter", False)))
    pdf = to_pdf(report_html(view))
    name = f"kneecap-report-{view.last.isoformat()}.pdf"
    records.add_output(home.store, job, name, pdf)
    records.progress(home.store, job.id, 1, 1)
    return {"file": name, "bytes": len(pdf)}


_WORK: dict[str, Callable[[Home, records.JobRecord], dict[str, Any]]] = {
    IMPORT: _import,
    REPORT: _report,
}
