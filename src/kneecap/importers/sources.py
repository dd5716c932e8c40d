"""Finding the activity files in what the runner points at, and handing each to its parser.

`kneecap import` takes files, folders and whole exports (a Strava bulk export zip, a Garmin
export with zips inside it). `iter_sources` turns those paths into `Source`s, one activity file
at a time, and `parse` sends each to its format's parser (`formats.FORMATS`). Every problem
becomes an `ActivityFileError` naming the file (and the archive member), yielded in place of
that file, so one bad entry never stops the rest of an export.

Streaming. `iter_sources` is a generator: it reads one file or archive entry, yields it, and
only then reads the next, so a 1 GB export needs the memory of its largest activity file, not of
the export.

The work is split by what is read: `folders` (single files and folders walked), `archives`
(zip exports, with the bomb, ratio and path defences; `decompress` holds the streaming limits
shared with gzip files) and `strava` (a Strava export's activities.csv and its sport hints).
Every limit comes from the `Limits` passed in (`limits.DEFAULT` unless said otherwise).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from kneecap.core.activity import Activity
from kneecap.importers import formats
from kneecap.importers.archives import ENCRYPTED, TOO_DEEP, count_zip, iter_zip_file
from kneecap.importers.decompress import TRUNCATED_GZIP
from kneecap.importers.errors import ActivityFileError, UsageError
from kneecap.importers.folders import (
    LINK_OUTSIDE,
    NO_SUCH_PATH,
    NOT_ACTIVITY,
    NOT_REGULAR,
    candidates,
    read_file,
)
from kneecap.importers.found import Source
from kneecap.importers.limits import DEFAULT, Limits
from kneecap.importers.strava import STRAVA_CSV, FolderHints, with_hint

__all__ = [
    "ENCRYPTED",
    "LINK_OUTSIDE",
    "NOT_ACTIVITY",
    "NOT_REGULAR",
    "NO_SUCH_PATH",
    "STRAVA_CSV",
    "TOO_DEEP",
    "TRUNCATED_GZIP",
    "Limits",
    "Source",
    "UsageError",
    "count_candidates",
    "iter_sources",
    "parse",
]


def iter_sources(
    paths: Sequence[Path], limits: Limits = DEFAULT
) -> Iterator[Source | ActivityFileError]:
    """Every activity file in `paths`, in order, each as a Source or the error that stopped it.

    Never raises for a file's sake: missing paths and unsupported file types given explicitly
    come back as `UsageError`, everything else that goes wrong as `ActivityFileError`.
    """
    hints = FolderHints(limits)
    for path in paths:
        for item in candidates(Path(path)):
            if isinstance(item, ActivityFileError):
                yield item
            elif formats.is_zip(item[1]):
                yield from iter_zip_file(item[0], item[1], limits)
            else:
                yield read_file(item[0], item[1], hints, limits)


def count_candidates(paths: Sequence[Path], limits: Limits = DEFAULT) -> int:
    """About how many items `iter_sources(paths)` will yield, cheaply, for a progress bar.

    Folders are walked and zip central directories listed, but nothing is decompressed, so a
    zip inside a zip counts as one (its contents are unknown until it is read).
    """
    total = 0
    for path in paths:
        for item in candidates(Path(path)):
            if isinstance(item, tuple) and formats.is_zip(item[1]):
                total += count_zip(item[0], limits)
            else:
                total += 1
    return total


def parse(source: Source, limits: Limits = DEFAULT) -> list[Activity]:
    """The activities in `source`, parsed by its format's parser.

    A parser's `ActivityFileError` comes back with the source's name attached. A Strava
    export's activity type (`sport_hint`) replaces the sport only where the file did not name
    one the parser recognised, i.e. where the parser had to infer it or fell back to OTHER.
    """
    fmt = formats.by_name(source.kind)
    if fmt is None:
        raise ActivityFileError(
            f"not a kind of activity file kneecap reads: {source.kind!r}", file=source.name
        )
    try:
        activities = fmt.load()(source.data, limits)
    except ActivityFileError as e:
        raise ActivityFileError(e.reason, file=source.name) from e
    # Strava labels one upload with one type: for a file holding several activities (a
    # triathlon, a day's tracks) it cannot say which of them it describes.
    if source.sport_hint and len(activities) == 1:
        activities = [with_hint(activities[0], source.sport_hint)]
    return activities
