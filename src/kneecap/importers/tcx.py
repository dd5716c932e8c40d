"""Garmin Training Center (TCX v2) activities to Activities.

The document is parsed once by `xml.parse_xml` (no DTD, no entities, no network); each
`Activities/Activity` (and each leg of a `MultiSportSession`) becomes one Activity. Its
`Lap/Track/Trackpoint` points are read a channel at a time for all points at once
(`xml.Points`): Time, Position, AltitudeMeters, DistanceMeters, HeartRateBpm/Value, Cadence, and
the ActivityExtension `TPX/Speed` and `TPX/RunCadence`, found by local name whatever prefix the
exporter chose. The laps' TotalTimeSeconds and DistanceMeters, summed, are kept as `Totals` so
the samples can be checked against the device's own summary.

Cadence. TCX has two: `<Cadence>` (the schema's bike cadence, pedal turns a minute) and
`TPX/RunCadence` (a running device's strides a minute, one leg). Steps are twice the strides.
Some running devices put their running cadence in the plain `<Cadence>` instead (the corpus's
`unknown_example`, from a Suunto Spartan Ultra): there it reads 84-88 through a steady run, so
it counts strides too, not steps (85 steps a minute is a stroll, not a run). For on-foot sports
either one is doubled, RunCadence preferred; for other sports `cadence_spm` (steps) is blank.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from lxml import etree

from kneecap.core.activity import Activity, Array, Totals, empty
from kneecap.core.sport import Sport
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.limits import DEFAULT, Limits
from kneecap.importers.xml import (
    Element,
    Namespaces,
    Points,
    assemble,
    find_channel,
    floats,
    mentions,
    parse_xml,
    quality_notes,
    sport_from_words,
    valid_positions,
    xpath,
)

COURSE = "a TCX course (a planned route), not a recorded activity"
NO_ACTIVITIES = "no activities: the TCX file holds no recorded activity"
NO_POINTS = "no track points: the activity holds laps only, no recorded track"
NO_TIMES = "no timestamps: the track points carry no usable times"
SAME_TIME = "timestamps do not advance: every track point carries the same time"

_SPORTS = {"Running": Sport.RUNNING, "Biking": Sport.CYCLING}


def parse_tcx(data: bytes, limits: Limits = DEFAULT) -> list[Activity]:
    """The recorded activities in a TCX document. Raises ActivityFileError only."""
    root = parse_xml(data, "TrainingCenterDatabase", "TCX", limits)
    ns = etree.QName(root).namespace
    t = "t:" if ns else ""
    space: Namespaces = (("t", ns),) if ns else ()
    found = xpath(
        f"{t}Activities/{t}Activity | {t}Activities/{t}MultiSportSession/*/{t}Activity", space
    )(root)
    assert isinstance(found, list)
    elements = [e for e in found if isinstance(e, etree._Element)]
    if not elements:
        has_course = xpath(f"boolean({t}Courses/{t}Course)", space)(root)
        raise ActivityFileError(COURSE if has_course else NO_ACTIVITIES)

    point_tag = f"{{{ns}}}Trackpoint" if ns else "Trackpoint"
    speed_at = find_channel(root, point_tag, ("Speed",))
    strides_at = find_channel(root, point_tag, ("RunCadence",))

    activities: list[Activity] = []
    refusals: list[str] = []  # why each activity left out was, the first said if none is left
    for element in elements:
        points = Points(element, f"{t}Lap/{t}Track/{t}Trackpoint", space)
        made = _activity(element, points, t, space, speed_at, strides_at)
        if isinstance(made, str):
            refusals.append(made)
        else:
            activities.append(made)
    if not activities:
        raise ActivityFileError(refusals[0])
    if refusals:
        first = activities[0]
        note = f"activities without a timed track were left out ({len(refusals)})"
        activities[0] = replace(first, warnings=(*first.warnings, note))
    return activities


def _activity(
    element: Element,
    points: Points,
    t: str,
    space: Namespaces,
    speed_at: tuple[str, Namespaces] | None,
    strides_at: tuple[str, Namespaces] | None,
) -> Activity | str:
    """One Activity element's Activity, or why it has none."""
    if points.n == 0:
        return NO_POINTS
    stamps, naive, _ = points.stamps(f"{t}Time[1]/text()[1]")
    timed = ~np.isnat(stamps)
    if not timed.any():
        return NO_TIMES
    if stamps[timed].min() == stamps[timed].max():
        return SAME_TIME

    def channel(rel: str, name: str) -> tuple[Array, int]:
        # Absent channels are common (no heart-rate strap, no GPS indoors); asking lxml for the
        # name first is cheaper than an XPath pass that finds nothing.
        if not mentions(element, name):
            return empty(points.n), 0
        return points.floats(rel)

    lat, bad_lat = channel(f"{t}Position[1]/{t}LatitudeDegrees[1]/text()[1]", "Position")
    lon, bad_lon = channel(f"{t}Position[1]/{t}LongitudeDegrees[1]/text()[1]", "Position")
    impossible = valid_positions(lat, lon)
    alt, bad_alt = channel(f"{t}AltitudeMeters[1]/text()[1]", "AltitudeMeters")
    dist, bad_dist = channel(f"{t}DistanceMeters[1]/text()[1]", "DistanceMeters")
    hr, bad_hr = channel(f"{t}HeartRateBpm[1]/{t}Value[1]/text()[1]", "HeartRateBpm")
    speed, bad_speed = points.floats(*speed_at) if speed_at else (empty(points.n), 0)
    sport, sub_sport = _sport(element, t, space)

    bad_cad = 0
    if sport.on_foot:
        # Strides a minute (one leg), from RunCadence or else the plain Cadence: see above.
        strides, bad_cad = points.floats(*strides_at) if strides_at else (empty(points.n), 0)
        if np.isnan(strides).all():
            strides, bad_cad = channel(f"{t}Cadence[1]/text()[1]", "Cadence")
        steps = strides * 2
    else:
        steps = empty(points.n)

    unreadable = bad_lat + bad_lon + bad_alt + bad_dist + bad_hr + bad_speed + bad_cad
    warnings = quality_notes(naive, unreadable, impossible)
    missing = points.n - int(timed.sum())
    if missing:
        warnings.append(f"points without a usable time were left out ({missing})")

    keep = slice(None) if not missing else timed
    channels = {
        "lat": lat[keep],
        "lon": lon[keep],
        "altitude_m": alt[keep],
        "distance_m": dist[keep],
        "heart_rate": hr[keep],
        "cadence_spm": steps[keep],
        "speed_mps": speed[keep],
    }
    return assemble(
        sport=sport,
        sub_sport=sub_sport,
        stamps=stamps[keep],
        channels=channels,
        source="tcx",
        totals=_totals(element, t, space),
        warnings=warnings,
    )


def _sport(element: Element, t: str, space: Namespaces) -> tuple[Sport, str | None]:
    """The schema's Running and Biking; for Other (or a word the schema does not have, which
    some exporters write), the activity's own notes or training plan may still say."""
    label = element.get("Sport") or ""
    if label in _SPORTS:
        return _SPORTS[label], None
    return sport_from_words(label) or _hint(element, t, space) or (Sport.OTHER, None)


def _totals(element: Element, t: str, space: Namespaces) -> Totals:
    """The laps' own sums: TotalTimeSeconds is timer time (pauses excluded), so it is `timer_s`;
    TCX records no elapsed time, so `elapsed_s` stays unknown."""
    timer = _sum(xpath(f"{t}Lap/{t}TotalTimeSeconds[1]/text()[1]", space)(element))
    distance = _sum(xpath(f"{t}Lap/{t}DistanceMeters[1]/text()[1]", space)(element))
    return Totals(distance_m=distance, timer_s=timer)


def _sum(found: object) -> float | None:
    if not isinstance(found, list) or not found:
        return None
    values, _ = floats([v for v in found if isinstance(v, str)])
    return float(np.nansum(values)) if np.isfinite(values).any() else None


def _hint(element: Element, t: str, space: Namespaces) -> tuple[Sport, str | None] | None:
    for path in (f"{t}Notes[1]/text()[1]", f"{t}Training[1]/{t}Plan[1]/{t}Name[1]/text()[1]"):
        found = xpath(path, space)(element)
        if isinstance(found, list) and found and isinstance(found[0], str):
            named = sport_from_words(found[0])
            if named is not None:
                return named
    return None
