"""Recording a clinician's clearance of the red flags on hold (RF-SOON: the plan waits for
it): who (name, profession), when, and which flags. The rules are checked here once, for the
terminal and the web form alike. In clinic mode a clinician records it: their account and
email sign it, whatever name the form gave."""

from __future__ import annotations

import datetime as dt

from kneecap.app.context import CLINICIAN, Action, Home, require
from kneecap.app.errors import BadInput, NoProfile

MAX_NAME = 200
MAX_PROFESSION = 100
MAX_NOTE = 2000


def record_clearance(
    home: Home,
    clinician: str,
    profession: str | None,
    cleared_on: dt.date | None = None,
    note: str | None = None,
    flags: frozenset[str] | None = None,
) -> frozenset[str]:
    """Returns the flags cleared: `flags`, or every one on hold when None. A profession, when
    given, must be said; so must `flags`, when given, and each must be on hold."""
    require(home.actor, Action.CLEAR, home.person)
    current = home.store.profile(home.person)
    if current is None:
        raise NoProfile()
    pending = sorted(current.red_flags.raised() - home.store.cleared_flags(home.person))
    signer = CLINICIAN in home.actor.roles and not home.actor.local
    name = home.actor.signature if signer else clinician.strip()
    job = profession.strip() if profession is not None else None
    problems = []
    if not name:
        problems.append("clinician: give the name of the clinician who cleared you")
    elif len(name) > MAX_NAME:
        problems.append(f"clinician: {MAX_NAME} characters at most")
    if job is not None and not job:
        problems.append("profession: give the clinician's profession (e.g. physiotherapist)")
    elif job is not None and len(job) > MAX_PROFESSION:
        problems.append(f"profession: {MAX_PROFESSION} characters at most")
    today = home.clock.today()
    day = cleared_on or today
    if day > today:
        problems.append(
            f"date: {day.isoformat()} is in the future; record a clearance once it has been given"
        )
    if flags is not None and not flags:
        problems.append("flags: tick the warning signs the clinician examined and cleared")
    unknown = sorted(set(flags or ()) - set(pending))
    if unknown:
        problems.append(
            f"flags: {', '.join(f[:40] for f in unknown)} is not on hold (on hold: "
            f"{', '.join(pending) or 'nothing'})"
        )
    if note is not None and len(note) > MAX_NOTE:
        problems.append(f"note: {MAX_NOTE} characters at most")
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        account = home.actor.account if signer else None
        return w.record_clearance(day, name, note, home.clock.now(), job, flags, account)
