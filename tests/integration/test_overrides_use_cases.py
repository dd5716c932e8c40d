"""A clinician's overrides through the use cases (`kneecap.app.overrides`): only a linked
clinician (or the local person) sets one, bad input is refused with a message, each is recorded
with its author and reason and replayed by the engine in the programme read."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecap.app import Actor, BadInput, Clock, Forbidden, Home, diary, profile, read
from kneecap.app import overrides as cases
from kneecap.app.context import CLINICIAN
from kneecap.app.home import opened
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.settings import Settings
from kneecap.store import accounts as book
from tests.conftest import START, make_profile

CLOCK = Clock(START + dt.timedelta(days=5))


@pytest.fixture
def home(tmp_path: Path, db_url: str) -> Iterator[Home]:
    settings = Settings(tmp_path, db_url, clock=CLOCK)
    with opened(settings, CLOCK) as found:
        profile.save_profile(found, make_profile())
        yield found


def clinician(home: Home, linked: bool = True) -> Actor:
    row = book.add(
        home.store,
        f"kim{int(linked)}@clinic.example",
        frozenset({CLINICIAN}),
        "x",
        None,
        CLOCK.now(),
    )
    return Actor(
        "Dr Kim",
        account=row.id,
        roles=frozenset({CLINICIAN}),
        linked=frozenset({home.person}) if linked else frozenset(),
        clinic=True,
    )


def as_(home: Home, actor: Actor) -> Home:
    return dataclasses.replace(home, actor=actor)


def good_days(home: Home, days: list[int]) -> None:
    for n in days:
        on = START + dt.timedelta(days=n)
        log = SessionLog(date=on, entries=(Entry(exercise="glute-bridge", pain_during=1),))
        diary.log_sessions(home, [log])
        diary.check_in(home, CheckIn(date=on + dt.timedelta(days=1), morning_pain=1))


def test_a_linked_clinicians_pain_limit_is_replayed_with_its_author(home: Home) -> None:
    dr = as_(home, clinician(home))
    cases.add(dr, home.person, "limits", {"pain_limit": 3}, "Irritable after the race")
    p = read.programme(home)
    assert p.status.clinician.pain_limit == 3
    assert p.profile.limit_in(p.status.phase) <= 3
    (note,) = cases.from_physio(p)["applied"]
    assert note["text"] == (
        f"Your physio Dr Kim set your pain limit to 3/10 on {CLOCK.today().isoformat()}: "
        '"Irritable after the race"'
    )
    (row,) = cases.listed(dr, home.person)["overrides"]
    assert row["author"] == "Dr Kim"
    assert row["kind"] == "limits"


def test_an_unlinked_clinician_and_a_runner_may_not_override(home: Home) -> None:
    stranger = as_(home, clinician(home, linked=False))
    with pytest.raises(Forbidden):
        cases.add(stranger, home.person, "limits", {"pain_limit": 3}, "why")
    runner = as_(home, Actor("me", roles=frozenset({"runner"}), person=home.person, clinic=True))
    with pytest.raises(Forbidden):
        cases.add(runner, home.person, "limits", {"pain_limit": 3}, "why")
    assert not book.overrides(home.store, home.person)


@pytest.mark.parametrize(
    ("kind", "data", "reason", "message"),
    [
        ("limits", {"pain_limit": 3}, "  ", "reason: say why"),
        ("limits", {"pain_limit": 12}, "why", "pain_limit"),
        ("pin_dose", {"exercise": "nope", "sets": 2, "reps": 8}, "why", "no exercise 'nope'"),
        ("progression_decision", {}, "why", "suggestions"),
        ("teleport", {}, "why", "kind must be one of"),
    ],
)
def test_bad_overrides_are_refused_with_a_clear_message(
    home: Home, kind: str, data: dict[str, object], reason: str, message: str
) -> None:
    with pytest.raises(BadInput, match=message):
        cases.add(home, home.person, kind, data, reason)
    assert not book.overrides(home.store, home.person)


def test_with_approvals_on_the_clinician_approves_a_waiting_step_up(home: Home) -> None:
    dr = as_(home, clinician(home))
    early = dataclasses.replace(dr, clock=Clock(START))  # on from the first day
    cases.add(early, home.person, "approve_progressions", {"on": True}, "After surgery")
    good_days(home, [0, 2])
    view = cases.from_physio(read.programme(home))
    (waiting,) = view["waiting"]
    assert "waiting for your physio" in waiting["text"]
    assert read.programme(home).status.tracks["glute-bridge"].dose.reps == 12
    with pytest.raises(BadInput, match="is not waiting"):
        cases.decide(dr, home.person, "glute-bridge@2000-01-01", "approve", "")
    cases.decide(dr, home.person, waiting["id"], "approve", "Moving well")
    p = read.programme(home)
    assert p.status.tracks["glute-bridge"].dose.reps == 14
    assert not p.status.clinician.waiting


def test_the_revision_moves_when_an_override_is_recorded(home: Home) -> None:
    before = read.revision(home)
    cases.add(home, home.person, "remove_exercise", {"exercise": "clamshell"}, "Hip sore")
    assert read.revision(home) != before


def test_the_sqlite_file_read_gives_the_same_overrides_and_programme(
    home: Home, db_url: str
) -> None:
    if not db_url.startswith("sqlite:///"):
        pytest.skip("the file read is SQLite's")
    from kneecap.programme import Programme
    from kneecap.store.sqlite_reads import SqliteReads

    cases.add(home, home.person, "limits", {"pain_limit": 3, "weekly_run_cap_km": 15}, "Sore")
    cases.add(
        home, home.person, "pin_dose", {"exercise": "glute-bridge", "sets": 2, "reps": 8}, "Easy"
    )
    reads = SqliteReads.open(Path(db_url.removeprefix("sqlite:///")))
    assert reads is not None
    try:
        assert reads.overrides(home.person) == home.store.overrides(home.person)
        today = CLOCK.today()
        assert Programme.of(reads, home.person, today) == Programme.of(
            home.store, home.person, today
        )
    finally:
        reads.close()
