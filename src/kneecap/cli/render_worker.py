"""`kneecap worker` in the terminal: what it works on, and that it stopped (on stderr: a
worker's output is a log). Imported inside the command only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kneecap.cli.common import err

if TYPE_CHECKING:
    from kneecap.settings import Settings


def starting(s: Settings, concurrency: int) -> None:
    from sqlalchemy import make_url

    where = make_url(s.db_url).render_as_string(hide_password=True)
    err.print(f"Worker: running background jobs from {where} ({concurrency} at a time).")


def stopped() -> None:
    err.print("Worker stopped.")
