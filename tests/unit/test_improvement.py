"""The no-improvement review (CLINICAL RF-SOON): six weeks of adherent rehab without a
meaningful change in morning pain or AKPS asks for an assessment. One test per boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecap.core.improvement import Review, review

START = dt.date(2026, 12, 7)


def mornings(
    first: float | list[int], last: float | list[int], today: dt.date
) -> list[tuple[dt.date, int]]:
    """A week of morning pain at the start and a week up to `today`."""

    def week(values: float | list[int]) -> list[int]:
        return values if isinstance(values, list) else [int(values)] * 7

    early = [(START + dt.timedelta(days=n), p) for n, p in enumerate(week(first))]
    late = [(today - dt.timedelta(days=n), p) for n, p in enumerate(week(last))]
    return early + late


def stalled(
    days: int = 42,
    before: float | list[int] = 4,
    now: float | list[int] = 4,
    akps: tuple[int, int] | None = (70, 75),
    planned: int = 20,
    done: int = 20,
) -> Review:
    today = START + dt.timedelta(days=days)
    scores = [] if akps is None else [(START, akps[0]), (today, akps[1])]
    found = review(START, today, mornings(before, now, today), scores, planned, done)
    assert found is not None
    return found


def test_six_adherent_weeks_without_change_is_no_improvement() -> None:
    assert stalled().no_improvement


@pytest.mark.parametrize(("days", "expected"), [(41, False), (42, True)])
def test_the_review_starts_at_six_weeks(days: int, expected: bool) -> None:
    assert stalled(days=days).no_improvement is expected


@pytest.mark.parametrize(("done", "expected"), [(13, False), (14, True)])
def test_adherent_means_at_least_70_percent_of_the_planned_sessions(
    done: int, expected: bool
) -> None:
    assert stalled(planned=20, done=done).no_improvement is expected


def test_nothing_planned_is_not_adherence() -> None:
    assert not stalled(planned=0, done=0).no_improvement


@pytest.mark.parametrize(
    ("now", "expected"),
    [([2, 2, 2, 2, 2, 2, 2], False), ([2, 2, 2, 2, 2, 2, 3], True)],  # a drop of 2.0 vs 1.86
)
def test_morning_pain_down_by_two_points_is_improvement(now: list[int], expected: bool) -> None:
    assert stalled(before=4, now=now).no_improvement is expected


@pytest.mark.parametrize(("akps", "expected"), [((70, 80), False), ((70, 79), True)])
def test_an_akps_rise_of_ten_is_improvement(akps: tuple[int, int], expected: bool) -> None:
    assert stalled(akps=akps).no_improvement is expected


def test_without_two_questionnaires_the_akps_shows_no_improvement_and_the_text_says_so() -> None:
    found = stalled(akps=None)
    assert found.no_improvement
    assert "not two knee questionnaires" in found.text()


def test_the_reason_quotes_the_runners_own_numbers() -> None:
    text = stalled(before=4, now=[4, 4, 4, 4, 4, 4, 3], planned=20, done=18).text()
    assert "6 weeks since 07 December 2026" in text
    assert "18 of 20 planned sessions (90%)" in text
    assert "from 4.0/10 to 3.9/10" in text
    assert "went from 70 to 75" in text


def test_without_morning_check_ins_in_the_first_or_last_week_there_is_no_judgement() -> None:
    today = START + dt.timedelta(days=50)
    early_only = [(START + dt.timedelta(days=n), 4) for n in range(7)]
    late_only = [(today - dt.timedelta(days=n), 4) for n in range(7)]
    assert review(START, today, early_only, [], 20, 20) is None
    assert review(START, today, late_only, [], 20, 20) is None


def test_a_questionnaire_from_before_the_start_window_is_not_the_baseline() -> None:
    today = START + dt.timedelta(days=42)
    old = [(START - dt.timedelta(days=30), 40), (START, 70), (today, 75)]
    found = review(START, today, mornings(4, 4, today), old, 20, 20)
    assert found is not None
    assert (found.akps_before, found.akps_now) == (70, 75)
