"""The use cases (`kneecap.app`) on a real SQLite file, with a pinned clock: the permission
check comes first, each use case writes in one transaction, and the rules written twice before
(dates, unknown exercises, the Kujala score with its red flags) hold for both faces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecap.app import (
    LOCAL,
    Actor,
    BadInput,
    Clock,
    Forbidden,
    Home,
    NoProfile,
    can,
    clearance,
    diary,
    kujala,
    profile,
    read,
)
from kneecap.app.context import Action
from kneecap.app.home import opened
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.settings import Settings
from tests.conftest import START, make_profile

CLOCK = Clock(START)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Home]:
    settings = Settings(tmp_path, f"sqlite:///{tmp_path / 'k.sqlite3'}", clock=CLOCK)
    with opened(settings, CLOCK) as found:
        yield found


def a_session(day: dt.date, exercise: str = "glute-bridge") -> SessionLog:
    return SessionLog(date=day, entries=(Entry(exercise=exercise, pain_during=1),))


def test_the_local_person_may_do_everything_and_a_stranger_nothing() -> None:
    stranger = Actor("someone else")
    for action in Action:
        assert can(LOCAL, action, 1)
        assert not can(stranger, action, 1)


def test_every_use_case_checks_the_permission_first(home: Home) -> None:
    profile.save_profile(home, make_profile())
    stranger = Home(home.store, home.person, Actor("someone else"), home.clock)
    calls = [
        lambda: profile.save_profile(stranger, make_profile()),
        lambda: diary.log_sessions(stranger, [a_session(START)]),
        lambda: diary.record_checkins(stranger, [CheckIn(date=START, morning_pain=1)]),
        lambda: kujala.record_akps(stranger, [0] * 13),
        lambda: clearance.record_clearance(stranger, "Dr A", "physiotherapist"),
        lambda: read.programme(stranger),
    ]
    before = read.revision(home)
    for call in calls:
        with pytest.raises(Forbidden):
            call()
    assert read.revision(home) == before  # nothing was written


def test_nothing_is_logged_before_the_intake(home: Home) -> None:
    with pytest.raises(NoProfile):
        diary.log_sessions(home, [a_session(START)])
    with pytest.raises(NoProfile):
        read.programme(home)


def test_a_log_dated_in_the_future_or_before_the_start_is_refused_whole(home: Home) -> None:
    profile.save_profile(home, make_profile())
    logs = [a_session(START), a_session(START + dt.timedelta(days=9))]
    with pytest.raises(BadInput, match=r"item 2: date: .* is in the future"):
        diary.log_sessions(home, logs)
    with pytest.raises(BadInput, match="before"):
        diary.log_sessions(home, [a_session(START - dt.timedelta(days=1))])
    assert home.store.sessions(home.person) == []  # the good one was not stored either


def test_an_unknown_exercise_is_refused_naming_the_entry(home: Home) -> None:
    profile.save_profile(home, make_profile())
    with pytest.raises(BadInput, match=r"entries\.0\.exercise: unknown exercise 'moonwalk'"):
        diary.log_sessions(home, [a_session(START, "moonwalk")], "diary.json")


def test_a_kujala_score_and_its_red_flag_are_stored_together(home: Home) -> None:
    profile.save_profile(home, make_profile())
    answers = [0] * 13
    answers[9] = 4  # swelling: constant
    recorded = kujala.record_akps(home, answers)
    assert recorded.raised == {"swelling"}
    assert home.store.akps(home.person) == [(START, recorded.score)]
    assert read.programme(home).screening.referral.needed
    assert read.programme(home).pending == ["swelling"]


def test_a_kujala_answer_out_of_range_stores_nothing(home: Home) -> None:
    profile.save_profile(home, make_profile())
    with pytest.raises(BadInput, match="answers"):
        kujala.record_akps(home, [9] * 13)
    assert home.store.akps(home.person) == []


def test_a_clearance_in_the_future_or_without_a_name_is_refused(home: Home) -> None:
    profile.save_profile(home, make_profile(red_flags={"swelling": True}))
    with pytest.raises(BadInput, match="in the future"):
        clearance.record_clearance(home, "Dr A", "physiotherapist", START + dt.timedelta(days=1))
    with pytest.raises(BadInput, match="name"):
        clearance.record_clearance(home, "  ", "physiotherapist")
    assert clearance.record_clearance(home, "Dr A", "physiotherapist") == {"swelling"}
    assert not read.programme(home).screening.referral.needed


def test_the_clock_is_read_once_at_the_edge() -> None:
    assert Clock.from_env({"KNEECAP_TODAY": "2026-12-07"}).today() == dt.date(2026, 12, 7)
    assert Clock.from_env({}).pinned is None
    with pytest.raises(ValueError, match="KNEECAP_TODAY"):
        Clock.from_env({"KNEECAP_TODAY": "2026-02-30"})


def test_the_see_a_physio_advice_goes_once_pain_has_been_low_for_two_weeks(home: Home) -> None:
    """R9's advice speaks of the intake's moderate pain: it stays while that is all Kneecap
    knows, and goes once two weeks of logs show pain at 2/10 or less."""
    start = START - dt.timedelta(days=20)
    profile.save_profile(
        home, make_profile(start_date=start.isoformat(), pain={"worst_last_week": 5})
    )
    assert [r.rule for r in read.programme(home).screening.referral.reasons] == ["R9"]
    days = [START - dt.timedelta(days=n) for n in range(14)]
    diary.record_checkins(home, [CheckIn(date=d, morning_pain=1) for d in days])
    diary.log_sessions(home, [a_session(d) for d in days[::2]])
    assert [r.rule for r in read.programme(home).screening.referral.reasons] == []
