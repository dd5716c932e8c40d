"""A stateful model of the clinic's links at the use-case level (SQLite): clinicians invite,
runners accept, runners end links, days pass, and everyone reads. No read ever crosses a
missing link: a clinician reads a runner's data exactly while they are linked, and a runner
reads no one's but their own."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from kneecap.app import BadInput, Forbidden, accounts, read
from kneecap.app import clinic as cases
from kneecap.app import home as app_home
from kneecap.app import profile as profiles
from kneecap.app.clock import Clock
from kneecap.app.context import Actor, Home
from kneecap.core.profile import Profile
from kneecap.settings import Settings
from kneecap.store import accounts as book
from tests.conftest import profile_data

RUNNERS = 3
CLINICIANS = 2
START = dt.date(2026, 12, 7)
PASSWORD = "a long enough passphrase"


class Links(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.stack = contextlib.ExitStack()
        folder = Path(self.stack.enter_context(tempfile.TemporaryDirectory()))
        self.settings = Settings.resolve(folder / "home", None)
        self.day = START
        base = self.stack.enter_context(app_home.opened(self.settings, Clock(START)))
        self.store = base.store
        self.runners: list[tuple[int, int]] = []  # (account, person)
        self.clinicians: list[int] = []
        for n in range(RUNNERS):
            made = accounts.add_account(base, f"r{n}@example.com", ["runner"], PASSWORD)
            assert made.person_id is not None
            self.runners.append((made.id, made.person_id))
            there = dataclasses.replace(base, person=made.person_id)
            profiles.save_profile(there, Profile.model_validate(profile_data()))
        for n in range(CLINICIANS):
            made = accounts.add_account(base, f"c{n}@example.com", ["clinician"], PASSWORD)
            self.clinicians.append(made.id)
        self.codes: list[tuple[str, int, dt.date]] = []  # code, clinician, made on
        self.used: set[str] = set()
        self.links: set[tuple[int, int]] = set()  # (clinician account, person)

    def teardown(self) -> None:
        self.stack.close()

    # who acts, as a request's login would resolve it (links read now)
    def _home(self, actor: Actor, person: int = 0) -> Home:
        return Home(self.store, person, actor, Clock(self.day))

    def clinician(self, i: int) -> Home:
        account = self.clinicians[i]
        actor = Actor(
            f"c{i}@example.com",
            account=account,
            roles=frozenset({"clinician"}),
            linked=book.linked_people(self.store, account),
            clinic=True,
            address="127.0.0.1",
        )
        return self._home(actor)

    def runner(self, j: int) -> Home:
        account, person = self.runners[j]
        actor = Actor(
            f"r{j}@example.com",
            account=account,
            roles=frozenset({"runner"}),
            person=person,
            clinic=True,
            address="127.0.0.1",
        )
        return self._home(actor, person)

    @rule(i=st.integers(0, CLINICIANS - 1))
    def invite(self, i: int) -> None:
        made = cases.invite(self.clinician(i))
        self.codes.append((made.code, self.clinicians[i], self.day))

    @rule(j=st.integers(0, RUNNERS - 1), pick=st.integers(0, 50), wrong=st.booleans())
    def accept(self, j: int, pick: int, wrong: bool) -> None:
        if not self.codes or wrong:
            with pytest.raises(BadInput):
                cases.accept(self.runner(j), "NOSUCHCODE")
            return
        code, clinician, made = self.codes[pick % len(self.codes)]
        valid = code not in self.used and (self.day - made).days < 7
        if valid:
            assert cases.accept(self.runner(j), code) == clinician
            self.used.add(code)
            self.links.add((clinician, self.runners[j][1]))
        else:
            with pytest.raises(BadInput):
                cases.accept(self.runner(j), code)

    @rule(j=st.integers(0, RUNNERS - 1), i=st.integers(0, CLINICIANS - 1))
    def unlink(self, j: int, i: int) -> None:
        pair = (self.clinicians[i], self.runners[j][1])
        assert cases.unlink(self.runner(j), self.clinicians[i]) == (pair in self.links)
        self.links.discard(pair)

    @rule(days=st.integers(1, 5))
    def days_pass(self, days: int) -> None:
        self.day += dt.timedelta(days=days)

    @rule(i=st.integers(0, CLINICIANS - 1), j=st.integers(0, RUNNERS - 1))
    def clinician_reads(self, i: int, j: int) -> None:
        person = self.runners[j][1]
        home = self.clinician(i)
        linked = (self.clinicians[i], person) in self.links
        for read_it in (
            lambda: cases.runner_summary(home, person),
            lambda: cases.runner_programme(home, person, "progress"),
            lambda: cases.notes_of(home, person),
            lambda: read.programme(dataclasses.replace(home, person=person)),
        ):
            if linked:
                read_it()
            else:
                with pytest.raises(Forbidden):
                    read_it()

    @rule(j=st.integers(0, RUNNERS - 1), k=st.integers(0, RUNNERS - 1))
    def runner_reads(self, j: int, k: int) -> None:
        home = self.runner(j)
        other = self.runners[k][1]
        if j == k:
            cases.notes_of(home, other)
            return
        with pytest.raises(Forbidden):
            cases.notes_of(home, other)
        with pytest.raises(Forbidden):
            read.programme(dataclasses.replace(home, person=other))
        with pytest.raises(Forbidden):
            cases.runner_summary(home, other)

    @invariant()
    def dashboards_show_exactly_the_linked(self) -> None:
        for i, account in enumerate(self.clinicians):
            rows = cases.dashboard(self.clinician(i))
            want = {p for c, p in self.links if c == account}
            assert {r["id"] for r in rows} == want


Links.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_no_read_crosses_a_missing_link = Links.TestCase
