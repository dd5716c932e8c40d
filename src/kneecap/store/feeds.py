"""Calendar feeds: a secret address per person that serves their plan as iCalendar. Only a
SHA-256 digest of the address's token is stored, so the database never holds a working address;
making a new one replaces the old one, revoking deletes it (the old address then answers 404)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kneecap.store.queries import utc
from kneecap.store.repository import Store
from kneecap.store.tables import CalendarFeed


def replace(store: Store, person_id: int, digest: str, now: dt.datetime) -> None:
    """The person's one feed is now the one whose token has `digest`; any earlier one is gone."""
    with store.transaction(person_id) as w:
        w.s.execute(delete(CalendarFeed).where(CalendarFeed.person_id == person_id))
        w.s.add(CalendarFeed(person_id=person_id, token_sha256=digest, created_at=now))


def revoke(store: Store, person_id: int) -> bool:
    """Delete the person's feed; whether there was one."""
    with store.transaction(person_id) as w:
        gone = w.s.execute(delete(CalendarFeed).where(CalendarFeed.person_id == person_id))
        return bool(getattr(gone, "rowcount", 0))


def person_for(store: Store, digest: str) -> int | None:
    """Whose feed has a token with `digest`, or None."""
    with Session(store.engine) as s:
        found: int | None = s.scalar(
            select(CalendarFeed.person_id).where(CalendarFeed.token_sha256 == digest)
        )
        return found


def made_at(store: Store, person_id: int) -> dt.datetime | None:
    """When the person's feed was made, or None when they have none."""
    with Session(store.engine) as s:
        found = s.scalar(select(CalendarFeed.created_at).where(CalendarFeed.person_id == person_id))
        return None if found is None else utc(found)
