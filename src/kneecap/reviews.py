"""The no-improvement review read from the store: when six weeks of adherent rehab have not
brought a meaningful change (`core.improvement`, CLINICAL RF-SOON), the flag is due, to be
raised as a new profile version, like a check-in's swelling, so the plan waits for a recorded
clearance.

Run by `Programme.of`, the one place both faces load a programme, so the review happens
whenever the runner's data is read, from the terminal or the web. It only reads: the flags it
finds due are `Programme.due`, which the read's use case (`kneecap.app.read.programme`) writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from kneecap.core import holds, improvement
from kneecap.core.catalogue import Catalogue
from kneecap.core.engine import Status
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.profile import Profile
from kneecap.core.progress import weeks
from kneecap.core.screening import Screening, screen

if TYPE_CHECKING:  # the store is given; SQLAlchemy is not imported to read it
    from kneecap.store.reads import Reads

FLAG = "no_improvement"


def review_progress(
    store: Reads,
    person_id: int,
    profile: Profile,
    screening: Screening,
    catalogue: Catalogue,
    sessions: tuple[SessionLog, ...],
    checkins: tuple[CheckIn, ...],
    status: Status,
    today: dt.date,
    cleared: frozenset[str],
) -> tuple[Screening, frozenset[str]]:
    """The screening after the review (with the flag raised, the referral quoting the runner's
    numbers) and the review flags due: found today and not stored yet. `cleared`: the flags a
    clearance covers (raising this flag clears nothing)."""
    raised = profile.red_flags.raised()
    if FLAG in cleared:
        return screening, frozenset()  # a clinician has assessed it and guides from here
    if FLAG not in raised and screening.referral.needed:
        return screening, frozenset()  # on hold already: nothing planned to adhere to
    clearances = store.clearances(person_id)
    since = max(profile.start_date, holds.last_cleared_on(clearances, FLAG) or profile.start_date)
    if FLAG in raised:
        # On hold: quote the numbers as they were on the day the flag was raised, counting
        # the sessions the plan held before the hold.
        as_of = store.flag_raised_on(person_id, FLAG) or today
        unheld = screen(profile, cleared | {FLAG})
        found = _review(
            profile, unheld, catalogue, sessions, checkins, status, store, person_id, since, as_of
        )
        details = {FLAG: found.text()} if found is not None and found.no_improvement else {}
        return screen(profile, cleared, details), frozenset()
    found = _review(
        profile, screening, catalogue, sessions, checkins, status, store, person_id, since, today
    )
    if found is None or not found.no_improvement:
        return screening, frozenset()
    return screening, frozenset({FLAG})


def _review(
    profile: Profile,
    screening: Screening,
    catalogue: Catalogue,
    sessions: tuple[SessionLog, ...],
    checkins: tuple[CheckIn, ...],
    status: Status,
    store: Reads,
    person_id: int,
    since: dt.date,
    as_of: dt.date,
) -> improvement.Review | None:
    """The review as of `as_of`; adherence (a plan over the weeks, the costly part) is counted
    only when the pain and AKPS measures have not moved."""
    morning = [(c.date, c.morning_pain) for c in checkins]
    found = improvement.review(since, as_of, morning, store.akps(person_id), 0, 0)
    if found is None or not found.measures_stalled:
        return found
    kept = tuple(s for s in sessions if s.date <= as_of)
    planned = done = 0
    for week in weeks(profile, catalogue, screening, status, kept, checkins, as_of):
        if week.start + dt.timedelta(days=6) >= since:
            planned += week.planned
            done += week.done
    return replace(found, planned=planned, done=done)
