"""The intake and its changes: a new profile version each time. A red flag on hold stays on
hold whatever the new answers say (`core.holds`); the start date is bounded (`core.dates`)."""

from __future__ import annotations

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput, NoProfile
from kneecap.core import dates
from kneecap.core.profile import Profile


def save_profile(home: Home, profile: Profile, was: Profile | None = None) -> frozenset[str]:
    """Store `profile` as the current version; returns the flags still on hold that the new
    answers left out (carried into it). `was` is the version it edits, if any: an unchanged
    start date that has since moved out of the window stays allowed."""
    require(home.actor, Action.EDIT_PROFILE, home.person)
    if was is None or profile.start_date != was.start_date:
        problem = dates.start_problem(profile.start_date, home.clock.today())
        if problem is not None:
            raise BadInput(problem)
    with home.store.transaction(home.person) as w:
        return w.save_profile(profile, home.clock.now())


def profile(home: Home) -> Profile:
    """The current profile, or NoProfile."""
    require(home.actor, Action.READ, home.person)
    found = home.store.profile(home.person)
    if found is None:
        raise NoProfile()
    return found


def profile_or_none(home: Home) -> Profile | None:
    require(home.actor, Action.READ, home.person)
    return home.store.profile(home.person)


def report_flags(home: Home, flags: frozenset[str]) -> frozenset[str]:
    """Warning signs answered at the start of an intake, written at once so walking away or
    answering again cannot lift the hold (into the profile, or kept for the first one)."""
    require(home.actor, Action.EDIT_PROFILE, home.person)
    with home.store.transaction(home.person) as w:
        return w.raise_flags(flags, home.clock.now())
