"""Recording a return-to-run entry check (RTR-ENTRY); the engine judges it with the logged
week when the programme is next read."""

from __future__ import annotations

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
