"""A prescription in words, e.g. "3 x 10 each leg" or "2 x 30 s hold" (one wording everywhere)."""

from __future__ import annotations

from kneecap.core.prescription import Prescription


def dose_text(p: Prescription) -> str:
    side = " each leg" if p.per_side else ""
    if p.minutes is not None:
        return f"{p.minutes} min"
    sets = p.sets or 1
    if p.reps is not None and p.hold_s is not None:
        text = f"{sets} x {p.reps} (hold {p.hold_s} s){side}"
    elif p.reps is not None:
        text = f"{sets} x {p.reps}{side}"
    else:
        text = f"{sets} x {p.hold_s} s hold{side}"
    if p.load and p.load != "bodyweight":
        text += f", {p.load}"
    return text
