"""Opening a runner's home: the store at the configured URL (made private first), the person,
who acts and the clock. The faces open one per command or per server, and pass it to the use
cases; storage failures come back as the app's own errors.

Schema upgrades: an embedded SQLite database (the default file under the data folder, or any
`sqlite:` URL) is upgraded automatically when it is opened; a server database (any other URL,
e.g. `postgresql+psycopg://`) only on explicit command (`upgrade`, `kneecap db upgrade`), and
opening one whose schema is behind is refused saying so. SQLAlchemy and the store are imported
here on first use, so a command that opens no database never loads them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kneecap import settings
from kneecap.app.clock import Clock
from kneecap.app.context import LOCAL, Actor, Home
from kneecap.app.errors import Busy, CannotOpen
from kneecap.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kneecap.store.repository import Store

UPGRADE_COMMAND = "kneecap db upgrade"


@dataclass(frozen=True)
class SchemaStatus:
    """Where the database's schema is, and how it is upgraded (`kneecap db status`)."""

    stored: str | None  # None: no schema yet
    newest: str
    state: str  # current, behind or ahead
    automatic: bool  # upgraded when opened (embedded SQLite), else by `kneecap db upgrade`

    def to_dict(self) -> dict[str, object]:
        return {
            "revision": self.stored,
            "newest": self.newest,
            "state": self.state,
            "upgrades": "automatic" if self.automatic else "explicit",
        }


def _make_engine(s: Settings) -> Engine:
    """An engine for `s.db_url`, a SQLite file made private first; CannotOpen with the reason."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from kneecap.store.engine import make_engine

    try:
        settings.private_sqlite(s.db_url)
        return make_engine(s.db_url)
    except OSError as exc:  # the data folder or file cannot be made private or created
        raise CannotOpen(
            f"cannot prepare the database {s.db_url!r}: {exc.strerror} ({exc.filename})"
        ) from None
    except (ArgumentError, NoSuchModuleError, ModuleNotFoundError) as exc:
        raise _cannot_open(s, exc) from None


@contextmanager
def _reasons(s: Settings) -> Iterator[None]:
    """Failures to reach or read the database become CannotOpen with the reason."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    try:
        yield
    except (ArgumentError, OperationalError, NoSuchModuleError, ModuleNotFoundError) as exc:
        raise _cannot_open(s, exc) from None


def _cannot_open(s: Settings, exc: Exception) -> CannotOpen:
    return CannotOpen(
        f"cannot open the database {s.db_url!r}: {exc.__class__.__name__}: "
        f"{exc.args[0] if exc.args else ''}"
    )


def upgrades_automatically(s: Settings) -> bool:
    """Embedded SQLite is upgraded when opened; a server database on explicit command."""
    from kneecap.store.engine import embedded

    return embedded(s.db_url)


def _status(s: Settings, engine: Engine) -> SchemaStatus:
    from kneecap.store.engine import schema

    found = schema(engine)
    return SchemaStatus(found.stored, found.newest, found.state, upgrades_automatically(s))


def open_store(s: Settings) -> Store:
    """The store at `s.db_url`: created and upgraded if needed (embedded SQLite), or checked to
    be current (a server database: refused while behind, saying to run `kneecap db upgrade`);
    refused when its schema is newer than this Kneecap knows. CannotOpen with the reason."""
    from kneecap.store.engine import migrate
    from kneecap.store.repository import Store

    engine = _make_engine(s)
    try:
        with _reasons(s):
            found = _status(s, engine)
            if found.state == "ahead":
                raise _newer(found)
            if found.state == "behind" and found.automatic:
                migrate(engine)
            elif found.state == "behind":
                at = (
                    f"the database's schema is at revision {found.stored}"
                    if found.stored
                    else "the database has no schema yet"
                )
                raise CannotOpen(
                    f"{at}, this Kneecap needs {found.newest}: run '{UPGRADE_COMMAND}' to "
                    "upgrade it (back the database up first)"
                )
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


def _newer(found: SchemaStatus) -> CannotOpen:
    return CannotOpen(
        f"the database's schema is at revision {found.stored}, newer than this Kneecap knows "
        f"({found.newest}): upgrade Kneecap to use it"
    )


def schema_status(s: Settings) -> SchemaStatus:
    """Where the schema of the database at `s.db_url` is; nothing is changed."""
    engine = _make_engine(s)
    try:
        with _reasons(s):
            return _status(s, engine)
    finally:
        engine.dispose()


def upgrade(s: Settings) -> tuple[SchemaStatus, SchemaStatus]:
    """Apply the migrations the database at `s.db_url` lacks (in one transaction): the status
    before and after. Refused (CannotOpen) for a schema newer than this Kneecap knows."""
    from kneecap.store.engine import migrate

    engine = _make_engine(s)
    try:
        with _reasons(s):
            before = _status(s, engine)
            if before.state == "ahead":
                raise _newer(before)
            migrate(engine)
            return before, _status(s, engine)
    finally:
        engine.dispose()


def data_stamp(s: Settings) -> str | None:
    """A stamp that changes whenever `s.user`'s data or the schema changes, read without
    loading SQLAlchemy; None for a server database, or before there is a runner (nothing to
    stamp: the caller computes its answer in full)."""
    from kneecap.store.stamp import stamp

    path = settings.sqlite_file(s.db_url)
    return None if path is None else stamp(path, s.user)


@contextmanager
def acting_locally() -> Iterator[None]:
    """What runs inside acts for the local person at this computer (personal mode, the CLI):
    PostgreSQL's row-level security lets its transactions see and write every row
    (`store.engine.acting`; nothing changes on SQLite)."""
    from kneecap.store.engine import acting

    with acting(local=True, account=None):
        yield


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """What runs inside acts for `actor`: the local person, or a login's account, whom
    PostgreSQL's row-level security lets see only their own rows and their linked runners'."""
    from kneecap.store.engine import acting

    with acting(local=actor.local, account=actor.account):
        yield


def home_for(store: Store, s: Settings, clock: Clock, actor: Actor = LOCAL) -> Home:
    """The home of `s.user` in an open store (the person is created on first use)."""
    with acting_locally():
        return Home(store, store.person_id(s.user, clock.now()), actor, clock)


@contextmanager
def opened(s: Settings, clock: Clock, actor: Actor = LOCAL) -> Iterator[Home]:
    """A home for one command, acting for the local person: opened, used, closed. A write that
    waited past the busy timeout (another process held the lock) is Busy: nothing was saved."""
    from sqlalchemy.exc import OperationalError

    with acting_locally():
        store = open_store(s)
        try:
            yield home_for(store, s, clock, actor)
        except OperationalError as exc:
            raise Busy(f"the database is busy, nothing was saved: try again ({exc.orig})") from None
        finally:
            store.close()
