"""What an activity was (a run, a walk, a swim...), as the importers name it. Kept apart from the
samples (`core.activity`, numpy) so that reading a programme never loads numpy."""

from __future__ import annotations

from enum import StrEnum


class Sport(StrEnum):
    RUNNING = "running"
    WALKING = "walking"
    HIKING = "hiking"
    CYCLING = "cycling"
    SWIMMING = "swimming"
    ROWING = "rowing"
    OTHER = "other"

    @property
    def on_foot(self) -> bool:
        return self in (Sport.RUNNING, Sport.WALKING, Sport.HIKING)
