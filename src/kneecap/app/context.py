"""What every use case is given: who acts, on whose data, in which store, at what time.

`can(actor, action, person_id)` is the one permission check, called first by every use case.
In personal mode the one local person may do everything; clinic mode fills in the roles.
Time is a `Clock` (`kneecap.app.clock`) read once at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kneecap.app.clock import Clock

if TYPE_CHECKING:  # the store is imported only where a home is opened (kneecap.app.home)
    from kneecap.store.repository import Store


class Action(StrEnum):
    READ = "read"  # see the programme, the history and the runs
    LOG = "log"  # record sessions, check-ins, AKPS answers, entry checks, imports
    EDIT_PROFILE = "edit_profile"  # the intake and its changes
    CLEAR = "clear"  # record a clinician's clearance of red flags
    ERASE = "erase"  # delete every record of the person (`kneecap forget`)


@dataclass(frozen=True)
class Actor:
    """Who is asking. Personal mode has one: the person at this computer."""

    name: str
    local: bool = False


LOCAL = Actor("local", local=True)


class Forbidden(PermissionError):
    """The actor may not do this to this person's data."""


def can(actor: Actor, action: Action, person_id: int) -> bool:
    """May `actor` do `action` to the data of `person_id`? Personal mode: the local person may
    do everything to the data this computer holds."""
    return actor.local


def require(actor: Actor, action: Action, person_id: int) -> None:
    if not can(actor, action, person_id):
        raise Forbidden(f"{actor.name} may not {action.value.replace('_', ' ')} here")


@dataclass(frozen=True)
class Home:
    """One opened store and the person whose data a face works on, as `actor`."""

    store: Store
    person: int
    actor: Actor
    clock: Clock
