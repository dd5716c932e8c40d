"""The use cases (`kneecap.app`) on SQLite and PostgreSQL, with a pinned clock: the permission
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
def home(tmp_path: Path, db_url: str) -> Iterator[Home]:
    """A runner's home in a new database, on SQLite and on PostgreSQL."""
    settings = Settings(tmp_path, db_url, clock=CLOCK)
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


DAY = dt.timedelta(days=1)
SHORT = {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "minutes_per_session": 20}


def home_on(folder: Path, day: dt.date) -> Iterator[Home]:
    clock = Clock(day)
    settings = Settings(folder, f"sqlite:///{folder / 'k.sqlite3'}", clock=clock)
    with opened(settings, clock) as found:
        yield found


def planned_session(home: Home, day: dt.date, pain: int = 2) -> SessionLog:
    """The day's planned exercises, each done at `pain`."""
    p = read.programme(home)
    items = [i for d in p.plan(day, day).days for s in d.sessions for i in s.items]
    return SessionLog(
        date=day, entries=tuple(Entry(exercise=i.exercise, pain_during=pain) for i in items)
    )


def test_rf_a_correction_while_on_hold_says_the_plan_stays_on_hold_until_a_clearance(
    tmp_path: Path,
) -> None:
    """RF-URGENT: swelling ticked by mistake and corrected the same morning: the hold stays
    (only a recorded clearance lifts it) and the answer says so, never "carry on"."""
    for home in home_on(tmp_path, START):
        profile.save_profile(home, make_profile(availability=SHORT))
        diary.save_session(home, planned_session(home, START))
    for home in home_on(tmp_path, START + DAY):
        swollen = diary.check_in(home, CheckIn(date=START + DAY, morning_pain=3, swelling=True))
        hold = swollen.feedback["hold"]
        assert hold["text"] == "Your plan is on hold: swelling was reported this morning."
        assert hold["href"] == "/referral"
        assert "RF-URGENT" in hold["rules"]
        assert "clear" in hold["clearance"]
        fixed = diary.check_in(home, CheckIn(date=START + DAY, morning_pain=3))
        words = fixed.feedback
        assert words["hold"]["text"].startswith(
            "Your plan stays on hold: swelling was reported this morning."
        )
        assert "Correcting the check-in does not lift the hold" in words["hold"]["text"]
        assert "See a doctor or physiotherapist" in words["hold"]["todo"]
        assert words["summary"] is None
        assert not words["unchanged"]
        assert read.programme(home).screening.referral.needed  # the hold itself stays


def test_pmm_2_the_check_in_speaks_of_its_own_changes_with_the_doses_the_runner_had(
    tmp_path: Path,
) -> None:
    """PMM-2: a swollen morning eases yesterday's exercises; the answer quotes the doses as
    planned yesterday (after fitting the minutes) and as they will be planned, and nothing a
    session of the same day decided."""
    for home in home_on(tmp_path, START):
        profile.save_profile(home, make_profile(availability=SHORT))
        yesterday = planned_session(home, START)
        diary.save_session(home, yesterday)
    for home in home_on(tmp_path, START + DAY):
        words = diary.check_in(home, CheckIn(date=START + DAY, morning_pain=3, swelling=True))
        moved = [m for c in words.feedback["changes"] for m in c["exercises"]]
        assert "Quadriceps stretch: stays at 1 x 30 s hold each leg" in moved
        assert not any("2 x 30 s" in m for m in moved)  # never the untrimmed dose
        assert "Glute bridge: 3 x 12 → 2 x 12" in moved
        assert {c["rule"] for c in words.feedback["changes"]} == {"PMM-2"}
        # the same words from a programme read without looking at the mornings (Today's)
        checkin = CheckIn(date=START + DAY, morning_pain=3, swelling=True)
        again = diary.checkin_feedback(home, read.programme(home), checkin, raised=["swelling"])
        assert again == words.feedback


def test_pmm_4_a_session_of_the_same_day_is_not_the_check_ins_change(tmp_path: Path) -> None:
    """PMM-4: a session logged after the check-in (hard, so it holds) is the session's decision,
    not the morning's: the check-in's answer keeps to what the morning changed."""
    for home in home_on(tmp_path, START):
        profile.save_profile(home, make_profile())
        diary.check_in(home, CheckIn(date=START, morning_pain=1))
        data = planned_session(home, START).model_dump(mode="json")
        for e in data["entries"]:
            e["difficulty"] = "hard"
        diary.save_session(home, SessionLog.model_validate(data))
        fixed = diary.check_in(home, CheckIn(date=START, morning_pain=1))
        assert fixed.feedback["changes"] == []
        assert fixed.feedback["summary"] == "Nothing in your plan changes: carry on as planned."
        assert any(d.rule == "PMM-4" for d in read.programme(home).status.decisions)


def test_start_date_a_change_stays_within_a_year_and_not_after_the_first_log(
    home: Home,
) -> None:
    """The start date (core.dates): a runner who typed a wrong year can move it, within a year
    either side of today and never after the first thing logged; each change a new version."""
    wrong = make_profile(start_date=(START + 300 * DAY).isoformat())
    profile.save_profile(home, wrong)
    fixed = make_profile(start_date=(START - 2 * DAY).isoformat())
    profile.save_profile(home, fixed, wrong)
    assert home.store.profile(home.person).start_date == START - 2 * DAY
    diary.save_session(home, a_session(START - DAY))
    later = make_profile(start_date=START.isoformat())
    with pytest.raises(BadInput, match="after the first day you logged"):
        profile.save_profile(home, later, fixed)
    too_far = make_profile(start_date=(START - 400 * DAY).isoformat())
    with pytest.raises(BadInput, match="more than a year ago"):
        profile.save_profile(home, too_far, fixed)
    earlier = make_profile(start_date=(START - 5 * DAY).isoformat())
    profile.save_profile(home, earlier, fixed)  # earlier than the log: allowed


def test_edit_days_an_undone_session_is_restored_in_one_step_for_seven_days(
    tmp_path: Path,
) -> None:
    """EDIT_DAYS: an undo is not final: for the same seven days the session can be restored as
    it was, and the engine replays it again; a restore of what is not undone finds nothing."""
    for home in home_on(tmp_path, START):
        profile.save_profile(home, make_profile())
        saved = diary.save_session(home, a_session(START))
        diary.undo_session(home, saved.session.id)
        assert read.programme(home).sessions == ()
        back = diary.restore_session(home, saved.session.id)
        assert back.id == saved.session.id
        assert not back.deleted
        assert len(read.programme(home).sessions) == 1
        with pytest.raises(diary.NoSuchSession):
            diary.restore_session(home, saved.session.id)  # it is not undone
        diary.undo_session(home, saved.session.id)
    for home in home_on(tmp_path, START + 8 * DAY):
        with pytest.raises(BadInput, match="more than 7 days ago"):
            diary.restore_session(home, saved.session.id)
        assert read.programme(home).sessions == ()  # nothing was written
