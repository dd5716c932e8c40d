"""Synthetic activities with known answers, for analysis and load tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from kneecap.core.activity import Activity, Array, Sport, empty

METRES_PER_DEGREE_LAT = 111_195.0


def synthetic_run(
    seconds: int = 2000,
    speed: float | Callable[[Array], Array] = 3.0,
    altitude: Callable[[Array], Array] | None = None,
    cadence: float | Callable[[Array], Array] | None = 170.0,
    start: dt.datetime = dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.UTC),
    noise_xy: float = 0.0,
    noise_z: float = 0.0,
    device_distance: bool = False,
    sport: Sport = Sport.RUNNING,
    seed: int = 0,
) -> Activity:
    """A run due north at 1 Hz. `speed`, `altitude` and `cadence` may be functions of time (s)
    or of distance (m) for altitude; noise is Gaussian, in metres."""
    rng = np.random.default_rng(seed)
    t = np.arange(seconds, dtype=np.float64)
    v = speed(t) if callable(speed) else np.full(seconds, speed)
    d = np.concatenate(([0.0], np.cumsum(v[1:])))
    lat = 45.0 + (d + rng.normal(0, noise_xy, seconds)) / METRES_PER_DEGREE_LAT
    lon = 14.0 + rng.normal(0, noise_xy, seconds) / (METRES_PER_DEGREE_LAT * np.cos(np.radians(45)))
    z = (altitude(d) if altitude else np.full(seconds, 300.0)) + rng.normal(0, noise_z, seconds)
    if cadence is None:
        cad = empty(seconds)
    else:
        cad = cadence(t) if callable(cadence) else np.full(seconds, cadence)
    return Activity(
        sport=sport,
        start=start,
        time_s=t,
        distance_m=d.copy() if device_distance else empty(seconds),
        lat=lat,
        lon=lon,
        altitude_m=z,
        heart_rate=np.full(seconds, 150.0),
        cadence_spm=cad,
        speed_mps=empty(seconds),
        source="gpx",
    )
