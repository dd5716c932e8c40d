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


def gpx_run(
    start: dt.datetime,
    km: float,
    speed: float = 3.0,
    climb_then_descend_m: float = 0.0,
    cadence: int | None = 85,
    every_s: int = 5,
) -> bytes:
    """A GPX 1.1 run written by hand: due north at `speed`, optionally up and back down a hill
    (half the distance each way), with Garmin cadence per leg (x2 = steps/min)."""
    metres = km * 1000
    seconds = int(metres / speed)
    points = []
    for t in range(0, seconds + 1, every_s):
        d = t * speed
        half = metres / 2
        ele = 300 + climb_then_descend_m * (d / half if d <= half else (metres - d) / half)
        time = (start + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
        ext = (
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:cad>{cadence}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>"
            if cadence
            else ""
        )
        points.append(
            f'<trkpt lat="{45 + d / METRES_PER_DEGREE_LAT:.7f}" lon="14.0000000">'
            f"<ele>{ele:.1f}</ele><time>{time}</time>{ext}</trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="kneecap tests" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        "<trk><type>running</type><trkseg>" + "".join(points) + "</trkseg></trk></gpx>\n"
    ).encode()
