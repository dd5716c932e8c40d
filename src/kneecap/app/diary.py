"""Recording what was done: sessions (the guided player, a form, a file) and the morning
check-ins. The date rules (`core.dates`) and the catalogue check are made here, once for both
faces; each call is one transaction.

A session saved with a one-time token (each rendered form carries one; an offline queue keeps
its own) is stored once however often it is sent. For `EDIT_DAYS` after its date a session can
be edited (a new version; the engine replays the latest) or undone (kept, never replayed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput, NoProfile
from kneecap.catalog import load_catalogue
from kneecap.core import checkin_words, dates
from kneecap.core.history import EDIT_DAYS, CheckIn, Logged, SessionLog, editable
from kneecap.core.profile import Profile

if TYPE_CHECKING:
    from kneecap.app.read import Planned
    from kneecap.core.engine import Moment, Status
    from kneecap.core.prescription import Prescription
    from kneecap.core.screening import Screening
    from kneecap.programme import Programme


class NoSuchSession(LookupError):
    """No session with this id, or it was undone (for a restore: or it is not undone): each
    face answers "not found"."""

    def __init__(self, session_id: int) -> None:
        super().__init__(f"no logged session {session_id} (it may have been undone)")


@dataclass(frozen=True)
class Saved:
    """A session as stored; `created` is False when its token had been saved before (nothing
    new was stored: `session` is what that first save stored)."""

    session: Logged
    created: bool


@dataclass(frozen=True)
class CheckedIn:
    """A check-in as stored: the flags it raised, whether it replaced one of the same day, and
    what it changed in words (`core.checkin_words.feedback`); the programme read after it, with
    the revision of the data it was read at (a face may keep it: it is the next read's)."""

    raised: frozenset[str]
    updated: bool
    feedback: dict[str, Any]
    programme: Programme | None = None
    revision: int = -1


def current_profile(home: Home) -> Profile:
    """The person's profile, or NoProfile."""
    profile = home.store.profile(home.person)
    if profile is None:
        raise NoProfile()
    return profile


def dated_problems(home: Home, days: Sequence[tuple[str, dt.date]], profile: Profile) -> list[str]:
    """The date rule of every log: from the programme's start to tomorrow (`core.dates`)."""
    today = home.clock.today()
    found = (dates.log_problem(day, profile.start_date, today, where) for where, day in days)
    return [p for p in found if p is not None]


def _where(count: int) -> Callable[[int], str]:
    """How the n-th of `count` records' date is named in a message."""
    return (lambda n: f"item {n + 1}: date") if count > 1 else (lambda n: "date")


def log_sessions(home: Home, logs: Sequence[SessionLog], source: str = "session") -> None:
    """Store sessions, all or none: each dated within the programme, each exercise known."""
    require(home.actor, Action.LOG, home.person)
    profile = current_profile(home)
    catalogue = load_catalogue()
    where = _where(len(logs))
    problems = dated_problems(home, [(where(n), s.date) for n, s in enumerate(logs)], profile)
    for log in logs:
        for i, e in enumerate(log.entries):
            if e.exercise not in catalogue:
                problems.append(
                    f"{source}: entries.{i}.exercise: unknown exercise '{e.exercise[:40]}' "
                    "(see 'kneecap exercises' for the ids)"
                )
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        w.add_sessions(list(logs), home.clock.now())


def _session_problems(home: Home, log: SessionLog, source: str) -> list[str]:
    profile = current_profile(home)
    catalogue = load_catalogue()
    problems = dated_problems(home, [("date", log.date)], profile)
    for i, e in enumerate(log.entries):
        if e.exercise not in catalogue:
            problems.append(
                f"{source}: entries.{i}.exercise: unknown exercise '{e.exercise[:40]}' "
                "(see 'kneecap exercises' for the ids)"
            )
    return problems


def save_session(
    home: Home, log: SessionLog, token: str | None = None, source: str = "session"
) -> Saved:
    """Store one session. With a token already saved, nothing is stored and the session that
    token saved is answered (a double submit, a queue sending again)."""
    require(home.actor, Action.LOG, home.person)
    problems = _session_problems(home, log, source)
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        logged, created = w.add_session(log, home.clock.now(), token)
    return Saved(logged, created)


def _too_old(day: dt.date) -> BadInput:
    return BadInput(
        f"this session is from {day.isoformat()}, more than {EDIT_DAYS} days ago: a session "
        f"can be edited or undone for {EDIT_DAYS} days, then it stays as it is"
    )


def edit_session(home: Home, session_id: int, log: SessionLog, token: str | None = None) -> Saved:
    """A new version of a logged session (its date stays); the old one is kept as history and
    the engine replays the new one. Refused after `EDIT_DAYS`; NoSuchSession if there is none."""
    require(home.actor, Action.LOG, home.person)
    problems = _session_problems(home, log, "session")
    if problems:
        raise BadInput(*problems)
    today = home.clock.today()
    with home.store.transaction(home.person) as w:
        sent = None if token is None else w.session_by_token(token)
        if sent is not None:
            return Saved(sent, False)  # this edit was saved before
        current = w.current_session(session_id)
        if current is None:
            raise NoSuchSession(session_id)
        day = current.log.date
        if not editable(day, today):
            raise _too_old(day)
        if log.date != day:
            raise BadInput(
                f"date: an edit keeps the session's date ({day.isoformat()}); "
                "undo it and log it again on the other day"
            )
        logged, created = w.edit_session(session_id, log, home.clock.now(), token)
    return Saved(logged, created)


def undo_session(home: Home, session_id: int) -> Logged:
    """Undo a logged session: kept as history, never replayed again. Refused after
    `EDIT_DAYS`; NoSuchSession if there is none (or it was undone already)."""
    require(home.actor, Action.LOG, home.person)
    with home.store.transaction(home.person) as w:
        current = w.current_session(session_id)
        if current is None:
            raise NoSuchSession(session_id)
        if not editable(current.log.date, home.clock.today()):
            raise _too_old(current.log.date)
        return w.undo_session(session_id, home.clock.now())


def restore_session(home: Home, session_id: int) -> Logged:
    """Bring back an undone session, in one transaction, as it was: the engine replays it
    again. Refused after `EDIT_DAYS` as an undo is; NoSuchSession if it is not undone."""
    require(home.actor, Action.LOG, home.person)
    with home.store.transaction(home.person) as w:
        try:
            restored = w.restore_session(session_id)
        except LookupError:
            raise NoSuchSession(session_id) from None
        if not editable(restored.log.date, home.clock.today()):
            raise _too_old(restored.log.date)  # the transaction is rolled back
        return restored


def logged_on(home: Home, day: dt.date, deleted: bool = False) -> list[Logged]:
    """The sessions logged for `day`, each at its latest version (undone ones too when
    `deleted`)."""
    require(home.actor, Action.READ, home.person)
    return home.store.logged_sessions(home.person, day, day, deleted)


def check_in(home: Home, checkin: CheckIn) -> CheckedIn:
    """Store one morning check-in (replacing an earlier one that day) and say what it changed:
    the engine replays with it, and its decisions for that day are put in words."""
    from kneecap.app import read  # the read-model: only after the write

    require(home.actor, Action.LOG, home.person)
    profile = current_profile(home)
    problems = dated_problems(home, [("date", checkin.date)], profile)
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        updated = w.has_checkin(checkin.date)
        raised = w.add_checkins([checkin], home.clock.now())
    revision = read.revision(home)  # before the read: the programme is of this data or newer
    p = read.programme(home, mornings(checkin.date))
    words = checkin_feedback(home, p, checkin, updated=updated, raised=sorted(raised))
    return CheckedIn(raised, updated, words, p, revision)


def mornings(day: dt.date) -> tuple[Moment, Moment, Moment]:
    """The moments a check-in's words compare (`Programme.looked`): the morning before, after
    its check-in; this morning before its check-in (the clinician's overrides of the day
    replayed); and with it."""
    from kneecap.core.engine import MORNING, OVERRIDES

    return (day - dt.timedelta(days=1), MORNING), (day, OVERRIDES), (day, MORNING)


def _mornings(home: Home, p: Programme, day: dt.date) -> list[Status]:
    """The engine's views at `mornings(day)`: from the programme's own replay when it looked
    there, else from one pass over the history it was read from."""
    from kneecap.core.engine import Replayer
    from kneecap.programme import ladder_runs

    moments = mornings(day)
    if all(m in p.looked for m in moments):
        return [p.looked[m] for m in moments]
    replayer = Replayer(
        p.profile,
        p.catalogue,
        p.screening.phase,
        p.sessions,
        p.checkins,
        ladder_runs(p.runs, p.sessions, p.profile.start_date),
        home.store.entry_checks(home.person),
        home.store.overrides(home.person),
    )
    views = []
    for when, through in moments:
        replayer.play(when, through)
        views.append(replayer.status(when))
    return views


def checkin_feedback(
    home: Home,
    p: Programme,
    checkin: CheckIn,
    updated: bool = False,
    raised: Sequence[str] = (),
) -> dict[str, Any]:
    """What a stored check-in changed (`core.checkin_words.feedback`): the decisions it made
    (the replay up to that morning with it and without it), each exercise's dose as the runner
    had it the day before (as logged, else as planned that day) and as it will be planned, and
    the hold while red flags hold the plan."""
    from dataclasses import replace

    from kneecap.core.screening import Referral, Urgency

    day = checkin.date
    yesterday = day - dt.timedelta(days=1)
    then, without, with_ = _mornings(home, p, day)
    with_it, without_it = with_.decisions, without.decisions
    made = checkin_words.caused(with_it, without_it, day)
    unheld = replace(p.screening, referral=Referral(False, Urgency.NONE))
    had: dict[str, Prescription] = {}
    planned: dict[str, Prescription] = {}
    if made:
        before = replace(p, screening=unheld, status=then).plan(yesterday, yesterday)
        had = {i.exercise: i.prescription for d in before.days for s in d.sessions for i in s.items}
        for log in (s for s in p.sessions if s.date == yesterday):
            for e in log.entries:
                was = had.get(e.exercise)
                if was is not None:
                    had[e.exercise] = replace(
                        was,
                        sets=e.sets_done or was.sets,
                        reps=e.reps_done or was.reps,
                        hold_s=e.hold_s_done or was.hold_s,
                        minutes=round(e.minutes_done) if e.minutes_done else was.minutes,
                    )
        ahead = replace(p, screening=unheld).plan(day, day + dt.timedelta(days=6))
        for d in ahead.days:
            for s in d.sessions:
                for i in s.items:
                    planned.setdefault(i.exercise, i.prescription)
    pending = p.pending
    hold = checkin_words.hold_words(
        checkin,
        pending,
        {f: home.store.flag_raised_on(home.person, f) for f in pending},
        raised,
    )
    return checkin_words.feedback(
        checkin,
        made,
        p.catalogue,
        updated=updated,
        raised=raised,
        had=had,
        planned=planned,
        hold=hold,
    )


def record_checkins(home: Home, checkins: Sequence[CheckIn]) -> frozenset[str]:
    """Store morning check-ins (each replacing an earlier one that day); the red flags they
    raise go into the profile in the same transaction. Returns the flags newly raised."""
    require(home.actor, Action.LOG, home.person)
    profile = current_profile(home)
    where = _where(len(checkins))
    problems = dated_problems(home, [(where(n), c.date) for n, c in enumerate(checkins)], profile)
    if problems:
        raise BadInput(*problems)
    with home.store.transaction(home.person) as w:
        return w.add_checkins(list(checkins), home.clock.now())


def record_checkins_and_screen(home: Home, checkins: Sequence[CheckIn]) -> Screening | None:
    """`record_checkins`; when they raised a red flag, the screening that follows (its referral
    says whether the plan is now on hold), else None."""
    from kneecap.app import read

    raised = record_checkins(home, checkins)
    return read.programme(home).screening if raised else None


def session_day(home: Home, day: dt.date) -> Planned:
    """The plan for the day a session is done on, to be logged for that day: refused (BadInput)
    when it cannot be (`core.dates`: from the programme's start to tomorrow)."""
    from kneecap.app import read

    p = read.programme(home)
    problem = dates.log_problem(day, p.profile.start_date, home.clock.today())
    if problem is not None:
        raise BadInput(problem)
    return read.plan_for(home, p, day, 1)
