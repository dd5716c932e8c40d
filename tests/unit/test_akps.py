"""AKPS scoring against the published table (CLINICAL.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecap.core.akps import ITEMS, AkpsError, Result, due, red_flags_in, score


def test_all_best_answers_score_100() -> None:
    assert score([0] * 13) == 100


def test_all_worst_answers_score_0() -> None:
    assert score([len(item.options) - 1 for item in ITEMS]) == 0


def test_item_maxima_match_the_published_table() -> None:
    assert [i.maximum for i in ITEMS] == [5, 5, 5, 10, 5, 10, 10, 10, 10, 10, 10, 5, 5]


def test_a_constant_limp_scores_zero_not_the_corrupted_two() -> None:
    assert ITEMS[0].options[2][1] == 0


def test_worked_example_a_typical_runner() -> None:
    # no limp 5, full support 5, unlimited walking 5, slight pain descending stairs 8,
    # repeated squatting painful 4, pain after more than 2 km 8, slight difficulty jumping 7,
    # pain after exercise when sitting 8, slight occasional pain 8, swelling after severe
    # exertion 8, no subluxations 10, no atrophy 5, no flexion deficiency 5  -> 86
    assert score([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]) == 86


def test_worked_example_a_sore_knee() -> None:
    # slight limp 3, painful support 3, 1-2 km 2, pain both ways on stairs 5, painful each
    # squat 3, severe running pain 3, constant pain jumping 2, constant sitting pain 6,
    # pain disturbs sleep 6, swelling after daily activities 6, none 10, slight atrophy 3,
    # slight flexion deficiency 3 -> 55
    assert score([1, 1, 2, 2, 2, 3, 2, 2, 2, 2, 0, 1, 1]) == 55


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 12, "expected 13 answers, got 12"),
        ([0] * 12 + [3], r"answers\[12\]"),
        ([0] * 12 + [-1], "from 0 to 2"),
    ],
)
def test_bad_answers_are_refused(answers: list[int], message: str) -> None:
    with pytest.raises(AkpsError, match=message):
        score(answers)


def test_a_ten_point_change_is_meaningful() -> None:
    assert Result(dt.date(2026, 12, 21), 80, 70).meaningful
    assert not Result(dt.date(2026, 12, 21), 79, 70).meaningful
    assert Result(dt.date(2026, 12, 21), 60, 70).change == -10
    assert not Result(dt.date(2026, 12, 21), 60, None).meaningful


def test_dislocation_and_constant_swelling_answers_raise_red_flags() -> None:
    answers = [0] * 13
    answers[9], answers[10] = 4, 3
    assert red_flags_in(answers) == {"swelling", "giving_way"}


def test_offered_every_two_to_four_weeks() -> None:
    today = dt.date(2026, 12, 31)
    assert due(None, today) == "due"
    assert due(today - dt.timedelta(days=10), today) == "not yet"
    assert due(today - dt.timedelta(days=14), today) == "offered"
    assert due(today - dt.timedelta(days=28), today) == "due"
