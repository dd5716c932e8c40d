"""`data.json`, the export's document: every record of one person, each with the times it was
saved, in the order it was saved. Ids are the export's own (1, 2, ...: a session's `series`, a
clearance's `profile`, a run's `track` file name refer to them), never the database's, so an
export restored into another database and exported again is the same document. docs/export.md
describes every field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.profile import Profile
from kneecap.core.rtr import EntryCheck

FORMAT = "kneecap-export"
VERSION = 1

Id = Annotated[int, Field(strict=True, ge=1)]
Score = Annotated[int, Field(strict=True, ge=0, le=10)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class PersonDoc(_Part):
    name: str = Field(max_length=100)
    created_at: dt.datetime


class ProfileDoc(_Part):
    id: Id
    created_at: dt.datetime
    data: dict[str, Any]


class ClearanceDoc(_Part):
    profile: Id
    cleared_on: dt.date
    clinician: str = Field(max_length=200)
    profession: str | None = Field(default=None, max_length=100)
    flags: list[str]
    note: str | None = None
    created_at: dt.datetime


class FlagReportDoc(_Part):
    flags: list[str]
    created_at: dt.datetime


class SessionDoc(_Part):
    id: Id
    series: Id
    date: dt.date
    token: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime
    replaced_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    data: dict[str, Any]


class DatedDoc(_Part):
    date: dt.date
    created_at: dt.datetime
    data: dict[str, Any]


class AkpsDoc(_Part):
    date: dt.date
    answers: list[int]
    score: Annotated[int, Field(strict=True, ge=0, le=100)]
    created_at: dt.datetime


class PreferencesDoc(_Part):
    reminder_time: str = Field(max_length=5)
    units: str = Field(max_length=10)
    theme: str = Field(max_length=10)
    updated_at: dt.datetime


class CalendarFeedDoc(_Part):
    created_at: dt.datetime


class RunDoc(_Part):
    id: Id
    sport: str = Field(max_length=20)
    sub_sport: str | None = Field(default=None, max_length=40)
    start: dt.datetime
    local_date: dt.date
    source: str = Field(max_length=10)
    file_name: str = Field(max_length=500)
    file_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    part: Annotated[int, Field(strict=True, ge=0)]
    summary: dict[str, Any]
    created_at: dt.datetime
    pain_during: Score | None = None
    pain_next_morning: Score | None = None
    deleted_at: dt.datetime | None = None
    file: str | None = None  # "activities/<sha256>.<format>": the file as imported
    track: str | None = None  # "tracks/<id>.json": the samples, when the file was not kept


class Document(_Part):
    format: Literal["kneecap-export"]
    version: Literal[1]
    person: PersonDoc
    profiles: list[ProfileDoc]
    clearances: list[ClearanceDoc]
    flag_reports: list[FlagReportDoc]
    sessions: list[SessionDoc]
    checkins: list[DatedDoc]
    akps: list[AkpsDoc]
    entry_checks: list[DatedDoc]
    preferences: PreferencesDoc | None
    calendar_feed: CalendarFeedDoc | None
    runs: list[RunDoc]


def problems(doc: Document, files: set[str]) -> list[str]:
    """What is inconsistent in `doc` (its records against Kneecap's models, its references
    between records and to `files`), each as a sentence naming the record."""
    found: list[str] = []
    models: list[tuple[str, list[Any], type[BaseModel]]] = [
        ("profiles", doc.profiles, Profile),
        ("sessions", doc.sessions, SessionLog),
        ("checkins", doc.checkins, CheckIn),
        ("entry_checks", doc.entry_checks, EntryCheck),
    ]
    for name, records, model in models:
        for i, record in enumerate(records):
            try:
                model.model_validate(record.data)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                found.append(f"{name}[{i}].data.{where}: {first['msg']}")
    profile_ids = [p.id for p in doc.profiles]
    session_ids = [s.id for s in doc.sessions]
    run_ids = [r.id for r in doc.runs]
    for name, ids in (("profiles", profile_ids), ("sessions", session_ids), ("runs", run_ids)):
        if len(set(ids)) != len(ids):
            found.append(f"{name}: an id appears twice")
    for i, c in enumerate(doc.clearances):
        if c.profile not in profile_ids:
            found.append(f"clearances[{i}].profile: no profile {c.profile}")
    firsts = {s.id for s in doc.sessions if s.series == s.id}
    for i, s in enumerate(doc.sessions):
        if s.series not in firsts or s.series > s.id:
            found.append(f"sessions[{i}].series: no session {s.series} begins that series")
    for i, r in enumerate(doc.runs):
        if (r.file is None) == (r.track is None):
            found.append(f"runs[{i}]: needs either its file or its track")
        for path in (r.file, r.track):
            if path is not None and path not in files:
                found.append(f"runs[{i}]: the archive has no {path}")
    return found
