"""A Strava bulk export's activities.csv: the sport the runner chose for each uploaded file.

A Strava export is a zip (or, unpacked, a folder) of the original uploads under `activities/`
beside an `activities.csv` listing each activity: its "Filename" points at the upload and its
"Activity Type" is what the runner chose on Strava. Kneecap reads the csv before the files and
gives each file its type as a hint (`Source.sport_hint`), which replaces the sport only where
the file itself named none (`with_hint`).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
from pathlib import Path, PurePosixPath

from kneecap.core.activity import Activity, empty
from kneecap.core.sport import Sport
from kneecap.importers.limits import Limits

STRAVA_CSV = "activities.csv"
HINT_LEVELS = 3  # how many folders up from a file an activities.csv may describe it

# How the parsers word a sport they had to guess (gpx: "sport inferred as running from the
# moving speed...", "sport unknown: ..."). Only such a guess gives way to a Strava hint.
_GUESSED_SPORT = ("sport inferred", "sport unknown")

Table = dict[str, str]  # activity type by file name (case-folded) and by "#<Activity ID>"


def table(data: bytes) -> Table:
    """Activity type by file ("activities/123.fit.gz", case-folded) and by "#<Activity ID>".

    Columns that are missing, rows that are short and a file that stops being CSV just give
    fewer hints.
    """
    found: Table = {}
    text = data.decode("utf-8-sig", errors="replace")
    with contextlib.suppress(csv.Error):
        for row in csv.DictReader(io.StringIO(text, newline="")):
            sport = (row.get("Activity Type") or "").strip()
            if not sport:
                continue
            filename = (row.get("Filename") or "").strip().replace("\\", "/")
            if filename:
                found[filename.removeprefix("./").casefold()] = sport
            ident = (row.get("Activity ID") or "").strip()
            if ident:
                found["#" + ident] = sport
    return found


def is_activity_list(path: str) -> bool:
    """Whether an archive member or file ("export/activities.csv") is a Strava csv."""
    return path.replace("\\", "/").rpartition("/")[2].lower() == STRAVA_CSV


def _hint_in(hints: Table, relative: str) -> str | None:
    found = hints.get(relative.casefold())
    if found is None:
        # Strava names uploads by activity id ("activities/123.fit.gz"): the id is a fallback
        # for an export whose csv lacks the Filename column.
        ident = relative.rsplit("/", 1)[-1].split(".", 1)[0]
        found = hints.get("#" + ident)
    return found


class ArchiveHints:
    """The activities.csv tables in one archive, by the folder inside it they describe
    ("" for the archive's top, else "export/")."""

    def __init__(self, tables: dict[str, Table]) -> None:
        # Deepest folder first, so an export zipped inside a folder finds its own csv.
        self.tables = sorted(tables.items(), key=lambda item: -len(item[0]))

    def lookup(self, member: str) -> str | None:
        member = member.replace("\\", "/")
        for prefix, hints in self.tables:
            if member.startswith(prefix):
                found = _hint_in(hints, member[len(prefix) :])
                if found is not None:
                    return found
        return None


class FolderHints:
    """activities.csv tables on disk, read once per folder, for files in or below it (an
    unpacked Strava export, or files picked out of one)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.tables: dict[Path, Table | None] = {}

    def lookup(self, path: Path) -> str | None:
        relative = PurePosixPath(path.name)
        for folder in list(path.absolute().parents)[:HINT_LEVELS]:
            hints = self._table(folder)
            if hints:
                found = _hint_in(hints, str(relative))
                if found is not None:
                    return found
            relative = PurePosixPath(folder.name) / relative
        return None

    def _table(self, folder: Path) -> Table | None:
        if folder not in self.tables:
            self.tables[folder] = self._read(folder / STRAVA_CSV)
        return self.tables[folder]

    def _read(self, path: Path) -> Table | None:
        cap = self.limits.max_file_bytes
        try:
            with path.open("rb") as f:
                data = f.read(cap + 1)
        except OSError:
            return None  # no csv here, the usual case
        if len(data) > cap:
            return None
        return table(data)


def with_hint(activity: Activity, hint: str) -> Activity:
    """`activity` with the sport `hint` names, where the parser had to guess the sport (or
    fell back to OTHER); unchanged where the file named its own."""
    guesses = tuple(w for w in activity.warnings if w.startswith(_GUESSED_SPORT))
    if not guesses and activity.sport is not Sport.OTHER:
        return activity  # the file named its sport: that beats a label added on the web
    from kneecap.importers.xml import sport_from_words  # the parsers' own word list

    named = sport_from_words(hint)
    if named is None:
        return activity
    sport, sub_sport = named
    cadence = activity.cadence_spm
    if activity.sport.on_foot and not sport.on_foot:
        # The parser doubled strides into steps for what it took as a run; a ride or a swim
        # has no steps, so the channel is blanked rather than left holding wrong numbers.
        cadence = empty(activity.points)
    return dataclasses.replace(
        activity,
        sport=sport,
        sub_sport=sub_sport or activity.sub_sport,
        warnings=tuple(w for w in activity.warnings if w not in guesses),
        cadence_spm=cadence,
    )
