"""Logins at the use-case level, on a real SQLite file, with a clock the test moves: idle
timeouts, the growing lock, disabling, password changes, the policy's answers."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest

from kneecap.app import accounts
from kneecap.app import home as app_home
from kneecap.app.accounts import Throttled, WrongLogin
from kneecap.app.clock import Clock
from kneecap.app.context import LOCAL, NOBODY, Action, Actor, Home, can
from kneecap.settings import Settings
from kneecap.store import accounts as book

PASSWORD = "a long enough passphrase"
START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class At(Clock):
    """A clock at a given moment."""

    at: dt.datetime = START

    def now(self) -> dt.datetime:
        return self.at

    def today(self) -> dt.date:
        return self.at.date()


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Home]:
    settings = Settings.resolve(tmp_path, None)
    with app_home.opened(settings, At()) as found:
        accounts.add_account(found, "runner@example.com", ["runner"], PASSWORD)
        account = accounts.add_account(found, "physio@example.com", ["clinician"], PASSWORD)
        book.enrol(found.store, account.id, pyotp.random_base32(), [], START)
        yield found


def later(home: Home, **delta: float) -> Home:
    """The same home, `delta` after START, acting as someone logging in from an address."""
    anonymous = Actor("anonymous", address="192.0.2.7")
    return dataclasses.replace(home, clock=At(at=START + dt.timedelta(**delta)), actor=anonymous)


def test_a_runners_login_lasts_thirty_idle_days_and_a_clinicians_thirty_idle_minutes(
    home: Home,
) -> None:
    runner = accounts.login(later(home), "runner@example.com", PASSWORD)
    physio = accounts.login(later(home), "physio@example.com", PASSWORD)
    assert physio.stage == accounts.TOTP
    assert accounts.resolve(later(home, minutes=29), physio.token, clinic=True) is not None
    # used at 29 minutes: idle counts from the last use
    assert accounts.resolve(later(home, minutes=58), physio.token, clinic=True) is not None
    assert accounts.resolve(later(home, minutes=89), physio.token, clinic=True) is None
    assert accounts.resolve(later(home, days=29), runner.token, clinic=True) is not None
    assert accounts.resolve(later(home, days=60), runner.token, clinic=True) is None


def test_the_lock_doubles_with_each_failure_past_five_and_holds_for_the_right_password(
    home: Home,
) -> None:
    locks = []
    at = 0.0
    for _ in range(8):
        with contextlib.suppress(WrongLogin):
            accounts.login(later(home, seconds=at), "runner@example.com", "not the password")
        found = book.by_email(home.store, "runner@example.com")
        assert found is not None
        if found.locked_until is not None:
            lock = (found.locked_until - START).total_seconds() - at
            locks.append(round(lock))
            with pytest.raises(Throttled) as throttled:
                accounts.login(later(home, seconds=at + 1), "runner@example.com", PASSWORD)
            assert throttled.value.retry_after == round(lock) - 1
            at += lock  # wait it out
        at += 1
    assert locks == [30, 60, 120, 240]
    login = accounts.login(later(home, seconds=at), "runner@example.com", PASSWORD)
    assert login.stage == accounts.FULL
    after = book.by_email(home.store, "runner@example.com")
    assert after is not None
    assert after.failed_logins == 0


def test_a_password_change_ends_every_other_login_of_the_account(home: Home) -> None:
    phone = accounts.login(later(home), "runner@example.com", PASSWORD)
    laptop = accounts.login(later(home), "runner@example.com", PASSWORD)
    kept = accounts.change_password(
        later(home, minutes=1), laptop.token, PASSWORD, "another one, longer"
    )
    assert accounts.resolve(later(home, minutes=2), phone.token, clinic=False) is None
    assert accounts.resolve(later(home, minutes=2), laptop.token, clinic=False) is None
    assert accounts.resolve(later(home, minutes=2), kept.token, clinic=False) is not None
    with pytest.raises(WrongLogin):
        accounts.login(later(home, minutes=3), "runner@example.com", PASSWORD)


def test_the_policy_runners_only_themselves_clinicians_only_the_linked_admins_no_health_data() -> (
    None
):
    runner = Actor("r", account=1, roles=frozenset({"runner"}), person=10)
    physio = Actor("p", account=2, roles=frozenset({"clinician"}), linked=frozenset({10}))
    stranger = Actor("s", account=3, roles=frozenset({"clinician"}))
    admin = Actor("a", account=4, roles=frozenset({"admin"}))
    in_clinic = dataclasses.replace(runner, clinic=True)
    assert can(runner, Action.READ, 10)
    assert not can(runner, Action.READ, 11)
    assert can(runner, Action.CLEAR, 10)  # personal mode with logins: the runner records it
    assert not can(in_clinic, Action.CLEAR, 10)  # a clinic: the clinician signs it
    assert can(physio, Action.READ, 10)
    assert can(physio, Action.CLEAR, 10)
    assert not can(physio, Action.LOG, 10)
    assert not can(physio, Action.READ, 11)
    assert not can(stranger, Action.READ, 10)
    assert can(physio, Action.INVITE, NOBODY)
    assert not can(runner, Action.INVITE, NOBODY)
    assert can(admin, Action.ACCOUNTS, NOBODY)
    assert not any(can(admin, action, 10) for action in Action)
    assert all(can(LOCAL, action, 10) for action in Action)


def test_passwords_are_argon2id_with_owasps_settings_and_older_hashes_are_renewed_at_login(
    home: Home,
) -> None:
    from argon2 import PasswordHasher

    found = book.by_email(home.store, "runner@example.com")
    assert found is not None
    assert found.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    older = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    book.set_fields(home.store, found.id, password_hash=older)
    accounts.login(later(home), "runner@example.com", PASSWORD)
    renewed = book.by_email(home.store, "runner@example.com")
    assert renewed is not None
    assert renewed.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert accounts.login(later(home), "runner@example.com", PASSWORD).stage == accounts.FULL
