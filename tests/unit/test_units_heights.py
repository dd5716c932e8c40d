"""Heights in the runner's units: metres beside kilometres, feet beside miles."""

from __future__ import annotations

from kneecap.render import units


def test_heights_are_in_feet_with_miles_and_in_metres_with_kilometres() -> None:
    assert units.height_text(100, "km") == "100 m"
    assert units.height_text(100, "mi") == "328 ft"
    assert units.height_text(30.48, "mi") == "100 ft"
    assert units.height(0.4, "km") == 0
    assert units.height_unit("mi") == "ft"
    assert units.height_unit("km") == "m"
    assert units.height_text(None, "mi") is None
