"""Accounts and logins: adding, listing, disabling and resetting accounts (an admin's, or the
terminal's on the server), logging in with a password and, for clinicians and admins, a TOTP code
(enrolled at the first login, with ten one-time recovery codes), the browser sessions, and who
acts for a session (`actor_for`).

Security choices (OWASP ASVS level 2): passwords of 10 to 256 characters, not on the list of
common ones, hashed with Argon2id; five failed logins lock the account for a time that doubles
with each further failure, and a locked account refuses even the right password until the time
has passed; a login's token is random, stored as its digest, replaced at every step up (password,
then code); idle logins end after 30 minutes for clinicians and admins, 30 days for runners;
disabling an account, a password change or a reset ends every login of the account."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from kneecap.app.context import (
    ADMIN,
    CLINICIAN,
    NOBODY,
    ROLES,
    RUNNER,
    Action,
    Actor,
    Home,
    require,
)
from kneecap.app.errors import BadInput
from kneecap.store import accounts as book

if TYPE_CHECKING:
    from argon2 import PasswordHasher

log = logging.getLogger("kneecap.accounts")

AccountRow = book.AccountRow

MIN_PASSWORD = 10
MAX_PASSWORD = 256
MAX_EMAIL = 254
MAX_NAME = 100
MAX_CODE = 64
FREE_FAILURES = 5  # failed logins before the account locks
FIRST_LOCK = dt.timedelta(seconds=30)  # then doubling with each further failure...
LONGEST_LOCK = dt.timedelta(hours=1)  # ...up to an hour
IDLE = {RUNNER: dt.timedelta(days=30), CLINICIAN: dt.timedelta(minutes=30)}
IDLE[ADMIN] = IDLE[CLINICIAN]
TOUCH_EVERY = dt.timedelta(seconds=60)  # a login's last use is written at most this often
RESET_VALID = dt.timedelta(hours=1)
RECOVERY_CODES = 10
LIST_LIMIT = 1000
ISSUER = "Kneecap"

FULL = "full"  # every factor given
TOTP = "totp"  # the password given, the code awaited
ENROL = "enrol"  # the password given, the authenticator to set up


class Throttled(Exception):
    """Too many failed logins: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins: try again in {retry_after} s")
        self.retry_after = retry_after


class WrongLogin(Exception):
    """The email, password or code is wrong (which one is not said)."""


@dataclass(frozen=True)
class Login:
    """A login's new token (for the cookie) and what it still needs: nothing (FULL), a TOTP
    code, or the enrolment of an authenticator."""

    token: str
    stage: str
    account: book.AccountRow


@dataclass(frozen=True)
class Enrolment:
    """What an authenticator app needs: the key as text and as an otpauth:// address."""

    secret: str
    uri: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# OWASP's Password Storage Cheat Sheet's Argon2id configuration: 19 MiB, 2 passes, 1 lane
# (about 25 ms here: a login costs the server little, a guess costs an attacker as much)
ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES = 19 * 1024, 2, 1


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # Argon2id

    return PasswordHasher(
        time_cost=ARGON2_PASSES, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES
    )


_DUMMY: list[str] = []  # a hash to check when the email is unknown, so timing tells nothing


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def _verify(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


def common_passwords() -> frozenset[str]:
    text = (resources.files("kneecap.app") / "common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problems(password: str, email: str) -> list[str]:
    if len(password) < MIN_PASSWORD:
        return [f"password: at least {MIN_PASSWORD} characters"]
    if len(password) > MAX_PASSWORD:
        return [f"password: {MAX_PASSWORD} characters at most"]
    if password.lower() in common_passwords() or password.lower() == email.lower():
        return ["password: this one is too common to be safe; choose another"]
    return []


def normal_email(email: str) -> str:
    found = email.strip().lower()
    if len(found) > MAX_EMAIL or found.count("@") != 1 or "." not in found.split("@")[1]:
        raise BadInput(f"email: {email[:60]!r} is not an email address")
    if found.split("@")[0] == "" or any(c.isspace() for c in found):
        raise BadInput(f"email: {email[:60]!r} is not an email address")
    return found


def roles_of(given: list[str]) -> frozenset[str]:
    wrong = sorted(set(given) - set(ROLES))
    if wrong or not given:
        raise BadInput(f"role: {', '.join(wrong) or 'none given'}: one of {', '.join(ROLES)}")
    if RUNNER in given and len(set(given)) > 1:
        raise BadInput("role: a runner's account is a runner's only")
    return frozenset(given)


def _needs_totp(roles: frozenset[str]) -> bool:
    return bool(roles & {CLINICIAN, ADMIN})


# --- the accounts (an admin's use cases; the terminal on the server is LOCAL)


def add_account(
    home: Home,
    email: str,
    roles: list[str],
    password: str,
    person: str | None = None,
    name: str | None = None,
) -> book.AccountRow:
    """A new account, with the `name` it signs with (a clinician's "Dr Kim Lee"). A runner's
    owns the person called `person` (an existing one adopts its data), or one of its own."""
    require(home.actor, Action.ACCOUNTS, NOBODY)
    address = normal_email(email)
    shown = None if name is None else " ".join(name.split())
    if shown is not None and not 0 < len(shown) <= MAX_NAME:
        raise BadInput(f"name: 1 to {MAX_NAME} characters")
    chosen = roles_of(roles)
    problems = password_problems(password, address)
    if problems:
        raise BadInput(*problems)
    if person is not None and RUNNER not in chosen:
        raise BadInput("person: only a runner's account has a person")
    if person is not None and not 0 < len(person) <= 100:
        raise BadInput("person: 1 to 100 characters")
    owner = (person or address[:100]) if RUNNER in chosen else None
    now = home.clock.now()
    try:
        account = book.add(home.store, address, chosen, hash_password(password), owner, now, shown)
    except book.Taken:
        raise BadInput(f"email: {address} has an account already (or that person has)") from None
    _audit(home, "account added", None, f"{address} as {' '.join(sorted(chosen))}")
    return account


def list_accounts(home: Home) -> list[book.AccountRow]:
    require(home.actor, Action.ACCOUNTS, NOBODY)
    return book.listed(home.store, LIST_LIMIT)


def _existing(home: Home, email: str) -> book.AccountRow:
    found = book.by_email(home.store, normal_email(email))
    if found is None:
        raise BadInput(f"email: no account {email.strip().lower()[:60]}")
    return found


def disable_account(home: Home, email: str) -> book.AccountRow:
    """Disable an account: it cannot log in, and every login of it ends now."""
    require(home.actor, Action.ACCOUNTS, NOBODY)
    account = _existing(home, email)
    book.set_fields(home.store, account.id, end_sessions=True, disabled_at=home.clock.now())
    _audit(home, "account disabled", None, account.email)
    return account


def reset_link(home: Home, email: str) -> str:
    """A one-time token for a new password, valid for `RESET_VALID` (the face makes the link)."""
    require(home.actor, Action.ACCOUNTS, NOBODY)
    account = _existing(home, email)
    token = secrets.token_urlsafe(32)
    book.add_reset(home.store, digest(token), account.id, home.clock.now() + RESET_VALID)
    _audit(home, "reset link made", None, account.email)
    return token


def send_reset_link(home: Home, smtp_url: str | None, email: str, base_url: str) -> str:
    """Make a reset link and send it to the account's email through the practice's mail
    server; the address it was sent to. BadInput when no server is configured or it fails."""
    from kneecap.app.mail import MailServer

    if not smtp_url:
        raise BadInput(
            "mail: no mail server is configured (KNEECAP_SMTP_URL): leave out --send and hand "
            "the printed link over yourself"
        )
    server = MailServer.parse(smtp_url)
    token = reset_link(home, email)
    address = normal_email(email)
    hours = int(RESET_VALID.total_seconds() // 3600)
    server.send(
        address,
        "Your Kneecap password",
        f"To set a new password for {address}, open this link within {hours} hour"
        f"{'s' if hours != 1 else ''}:\n\n{base_url.rstrip('/')}/reset/{token}\n\n"
        "It works once. If you did not ask for it, ignore this message: your password stays.\n",
    )
    return address


def use_reset(home: Home, token: str, password: str) -> None:
    """Set a new password with a reset token (once, within the hour)."""
    if len(token) > MAX_CODE:
        raise BadInput("link: this reset link is not valid (it may have expired or been used)")
    problems = password_problems(password, "")
    if problems:
        raise BadInput(*problems)
    done = book.take_reset(home.store, digest(token), hash_password(password), home.clock.now())
    if done is None:
        raise BadInput("link: this reset link is not valid (it may have expired or been used)")
    _audit(home, "password reset", None, f"account {done}", done)


# --- logging in


def login(home: Home, email: str, password: str, code: str | None = None) -> Login:
    """Check a password (and the code, when given and the account has an authenticator): a new
    login, at the stage it reached. WrongLogin for a wrong email, password or code, Throttled
    while the account is locked (the right password included)."""
    now = home.clock.now()
    try:
        address = normal_email(email)
    except BadInput:
        raise WrongLogin() from None
    account = book.by_email(home.store, address)
    if account is None or len(password) > MAX_PASSWORD:
        if not _DUMMY:
            _DUMMY.append(hash_password(secrets.token_hex(8)))
        _verify(_DUMMY[0], password[:MAX_PASSWORD])
        log.info("login failed: no such account, from %s", home.actor.address)
        raise WrongLogin()
    if account.locked_until is not None and account.locked_until > now:
        raise Throttled(max(1, int((account.locked_until - now).total_seconds() + 0.999)))
    if account.disabled or not _verify(account.password_hash, password):
        _failed(home, account, now)
    stage = FULL
    if _needs_totp(account.roles):
        stage = TOTP if account.totp_enrolled else ENROL
        if code is not None and account.totp_enrolled:
            if not _code_ok(home, account, code):
                _failed(home, account, now)
            stage = FULL
    fresh: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    if _hasher().check_needs_rehash(account.password_hash):  # hashed with older settings
        fresh["password_hash"] = hash_password(password)
    book.set_fields(home.store, account.id, False, **fresh)
    token = secrets.token_urlsafe(32)
    book.open_session(home.store, digest(token), account.id, stage, home.actor.address, now)
    _audit(home, "logged in" if stage == FULL else "password accepted", account)
    return Login(token, stage, account)


def _failed(home: Home, account: book.AccountRow, now: dt.datetime) -> None:
    """Count a failure (the password is never logged), locking past `FREE_FAILURES`."""
    beyond = account.failed_logins + 1 - FREE_FAILURES
    lock = min(FIRST_LOCK * 2 ** max(0, beyond), LONGEST_LOCK) if beyond >= 0 else None
    book.failed(home.store, account.id, lock, now)
    log.info("login failed: account %d, from %s", account.id, home.actor.address)
    _audit(home, "login failed", account)
    raise WrongLogin()


def _code_ok(home: Home, account: book.AccountRow, code: str) -> bool:
    """A TOTP code of the account's authenticator (one step of clock drift either way), or one
    of its unused recovery codes (used up by this)."""
    import pyotp

    given = "".join(code.split())[:MAX_CODE]
    if account.totp_secret and given.isdigit() and len(given) == 6:
        return bool(pyotp.TOTP(account.totp_secret).verify(given, valid_window=1))
    wanted = digest(given.lower().replace("-", ""))
    for code_id, stored in book.recovery_codes(home.store, account.id):
        if secrets.compare_digest(stored, wanted):
            return book.use_recovery_code(home.store, code_id, home.clock.now())
    return False


def second_factor(home: Home, token: str, code: str) -> Login:
    """The code of a login awaiting it: a new token at FULL (the old one ends)."""
    found = _session(home, token, TOTP)
    now = home.clock.now()
    if found.account.locked_until is not None and found.account.locked_until > now:
        raise Throttled(max(1, int((found.account.locked_until - now).total_seconds() + 0.999)))
    if not _code_ok(home, found.account, code):
        _failed(home, found.account, now)
    book.set_fields(home.store, found.account.id, failed_logins=0, locked_until=None)
    return _rotate(home, token, found.account, "logged in")


def start_enrolment(home: Home, token: str) -> Enrolment:
    """A new authenticator key for a login awaiting its enrolment (kept with the login's account
    only once a code from it is confirmed)."""
    import pyotp

    found = _session(home, token, ENROL)
    secret = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=found.account.email, issuer_name=ISSUER)
    return Enrolment(secret, uri)


def finish_enrolment(home: Home, token: str, secret: str, code: str) -> tuple[Login, list[str]]:
    """Confirm the authenticator with a code from it: the key kept, ten recovery codes made
    (shown once; only their digests are kept), and a new token at FULL."""
    import pyotp

    found = _session(home, token, ENROL)
    given = "".join(code.split())
    if len(secret) != 32 or not pyotp.TOTP(secret).verify(given[:MAX_CODE], valid_window=1):
        raise BadInput("code: this code is not the one your authenticator shows now; try again")
    codes = [secrets.token_hex(6) for _ in range(RECOVERY_CODES)]
    book.enrol(home.store, found.account.id, secret, [digest(c) for c in codes], home.clock.now())
    shown = [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]
    return _rotate(home, token, found.account, "authenticator enrolled"), shown


def _session(home: Home, token: str, stage: str) -> book.SessionRow:
    found = book.session(home.store, digest(token[:MAX_CODE]))
    if found is None or found.stage != stage or found.account.disabled:
        raise WrongLogin()
    return found


def _rotate(home: Home, token: str, account: book.AccountRow, what: str) -> Login:
    book.end_session(home.store, digest(token))
    new = secrets.token_urlsafe(32)
    book.open_session(
        home.store, digest(new), account.id, FULL, home.actor.address, home.clock.now()
    )
    _audit(home, what, account)
    return Login(new, FULL, account)


def logout(home: Home, token: str) -> None:
    book.end_session(home.store, digest(token[:MAX_CODE]))


def change_password(home: Home, token: str, current: str, new: str) -> Login:
    """A new password for the logged-in account: every login of it ends, this one goes on with
    a new token."""
    found = _session(home, token, FULL)
    if not _verify(found.account.password_hash, current):
        raise BadInput("current password: this is not your current password")
    problems = password_problems(new, found.account.email)
    if problems:
        raise BadInput(*problems)
    book.set_fields(
        home.store, found.account.id, end_sessions=True, password_hash=hash_password(new)
    )
    return _rotate(home, token, found.account, "password changed")


@dataclass(frozen=True)
class Resolved:
    """A cookie's login: its stage and who acts (None: no login, or it ended)."""

    stage: str
    actor: Actor
    account: book.AccountRow


def resolve(home: Home, token: str, clinic: bool) -> Resolved | None:
    """The login a cookie's token belongs to, unless it ended, its account is disabled, or it
    was idle too long (then it ends now). A runner acts on their own person; a clinician on the
    people linked to them at this moment."""
    if not token or len(token) > MAX_CODE:
        return None
    key = digest(token)
    found = book.session(home.store, key)
    if found is None:
        return None
    now = home.clock.now()
    idle = min(IDLE[r] for r in found.account.roles)
    if found.account.disabled or now - found.last_seen_at > idle:
        book.end_session(home.store, key)
        return None
    if now - found.last_seen_at > TOUCH_EVERY:
        book.touch(home.store, key, now)
    account = found.account
    person = account.person_id
    if RUNNER in account.roles and person is None:  # after a deletion: a new, empty person
        person = book.person_of(home.store, account.id, now)
    linked = book.linked_people(home.store, account.id) if CLINICIAN in account.roles else None
    actor = Actor(
        name=account.email,
        display=account.name,
        account=account.id,
        roles=account.roles,
        person=person,
        linked=linked or frozenset(),
        clinic=clinic,
        address=home.actor.address,
    )
    return Resolved(found.stage, actor, account)


def record_change(home: Home, what: str) -> None:
    """Write to the audit log that the home's actor changed something (`what`: the request)."""
    actor = home.actor
    book.audit(
        home.store,
        home.clock.now(),
        actor.account,
        actor.name,
        what,
        actor.person,
        "",
        actor.address,
    )


def any_accounts(home: Home) -> bool:
    return book.count(home.store) > 0


def _audit(
    home: Home,
    action: str,
    account: book.AccountRow | None,
    detail: str = "",
    account_id: int | None = None,
) -> None:
    who = account.email if account is not None else home.actor.name
    ident = account.id if account is not None else (account_id or home.actor.account)
    book.audit(
        home.store,
        home.clock.now(),
        ident,
        who,
        action,
        account.person_id if account is not None else None,
        detail,
        home.actor.address,
    )
