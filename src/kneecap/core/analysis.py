"""Per-activity figures: distance, moving time, pace, climb, downhill (LOAD-DOWNHILL), cadence (CAD-1).

Pure numpy over a core `Activity`. The smoothing, documented in docs/running.md:

- **Distance**: the device's own distance channel when it has one (footpods and watches correct
  GPS), else the sum of great-circle steps between GPS fixes smoothed over `GPS_SMOOTH` fixes,
  leaving out steps faster than `MAX_STEP_SPEED` (GPS jumps), else the integral of speed; when
  the samples carry no distance at all (a pool swim) the file's own total.
- **Moving time**: the steps whose speed is at least `MOVING_SPEED`; pauses (stops at lights,
  auto-pause gaps) are left out. Speed is the device's where it records one, else distance over
  time across `SPEED_WINDOW` steps.
- **Elevation**: the mean altitude of the fixes in each `GRID_M` stretch of distance (stretches
  crossed between fixes interpolated), then a centred moving average over `SMOOTH_M`, which
  removes GPS and barometer jitter of a metre or two without flattening real hills. Ascent and descent are sums over the smoothed profile; the grade of
  each step is its rise over `GRID_M`; a descent is a stretch of steps steeper than
  `DOWNHILL_GRADE` (gaps up to `MERGE_GAP_M` bridged) that drops `CLIMB_THRESHOLD_M` or more;
  downhill distance is their total length; the steepest are listed (`MIN_DESCENT_M` long at least).
- **Cadence at running speed**: time-weighted mean of steps/min over the steps taken running:
  moving, at a running cadence (`RUNNING_CADENCE`; walking stays below it whatever the speed,
  while a slow jog on the walk/run ladder can be slower than a brisk walk). Step length is the
  distance of those steps over their step count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kneecap.core.activity import Activity, Array
from kneecap.core.summary import Descent, Summary

EARTH_RADIUS_M = 6_371_008.8
GPS_SMOOTH = 5  # fixes in the centred moving average of positions
MAX_STEP_SPEED = 12.0  # m/s: faster than any runner; a GPS jump
MOVING_SPEED = 0.5  # m/s: slower than this is standing still
SPEED_WINDOW = 5  # steps in the window for speed derived from distance
RUNNING_CADENCE = 130.0  # steps/min: walking rarely exceeds it, running rarely falls below
GRID_M = 10.0
SMOOTH_M = 100.0
CLIMB_THRESHOLD_M = 2.0  # a climb or drop counts once it exceeds this (hysteresis)
DOWNHILL_GRADE = -0.03  # LOAD-DOWNHILL: steeper than -3%
MIN_DESCENT_M = 50.0
MERGE_GAP_M = 20.0
STEEPEST_SHOWN = 3


@dataclass(frozen=True)
class ElevationProfile:
    distance_m: Array  # the grid, every GRID_M
    altitude_m: Array  # smoothed
    grade: Array  # per grid step (len - 1 entries)

    @property
    def downhill(self) -> npt.NDArray[np.bool_]:
        return self.grade < DOWNHILL_GRADE


def distance_track(a: Activity) -> Array:
    """Cumulative distance at every point, from 0, never decreasing (see the module notes)."""
    n = a.points
    if n == 0:
        return np.zeros(0)
    d = a.distance_m
    have = np.isfinite(d)
    if have.sum() >= max(2, n // 10) and np.nanmax(d) > 0:
        # Interpolated in time between the points that carry it (some devices write it on
        # every fourth point only), never decreasing.
        track: Array = np.maximum.accumulate(np.interp(a.time_s, a.time_s[have], d[have]))
        track -= track[0]
        return track
    dt = np.diff(a.time_s)
    if a.has_gps:
        ok = np.isfinite(a.lat) & np.isfinite(a.lon)
        idx = np.flatnonzero(ok)
        steps = np.zeros(n)
        if len(idx) >= 2:
            lat, lon = (
                _moving_average(a.lat[idx], GPS_SMOOTH),
                _moving_average(a.lon[idx], GPS_SMOOTH),
            )
            hop = _haversine(lat[:-1], lon[:-1], lat[1:], lon[1:])
            took = a.time_s[idx[1:]] - a.time_s[idx[:-1]]
            hop[hop > MAX_STEP_SPEED * np.maximum(took, 1.0)] = 0.0
            steps[idx[1:]] = hop
        return np.cumsum(steps)
    speed = np.nan_to_num(a.speed_mps[1:], nan=0.0)
    return np.concatenate(([0.0], np.cumsum(speed * dt)))


def summarise(a: Activity) -> Summary:
    track = distance_track(a)
    duration = float(a.time_s[-1] - a.time_s[0]) if a.points else 0.0
    dt = np.diff(a.time_s)
    dd = np.diff(track)
    step_speed = _step_speed(a, dt, dd)
    knows_motion = bool(track[-1] > 0) if a.points else False
    moving = step_speed >= MOVING_SPEED if knows_motion else np.ones(len(dt), dtype=bool)
    profile = elevation_profile(a, track)
    climb = _climb(profile.altitude_m) if profile is not None else (0.0, 0.0)
    cadence, step_length = _cadence(a, dt, dd, step_speed, knows_motion)
    hr = a.heart_rate[np.isfinite(a.heart_rate) & (a.heart_rate > 0)]
    distance = float(track[-1]) if a.points else 0.0
    if a.totals.distance_m and distance < 0.01 * a.totals.distance_m:
        distance = a.totals.distance_m  # a pool swim or a summary: the file's own total
    return Summary(
        distance_m=distance,
        duration_s=duration,
        moving_time_s=float(dt[moving].sum()),
        ascent_m=None if profile is None else climb[0],
        descent_m=None if profile is None else climb[1],
        downhill_m=None if profile is None else float(sum(d.length_m for d in descents(profile))),
        steepest=() if profile is None else steepest_descents(profile),
        cadence_spm=cadence,
        step_length_m=step_length,
        heart_rate=float(hr.mean()) if len(hr) else None,
    )


def elevation_profile(a: Activity, track: Array | None = None) -> ElevationProfile | None:
    """The smoothed altitude on a GRID_M distance grid, or None without altitude or distance."""
    track = distance_track(a) if track is None else track
    ok = np.isfinite(a.altitude_m)
    if ok.sum() < 2 or track[-1] < 2 * GRID_M:
        return None
    cell = (track[ok] / GRID_M).astype(np.int64)
    cells = int(cell[-1]) + 1
    counts = np.bincount(cell, minlength=cells)
    sums = np.bincount(cell, weights=a.altitude_m[ok], minlength=cells)
    grid = np.arange(cells, dtype=np.float64) * GRID_M
    filled = counts > 0
    # Each cell's mean altitude; cells the runner crossed between two fixes are interpolated.
    raw = np.interp(grid, grid[filled], sums[filled] / counts[filled])
    smooth = _moving_average(raw, max(1, round(SMOOTH_M / GRID_M)))
    return ElevationProfile(grid, smooth, np.diff(smooth) / GRID_M)


def descents(p: ElevationProfile) -> list[Descent]:
    """Stretches steeper than DOWNHILL_GRADE, in order. Stretches split by a level gap of at most
    MERGE_GAP_M merge; a stretch that drops less than CLIMB_THRESHOLD_M in all is wobble, not a
    descent."""
    down = p.downhill.astype(np.int8)
    edges = np.diff(np.concatenate(([0], down, [0])))
    starts, ends = np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()
    spans: list[list[int]] = []
    for s, e in zip(starts, ends, strict=True):
        if spans and (s - spans[-1][1]) * GRID_M <= MERGE_GAP_M:
            spans[-1][1] = e
        else:
            spans.append([s, e])
    found = []
    for s, e in spans:
        length, drop = (e - s) * GRID_M, float(p.altitude_m[s] - p.altitude_m[e])
        if drop >= CLIMB_THRESHOLD_M:
            found.append(Descent(float(p.distance_m[s]), length, drop, -drop / length))
    return found


def steepest_descents(p: ElevationProfile) -> tuple[Descent, ...]:
    """The descents that drop the most (at least MIN_DESCENT_M long), biggest first."""
    long_enough = [d for d in descents(p) if d.length_m >= MIN_DESCENT_M]
    long_enough.sort(key=lambda d: (-d.drop_m, d.start_m))
    return tuple(long_enough[:STEEPEST_SHOWN])


def _cadence(
    a: Activity, dt: Array, dd: Array, step_speed: Array, knows_motion: bool
) -> tuple[float | None, float | None]:
    cad = a.cadence_spm[1:]
    have = np.isfinite(cad) & (cad > 0) & (dt > 0)
    running = have & (cad >= RUNNING_CADENCE)
    if knows_motion:
        running &= step_speed >= MOVING_SPEED
    if not running.any():
        return None, None
    weights = dt[running]
    cadence = float(np.average(cad[running], weights=weights))
    steps = float((cad[running] / 60 * weights).sum())
    length = float(dd[running].sum() / steps) if knows_motion and steps > 0 else None
    return cadence, length


def _step_speed(a: Activity, dt: Array, dd: Array) -> Array:
    """Speed over each step: the device's speed channel where it has one, else distance over
    time in a centred window of SPEED_WINDOW steps (so a sparse distance channel or GPS jitter
    does not make a runner look stopped and then sprinting)."""
    device = a.speed_mps[1:]
    if len(device) == 0:
        return np.zeros(0)
    if np.isfinite(device).mean() >= 0.5:
        return np.nan_to_num(device, nan=0.0)
    k = np.ones(min(SPEED_WINDOW, max(1, len(dd))))
    near_d = np.convolve(dd, k, mode="same")
    near_t = np.convolve(dt, k, mode="same")
    out: Array = np.divide(near_d, near_t, out=np.zeros_like(dd), where=near_t > 0)
    return out


def _climb(altitude: Array) -> tuple[float, float]:
    """Total ascent and descent, counting a change only once it exceeds CLIMB_THRESHOLD_M from the
    last turning point, so leftover wobble of the smoothed profile adds nothing."""
    up = down = 0.0
    anchor = float(altitude[0])
    for z in altitude.tolist():
        if z - anchor >= CLIMB_THRESHOLD_M:
            up, anchor = up + z - anchor, z
        elif anchor - z >= CLIMB_THRESHOLD_M:
            down, anchor = down + anchor - z, z
    return up, down


def _moving_average(x: Array, width: int) -> Array:
    """Centred moving average whose window shrinks symmetrically at the ends, so the first and
    last values stay put (a track keeps its true start and end)."""
    n = len(x)
    if width <= 1 or n < 3:
        return x.copy()
    i = np.arange(n)
    half = np.minimum(np.minimum(i, n - 1 - i), width // 2)
    c = np.concatenate(([0.0], np.cumsum(x)))
    out: Array = (c[i + half + 1] - c[i - half]) / (2 * half + 1)
    return out


def _haversine(lat1: Array, lon1: Array, lat2: Array, lon2: Array) -> Array:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: Array = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    return out
