"""The elevation profile in the runner's units: altitude in feet beside miles, in metres beside
kilometres, in the axis title, its numbers and the chart's description."""

from __future__ import annotations

import re

import numpy as np

from kneecap.core.analysis import distance_track, elevation_profile
from kneecap.render import units
from kneecap.render.run_charts import profile_svg
from tests.activities import synthetic_run


def _hill(d: np.ndarray) -> np.ndarray:
    return 300 + 80 * np.where(d < 3000, d / 3000, (6000 - d) / 3000)  # 300 m up to 380 m


def _profile(unit: str) -> str:
    a = synthetic_run(seconds=2000, altitude=_hill)
    return profile_svg(elevation_profile(a, distance_track(a)), unit)


def _description(drawn: str) -> str:
    found = re.search(r"<desc[^>]*>(.*?)</desc>", drawn, re.S)
    assert found
    return found.group(1)


def _altitude_numbers(drawn: str) -> list[float]:
    """The numbers beside the altitude axis (right-aligned, left of the plot)."""
    return [float(n) for n in re.findall(r'text-anchor="end" fill="#5b6576">(-?[\d.]+)<', drawn)]


def test_with_miles_the_profile_speaks_in_feet() -> None:
    drawn = _profile("mi")
    assert "altitude (ft)" in drawn
    assert "altitude (m)" not in drawn
    words = _description(drawn)
    assert re.search(r"starts at \d+ ft, lowest \d+ ft, highest \d+ ft, ends at \d+ ft\.", words)
    assert not re.search(r"\d m\b", words)
    highest = int(re.findall(r"highest (\d+) ft", words)[0])
    assert abs(highest - units.height(380, "mi")) <= 3  # about 1247 ft
    ticks = _altitude_numbers(drawn)
    assert ticks
    assert min(ticks) <= units.height(305, "mi")
    assert max(ticks) >= 1200


def test_with_kilometres_the_profile_speaks_in_metres() -> None:
    drawn = _profile("km")
    assert "altitude (m)" in drawn
    words = _description(drawn)
    assert re.search(r"starts at \d+ m, lowest \d+ m, highest \d+ m, ends at \d+ m\.", words)
    assert max(_altitude_numbers(drawn)) < 500
