"""The clinic's use cases: a clinician's invitations and dashboard, the runner's links to their
clinicians, a clinician's reads of a linked runner's data (each written to the audit log: who,
what, from which address), clearances and notes by a clinician, and the audit log as a runner
("who has seen my data") and an admin see it.

A linked runner's data is read through the same read-model as the runner's own pages
(`app.read.programme`, or the face's cache of it, given as `reader`), so the clinician sees the
same truths; the faces build the same view-models from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kneecap.app import clearance as clearances
from kneecap.app import read
from kneecap.app.context import CLINICIAN, NOBODY, Action, Forbidden, Home, require
from kneecap.app.errors import BadInput, NoProfile
from kneecap.core import akps as kujala
from kneecap.core import progress as prog
from kneecap.core.decisions import ON_HOLD
from kneecap.core.rulebook import Rule
from kneecap.core.running import weekly_load
from kneecap.core.screening import RED_FLAGS
from kneecap.programme import Programme
from kneecap.store import accounts as book

MAX_ID = 2**31 - 1  # the largest id a database integer holds
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed once
CODE_LENGTH = 10
INVITE_VALID = dt.timedelta(days=7)
MAX_CODE = 40
MAX_NOTE = 2000
NOTES_SHOWN = 50
AUDIT_SHOWN = 100
AUDIT_SEARCH = 500
QUIET_DAYS = 7  # no session for this long needs attention
FLARE_DAYS = 14  # a flare-up this recent needs attention
PAIN_DAYS = 7  # pain above the runner's limit this recent needs attention

Reader = Callable[[Home], Programme]
REASONS = {
    "unknown": "code: no invitation has this code; check it with your clinician",
    "used": "code: this invitation has been used already; ask your clinician for a new one",
    "expired": "code: this invitation has expired (they last 7 days); ask for a new one",
}


@dataclass(frozen=True)
class Invite:
    code: str
    expires: dt.datetime


def _normal(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())[:MAX_CODE]


def _audit(home: Home, action: str, person: int | None, detail: str = "") -> None:
    _audit_all(home, action, [person], detail)


def _audit_all(home: Home, action: str, people: list[int | None], detail: str = "") -> None:
    actor = home.actor
    at = home.clock.now()
    book.audit_many(
        home.store, at, actor.account, actor.name, action, people, detail, actor.address
    )


# --- invitations and links


def invite(home: Home) -> Invite:
    """A clinician's invitation: a code of `CODE_LENGTH` from an unambiguous alphabet, valid
    `INVITE_VALID`, one use (only its digest is stored)."""
    require(home.actor, Action.INVITE, NOBODY)
    assert home.actor.account is not None
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = home.clock.now()
    expires = now + INVITE_VALID
    book.add_invitation(home.store, book_digest(code), home.actor.account, now, expires)
    _audit(home, "invitation made", None, f"valid until {expires.isoformat()}")
    return Invite(code, expires)


def book_digest(code: str) -> str:
    from kneecap.app.accounts import digest

    return digest(_normal(code))


def accept(home: Home, code: str) -> int:
    """The runner accepts an invitation: linked to its clinician (whose account id is
    returned). A wrong, used or expired code is BadInput with the reason."""
    require(home.actor, Action.LINK, home.person)
    key = book_digest(code)
    now = home.clock.now()
    clinician = book.accept_invitation(home.store, key, home.person, now)
    if clinician is None:
        raise BadInput(REASONS.get(book.invitation_state(home.store, key, now), REASONS["unknown"]))
    _audit(home, "linked", home.person, f"to clinician account {clinician}")
    return clinician


def my_clinicians(home: Home) -> list[dict[str, Any]]:
    """The runner's clinicians now, newest link first."""
    require(home.actor, Action.READ, home.person)
    return [
        {"id": link.clinician_id, "email": link.clinician, "since": link.started_at.isoformat()}
        for link in book.links_of(home.store, home.person)
        if link.ended_at is None
    ]


def unlink(home: Home, clinician_id: int) -> bool:
    """The runner ends their link to a clinician (whose access ends with their next request);
    whether there was one."""
    require(home.actor, Action.LINK, home.person)
    if not 0 < clinician_id <= MAX_ID:  # no account has it (and no database integer holds it)
        return False
    ended = book.end_link(home.store, home.person, clinician_id, home.clock.now())
    if ended:
        _audit(home, "unlinked", home.person, f"from clinician account {clinician_id}")
    return ended


# --- the clinician's reads


def _runner(home: Home, runner: int) -> Home:
    """A linked runner's home, for a clinician's read (a runner reads their own pages)."""
    require(home.actor, Action.READ, runner)
    if not home.actor.local and CLINICIAN not in home.actor.roles:
        raise Forbidden(f"{home.actor.name} is not a clinician")
    return dataclasses.replace(home, person=runner)


def runner_clips(home: Home, runner: int, data_folder: Path) -> list[dict[str, Any]]:
    """The form-check clips a linked runner kept, with their results (audited)."""
    from kneecap.app import form

    there = _runner(home, runner)
    _audit(home, "read", runner, "form checks")
    return form.kept_clips(there, data_folder)


def runner_clip(home: Home, runner: int, data_folder: Path, clip_id: str) -> Path:
    """A linked runner's kept clip, its video file (audited); BadInput when none."""
    from kneecap.app import form

    there = _runner(home, runner)
    found = form.kept_clip(there, data_folder, clip_id)
    _audit(home, "read", runner, f"form-check clip {clip_id[:40]}")
    return found


def _name(home: Home, runner: int) -> str:
    return book.person_names(home.store, frozenset({runner})).get(runner, f"runner {runner}")


def attention(p: Programme, today: dt.date) -> list[dict[str, str]]:
    """Why a runner needs the clinician's attention, most serious first: red flags on hold
    (RF-*, the no-improvement review's RF-SOON among them), a recent flare-up, pain above the
    runner's limit, no session for a week, a load spike, a Kujala score due or a meaningful
    change."""
    out: list[dict[str, str]] = []
    held = [r for r in p.holds if r.kind == ON_HOLD]
    for flag in p.pending:
        since = max((r.first for r in held if flag in r.flags), default=today)
        known = RED_FLAGS.get(flag)
        reason = known.text if known else f"warning sign: {flag.replace('_', ' ')}"
        out.append(
            {"reason": reason, "rule": known.rule if known else "RF-SOON", "since": str(since)}
        )
    recent = [d for d in p.status.flares if (today - d).days < FLARE_DAYS]
    if recent:
        out.append({"reason": "a flare-up", "rule": "KC-PHASE-FLARE", "since": str(max(recent))})
    limit = p.profile.pain_limit
    painful = sorted(
        c.date
        for c in p.checkins
        if 0 <= (today - c.date).days < PAIN_DAYS and max(c.readings(), default=0) > limit
    )
    painful += sorted(
        s.date
        for s in p.sessions
        if 0 <= (today - s.date).days < PAIN_DAYS and (s.pain_after or 0) > limit
    )
    if painful:
        out.append(
            {
                "reason": f"pain above their limit of {limit}/10",
                "rule": "PMM-1",
                "since": str(min(painful)),
            }
        )
    last = max((s.date for s in p.sessions), default=None)
    started = p.profile.start_date
    if (today - (last or started)).days >= QUIET_DAYS and started <= today:
        out.append(
            {
                "reason": f"no session for {QUIET_DAYS} days or more",
                "rule": "KC-GAP",
                "since": str(last or started),
            }
        )
    load = weekly_load(list(p.runs), list(p.checkins), list(p.sessions), today, 2)
    spikes = [w for w in load if w.spike]
    if spikes:
        out.append(
            {
                "reason": "a jump in weekly running",
                "rule": "LOAD-SPIKE",
                "since": str(spikes[-1].start),
            }
        )
    last_akps = p.akps[-1][0] if p.akps else None
    if kujala.due(last_akps, today) == "due":
        out.append(
            {
                "reason": "a Kujala score is due",
                "rule": Rule.KC_AKPS,
                "since": str(last_akps or started),
            }
        )
    if len(p.akps) >= 2:
        result = kujala.Result(p.akps[-1][0], p.akps[-1][1], p.akps[-2][1])
        if result.meaningful:
            way = "better" if (result.change or 0) > 0 else "worse"
            out.append(
                {
                    "reason": f"Kujala score {result.change:+d} points: meaningfully {way}",
                    "rule": Rule.KC_AKPS,
                    "since": str(result.date),
                }
            )
    return out


def _row(home: Home, runner: int, name: str, p: Programme) -> dict[str, Any]:
    today = home.clock.today()
    week = prog.weeks(
        p.profile, p.catalogue, p.screening, p.status, p.sessions, p.checkins, today, 1
    )
    this = week[-1] if week else None
    return {
        "id": runner,
        "name": name,
        "attention": attention(p, today),
        "adherence": None
        if this is None
        else {"done": this.done, "planned": this.planned, "ratio": this.adherence},
        "phase": p.status.phase.value,
        "rtr_stage": p.status.stage,
    }


def dashboard(home: Home, reader: Reader = read.programme) -> list[dict[str, Any]]:
    """A clinician's linked runners, those needing attention first (a red flag, then the most
    reasons), each read through `reader` (the read-model, or a face's cache of it). A runner's
    row is computed once for the day and the revision of their data, and kept for every
    worker (`store/summaries.py`)."""
    from kneecap.store import summaries

    require(home.actor, Action.INVITE, NOBODY)  # a clinician's own: only they have runners
    people = home.actor.linked
    names = book.person_names(home.store, people)
    day = home.clock.today()
    current = summaries.revisions(home.store, people)
    kept = summaries.fresh(home.store, current, day)
    made: dict[int, tuple[int, dict[str, Any]]] = {}
    rows = []
    read_ids: list[int | None] = []  # whose data was read: audited together
    for runner in sorted(people):
        there = _runner(home, runner)  # may the clinician read it: asked for every runner
        row = kept.get(runner)
        if row is None:
            try:
                row = _row(home, runner, "", reader(there))
            except NoProfile:
                row = {"id": runner, "attention": [], "adherence": None, "phase": None}
                row["rtr_stage"] = None
            made[runner] = (current.get(runner, 0), row)
        rows.append({**row, "name": names.get(runner, "")})
        if row["phase"] is not None:
            read_ids.append(runner)
    summaries.keep(home.store, made, day)
    _audit_all(home, "read", read_ids, "dashboard")
    return sorted(rows, key=_urgency)


def _urgency(row: dict[str, Any]) -> tuple[bool, bool, int, str]:
    """A red flag first, then any reason, then the most reasons, then by name."""
    reasons = row["attention"]
    flagged = any(a["rule"].startswith("RF-") for a in reasons)
    return (not flagged, not reasons, -len(reasons), row["name"])


def runner_programme(
    home: Home, runner: int, what: str, reader: Reader = read.programme
) -> Programme:
    """A linked runner's programme, for the clinician's view of `what` (audited)."""
    there = _runner(home, runner)
    _audit(home, "read", runner, what)
    return reader(there)


def runner_summary(home: Home, runner: int, reader: Reader = read.programme) -> dict[str, Any]:
    """A linked runner at a glance: the dashboard's row, what is on hold, the profile and its
    history (the flags each version raised), the clinician's notes."""
    p = runner_programme(home, runner, "summary", reader)
    there = dataclasses.replace(home, person=runner)
    versions, _ = home.store.hold_history(runner)
    row = _row(there, runner, _name(home, runner), p)
    return {
        **row,
        "pending": [
            {"flag": f, "rule": RED_FLAGS[f].rule if f in RED_FLAGS else "RF-SOON"}
            for f in p.pending
        ],
        "profile": p.profile.model_dump(mode="json"),
        "profile_history": [
            {
                "version": v.id,
                "date": None if v.created_on is None else v.created_on.isoformat(),
                "flags": sorted(v.raised),
            }
            for v in versions
        ],
        "notes": [_note(n) for n in book.notes(home.store, runner, False, NOTES_SHOWN)],
    }


def clear(
    home: Home,
    runner: int,
    profession: str,
    flags: frozenset[str] | None,
    note: str | None = None,
    cleared_on: dt.date | None = None,
) -> frozenset[str]:
    """A linked runner's red flags cleared by the clinician, signed by their account."""
    require(home.actor, Action.CLEAR, runner)
    there = dataclasses.replace(home, person=runner)
    done = clearances.record_clearance(
        there, home.actor.signature, profession, cleared_on, note, flags
    )
    _audit(home, "cleared", runner, ", ".join(sorted(done)))
    return done


# --- notes


def _note(n: book.NoteRow) -> dict[str, Any]:
    return {
        "id": n.id,
        "author": n.author,
        "at": n.created_at.isoformat(),
        "text": n.text,
        "shared": n.shared,
    }


def add_note(home: Home, runner: int, text: str, shared: bool) -> dict[str, Any]:
    """A clinician's note on a linked runner: private, or shared with the runner."""
    require(home.actor, Action.NOTE, runner)
    body = text.strip()
    if not body:
        raise BadInput("text: write the note")
    if len(body) > MAX_NOTE:
        raise BadInput(f"text: {MAX_NOTE} characters at most")
    assert home.actor.account is not None
    now = home.clock.now()
    book.add_note(home.store, runner, home.actor.account, home.actor.signature, body, shared, now)
    _audit(home, "note added", runner, "shared" if shared else "private")
    return {"author": home.actor.signature, "at": now.isoformat(), "text": body, "shared": shared}


def notes_of(home: Home, runner: int) -> list[dict[str, Any]]:
    """A runner's notes: a linked clinician sees every one, the runner the shared ones."""
    require(home.actor, Action.READ, runner)
    clinician = CLINICIAN in home.actor.roles and runner in home.actor.linked
    return [_note(n) for n in book.notes(home.store, runner, not clinician, NOTES_SHOWN)]


# --- the audit log


def _entry(e: book.AuditRow) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(),
        "actor": e.actor,
        "action": e.action,
        "person": e.person_id,
        "detail": e.detail,
        "address": e.address,
    }


def my_audit(home: Home) -> list[dict[str, Any]]:
    """Who has seen or changed the runner's data (others than the runner), newest first."""
    require(home.actor, Action.READ, home.person)
    entries = book.audit_entries(home.store, AUDIT_SHOWN * 2, person_id=home.person)
    mine = home.actor.account
    return [_entry(e) for e in entries if mine is None or e.account_id != mine][:AUDIT_SHOWN]


def search_audit(
    home: Home, actor: str | None = None, person: int | None = None, action: str | None = None
) -> list[dict[str, Any]]:
    """An admin's search of the audit log: by account (email or id), person, action."""
    require(home.actor, Action.ACCOUNTS, NOBODY)
    if person is not None and not 0 < person <= MAX_ID:
        raise BadInput(f"person: a person's number, 1 to {MAX_ID}")
    account: int | None = None
    if actor:
        if actor.strip().isdigit():
            account = int(actor.strip()[:12])
            if not 0 < account <= MAX_ID:
                raise BadInput(f"actor: an email or an account's number, 1 to {MAX_ID}")
        else:
            found = book.by_email(home.store, actor.strip().lower()[:254])
            if found is None:
                return []
            account = found.id
    entries = book.audit_entries(
        home.store,
        AUDIT_SEARCH,
        person_id=person,
        account_id=account,
        action=(action or "")[:80] or None,
    )
    return [_entry(e) for e in entries]
