"""Opening a runner's home: the store at the configured URL (made private first), the person,
who acts and the clock. The faces open one per command or per server, and pass it to the use
cases; storage failures come back as the app's own errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from kneecap import settings
from kneecap.app.clock import Clock
from kneecap.app.context import LOCAL, Actor, Home
from kneecap.app.errors import Busy, CannotOpen
from kneecap.settings import Settings
from kneecap.store.repository import Store


def open_store(s: Settings) -> Store:
    """The store at `s.db_url`, created and migrated if needed; CannotOpen with the reason."""
    try:
        settings.private_sqlite(s.db_url)
        return Store.open(s.db_url)
    except OSError as exc:  # the data folder or file cannot be made private or created
        raise CannotOpen(
            f"cannot prepare the database {s.db_url!r}: {exc.strerror} ({exc.filename})"
        ) from None
    except (ArgumentError, OperationalError, NoSuchModuleError, ModuleNotFoundError) as exc:
        raise CannotOpen(
            f"cannot open the database {s.db_url!r}: {exc.__class__.__name__}: "
            f"{exc.args[0] if exc.args else ''}"
        ) from None


def home_for(store: Store, s: Settings, clock: Clock, actor: Actor = LOCAL) -> Home:
    """The home of `s.user` in an open store (the person is created on first use)."""
    return Home(store, store.person_id(s.user, clock.now()), actor, clock)


@contextmanager
def opened(s: Settings, clock: Clock, actor: Actor = LOCAL) -> Iterator[Home]:
    """A home for one command: opened, used, closed. A write that waited past the busy
    timeout (another process held the lock) is Busy: nothing was saved."""
    store = open_store(s)
    try:
        yield home_for(store, s, clock, actor)
    except OperationalError as exc:
        raise Busy(f"the database is busy, nothing was saved: try again ({exc.orig})") from None
    finally:
        store.close()
