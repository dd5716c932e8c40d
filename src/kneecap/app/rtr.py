"""Return to running: where the runner stands (`running_status`), and recording an entry check
(RTR-ENTRY), which the engine judges with the logged week when the programme is next read."""

from __future__ import annotations

from typing import Any

from kneecap.app.context import Action, Home, require
from kneecap.app.diary import current_profile, dated_problems
from kneecap.app.errors import BadInput
from kneecap.core.rtr import EntryCheck


def record_entry_check(home: Home, entry: EntryCheck) -> None:
    require(home.actor, Action.LOG, home.person)
    problems = dated_problems(home, [("date", entry.date)], current_profile(home))
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        w.add_entry_check(entry, home.clock.now())


def check_entry(home: Home, entry: EntryCheck) -> dict[str, Any]:
    """Record an entry check and read back what it comes to (`running_status.entry_result`)."""
    from kneecap.app import read
    from kneecap.running_status import entry_result

    record_entry_check(home, entry)
    return entry_result(read.programme(home), entry)


def status(home: Home) -> dict[str, Any]:
    """Where the runner stands on the way back to running, as of today
    (`running_status.running_status`)."""
    from kneecap.app import read
    from kneecap.running_status import running_status

    return running_status(read.programme(home), home.clock.today())
