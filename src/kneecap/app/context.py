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
    LINK = "link"  # accept a clinician's invitation, end a link
    OVERRIDE = "override"  # a clinician's input to the programme (limits, doses, phase, approvals)
    NOTE = "note"  # a clinician's note on a runner
    INVITE = "invite"  # a clinician's invitation to link
    ACCOUNTS = "accounts"  # add, list, disable and reset accounts; search the audit log


RUNNER = "runner"
CLINICIAN = "clinician"
ADMIN = "admin"
ROLES = (RUNNER, CLINICIAN, ADMIN)
FEED = "feed"  # not an account's: whoever holds a calendar feed's secret address reads its plan

# What each role may do, to whose data: a runner to their own; a clinician to the runners linked
# to them (read at the start of each request, so an ended link ends access at once); an admin to
# accounts only (no health data unless also a clinician).
RUNNER_ACTIONS = frozenset(
    {Action.READ, Action.LOG, Action.EDIT_PROFILE, Action.CLEAR, Action.ERASE, Action.LINK}
)
CLINICIAN_ACTIONS = frozenset({Action.READ, Action.CLEAR, Action.OVERRIDE, Action.NOTE})
OWN_ACTIONS = {CLINICIAN: frozenset({Action.INVITE}), ADMIN: frozenset({Action.ACCOUNTS})}


@dataclass(frozen=True)
class Actor:
    """Who is asking. Personal mode has one: the person at this computer (`LOCAL`). A login
    brings its account: its roles, a runner's own person, the people a clinician looks after
    now, and whether this is a clinic (where clearances are recorded by clinicians only)."""

    name: str
    local: bool = False
    account: int | None = None
    roles: frozenset[str] = frozenset()
    person: int | None = None
    linked: frozenset[int] = frozenset()
    clinic: bool = False
    address: str | None = None
    display: str | None = None  # the name an account signs with

    @property
    def signature(self) -> str:
        """Who signs what this actor records, as the runner reads it: "Dr Kim Lee
        (kim@practice.example)", or the email alone when the account has no name."""
        return f"{self.display} ({self.name})" if self.display else self.name


LOCAL = Actor("local", local=True)
NOBODY = 0  # the person_id of an action on no one's data (INVITE, ACCOUNTS)


class Forbidden(PermissionError):
    """The actor may not do this to this person's data."""


def can(actor: Actor, action: Action, person_id: int) -> bool:
    """May `actor` do `action` to the data of `person_id` (NOBODY for an action on no one's
    data)? The local person may do everything to the data this computer holds."""
    if actor.local:
        return True
    if FEED in actor.roles:
        return action is Action.READ and person_id == actor.person
    if person_id == NOBODY:
        return any(action in OWN_ACTIONS.get(role, ()) for role in actor.roles)
    if RUNNER in actor.roles and person_id == actor.person and action in RUNNER_ACTIONS:
        return not (action is Action.CLEAR and actor.clinic)
    return CLINICIAN in actor.roles and person_id in actor.linked and action in CLINICIAN_ACTIONS


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
