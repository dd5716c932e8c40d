"""Per-run figures on synthetic runs with known answers (smoothing in docs/running.md)."""

from __future__ import annotations

import numpy as np
import pytest

from kneecap.core.analysis import summarise
from tests.activities import synthetic_run


def test_distance_from_gps_matches_the_path() -> None:
    s = summarise(synthetic_run(seconds=2000, speed=3.0))
    assert s.distance_m == pytest.approx(5997, rel=0.005)
    assert s.duration_s == 1999
    assert s.pace_s_per_km == pytest.approx(1000 / 3, rel=0.01)


def test_device_distance_is_preferred_to_gps() -> None:
    run = synthetic_run(seconds=1000, speed=3.0, noise_xy=5.0, device_distance=True)
    assert summarise(run).distance_m == pytest.approx(2997, abs=0.01)


def test_gps_position_noise_inflates_distance_little() -> None:
    s = summarise(synthetic_run(seconds=2000, speed=3.0, noise_xy=1.5))
    assert s.distance_m == pytest.approx(5997, rel=0.02)


def test_pauses_are_left_out_of_moving_time() -> None:
    stop = lambda t: np.where((t >= 500) & (t < 620), 0.0, 3.0)  # noqa: E731
    s = summarise(synthetic_run(seconds=1500, speed=stop))
    assert s.duration_s == 1499
    assert s.moving_time_s == pytest.approx(1499 - 120, abs=6)  # smoothing blurs each edge


def test_downhill_counts_grades_steeper_than_minus_3_percent() -> None:
    # 3 km climb at +5%, then 3 km descent at -5%: about 3 km of downhill, 150 m each way.
    hill = lambda d: 300 + np.where(d < 3000, d * 0.05, 150 - (d - 3000) * 0.05)  # noqa: E731
    s = summarise(synthetic_run(seconds=2000, altitude=hill))
    assert s.ascent_m == pytest.approx(150, abs=6)
    assert s.descent_m == pytest.approx(150, abs=6)
    assert s.downhill_m == pytest.approx(3000, rel=0.03)
    assert len(s.steepest) == 1
    assert s.steepest[0].grade == pytest.approx(-0.05, abs=0.003)


def test_a_gentle_descent_is_not_downhill() -> None:
    gentle = lambda d: 400 - d * 0.02  # noqa: E731
    s = summarise(synthetic_run(seconds=2000, altitude=gentle))
    assert s.descent_m == pytest.approx(120, abs=6)
    assert s.downhill_m == 0
    assert s.steepest == ()


def test_altitude_noise_adds_no_false_climb_or_downhill() -> None:
    s = summarise(synthetic_run(seconds=2000, noise_z=2.0))
    assert s.ascent_m is not None
    assert s.ascent_m < 5
    assert s.downhill_m == 0


def test_steepest_descents_come_biggest_first() -> None:
    def two_hills(d: np.ndarray) -> np.ndarray:
        small = np.clip(d - 1000, 0, 500) * -0.04  # 20 m drop
        big = np.clip(d - 3000, 0, 1000) * -0.08  # 80 m drop
        return 500 + small + big

    s = summarise(synthetic_run(seconds=2000, altitude=two_hills))
    assert [round(d.drop_m, -1) for d in s.steepest] == [80, 20]
    assert s.steepest[0].start_m == pytest.approx(3000, abs=60)


def test_cadence_is_averaged_at_running_speed_only() -> None:
    # A 5-minute walk at 1.4 m/s and 110 steps/min, then running at 3 m/s and 172 steps/min.
    speed = lambda t: np.where(t < 300, 1.4, 3.0)  # noqa: E731
    cadence = lambda t: np.where(t < 300, 110.0, 172.0)  # noqa: E731
    s = summarise(synthetic_run(seconds=1800, speed=speed, cadence=cadence))
    assert s.cadence_spm == pytest.approx(172, abs=0.5)
    assert s.step_length_m == pytest.approx(3.0 / (172 / 60), rel=0.02)


def test_missing_channels_give_none_not_zero() -> None:
    run = synthetic_run(seconds=600, cadence=None)
    flat = synthetic_run(seconds=600)
    no_alt = type(run)(**{**run.__dict__, "altitude_m": np.full(600, np.nan)})
    s = summarise(no_alt)
    assert s.cadence_spm is None
    assert s.step_length_m is None
    assert s.ascent_m is None
    assert s.downhill_m is None
    assert summarise(flat).downhill_m == 0


@pytest.mark.parametrize("points", [1, 2, 3, 5])
def test_a_handful_of_points_still_gives_figures(points: int) -> None:
    s = summarise(synthetic_run(seconds=points))
    assert s.distance_m == pytest.approx(3.0 * (points - 1), abs=0.5)
    assert s.duration_s == points - 1
