"""The intake and its changes: a new profile version each time. A red flag on hold stays on
hold whatever the new answers say (`core.holds`); the start date is bounded (`core.dates`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput, NoProfile
from kneecap.core import dates
from kneecap.core.profile import Profile

if TYPE_CHECKING:
    from kneecap.app.read import Planned


def save_profile(home: Home, profile: Profile, was: Profile | None = None) -> frozenset[str]:
    """Store `profile` as the current version; returns the flags still on hold that the new
    answers left out (carried into it). `was` is the version it edits, if any: an unchanged
    start date that has since moved out of the window stays allowed. A start date changed is
    within a year either side of today and not after the first thing logged (a session, a
    check-in, a questionnaire, an entry check): the log stays inside the programme."""
    require(home.actor, Action.EDIT_PROFILE, home.person)
    if was is None or profile.start_date != was.start_date:
        problem = dates.start_problem(profile.start_date, home.clock.today())
        if problem is not None:
            raise BadInput(problem)
    if was is not None and profile.start_date > was.start_date:
        first = first_logged(home)
        if first is not None and profile.start_date > first:
            raise BadInput(
                f"start_date: {profile.start_date.isoformat()} is after the first day you "
                f"logged ({first.isoformat()}): the programme starts on or before it"
            )
    with home.store.transaction(home.person) as w:
        return w.save_profile(profile, home.clock.now())


def first_logged(home: Home) -> dt.date | None:
    """The first day with something logged (a session, a check-in, a questionnaire, an entry
    check), or None."""
    store, person = home.store, home.person
    days = [s.date for s in store.sessions(person)]
    days += [c.date for c in store.checkins(person)]
    days += [d for d, _ in store.akps(person)]
    days += [e.date for e in store.entry_checks(person)]
    return min(days, default=None)


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


@dataclass(frozen=True)
class Started:
    """A programme under way: the flags still on hold that a new intake's answers left out
    (`save_profile`), and the plan's first week."""

    held: frozenset[str]
    planned: Planned


def start(home: Home, new: Profile | None) -> Started:
    """Save the intake's answers `new` (when given) and give the first week of the plan, from
    today or the programme's start."""
    from kneecap.app import read

    held = save_profile(home, new) if new is not None else frozenset()
    return Started(held, read.planned(home))


def set_field(home: Home, field: str, text: str) -> Profile:
    """Change one field of the profile, named by its dotted path (`availability.days`), to
    `text` read as YAML (`typed_value`); the whole profile is checked before it is saved as a
    new version. BadInput names an unknown field or what the new profile gets wrong."""
    from kneecap.documents import DocumentError, validate

    require(home.actor, Action.EDIT_PROFILE, home.person)
    current = profile(home)
    data = current.model_dump(mode="json")
    parts = field.split(".")
    target = data
    for part in parts[:-1]:
        if not isinstance(target.get(part), dict):
            raise BadInput(
                f"{field}: unknown field (top-level fields: {', '.join(Profile.model_fields)})"
            )
        target = target[part]
    if parts[-1] not in target:
        raise BadInput(f"{field}: unknown field (allowed here: {', '.join(target)})")
    target[parts[-1]] = typed_value(text, isinstance(target[parts[-1]], list))
    try:
        updated = validate(Profile, data, "profile")
    except DocumentError as exc:
        raise BadInput(str(exc)) from None
    save_profile(home, updated, current)
    return updated


def typed_value(text: str, want_list: bool) -> Any:
    """A value typed as YAML (30, true, [mat, band]); text that is not YAML stays text. For a
    list, "mon,wed" is a list and "none" or "-" an empty one."""
    import yaml

    try:
        value = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError):  # ValueError: a date that does not exist (02-30)
        return text
    if want_list and isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if want_list and (value is None or value in ("none", "-")):
        return []
    return value
