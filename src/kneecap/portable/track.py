"""A run's samples as JSON, for runs whose file was not kept (imported before Kneecap kept
activity files): `{"channels": {"time_s": [...], ...}}`, one list per channel of
`core.activity.CHANNELS`, all of the same length, `null` where a sample is missing."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np

from kneecap.core.activity import CHANNELS, Activity, Totals
from kneecap.core.sport import Sport


def to_data(a: Activity) -> dict[str, Any]:
    return {
        "channels": {
            name: [None if math.isnan(v) else v for v in getattr(a, name).tolist()]
            for name in CHANNELS
        }
    }


def from_data(
    data: Any, sport: Sport, start: dt.datetime, source: str, sub_sport: str | None
) -> Activity:
    """The samples back as an Activity; ValueError naming what is wrong."""
    channels = data.get("channels") if isinstance(data, dict) else None
    if not isinstance(channels, dict) or set(channels) != set(CHANNELS):
        raise ValueError(f"a track needs the channels {', '.join(CHANNELS)}")
    arrays: dict[str, Any] = {}
    for name in CHANNELS:
        values = channels[name]
        if not isinstance(values, list) or not all(
            v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values
        ):
            raise ValueError(f"the track's {name} is not a list of numbers")
        arrays[name] = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
    return Activity(
        sport=sport, start=start, source=source, sub_sport=sub_sport, totals=Totals(), **arrays
    )


def parse(blob: bytes) -> Any:
    return json.loads(blob)
