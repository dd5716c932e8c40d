"""The programme as the faces read it: everything known about the runner, replayed by the
engine as of today (`kneecap.programme.Programme`)."""

from __future__ import annotations

from kneecap.app.context import Action, Home, require
from kneecap.programme import Programme


def programme(home: Home) -> Programme:
    """The runner's programme as of the clock's today; NoProfile before the intake."""
    require(home.actor, Action.READ, home.person)
    return Programme.of(home.store, home.person, home.clock.today(), home.clock.now())


def revision(home: Home) -> int:
    """Changes with every write of the person's data, by any process (for caches)."""
    require(home.actor, Action.READ, home.person)
    return home.store.version(home.person)
