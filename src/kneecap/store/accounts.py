"""Logins and the clinic's records: accounts, browser sessions, reset links, invitations, care
links, the audit log, notes and overrides. Secrets are stored as digests only (SHA-256 of a
random token, Argon2id of a password or recovery code): the database never holds a working one.

Each function is one transaction; the rules (who may, how long, how many) are the use cases'
(`kneecap.app.accounts`, `kneecap.app.clinic`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kneecap.store.engine import writer
from kneecap.store.queries import utc
from kneecap.store.repository import Store
from kneecap.store.tables import (
    Account,
    AuditEntry,
    CareLink,
    ClinicNote,
    ClinicOverride,
    Invitation,
    Person,
    RecoveryCode,
    ResetToken,
    WebSession,
)


class Taken(ValueError):
    """An account with this email exists already."""


@dataclass(frozen=True)
class AccountRow:
    id: int
    email: str
    name: str | None
    roles: frozenset[str]
    person_id: int | None
    password_hash: str
    totp_secret: str | None
    totp_enrolled: bool
    failed_logins: int
    locked_until: dt.datetime | None
    disabled: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class SessionRow:
    account: AccountRow
    stage: str
    created_at: dt.datetime
    last_seen_at: dt.datetime


@dataclass(frozen=True)
class LinkRow:
    id: int
    clinician_id: int
    clinician: str
    person_id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    account_id: int | None
    actor: str
    action: str
    person_id: int | None
    detail: str
    address: str | None


@dataclass(frozen=True)
class NoteRow:
    id: int
    author: str
    created_at: dt.datetime
    text: str
    shared: bool


@dataclass(frozen=True)
class OverrideRow:
    id: int
    author: str
    created_at: dt.datetime
    kind: str
    data: dict[str, Any]
    reason: str


def _account(a: Account) -> AccountRow:
    return AccountRow(
        id=a.id,
        email=a.email,
        name=a.name,
        roles=frozenset(a.roles.split()),
        person_id=a.person_id,
        password_hash=a.password_hash,
        totp_secret=a.totp_secret,
        totp_enrolled=a.totp_enrolled_at is not None,
        failed_logins=a.failed_logins,
        locked_until=None if a.locked_until is None else utc(a.locked_until),
        disabled=a.disabled_at is not None,
        created_at=utc(a.created_at),
    )


@contextmanager
def _read(store: Store) -> Iterator[Session]:
    with Session(store.engine) as s:
        yield s


@contextmanager
def _write(store: Store) -> Iterator[Session]:
    with Session(writer(store.engine), expire_on_commit=False) as s, s.begin():
        yield s


# --- accounts


def add(
    store: Store,
    email: str,
    roles: frozenset[str],
    password_hash: str,
    person: str | None,
    now: dt.datetime,
    name: str | None = None,
) -> AccountRow:
    """A new account; a runner's owns the person called `person` (created if new). Taken when
    the email (or that person) has an account already."""
    try:
        with _write(store) as s:
            person_id = None
            if person is not None:
                person_id = s.scalar(select(Person.id).where(Person.name == person))
                if person_id is None:
                    row = Person(name=person, created_at=now)
                    s.add(row)
                    s.flush()
                    person_id = row.id
            account = Account(
                email=email,
                name=name,
                roles=" ".join(sorted(roles)),
                person_id=person_id,
                password_hash=password_hash,
                created_at=now,
            )
            s.add(account)
            s.flush()
            return _account(account)
    except IntegrityError:
        raise Taken(email) from None


def count(store: Store) -> int:
    with _read(store) as s:
        return int(s.scalar(select(func.count()).select_from(Account)) or 0)


def by_email(store: Store, email: str) -> AccountRow | None:
    with _read(store) as s:
        found = s.scalar(select(Account).where(Account.email == email))
        return None if found is None else _account(found)


def by_id(store: Store, account_id: int) -> AccountRow | None:
    with _read(store) as s:
        found = s.get(Account, account_id)
        return None if found is None else _account(found)


def listed(store: Store, limit: int) -> list[AccountRow]:
    with _read(store) as s:
        return [_account(a) for a in s.scalars(select(Account).order_by(Account.id).limit(limit))]


def person_of(store: Store, account_id: int, now: dt.datetime) -> int:
    """The runner's own person, made on first use (after a deletion cleared it)."""
    with _write(store) as s:
        account = s.get(Account, account_id)
        assert account is not None
        if account.person_id is None:
            row = Person(name=f"account {account.id} since {now.isoformat()}"[:100], created_at=now)
            s.add(row)
            s.flush()
            account.person_id = row.id
        return account.person_id


def set_fields(store: Store, account_id: int, end_sessions: bool = False, **values: Any) -> None:
    """Change an account's columns (`disabled_at`, `password_hash`, `failed_logins`, ...); with
    `end_sessions`, every login of the account ends in the same transaction."""
    with _write(store) as s:
        s.execute(update(Account).where(Account.id == account_id).values(**values))
        if end_sessions:
            s.execute(delete(WebSession).where(WebSession.account_id == account_id))


def failed(store: Store, account_id: int, lock: dt.timedelta | None, now: dt.datetime) -> int:
    """Count one more failed login (atomically: several workers may see failures at once), and
    lock the account for `lock` past the number the caller's rule says; the new count."""
    with _write(store) as s:
        s.execute(
            update(Account)
            .where(Account.id == account_id)
            .values(failed_logins=Account.failed_logins + 1)
        )
        n = int(s.scalar(select(Account.failed_logins).where(Account.id == account_id)) or 0)
        if lock is not None:
            s.execute(
                update(Account).where(Account.id == account_id).values(locked_until=now + lock)
            )
        return n


# --- TOTP and recovery codes


def enrol(store: Store, account_id: int, secret: str, codes: list[str], now: dt.datetime) -> None:
    """The account's authenticator key and its recovery codes (hashed), replacing any before."""
    with _write(store) as s:
        s.execute(
            update(Account)
            .where(Account.id == account_id)
            .values(totp_secret=secret, totp_enrolled_at=now)
        )
        s.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account_id))
        s.add_all(RecoveryCode(account_id=account_id, code_hash=h) for h in codes)


def recovery_codes(store: Store, account_id: int) -> list[tuple[int, str]]:
    """The unused recovery codes' ids and hashes."""
    with _read(store) as s:
        rows = s.execute(
            select(RecoveryCode.id, RecoveryCode.code_hash).where(
                RecoveryCode.account_id == account_id, RecoveryCode.used_at.is_(None)
            )
        )
        return [(r.id, r.code_hash) for r in rows]


def use_recovery_code(store: Store, code_id: int, now: dt.datetime) -> bool:
    """Mark a recovery code used; False when it was used meanwhile (one use, whatever races)."""
    with _write(store) as s:
        done = s.execute(
            update(RecoveryCode)
            .where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(getattr(done, "rowcount", 0))


# --- browser sessions


def open_session(
    store: Store, digest: str, account_id: int, stage: str, address: str | None, now: dt.datetime
) -> None:
    with _write(store) as s:
        s.add(
            WebSession(
                token_sha256=digest,
                account_id=account_id,
                stage=stage,
                created_at=now,
                last_seen_at=now,
                address=address,
            )
        )


def session(store: Store, digest: str) -> SessionRow | None:
    with _read(store) as s:
        found = s.execute(
            select(WebSession, Account)
            .join(Account, Account.id == WebSession.account_id)
            .where(WebSession.token_sha256 == digest)
        ).first()
        if found is None:
            return None
        web, account = found
        return SessionRow(_account(account), web.stage, utc(web.created_at), utc(web.last_seen_at))


def touch(store: Store, digest: str, now: dt.datetime, stage: str | None = None) -> None:
    values: dict[str, Any] = {"last_seen_at": now}
    if stage is not None:
        values["stage"] = stage
    with _write(store) as s:
        s.execute(update(WebSession).where(WebSession.token_sha256 == digest).values(**values))


def end_session(store: Store, digest: str) -> None:
    with _write(store) as s:
        s.execute(delete(WebSession).where(WebSession.token_sha256 == digest))


# --- password reset links


def add_reset(store: Store, digest: str, account_id: int, expires: dt.datetime) -> None:
    with _write(store) as s:
        s.add(ResetToken(token_sha256=digest, account_id=account_id, expires_at=expires))


def take_reset(store: Store, digest: str, password_hash: str, now: dt.datetime) -> int | None:
    """Use a reset link once: the new password set, the failures and lock cleared, every login
    ended; the account's id, or None for an unknown, used or expired link."""
    with _write(store) as s:
        token = s.get(ResetToken, digest)
        if token is None or token.used_at is not None or utc(token.expires_at) <= now:
            return None
        token.used_at = now
        s.execute(
            update(Account)
            .where(Account.id == token.account_id)
            .values(password_hash=password_hash, failed_logins=0, locked_until=None)
        )
        s.execute(delete(WebSession).where(WebSession.account_id == token.account_id))
        return token.account_id


# --- invitations and care links


def add_invitation(
    store: Store, digest: str, clinician_id: int, now: dt.datetime, expires: dt.datetime
) -> None:
    with _write(store) as s:
        s.add(
            Invitation(
                code_sha256=digest, clinician_id=clinician_id, created_at=now, expires_at=expires
            )
        )


def accept_invitation(store: Store, digest: str, person_id: int, now: dt.datetime) -> int | None:
    """Use an invitation once: the runner is linked to its clinician (once, however often they
    accept). The clinician's account id, or None for an unknown, used or expired code."""
    with _write(store) as s:
        invitation = s.get(Invitation, digest, with_for_update=True)
        if invitation is None or invitation.used_at is not None:
            return None
        if utc(invitation.expires_at) <= now:
            return None
        invitation.used_at = now
        clinician = invitation.clinician_id
        linked = s.scalar(
            select(CareLink.id).where(
                CareLink.clinician_id == clinician,
                CareLink.person_id == person_id,
                CareLink.ended_at.is_(None),
            )
        )
        if linked is None:
            s.add(CareLink(clinician_id=clinician, person_id=person_id, started_at=now))
        return clinician


def invitation_state(store: Store, digest: str, now: dt.datetime) -> str:
    """An invitation code's state: "unknown", "used", "expired" or "open"."""
    with _read(store) as s:
        found = s.get(Invitation, digest)
        if found is None:
            return "unknown"
        if found.used_at is not None:
            return "used"
        return "expired" if utc(found.expires_at) <= now else "open"


def person_names(store: Store, person_ids: frozenset[int]) -> dict[int, str]:
    """The names of these people (a runner's account names its person)."""
    if not person_ids:
        return {}
    with _read(store) as s:
        rows = s.execute(select(Person.id, Person.name).where(Person.id.in_(person_ids)))
        return {r.id: r.name for r in rows}


def linked_people(store: Store, clinician_id: int) -> frozenset[int]:
    """The people a clinician looks after now."""
    with _read(store) as s:
        return frozenset(
            s.scalars(
                select(CareLink.person_id).where(
                    CareLink.clinician_id == clinician_id, CareLink.ended_at.is_(None)
                )
            )
        )


def links_of(store: Store, person_id: int) -> list[LinkRow]:
    """A runner's care links, current and ended, newest first."""
    with _read(store) as s:
        rows = s.execute(
            select(CareLink, Account.email)
            .join(Account, Account.id == CareLink.clinician_id)
            .where(CareLink.person_id == person_id)
            .order_by(CareLink.started_at.desc())
        )
        return [
            LinkRow(
                link.id,
                link.clinician_id,
                email,
                link.person_id,
                utc(link.started_at),
                None if link.ended_at is None else utc(link.ended_at),
            )
            for link, email in rows
        ]


def end_link(store: Store, person_id: int, clinician_id: int, now: dt.datetime) -> bool:
    """End the runner's current link to the clinician; whether there was one."""
    with _write(store) as s:
        done = s.execute(
            update(CareLink)
            .where(
                CareLink.person_id == person_id,
                CareLink.clinician_id == clinician_id,
                CareLink.ended_at.is_(None),
            )
            .values(ended_at=now)
        )
        return bool(getattr(done, "rowcount", 0))


# --- the audit log


def audit(
    store: Store,
    at: dt.datetime,
    account_id: int | None,
    actor: str,
    action: str,
    person_id: int | None,
    detail: str,
    address: str | None,
) -> None:
    audit_many(store, at, account_id, actor, action, [person_id], detail, address)


def audit_many(
    store: Store,
    at: dt.datetime,
    account_id: int | None,
    actor: str,
    action: str,
    people: list[int | None],
    detail: str,
    address: str | None,
) -> None:
    """One entry per person in `people`, in one transaction (a dashboard reads many)."""
    if not people:
        return
    row = {
        "at": at,
        "account_id": account_id,
        "actor": actor[:254],
        "action": action[:80],
        "detail": detail[:500],
        "address": None if address is None else address[:64],
    }
    # an INSERT without RETURNING: on PostgreSQL the writer (nobody, for a failed login) may
    # not read the entry back (the audit log's row-level security, migration 0015)
    with _write(store) as s:
        s.connection().execute(
            insert(AuditEntry).inline(), [row | {"person_id": p} for p in people]
        )


def audit_entries(
    store: Store,
    limit: int,
    person_id: int | None = None,
    account_id: int | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
) -> list[AuditRow]:
    """The newest `limit` entries matching every filter given."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if person_id is not None:
        query = query.where(AuditEntry.person_id == person_id)
    if account_id is not None:
        query = query.where(AuditEntry.account_id == account_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    with _read(store) as s:
        return [
            AuditRow(utc(e.at), e.account_id, e.actor, e.action, e.person_id, e.detail, e.address)
            for e in s.scalars(query)
        ]


# --- clinicians' notes and overrides (written in the person's transaction: the revision moves)


def add_note(
    store: Store,
    person_id: int,
    author_id: int | None,
    author: str,
    text: str,
    shared: bool,
    now: dt.datetime,
) -> None:
    with store.transaction(person_id) as w:
        w.s.add(
            ClinicNote(
                person_id=person_id,
                author_id=author_id,
                author=author,
                created_at=now,
                text=text,
                shared=shared,
            )
        )


def notes(store: Store, person_id: int, shared_only: bool, limit: int) -> list[NoteRow]:
    query = (
        select(ClinicNote)
        .where(ClinicNote.person_id == person_id)
        .order_by(ClinicNote.id.desc())
        .limit(limit)
    )
    if shared_only:
        query = query.where(ClinicNote.shared.is_(True))
    with _read(store) as s:
        return [
            NoteRow(n.id, n.author, utc(n.created_at), n.text, n.shared) for n in s.scalars(query)
        ]


def add_override(
    store: Store,
    person_id: int,
    author_id: int | None,
    author: str,
    kind: str,
    data: dict[str, Any],
    reason: str,
    now: dt.datetime,
) -> None:
    with store.transaction(person_id) as w:
        w.s.add(
            ClinicOverride(
                person_id=person_id,
                author_id=author_id,
                author=author,
                created_at=now,
                kind=kind,
                data=data,
                reason=reason,
            )
        )


def overrides(store: Store, person_id: int) -> list[OverrideRow]:
    """Every override of the person, oldest first (the engine replays them in order)."""
    with _read(store) as s:
        return [
            OverrideRow(o.id, o.author, utc(o.created_at), o.kind, dict(o.data), o.reason)
            for o in s.scalars(
                select(ClinicOverride)
                .where(ClinicOverride.person_id == person_id)
                .order_by(ClinicOverride.id)
            )
        ]
