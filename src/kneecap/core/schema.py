"""The base for every validated record: frozen, no unknown fields, no NaN or infinity."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# NPRS 0-10, 0 = no pain. Strict: a boolean or a string is not a pain score.
PainScore = Annotated[int, Field(strict=True, ge=0, le=10, description="NPRS 0-10, 0 = no pain")]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
