"""Choosing strength and cardio weekdays."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kneecap.core.weekly import cyclic_gap, spread_weekdays, strength_weekdays


def test_every_day_available_gives_monday_wednesday_friday() -> None:
    assert strength_weekdays(range(7), 3) == (0, 2, 4)


def test_sunday_and_monday_count_as_consecutive() -> None:
    assert len(strength_weekdays([6, 0], 3)) == 1


def test_four_days_in_a_row_allow_two_strength_days_spread_apart() -> None:
    assert strength_weekdays([0, 1, 2, 3], 3) == (0, 3)


def test_weekend_only_allows_one_strength_day() -> None:
    assert len(strength_weekdays([5, 6], 3)) == 1


@given(st.sets(st.integers(0, 6)), st.integers(1, 4))
def test_strength_days_are_never_adjacent_even_across_the_week_end(
    days: set[int], target: int
) -> None:
    chosen = strength_weekdays(days, target)
    assert set(chosen) <= days
    assert len(chosen) <= min(target, 3)
    assert all(cyclic_gap(a, b) >= 2 for a in chosen for b in chosen if a != b)
    if days:
        assert chosen


def test_cardio_goes_to_saturday_first_then_spreads() -> None:
    assert spread_weekdays([1, 3, 5, 6], 2) == (1, 5)
    assert spread_weekdays([1, 3], 1) == (1,)


@given(st.sets(st.integers(0, 6)), st.integers(0, 7))
def test_spread_picks_distinct_available_days(days: set[int], count: int) -> None:
    chosen = spread_weekdays(days, count)
    assert set(chosen) <= days
    assert len(chosen) == min(count, len(days))
