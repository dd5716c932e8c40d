"""Importing activity files and reading them back. Each file is its own transaction
(`kneecap.importing`): a broken file changes nothing and never stops the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput
from kneecap.core.activity import Activity
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.running import CadenceTarget, RunRecord, Week, cadence_target, weekly_load
from kneecap.importing import ImportReport, import_paths

if TYPE_CHECKING:
    from kneecap.core.analysis import ElevationProfile


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


@dataclass(frozen=True)
class RunProfile:
    """One activity and its smoothed elevation profile (None without altitude or distance)."""

    record: RunRecord
    profile: ElevationProfile | None


def run_profile(home: Home, run_id: int) -> RunProfile | None:
    """One activity with its elevation profile, or None (also for another person's)."""
    from kneecap.core.analysis import elevation_profile

    found = run(home, run_id)
    if found is None:
        return None
    record, samples = found
    return RunProfile(record, elevation_profile(samples))


def history(home: Home) -> tuple[list[RunRecord], list[CheckIn], list[SessionLog]]:
    """Runs, check-ins and sessions: what the weekly load is computed from."""
    require(home.actor, Action.READ, home.person)
    return (
        home.store.activities(home.person),
        home.store.checkins(home.person),
        home.store.sessions(home.person),
    )


@dataclass(frozen=True)
class RunningLoad:
    """The weekly running load beside pain (oldest week first) and the cadence target (CAD-1)."""

    today: dt.date
    weeks: list[Week]
    cadence: CadenceTarget | None


def running_load(home: Home, weeks: int) -> RunningLoad:
    """The last `weeks` weeks of running load as of today, and the cadence target."""
    records, checkins, sessions = history(home)
    today = home.clock.today()
    return RunningLoad(
        today, weekly_load(records, checkins, sessions, today, weeks), cadence_target(records)
    )


class NoSuchRun(LookupError):
    """No run with this id (or not in the state asked: deleted, or not): "not found"."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"no run with id {run_id}")


def _pain(value: int | None, what: str) -> list[str]:
    if value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10
    ):
        return []
    return [f"{what}: give a whole number from 0 (none) to 10"]


def morning_after(record: RunRecord) -> dt.date:
    """The first day the pain the next morning can be answered: the day after the run."""
    return record.date + dt.timedelta(days=1)


def answer_run(home: Home, run_id: int, pain_during: int | None, next_morning: int | None) -> None:
    """How the knee felt during an imported run and the next morning (0-10 each, or unset).
    The next morning's pain is refused before the day after the run (it would be a guess)."""
    require(home.actor, Action.LOG, home.person)
    problems = _pain(pain_during, "pain_during") + _pain(next_morning, "pain_next_morning")
    if problems:
        raise BadInput(*problems)
    if next_morning is not None:
        found = [r for r in runs(home) if r.id == run_id]
        if found and home.clock.today() < morning_after(found[0]):
            day = morning_after(found[0])
            raise BadInput(
                f"pain_next_morning: answer tomorrow morning, from {day:%A} {day.day} {day:%B}: "
                "on the day of the run it is not known yet"
            )
    with home.store.transaction(home.person) as w:
        if not w.answer_run(run_id, pain_during, next_morning):
            raise NoSuchRun(run_id)


def answer_run_keeping(
    home: Home, run_id: int, pain_during: int | None, next_morning: int | None
) -> tuple[int | None, int | None]:
    """`answer_run` with an answer not given (None) kept as it was; returns both answers as
    stored. NoSuchRun when no listed run has the id."""
    found = [r for r in runs(home) if r.id == run_id]
    if not found:
        raise NoSuchRun(run_id)
    was = found[0]
    during = was.pain_during if pain_during is None else pain_during
    morning = was.pain_next_morning if next_morning is None else next_morning
    answer_run(home, run_id, during, morning)
    return during, morning


def delete_run_record(home: Home, run_id: int) -> RunRecord | None:
    """`delete_run`, giving back the run as it was listed (None when the listing did not have
    it), so a face can say which run it deleted."""
    found = [r for r in runs(home) if r.id == run_id]
    delete_run(home, run_id)
    return found[0] if found else None


def delete_run(home: Home, run_id: int) -> None:
    """Delete a run: kept, so it can be undone, and left out of every figure."""
    require(home.actor, Action.LOG, home.person)
    with home.store.transaction(home.person) as w:
        if not w.delete_run(run_id, home.clock.now()):
            raise NoSuchRun(run_id)


def undo_delete_run(home: Home, run_id: int) -> None:
    """Bring a deleted run back."""
    require(home.actor, Action.LOG, home.person)
    with home.store.transaction(home.person) as w:
        if not w.delete_run(run_id, None):
            raise NoSuchRun(run_id)


def deleted_runs(home: Home) -> list[RunRecord]:
    """The deleted runs, newest deletion first (each can be brought back)."""
    require(home.actor, Action.READ, home.person)
    return [r for r, _ in home.store.deleted_activities(home.person)]
