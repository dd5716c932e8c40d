"""Your data, portable: everything of one person exported as one archive (`export`) and
restored from it into an empty home (`restore`), as spreadsheet tables (`export_csv`), and
deleted (`forget`). The archive's format is `kneecap.portable` (docs/export.md).

A restore reads the archive under the same defences as an activity export and checks every
record before it writes; then it writes everything in one transaction, into a person with no
data of their own (it never merges), so a refused archive stores nothing."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kneecap import settings
from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput
from kneecap.importers.limits import DEFAULT, Limits

if TYPE_CHECKING:
    from kneecap.portable.document import Document

# Where `kneecap today` keeps its remembered answers in the data folder (`cli/answers.py`).
ANSWERS = "answers"

# The tables' rows as a runner reads them: one, many.
WHAT = {
    "profiles": ("profile version", "profile versions"),
    "clearances": ("clearance", "clearances"),
    "flag_reports": ("warning-sign report", "warning-sign reports"),
    "sessions": ("session version", "session versions"),
    "checkins": ("check-in", "check-ins"),
    "akps": ("Kujala result", "Kujala results"),
    "rtr_checks": ("entry check", "entry checks"),
    "entry_checks": ("entry check", "entry checks"),
    "activities": ("run", "runs"),
    "runs": ("run", "runs"),
    "activity_files": ("activity file", "activity files"),
    "preferences": ("preferences", "preferences"),
    "calendar_feeds": ("calendar feed", "calendar feeds"),
}


def described(rows: dict[str, int]) -> str:
    """`{"sessions": 2, "akps": 1}` in words: "2 session versions, 1 Kujala result"."""
    return ", ".join(f"{n} {WHAT.get(t, (t, t))[n != 1]}" for t, n in rows.items()) or "nothing"


@dataclass(frozen=True)
class Exported:
    archive: bytes
    files: list[str]  # the archive's files besides the manifest
    records: dict[str, int]  # rows by table
    tracks: list[int] = field(default_factory=list)  # runs exported as samples (no file kept)
    clips_left_out: list[str] = field(default_factory=list)  # kept form-check videos

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "records": self.records,
            "runs_without_their_file": self.tracks,
            "form_clips_not_included": self.clips_left_out,
        }


def _document(home: Home) -> tuple[dict[str, Any], dict[str, bytes], list[int]]:
    """The export's document with its runs' files (path → content), and the runs whose file
    was not kept (exported as samples)."""
    from kneecap.core.sport import Sport
    from kneecap.portable import track
    from kneecap.portable.archive import to_json
    from kneecap.portable.document import FORMAT, VERSION
    from kneecap.store import tracks
    from kneecap.store.portable import snapshot

    doc, packed, kept = snapshot(home.store, home.person)
    files: dict[str, bytes] = {}
    samples_only = []
    for run in doc["runs"]:
        sha = run["file_sha256"]
        if sha in kept:
            kind, data = kept[sha]
            run["file"], run["track"] = f"activities/{sha}.{kind}", None
            files[run["file"]] = data
        else:
            run["file"], run["track"] = None, f"tracks/{run['id']}.json"
            a = tracks.unpack(packed[run["id"]], Sport(run["sport"]), _time(run["start"]), "")
            files[run["track"]] = to_json(track.to_data(a))
            samples_only.append(run["id"])
    return {"format": FORMAT, "version": VERSION, **doc}, files, samples_only


def _time(text: str) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(text)


def export(home: Home, folder: Path | None = None) -> Exported:
    """Everything of the person as one archive (docs/export.md); the form-check clips they
    kept in the data folder `folder` are named in its notes, not copied into it."""
    require(home.actor, Action.READ, home.person)
    from kneecap.portable import archive

    doc, files, samples_only = _document(home)
    files[archive.DATA] = archive.to_json(doc)
    notes = []
    from kneecap.app.form import kept_videos

    clips = [] if folder is None else kept_videos(home, folder)
    if clips:
        notes.append(
            f"{len(clips)} form-check clip{'s' if len(clips) != 1 else ''} you kept "
            f"({', '.join(p.name for p in clips)}) {'are' if len(clips) != 1 else 'is'} not in "
            "this archive (videos of up to 100 MB each): download them from Check my form, or "
            "copy them from the data folder; 'Delete everything' deletes them too"
        )
    if samples_only:
        notes.append(
            "runs "
            + ", ".join(map(str, samples_only))
            + " were imported before Kneecap kept activity files: their samples are in "
            "tracks/<id>.json instead of the file (docs/export.md)"
        )
    if doc["calendar_feed"] is not None:
        notes.append(
            "a calendar feed existed; its secret address is not exported: make a new one "
            "after a restore"
        )
    data = archive.write(files, home.clock.now().isoformat(), notes)
    records = {k: len(v) for k, v in doc.items() if isinstance(v, list) and v}
    return Exported(data, sorted(files), records, samples_only, [p.name for p in clips])


def export_csv(home: Home, folder: Path, force: bool = False) -> list[Path]:
    """`checkins.csv`, `sessions.csv` and `runs.csv` written into `folder` (made if needed;
    an existing folder with anything in it is refused unless `force`)."""
    require(home.actor, Action.READ, home.person)
    from kneecap.portable.tables import tables

    if folder.exists() and not folder.is_dir():
        raise BadInput(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise BadInput(f"{folder} is not empty: choose an empty folder, or add --force")
    doc, _, _ = _document(home)
    settings.private_folder(folder)
    written = []
    for name, data in tables(doc).items():
        settings.write_private(folder / name, data)
        written.append(folder / name)
    return written


@dataclass(frozen=True)
class Restored:
    records: dict[str, int]
    files: int  # activity files kept again
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "activity_files": self.files, "notes": self.notes}


def _read(path: Path, limits: Limits) -> tuple[Document, dict[str, bytes]]:
    """The archive's document and files, checked; BadInput with the reason."""
    from pydantic import ValidationError

    from kneecap.portable import archive, document

    try:
        _, files = archive.read(path, limits)
    except archive.ArchiveError as exc:
        raise BadInput(f"{path.name}: {exc}") from None
    try:
        doc = document.Document.model_validate_json(files[archive.DATA])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInput(f"{path.name}: data.json: {where}: {first['msg']}") from None
    problems = document.problems(doc, set(files))
    if problems:
        raise BadInput(*(f"{path.name}: data.json: {p}" for p in problems))
    return doc, files


def _samples(doc: Document, files: dict[str, bytes], limits: Limits) -> dict[int, bytes]:
    """Each run's packed samples: from its file (parsed as on import) or its track."""
    import json

    from kneecap.core.sport import Sport
    from kneecap.importers.errors import ActivityFileError
    from kneecap.importers.found import Source
    from kneecap.importers.sources import parse
    from kneecap.portable import track
    from kneecap.store import tracks

    packed = {}
    for run in doc.runs:
        try:
            sport = Sport(run.sport)
        except ValueError:
            raise BadInput(f"runs[{run.id}]: no sport called {run.sport!r}") from None
        if run.file is not None:
            kind = run.file.rsplit(".", 1)[1]
            try:
                found = parse(Source(run.file_name, kind, files[run.file]), limits)
            except ActivityFileError as exc:
                raise BadInput(f"{run.file}: {exc.reason}") from None
            if run.part >= len(found):
                raise BadInput(f"{run.file} holds no part {run.part}")
            activity = found[run.part]
        else:
            assert run.track is not None
            try:
                data = json.loads(files[run.track])
                activity = track.from_data(data, sport, run.start, run.source, run.sub_sport)
            except ValueError as exc:
                raise BadInput(f"{run.track}: {exc}") from None
        packed[run.id] = tracks.pack(activity)
    return packed


def restore(home: Home, path: Path, limits: Limits = DEFAULT) -> Restored:
    """The programme back from an export, into a person with no data yet. BadInput: the
    archive is broken, foreign or newer, or the person has data (nothing is stored)."""
    for action in (Action.EDIT_PROFILE, Action.LOG, Action.CLEAR):
        require(home.actor, action, home.person)
    from kneecap.portable.archive import sha256
    from kneecap.store.portable import counts, load

    doc, files = _read(path, limits)
    packed = _samples(doc, files, limits)
    kept = {}
    for name, data in files.items():
        if name.startswith("activities/"):
            sha, kind = name.removeprefix("activities/").split(".")
            if sha256(data) != sha:
                raise BadInput(f"{path.name}: {name} is not the file its name says")
            kept[sha] = (kind, data)
    with home.store.transaction(home.person) as w:
        there = counts(w.s, home.person)
        if there:
            raise BadInput(
                f"refusing to restore over existing data: this person has {described(there)}. "
                "Restore into a new person (--user NAME), or delete this one's data first "
                "(kneecap forget --yes)"
            )
        load(w.s, home.person, doc, packed, kept)
        records = counts(w.s, home.person)
    notes = []
    if doc.calendar_feed is not None:
        notes.append("the calendar feed's secret address was not exported: make a new one")
    return Restored(records, len(kept), notes)


@dataclass(frozen=True)
class Forgotten:
    name: str
    records: dict[str, int]  # rows deleted, by table
    files: list[str]  # files deleted from the data folder

    def to_dict(self) -> dict[str, Any]:
        return {"person": self.name, "records": self.records, "files": self.files}


def what_forget_deletes(home: Home, folder: Path | None) -> Forgotten:
    """What `forget` would delete; nothing is changed."""
    require(home.actor, Action.READ, home.person)
    from sqlalchemy.orm import Session

    from kneecap.store.portable import counts
    from kneecap.store.tables import Person

    with Session(home.store.engine) as s:
        person = s.get(Person, home.person)
        name = person.name if person is not None else ""
        return Forgotten(name, counts(s, home.person), _kept_files(home, folder))


def _kept_folders(home: Home, folder: Path | None) -> list[Path]:
    """The folders of files Kneecap keeps for the person: the remembered answers, and the
    form-check clips they chose to keep (`app.form`)."""
    if folder is None:
        return []
    from kneecap.app.form import CLIPS

    found = [folder / ANSWERS, folder / CLIPS / str(home.person)]
    return [f for f in found if f.is_dir()]


def _kept_files(home: Home, folder: Path | None) -> list[str]:
    return sorted(str(p) for f in _kept_folders(home, folder) for p in f.rglob("*") if p.is_file())


def forget(home: Home, folder: Path | None) -> Forgotten:
    """Delete every record of the person and the person, then the files Kneecap keeps for
    them in the data folder `folder` (the remembered answers, kept form-check clips); a SQLite file is rebuilt
    without the freed pages, so nothing deleted lingers in it."""
    require(home.actor, Action.ERASE, home.person)
    from kneecap.store.portable import erase, vacuum

    with home.store.transaction(home.person) as w:
        name, records = erase(w.s, home.person)
    vacuum(home.store.engine)
    files = _kept_files(home, folder)
    for kept in _kept_folders(home, folder):
        shutil.rmtree(kept)
    return Forgotten(name, records, files)


def start_again(home: Home, name: str) -> Home:
    """A home for a new, empty person called `name` (after `forget`)."""
    return Home(home.store, home.store.person_id(name, home.clock.now()), home.actor, home.clock)
