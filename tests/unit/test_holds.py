"""Holds that hold (CLINICAL RF-SOON): a raised flag is lifted only by a recorded clearance."""

from __future__ import annotations

import datetime as dt

from kneecap.core.holds import ClearanceRecord, Version, carry, cleared, pending, raised_on
from tests.conftest import make_profile

DAY = dt.date(2026, 12, 7)


def v(i: int, *flags: str) -> Version:
    return Version(i, frozenset(flags), DAY + dt.timedelta(days=i))


def c(profile_id: int, *flags: str) -> ClearanceRecord:
    return ClearanceRecord(profile_id, frozenset(flags), DAY)


def test_reanswering_the_intake_keeps_an_uncleared_hold() -> None:
    versions = [v(1, "swelling"), v(2, "swelling")]
    assert pending(versions, []) == {"swelling"}
    assert carry(make_profile(), versions, []).red_flags.raised() == {"swelling"}


def test_a_cleared_flag_is_not_carried() -> None:
    versions = [v(1, "swelling")]
    assert carry(make_profile(), versions, [c(1, "swelling")]).red_flags.raised() == frozenset()


def test_a_clearance_covers_only_the_flags_it_names() -> None:
    versions = [v(1, "swelling", "locking")]
    assert pending(versions, [c(1, "swelling")]) == {"locking"}


def test_a_flag_that_comes_back_is_a_new_episode_needing_a_new_clearance() -> None:
    versions = [v(1, "swelling"), v(2), v(3, "swelling")]
    assert cleared(versions, [c(1, "swelling")]) == frozenset()
    assert cleared(versions, [c(1, "swelling"), c(3, "swelling")]) == {"swelling"}


def test_the_day_a_flag_was_raised_is_that_of_its_latest_episode() -> None:
    versions = [v(1, "swelling"), v(2), v(3, "swelling"), v(4, "swelling")]
    assert raised_on(versions, "swelling") == DAY + dt.timedelta(days=3)
    assert raised_on(versions, "locking") is None
