"""An activity's samples packed into one compressed blob (numpy's npz) and back.

Positions and time stay float64 (a route drawn from float32 would be off by up to a metre);
the other channels are float32, which holds them exactly enough and halves the size.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np

from kneecap.core.activity import CHANNELS, Activity, Totals
from kneecap.core.sport import Sport

_DOUBLE = {"time_s", "lat", "lon"}


def pack(a: Activity) -> bytes:
    out = io.BytesIO()
    arrays = {
        name: getattr(a, name).astype(np.float64 if name in _DOUBLE else np.float32)
        for name in CHANNELS
    }
    np.savez_compressed(out, allow_pickle=False, **arrays)
    return out.getvalue()


def unpack(
    blob: bytes, sport: Sport, start: dt.datetime, source: str, sub_sport: str | None = None
) -> Activity:
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        arrays = {name: z[name].astype(np.float64) for name in CHANNELS}
    return Activity(
        sport=sport, start=start, source=source, sub_sport=sub_sport, totals=Totals(), **arrays
    )
