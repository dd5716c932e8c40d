"""The clinicians' dashboard rows, cached per runner for a day and a revision of their data
(table `clinic_summaries`), shared by every server worker: a dashboard computes only the rows
of runners whose data changed since anyone last looked, and writes those back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kneecap.store import upsert
from kneecap.store.engine import writer
from kneecap.store.repository import Store
from kneecap.store.tables import ClinicSummary, Person


def revisions(store: Store, people: frozenset[int]) -> dict[int, int]:
    """Each person's data revision (`Person.revision`), in one query."""
    if not people:
        return {}
    with Session(store.engine) as s:
        rows = s.execute(select(Person.id, Person.revision).where(Person.id.in_(people)))
        return {r.id: int(r.revision or 0) for r in rows}


def fresh(store: Store, current: dict[int, int], day: dt.date) -> dict[int, dict[str, Any]]:
    """The cached rows still true: computed on `day` from the revision each person is at."""
    if not current:
        return {}
    with Session(store.engine) as s:
        rows = s.execute(
            select(ClinicSummary).where(
                ClinicSummary.person_id.in_(current), ClinicSummary.day == day
            )
        ).scalars()
        return {r.person_id: dict(r.data) for r in rows if current.get(r.person_id) == r.revision}


def keep(store: Store, made: dict[int, tuple[int, dict[str, Any]]], day: dt.date) -> None:
    """Cache rows computed on `day`: person → (the revision they were computed from, the row)."""
    if not made:
        return
    with Session(writer(store.engine)) as s, s.begin():
        for person, (revision, data) in made.items():
            values = {"person_id": person, "revision": revision, "day": day, "data": data}
            upsert.replace(s, ClinicSummary.__table__, values, key=("person_id",))
