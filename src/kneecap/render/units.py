"""Distances, paces and heights in the runner's units: the one place they are converted and
written, for the pages, their charts and the JSON twins ("km" or "mi", the Settings preference).
With miles, heights (climb, descent, a descent's drop and length) are in feet; with kilometres,
in metres."""

from __future__ import annotations

KM_PER_MILE = 1.609344  # the international mile
M_PER_FOOT = 0.3048  # the international foot
UNITS = ("km", "mi")


def distance(km: float, units: str, places: int = 2) -> float:
    """A distance in kilometres in `units`, rounded to `places` decimals."""
    return round(km / KM_PER_MILE if units == "mi" else km, places)


def distance_text(km: float | None, units: str, places: int = 2) -> str | None:
    """ "5.00 km" or "3.11 mi"; None stays None."""
    if km is None:
        return None
    return f"{distance(km, units, places):.{places}f} {units}"


def clock_time(seconds: float | None) -> str | None:
    """ "m:ss", or "h:mm:ss" from an hour up."""
    if seconds is None:
        return None
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def pace_text(s_per_km: float | None, units: str) -> str | None:
    """A pace per kilometre as time per `units`: "5:30 /km" or "8:51 /mi"."""
    if s_per_km is None:
        return None
    per = s_per_km * KM_PER_MILE if units == "mi" else s_per_km
    return f"{clock_time(per)} /{units}"


def height_unit(units: str) -> str:
    """The unit of heights beside distances in `units`: "ft" with miles, else "m"."""
    return "ft" if units == "mi" else "m"


def per_metre(units: str) -> float:
    """One metre in the height unit that goes with `units` (3.28… feet with miles, else 1)."""
    return 1 / M_PER_FOOT if units == "mi" else 1.0


def height(metres: float, units: str) -> int:
    """A height (or a short length) in metres in the unit that goes with `units`, whole."""
    return round(metres * per_metre(units))


def height_text(metres: float | None, units: str) -> str | None:
    """ "120 m" or "394 ft"; None stays None."""
    if metres is None:
        return None
    return f"{height(metres, units)} {height_unit(units)}"
