"""The one canonical activity model every importer produces (FIT, GPX, TCX alike).

Samples are parallel numpy float64 arrays of the same length, one entry per recorded point, in
time order. A channel the file does not carry (or a point where it is missing) is NaN, never zero:
zero heart rate or zero altitude are real values, "not recorded" is not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kneecap.core.sport import Sport

Array = npt.NDArray[np.float64]

CHANNELS = (
    "time_s",  # seconds since `start`, non-decreasing, never NaN
    "distance_m",  # cumulative distance as the device measured it
    "lat",  # degrees, WGS84
    "lon",
    "altitude_m",
    "heart_rate",  # beats per minute
    "cadence_spm",  # steps per minute (FIT's running cadence per leg is doubled by the importer)
    "speed_mps",
)


@dataclass(frozen=True)
class Totals:
    """The file's own summary (FIT session, TCX laps), kept to check the samples against."""

    distance_m: float | None = None
    elapsed_s: float | None = None
    timer_s: float | None = None


@dataclass(frozen=True, eq=False)
class Activity:
    sport: Sport
    start: dt.datetime  # UTC, timezone-aware
    time_s: Array
    distance_m: Array
    lat: Array
    lon: Array
    altitude_m: Array
    heart_rate: Array
    cadence_spm: Array
    speed_mps: Array
    source: str  # "fit", "gpx" or "tcx"
    sub_sport: str | None = None  # e.g. "treadmill", "trail", as the file names it
    totals: Totals = field(default_factory=Totals)
    warnings: tuple[str, ...] = ()  # e.g. "truncated after 5120 bytes: the readable part was kept"

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() != dt.timedelta(0):
            raise ValueError("Activity.start must be a UTC datetime")
        n = len(self.time_s)
        for name in CHANNELS:
            a = getattr(self, name)
            if not isinstance(a, np.ndarray) or a.dtype != np.float64 or a.shape != (n,):
                raise ValueError(f"Activity.{name} must be a float64 array of length {n}")
        if n and (np.isnan(self.time_s).any() or (np.diff(self.time_s) < 0).any()):
            raise ValueError("Activity.time_s must be non-decreasing and never NaN")

    @property
    def points(self) -> int:
        return len(self.time_s)

    @property
    def has_gps(self) -> bool:
        return bool(np.isfinite(self.lat).any())

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=float(self.time_s[-1]) if self.points else 0.0)


def empty(n: int) -> Array:
    """A channel the file does not carry: all NaN."""
    return np.full(n, np.nan, dtype=np.float64)
