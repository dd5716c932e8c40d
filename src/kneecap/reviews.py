"""The no-improvement review wired to the store: when six weeks of adherent rehab have not
brought a meaningful change (`core.improvement`, CLINICAL RF-SOON), the flag is raised as a new
profile version, like a check-in's swelling, so the plan waits for a recorded clearance.

Run by `Programme.of`, the one place both faces load a programme, so the review happens
whenever the runner's data is read, from the terminal or the web.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from kneecap.core import holds, improvement
from kneecap.core.catalogue import Catalogue
from kneecap.core.engine import Status
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.profile import Profile
from kneecap.core.progress import weeks
from kneecap.core.screening import Screening, screen
from kneecap.store.repository import Store

FLAG = "no_improvement"


def review_progress(
    store: Store,
    person_id: int,
    profile: Profile,
    screening: Screening,
    catalogue: Catalogue,
    sessions: tuple[SessionLog, ...],
    checkins: tuple[CheckIn, ...],
    status: Status,
    today: dt.date,
    now: dt.datetime,
    cleared: frozenset[str],
) -> tuple[Profile, Screening]:
    """The profile and screening after the review: unchanged, or with the flag raised (and
    stored) and the referral quoting the runner's numbers. `cleared`: the flags a clearance
    covers (raising this flag clears nothing)."""
    raised = profile.red_flags.raised()
    if FLAG in cleared:
        return profile, screening  # a clinician has assessed it and guides from here
    if FLAG not in raised and screening.referral.needed:
        return profile, screening  # on hold already: nothing planned to adhere to
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
        return profile, screen(profile, cleared, details)
    found = _review(
        profile, screening, catalogue, sessions, checkins, status, store, person_id, since, today
    )
    if found is None or not found.no_improvement:
        return profile, screening
    store.raise_flags(person_id, {FLAG}, now)
    stored = store.profile(person_id)
    assert stored is not None  # it was just written
    return stored, screen(stored, cleared, {FLAG: found.text()})


def _review(
    profile: Profile,
    screening: Screening,
    catalogue: Catalogue,
    sessions: tuple[SessionLog, ...],
    checkins: tuple[CheckIn, ...],
    status: Status,
    store: Store,
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
