"""The store's side of the FHIR export (`kneecap.app.fhir`): what the person's stable
pseudonym is made from, and each Kujala result with its answers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from kneecap.store.queries import utc
from kneecap.store.repository import Store
from kneecap.store.tables import AkpsRecord, Person


def person_seed(store: Store, person_id: int) -> str:
    """What never changes about the person (the name their data is kept under and when they
    were first seen; a restore keeps both), to derive a pseudonymous key from, never to show."""
    with Session(store.engine) as s:
        name, created = s.execute(
            select(Person.name, Person.created_at).where(Person.id == person_id)
        ).one()
        return f"{name}/{utc(created).isoformat()}"


def akps_answers(store: Store, person_id: int) -> list[tuple[dt.date, list[int], int]]:
    """Each day's Kujala result, oldest first: the date, the option index chosen for each
    item (none for results stored before the answers were) and the total."""
    with Session(store.engine) as s:
        rows = s.execute(
            select(AkpsRecord.date, AkpsRecord.answers, AkpsRecord.score)
            .where(AkpsRecord.person_id == person_id)
            .order_by(AkpsRecord.date, AkpsRecord.id)
        )
        return [(day, list(answers or []), score) for day, answers, score in rows]
