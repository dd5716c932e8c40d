"""One activity's figures as stored and shown (`runs --json`): distance, time, climb, downhill
(LOAD-DOWNHILL), cadence (CAD-1). Computed by `core.analysis` (numpy); kept apart from it so that
reading a programme never loads numpy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Descent:
    start_m: float  # where it starts, metres into the activity
    length_m: float
    drop_m: float
    grade: float  # mean grade, negative

    def to_dict(self) -> dict[str, float]:
        return {
            "start_m": round(self.start_m, 1),
            "length_m": round(self.length_m, 1),
            "drop_m": round(self.drop_m, 1),
            "grade_pct": round(100 * self.grade, 1),
        }


@dataclass(frozen=True)
class Summary:
    distance_m: float
    duration_s: float
    moving_time_s: float
    ascent_m: float | None
    descent_m: float | None
    downhill_m: float | None
    steepest: tuple[Descent, ...]
    cadence_spm: float | None
    step_length_m: float | None
    heart_rate: float | None

    @property
    def pace_s_per_km(self) -> float | None:
        return self.moving_time_s / (self.distance_m / 1000) if self.distance_m >= 100 else None

    def to_dict(self) -> dict[str, Any]:
        """The stored and `runs --json` form (docs/json.md)."""
        return {
            "distance_m": round(self.distance_m, 1),
            "duration_s": round(self.duration_s, 1),
            "moving_time_s": round(self.moving_time_s, 1),
            "pace_s_per_km": _round(self.pace_s_per_km, 1),
            "ascent_m": _round(self.ascent_m, 1),
            "descent_m": _round(self.descent_m, 1),
            "downhill_m": _round(self.downhill_m, 1),
            "steepest_descents": [d.to_dict() for d in self.steepest],
            "cadence_spm": _round(self.cadence_spm, 1),
            "step_length_m": _round(self.step_length_m, 3),
            "heart_rate": _round(self.heart_rate, 1),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Summary:
        return cls(
            distance_m=d["distance_m"],
            duration_s=d["duration_s"],
            moving_time_s=d["moving_time_s"],
            ascent_m=d["ascent_m"],
            descent_m=d["descent_m"],
            downhill_m=d["downhill_m"],
            steepest=tuple(
                Descent(x["start_m"], x["length_m"], x["drop_m"], x["grade_pct"] / 100)
                for x in d["steepest_descents"]
            ),
            cadence_spm=d["cadence_spm"],
            step_length_m=d["step_length_m"],
            heart_rate=d["heart_rate"],
        )


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)
