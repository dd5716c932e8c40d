"""Words a new runner reads that must be true of the numbers they quote."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from kneecap.core import criteria
from kneecap.core.history import CheckIn

TODAY = dt.date(2026, 12, 20)


def test_r5_a_pain_criterion_unmet_for_too_few_check_ins_says_so() -> None:
    """A pain criterion met on the figures but not on the readings' coverage says why it is
    unmet, never a figure that reads as met."""
    few = [CheckIn(date=TODAY - dt.timedelta(days=n), morning_pain=3) for n in range(3)]
    facts = SimpleNamespace(checkins=few, sessions=[], today=TODAY)
    c = criteria._pain_over(facts, 14, 3, "R5", "pain")  # type: ignore[arg-type]
    assert not c.met
    assert "(now: worst 3/10, but 3 check-ins do not yet cover the 14 days)" in c.text
    every = [CheckIn(date=TODAY - dt.timedelta(days=n), morning_pain=3) for n in range(14)]
    met = criteria._pain_over(  # type: ignore[arg-type]
        SimpleNamespace(checkins=every, sessions=[], today=TODAY), 14, 3, "R5", "pain"
    )
    assert met.met
    assert "(now: worst 3/10 over 14 check-ins)" in met.text
