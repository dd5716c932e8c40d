"""The files to read under the paths the runner gives: single files and folders walked.

A path is a file (an activity file of a format in `formats.FORMATS`, optionally gzipped, or a
zip export) or a folder, walked depth first in name order without following links out of it.
A plain file is read capped at `Limits.max_file_bytes`; a gzipped one through the same
streaming limits as an archive entry (`decompress`). Names shown to the runner have control
characters replaced.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from kneecap.importers import formats
from kneecap.importers.decompress import Layer, gunzip, read_all
from kneecap.importers.errors import ActivityFileError, UsageError
from kneecap.importers.found import Source, disk_reason, ignored, printable, too_large
from kneecap.importers.limits import Limits
from kneecap.importers.strava import FolderHints

NO_SUCH_PATH = "no such file or folder"
NOT_ACTIVITY = (
    f"not an activity file: kneecap imports {formats.listed(formats.SUFFIXES)} files "
    f"(each optionally {formats.GZIP}), folders of them and {formats.ZIP} exports"
)
NOT_REGULAR = "not a regular file"
LINK_OUTSIDE = "a link to outside the folder being imported: not followed"

# A file found on disk to read: (path, name shown to the runner).
Candidate = tuple[Path, str]


def wanted(name: str) -> bool:
    """Whether a file called `name` is read: an activity file or a zip."""
    return formats.is_zip(name) or formats.for_file(name) is not None


def candidates(path: Path) -> Iterator[Candidate | ActivityFileError]:
    """The files to read under `path` (itself, or a folder's activity files and zips, sorted),
    and errors for what cannot be walked. Shared by reading and counting."""
    name = printable(str(path))
    try:
        info = path.stat()  # follows a link: a link the runner names is what they mean
    except (FileNotFoundError, NotADirectoryError):
        yield UsageError(NO_SUCH_PATH, name)
        return
    except OSError as e:
        yield ActivityFileError(disk_reason(e), name)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path)
    elif not wanted(path.name):
        yield UsageError(NOT_ACTIVITY, name)
    elif not stat.S_ISREG(info.st_mode):
        yield ActivityFileError(NOT_REGULAR, name)
    else:
        yield path, name


def _walk(root: Path) -> Iterator[Candidate | ActivityFileError]:
    """A folder's activity files and zips, depth first in name order, links kept inside."""
    try:
        real_root = root.resolve(strict=True)
        seen = {_identity(root.stat())}  # folders already walked: a link back would loop
    except OSError as e:
        yield ActivityFileError(disk_reason(e), printable(str(root)))
        return
    listing = _listing(root)
    if isinstance(listing, ActivityFileError):
        yield listing
        return
    # An explicit stack rather than recursion, so no folder depth can exhaust the call stack.
    stack: list[tuple[Path, Iterator[os.DirEntry[str]]]] = [(root, iter(listing))]
    while stack:
        folder, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if ignored(entry.name):
            continue
        path = folder / entry.name  # keeps the runner's own spelling of the folder
        name = printable(str(path))
        read = wanted(entry.name)
        try:
            if entry.is_symlink():
                real = Path(os.path.realpath(entry.path))
                if not real.is_relative_to(real_root):
                    if read or entry.is_dir():
                        yield ActivityFileError(LINK_OUTSIDE, name)
                    continue
            is_dir = entry.is_dir()  # follows a link, now known to stay inside
            is_file = not is_dir and entry.is_file()
            identity = _identity(entry.stat()) if is_dir else None
        except OSError as e:
            yield ActivityFileError(disk_reason(e), name)
            continue
        if identity is not None:
            if identity in seen:
                continue
            seen.add(identity)
            listing = _listing(path)
            if isinstance(listing, ActivityFileError):
                yield listing
            else:
                stack.append((path, iter(listing)))
        elif read and is_file:
            yield path, name


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _listing(folder: Path) -> list[os.DirEntry[str]] | ActivityFileError:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as e:
        return ActivityFileError(f"the folder {disk_reason(e)}", printable(str(folder)))


def read_file(
    path: Path, name: str, hints: FolderHints, limits: Limits
) -> Source | ActivityFileError:
    """One activity file on disk, decompressed if gzipped, or the error that stopped it."""
    found = formats.for_file(path.name)
    if found is None:
        return UsageError(NOT_ACTIVITY, name)
    fmt, gz = found
    try:
        with path.open("rb") as f:
            if gz:
                data = read_all(gunzip(Layer(f, disk_reason, limits)))
            else:
                size = os.fstat(f.fileno()).st_size
                cap = limits.max_file_bytes
                if size > cap:  # refused unread; the capped read below covers a growing file
                    raise ActivityFileError(too_large(size, cap))
                data = f.read(cap + 1)
                if len(data) > cap:
                    raise ActivityFileError(too_large(len(data), cap))
    except ActivityFileError as e:
        return ActivityFileError(e.reason, name)
    except OSError as e:
        return ActivityFileError(disk_reason(e), name)
    return Source(name, fmt.name, data, hints.lookup(path))
