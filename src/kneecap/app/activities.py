"""Importing activity files and reading them back. Each file is its own transaction
(`kneecap.importing`): a broken file changes nothing and never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kneecap.app.context import Action, Home, require
from kneecap.core.activity import Activity
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.running import RunRecord
from kneecap.importing import ImportReport, import_paths


def import_files(
    home: Home,
    paths: Sequence[Path],
    on_file: Callable[[str], None] | None = None,
    relative_to: Path | None = None,
) -> ImportReport:
    require(home.actor, Action.LOG, home.person)
    return import_paths(
        home.store,
        home.person,
        paths,
        home.clock.zone(),
        home.clock.now(),
        on_file=on_file,
        relative_to=relative_to,
    )


def runs(home: Home) -> list[RunRecord]:
    """Every stored activity, oldest first, without the samples."""
    require(home.actor, Action.READ, home.person)
    return home.store.activities(home.person)


def run(home: Home, run_id: int) -> tuple[RunRecord, Activity] | None:
    """One activity with its samples, or None (also for another person's)."""
    require(home.actor, Action.READ, home.person)
    return home.store.activity(home.person, run_id)


def history(home: Home) -> tuple[list[RunRecord], list[CheckIn], list[SessionLog]]:
    """Runs, check-ins and sessions: what the weekly load is computed from."""
    require(home.actor, Action.READ, home.person)
    return (
        home.store.activities(home.person),
        home.store.checkins(home.person),
        home.store.sessions(home.person),
    )
