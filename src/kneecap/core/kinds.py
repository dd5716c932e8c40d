"""The kinds of exercise in the catalogue. A module of their own, so a face can offer them as
choices (`kneecap exercises --kind`) without loading the catalogue's model."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    STRENGTH = "strength"
    STRETCH = "stretch"
    MOBILITY = "mobility"
    SOFT_TISSUE = "soft-tissue"
    CARDIO = "cardio"
    WARM_UP = "warm-up"
    AVOID = "avoid"
