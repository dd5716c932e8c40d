"""Logging that is true, against the use cases on a real SQLite file: a one-time token stores a
session once, an edit is a new version the engine replays, an undo takes it out of the replay,
both only for a week, and a check-in says what it changed with the runner's own numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecap.app import BadInput, Clock, Home, diary, profile, read
from kneecap.app.home import opened
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.settings import Settings
from tests.conftest import START, make_profile

DAY = dt.timedelta(days=1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def home_on(folder: Path, today: dt.date) -> Iterator[Home]:
    clock = Clock(today)
    settings = Settings(folder, f"sqlite:///{folder / 'k.sqlite3'}", clock=clock)
    with opened(settings, clock) as found:
        yield found


@pytest.fixture
def home(folder: Path) -> Iterator[Home]:
    yield from home_on(folder, START)


def a_session(day: dt.date, pain: int = 1, exercise: str = "glute-bridge") -> SessionLog:
    return SessionLog(date=day, entries=(Entry(exercise=exercise, pain_during=pain),))


def test_a_token_saved_twice_stores_one_session(home: Home) -> None:
    profile.save_profile(home, make_profile())
    first = diary.save_session(home, a_session(START), token="form-token-1")
    again = diary.save_session(home, a_session(START, pain=5), token="form-token-1")
    assert first.created
    assert not again.created
    assert again.session.id == first.session.id
    assert again.session.log == a_session(START)  # what the first save stored
    assert home.store.sessions(home.person) == [a_session(START)]
    other = diary.save_session(home, a_session(START), token="form-token-2")
    assert other.created
    assert len(home.store.sessions(home.person)) == 2


def test_every_write_moves_the_revision(home: Home) -> None:
    profile.save_profile(home, make_profile())
    before = read.revision(home)
    saved = diary.save_session(home, a_session(START), token="tok-revision")
    assert read.revision(home) > before
    before = read.revision(home)
    diary.edit_session(home, saved.session.id, a_session(START, pain=2))
    assert read.revision(home) > before
    before = read.revision(home)
    diary.undo_session(home, saved.session.id)
    assert read.revision(home) > before


def test_an_edit_is_a_new_version_and_the_engine_replays_the_latest(home: Home) -> None:
    profile.save_profile(home, make_profile())
    saved = diary.save_session(home, a_session(START, pain=1))
    edited = diary.edit_session(home, saved.session.id, a_session(START, pain=6))
    assert edited.session.id == saved.session.id
    assert edited.session.version == 2
    assert home.store.sessions(home.person) == [a_session(START, pain=6)]
    assert [s.log for s in diary.logged_on(home, START)] == [a_session(START, pain=6)]
    p = read.programme(home)
    assert any(d.rule == "PMM-4" and "6/10" in d.reason for d in p.status.decisions)


def test_an_edit_sent_twice_with_its_token_adds_one_version(home: Home) -> None:
    profile.save_profile(home, make_profile())
    saved = diary.save_session(home, a_session(START))
    diary.edit_session(home, saved.session.id, a_session(START, pain=2), token="edit-token")
    again = diary.edit_session(home, saved.session.id, a_session(START, pain=3), "edit-token")
    assert not again.created
    assert diary.logged_on(home, START)[0].version == 2
    assert home.store.sessions(home.person) == [a_session(START, pain=2)]


def test_an_undone_session_is_kept_but_never_replayed(home: Home) -> None:
    profile.save_profile(home, make_profile())
    saved = diary.save_session(home, a_session(START, pain=6))
    undone = diary.undo_session(home, saved.session.id)
    assert undone.deleted
    assert home.store.sessions(home.person) == []
    assert diary.logged_on(home, START) == []
    assert [s.deleted for s in diary.logged_on(home, START, deleted=True)] == [True]
    assert not any("6/10" in d.reason for d in read.programme(home).status.decisions)
    with pytest.raises(diary.NoSuchSession):
        diary.undo_session(home, saved.session.id)
    with pytest.raises(diary.NoSuchSession):
        diary.edit_session(home, saved.session.id, a_session(START))
    # the form that saved it, sent again, stores nothing (an undone session stays undone)


def test_a_resent_token_after_an_undo_does_not_bring_the_session_back(home: Home) -> None:
    profile.save_profile(home, make_profile())
    saved = diary.save_session(home, a_session(START), token="queued-token")
    diary.undo_session(home, saved.session.id)
    again = diary.save_session(home, a_session(START), token="queued-token")
    assert not again.created
    assert again.session.deleted
    assert home.store.sessions(home.person) == []


def test_a_session_older_than_seven_days_cannot_be_edited_or_undone(folder: Path) -> None:
    start = START - 20 * DAY
    for home in home_on(folder, START):
        profile.save_profile(home, make_profile(start_date=start.isoformat()))
        old = diary.save_session(home, a_session(START - 8 * DAY))
        week = diary.save_session(home, a_session(START - 7 * DAY))
        with pytest.raises(BadInput, match="more than 7 days ago"):
            diary.edit_session(home, old.session.id, a_session(START - 8 * DAY, pain=2))
        with pytest.raises(BadInput, match="more than 7 days ago"):
            diary.undo_session(home, old.session.id)
        assert diary.undo_session(home, week.session.id).deleted
        assert home.store.sessions(home.person) == [a_session(START - 8 * DAY)]


def test_an_edit_keeps_the_date_and_the_rules_of_a_new_log(home: Home) -> None:
    profile.save_profile(home, make_profile())
    saved = diary.save_session(home, a_session(START))
    with pytest.raises(BadInput, match="keeps the session's date"):
        diary.edit_session(home, saved.session.id, a_session(START + DAY))
    with pytest.raises(BadInput, match="unknown exercise"):
        diary.edit_session(home, saved.session.id, a_session(START, exercise="moonwalk"))
    with pytest.raises(diary.NoSuchSession):
        diary.edit_session(home, 999, a_session(START))


def test_the_check_in_says_what_it_changed_with_the_runners_numbers(folder: Path) -> None:
    """PMM-2: a morning clearly worse than the runner's usual eases yesterday's exercises; the
    answer quotes both numbers and the rule."""
    start = START - 10 * DAY
    for home in home_on(folder, START):
        profile.save_profile(home, make_profile(start_date=start.isoformat()))
        diary.record_checkins(
            home, [CheckIn(date=START - n * DAY, morning_pain=1) for n in range(2, 7)]
        )
        diary.save_session(home, a_session(START - DAY, pain=1))
        done = diary.check_in(home, CheckIn(date=START, morning_pain=6))
        words = done.feedback
        assert not done.updated
        assert words["headline"] == "Check-in saved: 6/10 this morning."
        (change,) = words["changes"]
        assert change["rule"] == "PMM-2"
        assert "6/10 against your usual 1/10" in change["text"]
        assert change["exercises"]
        assert change["exercises"][0].startswith("Glute bridge")
        # corrected the same day: the second replaces the first, and the engine replays
        fixed = diary.check_in(home, CheckIn(date=START, morning_pain=1))
        assert fixed.updated
        assert fixed.feedback["headline"] == "Check-in updated: 1/10 this morning."
        assert fixed.feedback["changes"] == []
        assert fixed.feedback["unchanged"]
        assert [c.morning_pain for c in home.store.checkins(home.person) if c.date == START] == [1]
        assert not any(
            d.rule == "PMM-2" and d.date == START for d in read.programme(home).status.decisions
        )
