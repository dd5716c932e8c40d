"""The use cases, once for both faces (CLI and web): each takes the `Home` (the store, the
person, who acts, the clock) and its input, checks `can(actor, action, person)` first, and
writes in one transaction. The faces import this package, never the store."""

from kneecap.app.clock import Clock
from kneecap.app.context import LOCAL, Action, Actor, Forbidden, Home, can
from kneecap.app.errors import BadInput, NoProfile

__all__ = ["LOCAL", "Action", "Actor", "BadInput", "Clock", "Forbidden", "Home", "NoProfile", "can"]
