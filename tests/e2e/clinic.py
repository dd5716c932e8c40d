"""A Kneecap server in clinic mode on loopback, with its accounts, and clients logged in as each.

`start_clinic(url, home)` makes the accounts (two runners with their own people, a clinician, a
second clinician linked to nobody, an admin; the clinicians and the admin with an authenticator
enrolled, whose keys the test knows) and serves the app with logins; `Clinic.client(name)` is an
httpx client logged in as that account (password, then the TOTP code from pyotp), sending the
CSRF header on every request."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyotp

from kneecap.app import accounts
from kneecap.app import home as app_home
from kneecap.settings import Settings
from kneecap.store import accounts as book
from kneecap.web.app import create_app
from tests.e2e.conftest import TLS, serving

PASSWORD = "a long enough passphrase"
PEOPLE = {  # name: (email, roles, person)
    "runner_a": ("runner.a@example.com", ["runner"], "runner-a"),
    "runner_b": ("runner.b@example.com", ["runner"], "runner-b"),
    "clinician": ("physio@example.com", ["clinician"], None),
    "other_clinician": ("other.physio@example.com", ["clinician"], None),
    "admin": ("admin@example.com", ["admin"], None),
}


@dataclass
class Clinic:
    url: str
    settings: Settings
    app: Any
    ids: dict[str, int] = field(default_factory=dict)  # account ids
    people: dict[str, int] = field(default_factory=dict)  # runners' person ids
    secrets: dict[str, str] = field(default_factory=dict)  # TOTP keys

    def email(self, name: str) -> str:
        return PEOPLE[name][0]

    @contextmanager
    def client(self, name: str | None) -> Iterator[httpx.Client]:
        """A client logged in as `name` (None: anonymous), with the CSRF cookie and header."""
        with httpx.Client(base_url=self.url, timeout=30, verify=TLS) as c:
            page = c.get("/login")
            found = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert found, page.text[:300]
            c.headers["x-csrf-token"] = found.group(1)
            if name is not None:
                body: dict[str, str] = {"email": self.email(name), "password": PASSWORD}
                if name in self.secrets:
                    body["totp"] = pyotp.TOTP(self.secrets[name]).now()
                r = c.post("/api/login", json=body)
                assert r.status_code == 200, r.text
                assert r.json()["stage"] == "full", r.text
            yield c

    def link(self, runner: str, clinician: str = "clinician") -> None:
        """Link `runner` to `clinician` the way they would: an invitation, accepted."""
        with self.client(clinician) as doc, self.client(runner) as run:
            code = doc.post("/api/clinic/invites").json()["code"]
            r = run.post("/api/me/clinicians", json={"code": code})
            assert r.status_code in (200, 201), r.text


NAMES = {"clinician": "Dr Kim Lee", "other_clinician": "Sam Okafor"}  # what they sign with


def make_accounts(settings: Settings) -> tuple[dict[str, int], dict[str, int], dict[str, str]]:
    ids, people, keys = {}, {}, {}
    with app_home.opened(settings, settings.clock) as home:
        for name, (email, roles, person) in PEOPLE.items():
            account = accounts.add_account(home, email, roles, PASSWORD, person, NAMES.get(name))
            ids[name] = account.id
            if account.person_id is not None:
                people[name] = account.person_id
            if "runner" not in roles:
                keys[name] = pyotp.random_base32()
                book.enrol(home.store, account.id, keys[name], [], settings.clock.now())
    return ids, people, keys


@contextmanager
def start_clinic(url: str | None, home: Path) -> Iterator[Clinic]:
    """A clinic-mode server on `url` (None: a SQLite file under `home`), on a free port."""
    settings = Settings.resolve(home, url)
    settings = dataclasses.replace(settings, logins=True, clinic=True)
    ids, people, keys = make_accounts(settings)
    app = create_app(settings)
    with serving(app) as url:
        yield Clinic(url, settings, app, ids, people, keys)
