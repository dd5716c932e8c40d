"""Recording a clinician's clearance of the red flags on hold (RF-SOON: the plan waits for
it): who (name, profession), when, and which flags. Clinic mode will tie it to an account."""

from __future__ import annotations

import datetime as dt

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput, NoProfile

MAX_NAME = 200
MAX_PROFESSION = 100


def record_clearance(
    home: Home,
    clinician: str,
    profession: str | None,
    cleared_on: dt.date | None = None,
    note: str | None = None,
    flags: frozenset[str] | None = None,
) -> frozenset[str]:
    """Returns the flags cleared (`flags`, or every one raised when None)."""
    require(home.actor, Action.CLEAR, home.person)
    name = clinician.strip()
    job = profession.strip() if profession is not None else None
    problems = []
    if not name:
        problems.append("clinician: give the clinician's name")
    if profession is not None and not job:
        problems.append("profession: give the clinician's profession, or leave it out")
    if len(name) > MAX_NAME or (job is not None and len(job) > MAX_PROFESSION):
        problems.append(
            f"clinician/profession: too long ({MAX_NAME} and {MAX_PROFESSION} characters at most)"
        )
    today = home.clock.today()
    day = cleared_on or today
    if day > today:
        problems.append(
            f"date: {day.isoformat()} is in the future; record a clearance once it is given"
        )
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        try:
            return w.record_clearance(day, name, note, home.clock.now(), job, flags)
        except LookupError:
            raise NoProfile() from None
        except ValueError as exc:
            raise BadInput(f"flags: not on hold: {exc}") from None
