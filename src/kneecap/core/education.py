"""Education topics (R1, R2, R11, R12, CPG-EDU): plain text the runner can read in the app."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kneecap.core.schema import Record


class Section(Record):
    heading: Annotated[str, Field(min_length=1)]
    body: Annotated[str, Field(min_length=1)]


class Topic(Record):
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    title: Annotated[str, Field(min_length=1)]
    summary: Annotated[str, Field(min_length=1)]
    sections: tuple[Section, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
