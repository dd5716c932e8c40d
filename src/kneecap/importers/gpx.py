"""GPX 1.0 and 1.1 recorded tracks to Activities.

The document is parsed once by `xml.parse_xml` (no DTD, no entities, no network), then every
channel is read for all track points at once (`xml.Points`): the `trk/trkseg/trkpt` points in
document order, segments concatenated, with lat/lon from the attributes, `ele`, `time`, and the
vendor extensions found by local name whatever their prefix or schema version (Garmin
TrackPointExtension `hr`/`cad`, cluetrust gpxdata `hr`/`cadence`, a `speed` from GPX 1.0 or an
extension). GPX carries no distance channel: the analysis measures the track.

What a GPX cannot tell, the parser says so in the activity's warnings rather than guessing
silently: times without a zone are read as UTC, points without a time are left out, and a
missing or unknown `<type>` is replaced by the sport the moving speed suggests. Cadence is
written per leg (strides a minute) by Garmin, Strava and Suunto alike; steps are twice that.

Several `<trk>` in one file are one activity unless more than an hour separates them (a watch
that split a run at a pause writes two tracks minutes apart; a day's export of a morning run
and an evening ride writes two tracks hours apart).
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

import numpy as np
import numpy.typing as npt
from lxml import etree

from kneecap.core.activity import Activity, Array, empty
from kneecap.core.sport import Sport
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.limits import DEFAULT, Limits
from kneecap.importers.xml import (
    Element,
    Namespaces,
    Points,
    Stamps,
    assemble,
    find_channel,
    mentions,
    parse_xml,
    quality_notes,
    sport_from_words,
    valid_positions,
    xpath,
)

NO_POINTS = "no track points: a route or waypoint file, not a recorded activity"
NO_TIMES = (
    "no timestamps: the track has no times, so it is a planned route, not a recorded activity"
)
PLACEHOLDER_TIMES = (
    "no timestamps: the track's times are unreadable or placeholders from before GPS time "
    "began (1980), so it cannot be timed"
)
SAME_TIME = "timestamps do not advance: every point of the track carries the same time"

SPLIT_GAP = np.timedelta64(3600, "s")  # tracks further apart than this are separate activities

# Moving speed (m/s) → sport, for files that do not say. Walking is up to ~1.6 m/s (5.8 km/h).
# A run's median stays under 5 m/s (3:20 min/km) and only one fix in ten is faster than 5.5 m/s,
# where a ride's median or its fast tenth is above that: in the corpus the runs' 90th
# percentile is at most 4.9 m/s, the rides' (road and mountain bike) 5.5 m/s and more, and two
# rides with an 18.8 km/h median would pass for runs under a median-only rule. Beyond 20 m/s
# (72 km/h) it is a vehicle, not a sport.
WALK_MAX_MPS = 1.6
RUN_MEDIAN_MAX_MPS = 5.0
RUN_FAST_TENTH_MAX_MPS = 5.5
VEHICLE_MPS = 20.0
MOVING_MPS = 0.5  # slower than this between two fixes is standing (and GPS drift)
GLITCH_MPS = 100.0  # faster than this between two fixes is a GPS jump, not movement

_HR_NAMES = ("hr", "heartrate")
_CADENCE_NAMES = ("cad", "cadence")
_SPEED_NAMES = ("speed",)


def parse_gpx(data: bytes, limits: Limits = DEFAULT) -> list[Activity]:
    """The recorded activities in a GPX document. Raises ActivityFileError only."""
    root = parse_xml(data, "gpx", "GPX", limits)
    ns = etree.QName(root).namespace
    g = "g:" if ns else ""
    space: Namespaces = (("g", ns),) if ns else ()
    points = Points(root, f"{g}trk/{g}trkseg/{g}trkpt", space)
    if points.n == 0:
        raise ActivityFileError(NO_POINTS)

    stamps, naive, unusable = points.stamps(f"{g}time[1]/text()[1]")
    timed = ~np.isnat(stamps)
    if not timed.any():
        raise ActivityFileError(NO_TIMES if not unusable else PLACEHOLDER_TIMES)

    lat, bad_lat = points.floats("@lat")
    lon, bad_lon = points.floats("@lon")
    impossible = valid_positions(lat, lon)
    alt, bad_alt = (
        points.floats(f"{g}ele[1]/text()[1]") if mentions(root, "ele") else (empty(points.n), 0)
    )
    point_tag = f"{{{ns}}}trkpt" if ns else "trkpt"
    hr, bad_hr = _extension(root, points, point_tag, _HR_NAMES)
    cad, bad_cad = _extension(root, points, point_tag, _CADENCE_NAMES)
    speed, bad_speed = _extension(root, points, point_tag, _SPEED_NAMES)
    unreadable = bad_lat + bad_lon + bad_alt + bad_hr + bad_cad + bad_speed
    notes = quality_notes(naive, unreadable, impossible)

    tracks = cast(list[Element], xpath(f"{g}trk", space)(root))
    sizes = [int(cast(float, xpath(f"count({g}trkseg/{g}trkpt)", space)(t))) for t in tracks]
    types = [_first(xpath(f"{g}type[1]/text()[1]", space)(t)) for t in tracks]
    track_of = np.repeat(np.arange(len(tracks)), sizes)  # points come in track order
    timed_in_track = np.bincount(track_of, weights=timed, minlength=len(tracks))

    activities: list[Activity] = []
    for group, idx in _groups(stamps, timed, track_of, len(tracks)):
        when = stamps[idx]
        if when[0] == when.max():
            continue  # one instant: nothing to time or analyse
        warnings = list(notes) if not activities else []  # the file's notes go on the first
        missing = sum(sizes[t] for t in group) - len(idx)
        if missing:
            warnings.append(f"points without a usable time were left out ({missing})")
        label = next((types[t] for t in group if types[t]), None)
        sport, sub_sport = _sport(label, lat[idx], lon[idx], when, speed[idx], warnings)
        # Garmin and Strava write running cadence per leg (strides a minute): steps are twice
        # that. On a bike or in the water the number counts pedal or arm turns, not steps.
        steps = cad[idx] * 2 if sport.on_foot else empty(len(idx))
        channels = {
            "lat": lat[idx],
            "lon": lon[idx],
            "altitude_m": alt[idx],
            "heart_rate": hr[idx],
            "cadence_spm": steps,
            "speed_mps": speed[idx],
        }
        activities.append(
            assemble(
                sport=sport,
                sub_sport=sub_sport,
                stamps=when,
                channels=channels,
                source="gpx",
                totals=None,
                warnings=warnings,
            )
        )
    if not activities:
        raise ActivityFileError(SAME_TIME)
    untimed = [t for t, size in enumerate(sizes) if size and not timed_in_track[t]]
    if untimed:
        left = sum(sizes[t] for t in untimed)
        note = f"tracks without any usable time were left out ({len(untimed)}, {left} points)"
        first = activities[0]
        activities[0] = replace(first, warnings=(*first.warnings, note))
    return activities


def _extension(
    root: Element, points: Points, point_tag: str, names: tuple[str, ...]
) -> tuple[Array, int]:
    where = find_channel(root, point_tag, names)
    if where is None:
        return empty(points.n), 0
    rel, space = where
    return points.floats(rel, space)


def _groups(
    stamps: Stamps, timed: npt.NDArray[np.bool_], track_of: npt.NDArray[np.intp], count: int
) -> list[tuple[list[int], npt.NDArray[np.intp]]]:
    """Tracks grouped into activities, in time order, split where more than an hour apart:
    each group's track numbers and the positions of its timed points (in file order).

    Vectorised over points, so a file of thousands of tracks costs no more than one track.
    """
    micros = stamps.view(np.int64)
    rows = np.flatnonzero(timed)
    if not len(rows):
        return []
    owner = track_of[rows]
    first = np.full(count, np.iinfo(np.int64).max)
    last = np.full(count, np.iinfo(np.int64).min)
    np.minimum.at(first, owner, micros[rows])
    np.maximum.at(last, owner, micros[rows])
    with_time = np.unique(owner)
    order = with_time[np.lexsort((with_time, first[with_time]))]
    group_of = np.full(count, -1)
    groups: list[list[int]] = []
    end = 0
    gap = int(SPLIT_GAP / np.timedelta64(1, "us"))
    for t in order.tolist():
        if groups and first[t] - end <= gap:
            groups[-1].append(t)
            end = max(end, int(last[t]))
        else:
            groups.append([t])
            end = int(last[t])
        group_of[t] = len(groups) - 1
    point_group = group_of[owner]
    by_group = rows[np.argsort(point_group, kind="stable")]
    bounds = np.cumsum(np.bincount(point_group, minlength=len(groups)))[:-1]
    return [(sorted(g), idx) for g, idx in zip(groups, np.split(by_group, bounds), strict=True)]


def _sport(
    label: str | None,
    lat: Array,
    lon: Array,
    stamps: Stamps,
    speed: Array,
    warnings: list[str],
) -> tuple[Sport, str | None]:
    named = sport_from_words(label)
    if named is not None:
        return named
    moving = _moving_speeds(lat, lon, stamps, speed)
    said = f"its type '{_shown(label)}' names no sport" if label else "it names no sport"
    if not len(moving):
        warnings.append(f"sport unknown: {said} and it has no moving track to infer one from")
        return Sport.OTHER, None
    median, fast_tenth = (float(v) for v in np.percentile(moving, [50, 90]))
    if median > VEHICLE_MPS:
        warnings.append(
            f"sport unknown: {said}, and its median moving speed ({median * 3.6:.0f} km/h) "
            "is a vehicle's"
        )
        return Sport.OTHER, None
    if median < WALK_MAX_MPS:
        sport = Sport.WALKING
    elif median <= RUN_MEDIAN_MAX_MPS and fast_tenth <= RUN_FAST_TENTH_MAX_MPS:
        sport = Sport.RUNNING
    else:
        sport = Sport.CYCLING
    warnings.append(
        f"sport inferred as {sport.value} from the moving speed (median {median * 3.6:.1f} "
        f"km/h, fastest tenth above {fast_tenth * 3.6:.1f} km/h): {said}"
    )
    return sport, None


def _moving_speeds(lat: Array, lon: Array, stamps: Stamps, speed: Array) -> Array:
    """Speeds between consecutive fixes (or the recorded speeds if there is no track), moving
    ones only: standing still, GPS drift and GPS jumps would say nothing about the sport."""
    fixed = ~np.isnan(lat)
    if fixed.sum() >= 2:
        la, lo = np.radians(lat[fixed]), np.radians(lon[fixed])
        seconds = np.diff(stamps[fixed]).astype(np.int64) / 1e6
        a = (
            np.sin(np.diff(la) / 2) ** 2
            + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(np.diff(lo) / 2) ** 2
        )
        metres = 2 * 6_371_008.8 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
        ok = seconds > 0
        v = metres[ok] / seconds[ok]
    else:
        v = speed[~np.isnan(speed)]
    moving: Array = v[(v > MOVING_MPS) & (v < GLITCH_MPS)]
    return moving


def _shown(text: str) -> str:
    """A label from the file as a warning may quote it: short and printable."""
    text = "".join(c if c.isprintable() else "?" for c in text[:40])
    return text + "..." if len(text) == 40 else text


def _first(found: object) -> str | None:
    """The first string of an XPath result, stripped, or None."""
    if isinstance(found, list) and found and isinstance(found[0], str):
        return found[0].strip() or None
    return None
