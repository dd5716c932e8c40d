"""Property (CLINICAL RF-SOON, holds that hold): a red flag never clears without a clearance
record, whatever sequence of intake re-answers, check-ins with swelling and clearances a runner
goes through. Runs on a real SQLite file through the store, as both faces do."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecap.core.history import CheckIn
from kneecap.core.intake import RED_FLAG_QUESTIONS
from kneecap.core.screening import screen
from kneecap.store.repository import Store
from tests.conftest import make_profile

NOW = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)
FLAGS = ["swelling", "locking", "giving_way", "night_or_rest_pain", *list(RED_FLAG_QUESTIONS)[-3:]]

intake = st.tuples(st.just("intake"), st.frozensets(st.sampled_from(FLAGS), max_size=3))
swelling = st.tuples(st.just("swelling check-in"), st.just(frozenset[str]()))
clearance = st.tuples(st.just("clearance"), st.just(frozenset[str]()))
steps = st.lists(st.one_of(intake, swelling, clearance), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None)
@given(steps)
def test_a_red_flag_never_clears_without_a_clearance_record(
    ops: list[tuple[str, frozenset[str]]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'k.sqlite3'}")
        try:
            person = store.person_id("me", NOW)
            with store.transaction(person) as w:
                w.save_profile(make_profile(), NOW)
            owed: set[str] = set()  # raised since the last clearance: must hold the plan
            for n, (op, flags) in enumerate(ops):
                now = NOW + dt.timedelta(days=n)
                current = store.profile(person)
                assert current is not None
                raised = current.red_flags.raised()
                with store.transaction(person) as w:
                    if op == "intake":
                        answers = make_profile(red_flags=dict.fromkeys(flags, True))
                        w.save_profile(answers, now)
                        owed |= flags - raised
                    elif op == "swelling check-in":
                        day = now.date()
                        w.add_checkins([CheckIn(date=day, morning_pain=2, swelling=True)], now)
                        owed |= {"swelling"} - raised
                    else:
                        w.record_clearance(now.date(), "Ana Ruiz", None, now, "physio")
                        owed.clear()
                profile = store.profile(person)
                assert profile is not None
                cleared = store.cleared_flags(person)
                held = profile.red_flags.raised() - cleared
                assert owed <= held, f"after {ops[: n + 1]}: {owed - held} lifted without clearance"
                assert screen(profile, cleared).referral.needed == bool(held)
        finally:
            store.close()
