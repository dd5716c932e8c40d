"""Finding the activity files in what the runner points at, and handing each to its parser.

`kneecap import` takes files, folders and whole exports (a Strava bulk export zip, a Garmin
export with zips inside it). This module turns those paths into `Source`s, one activity file at
a time, and `parse` sends each to the FIT, GPX or TCX parser. Every problem becomes an
`ActivityFileError` naming the file (and the archive member), yielded in place of that file, so
one bad entry never stops the rest of an export.

Streaming. `iter_sources` is a generator: it reads one file or archive entry, yields it, and
only then reads the next, so a 1 GB export needs the memory of its largest activity file, not of
the export. Zip archives are read in place with `zipfile` (nothing is extracted to disk); each
wanted entry is decompressed in chunks into one in-memory buffer. A zip inside the zip (Garmin
exports hold their uploads that way) has to be seekable to be read, so it is copied, size-capped,
into a spooled temporary file (memory while small, an anonymous temp file beyond that) and its
entries are then read the same way. Zips nested deeper than that are refused.

Limits (`importers.limits`, read at call time so tests and settings can lower them). Every
decompression layer (a zip entry, a gzip stream, a gzip inside a zip entry) counts the bytes it
took in and the bytes it gave out, and stops as soon as the output passes `MAX_FILE_BYTES` or,
once past `RATIO_FREE_BYTES`, grows more than `MAX_RATIO` times the input. A zip's header sizes
are checked before reading (a cheap early refusal) but never trusted: the streaming counts are
what bound the memory, so a bomb is refused after a few megabytes whatever its headers claim.
Before `zipfile` reads an archive's central directory into memory, the directory's size and
entry count are checked against `MAX_ZIP_ENTRIES`, so a forged directory cannot exhaust memory.

Safety of names. Archive entries are never written to disk, but an entry whose path is absolute,
climbs out with `..` or carries a drive letter (with either slash) is refused all the same: no
real export contains one, so it marks a crafted or broken archive. Folders are walked without
following links out of the folder. Names shown to the runner have control characters replaced.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gzip
import importlib
import io
import lzma
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Protocol, cast

from kneecap.core.activity import Activity, Sport, empty
from kneecap.importers import limits
from kneecap.importers.errors import ActivityFileError

KINDS = ("fit", "gpx", "tcx")
STRAVA_CSV = "activities.csv"

CHUNK = 64 * 1024  # read size per step: small enough that a bomb is caught within one chunk
SPOOL_IN_MEMORY = 16 * limits.MB  # a nested zip up to this size stays in memory
NESTED_ZIP_FILES = 8  # a zip inside a zip may be this many times `limits.MAX_FILE_BYTES`
CENTRAL_ENTRY_BYTES = 1024  # central-directory bytes allowed per entry (real ones use ~100)
HINT_LEVELS = 3  # how many folders up from a file an activities.csv may describe it

NO_SUCH_PATH = "no such file or folder"
NOT_ACTIVITY = (
    "not an activity file: kneecap imports .fit, .gpx and .tcx files (each optionally .gz), "
    "folders of them and .zip exports"
)
NOT_REGULAR = "not a regular file"
LINK_OUTSIDE = "a link to outside the folder being imported: not followed"
ENCRYPTED = "encrypted (password-protected) in the archive: export it again without a password"
TOO_DEEP = (
    "a zip inside a zip inside a zip: only one level of archives inside an archive is read; "
    "unpack the outer archive and import the folder"
)
TRUNCATED_GZIP = (
    "the gzip file is truncated (it ends before its end marker): copy or download it again"
)

_TOO_BIG = "decompresses to more than {cap}, the most kneecap reads for {what}"


class UsageError(ActivityFileError):
    """A path the runner gave that is missing or is not something kneecap imports.

    Distinct from a file that was found but could not be read, so the command line can treat it
    as a usage error (exit code 2) rather than a failed import.
    """


@dataclass(frozen=True)
class Source:
    """One activity file, found and decompressed, ready for its parser."""

    name: str  # what the runner sees: "runs/a.fit", "export.zip:activities/123.fit.gz"
    kind: str  # "fit" | "gpx" | "tcx"
    data: bytes  # decompressed content, at most limits.MAX_FILE_BYTES
    sport_hint: str | None = None  # a Strava export's "Activity Type" for the file ("Run"), if any


# --- Public API ----------------------------------------------------------------------------


def iter_sources(paths: Sequence[Path]) -> Iterator[Source | ActivityFileError]:
    """Every activity file in `paths`, in order, each as a Source or the error that stopped it.

    Never raises for a file's sake: missing paths and unsupported file types given explicitly
    come back as `UsageError`, everything else that goes wrong as `ActivityFileError`.
    """
    hints = _FolderHints()
    for path in paths:
        yield from _iter_path(Path(path), hints)


def count_candidates(paths: Sequence[Path]) -> int:
    """About how many items `iter_sources(paths)` will yield, cheaply, for a progress bar.

    Folders are walked and zip central directories listed, but nothing is decompressed, so a
    zip inside a zip counts as one (its contents are unknown until it is read).
    """
    total = 0
    for path in paths:
        for item in _candidates(Path(path)):
            if isinstance(item, tuple) and _is_zip(item[1]):
                total += _count_zip(item[0])
            else:
                total += 1
    return total


def parse(source: Source) -> list[Activity]:
    """The activities in `source`, parsed by its kind's parser.

    A parser's `ActivityFileError` comes back with the source's name attached. A Strava
    export's activity type (`sport_hint`) replaces the sport only where the file did not name
    one the parser recognised, i.e. where the parser had to infer it or fell back to OTHER.
    """
    parser = _parser(source)
    try:
        activities = parser(source.data)
    except ActivityFileError as e:
        raise ActivityFileError(e.reason, file=source.name) from e
    # Strava labels one upload with one type: for a file holding several activities (a
    # triathlon, a day's tracks) it cannot say which of them it describes.
    if source.sport_hint and len(activities) == 1:
        activities = [_with_hint(activities[0], source.sport_hint)]
    return activities


# --- Parsers and sport hints ---------------------------------------------------------------

_PARSERS = {
    "fit": ("kneecap.importers.fit", "parse_fit"),
    "gpx": ("kneecap.importers.gpx", "parse_gpx"),
    "tcx": ("kneecap.importers.tcx", "parse_tcx"),
}

# How the parsers word a sport they had to guess (gpx: "sport inferred as running from the
# moving speed...", "sport unknown: ..."). Only such a guess gives way to a Strava hint.
_GUESSED_SPORT = ("sport inferred", "sport unknown")


def _parser(source: Source) -> Callable[[bytes], list[Activity]]:
    where = _PARSERS.get(source.kind)
    if where is None:
        raise ActivityFileError(
            f"not a kind of activity file kneecap reads: {source.kind!r}", file=source.name
        )
    module_name, function = where
    # Imported on first use: listing an export needs neither lxml nor the FIT decoder.
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name != module_name:
            raise
        raise ActivityFileError(
            f"{source.kind.upper()} files cannot be imported by this version of kneecap",
            file=source.name,
        ) from e
    return cast(Callable[[bytes], list[Activity]], getattr(module, function))


def _with_hint(activity: Activity, hint: str) -> Activity:
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


# --- Paths and folders ---------------------------------------------------------------------

# A file found on disk to read: (path, name shown to the runner).
_Candidate = tuple[Path, str]


def _iter_path(path: Path, hints: _FolderHints) -> Iterator[Source | ActivityFileError]:
    for item in _candidates(path):
        if isinstance(item, ActivityFileError):
            yield item
        elif _is_zip(item[1]):
            yield from _iter_zip_file(item[0], item[1])
        else:
            yield _read_file(item[0], item[1], hints)


def _candidates(path: Path) -> Iterator[_Candidate | ActivityFileError]:
    """The files to read under `path` (itself, or a folder's activity files and zips, sorted),
    and errors for what cannot be walked. Shared by reading and counting."""
    name = _printable(str(path))
    try:
        info = path.stat()  # follows a link: a link the runner names is what they mean
    except (FileNotFoundError, NotADirectoryError):
        yield UsageError(NO_SUCH_PATH, name)
        return
    except OSError as e:
        yield ActivityFileError(_disk_reason(e), name)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path)
    elif not (_is_zip(path.name) or _kind(path.name)):
        yield UsageError(NOT_ACTIVITY, name)
    elif not stat.S_ISREG(info.st_mode):
        yield ActivityFileError(NOT_REGULAR, name)
    else:
        yield path, name


def _walk(root: Path) -> Iterator[_Candidate | ActivityFileError]:
    """A folder's activity files and zips, depth first in name order, links kept inside."""
    try:
        real_root = root.resolve(strict=True)
        seen = {_identity(root.stat())}  # folders already walked: a link back would loop
    except OSError as e:
        yield ActivityFileError(_disk_reason(e), _printable(str(root)))
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
        if _ignored(entry.name):
            continue
        path = folder / entry.name  # keeps the runner's own spelling of the folder
        name = _printable(str(path))
        wanted = _is_zip(entry.name) or _kind(entry.name) is not None
        try:
            if entry.is_symlink():
                real = Path(os.path.realpath(entry.path))
                if not real.is_relative_to(real_root):
                    if wanted or entry.is_dir():
                        yield ActivityFileError(LINK_OUTSIDE, name)
                    continue
            is_dir = entry.is_dir()  # follows a link, now known to stay inside
            is_file = not is_dir and entry.is_file()
            identity = _identity(entry.stat()) if is_dir else None
        except OSError as e:
            yield ActivityFileError(_disk_reason(e), name)
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
        elif wanted and is_file:
            yield path, name


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _listing(folder: Path) -> list[os.DirEntry[str]] | ActivityFileError:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as e:
        return ActivityFileError(f"the folder {_disk_reason(e)}", _printable(str(folder)))


def _read_file(path: Path, name: str, hints: _FolderHints) -> Source | ActivityFileError:
    found = _kind(path.name)
    if found is None:
        return UsageError(NOT_ACTIVITY, name)
    kind, gz = found
    try:
        with path.open("rb") as f:
            if gz:
                data = _read_all(_gunzip(_Layer(f, _disk_reason)))
            else:
                size = os.fstat(f.fileno()).st_size
                cap = limits.MAX_FILE_BYTES
                if size > cap:  # refused unread; the capped read below covers a growing file
                    raise ActivityFileError(_too_large(size, cap))
                data = f.read(cap + 1)
                if len(data) > cap:
                    raise ActivityFileError(_too_large(len(data), cap))
    except ActivityFileError as e:
        return ActivityFileError(e.reason, name)
    except OSError as e:
        return ActivityFileError(_disk_reason(e), name)
    return Source(name, kind, data, hints.lookup(path))


# --- Names ---------------------------------------------------------------------------------


def _kind(name: str) -> tuple[str, bool] | None:
    """The activity kind a file name says, and whether it is gzipped: "a.FIT.gz" → ("fit", True)."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for kind in KINDS:
        if lower.endswith("." + kind):
            return kind, gz
    return None


def _is_zip(name: str) -> bool:
    return name.lower().endswith(".zip")


def _ignored(name: str) -> bool:
    # macOS adds "._name" resource forks beside files and "__MACOSX/" copies of them in zips
    # it makes: they carry the extension of the real file but hold no activity.
    return name.startswith("._") or name == "__MACOSX"


def _printable(text: str) -> str:
    # Names reach terminals and logs: no control characters or escape sequences, and no lone
    # surrogates (undecodable bytes in a file name), which could not even be printed.
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_member(member: str) -> str | None:
    """Why an archive entry's path is refused, or None. Backslashes count as separators, since
    Windows tools read them that way."""
    path = member.replace("\\", "/")
    if path.startswith("/"):
        return "an archive entry with an absolute path: refused"
    if _DRIVE.match(path):
        return "an archive entry with a drive letter in its path: refused"
    if ".." in path.split("/"):
        return "an archive entry whose path climbs out of the archive with '..': refused"
    return None


def _size(n: int) -> str:
    if n >= limits.MB:
        return f"{n / limits.MB:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _too_large(size: int, cap: int) -> str:
    return f"the file is too large to import ({_size(size)}; the limit is {_size(cap)})"


def _disk_reason(e: Exception) -> str:
    if isinstance(e, PermissionError):
        return "cannot be read: permission denied"
    if isinstance(e, OSError) and e.strerror:
        return f"cannot be read: {e.strerror.lower()}"
    return f"cannot be read: {e}"


# --- Decompression with limits -------------------------------------------------------------


class _Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


# What reading a damaged or unsupported archive entry or gzip stream can raise. Each layer turns
# these into an ActivityFileError with a reason a runner can act on.
_READ_ERRORS = (
    OSError,  # includes gzip.BadGzipFile and disk errors
    EOFError,
    zlib.error,
    lzma.LZMAError,
    zipfile.BadZipFile,
    RuntimeError,  # zipfile: an encrypted entry
    NotImplementedError,  # zipfile: a compression method it cannot read
    struct.error,
)


class _Layer:
    """One stage of reading (a file, a zip entry, a gzip stream): counts what it gives out,
    refuses to give more than `cap` or more than `limits.MAX_RATIO` times its input, and turns
    the stage's own exceptions into ActivityFileError via `describe`.

    `taken_in` reports the compressed bytes read so far from the stage below; None for a plain
    file, which has no ratio.
    """

    def __init__(
        self,
        raw: _Readable,
        describe: Callable[[Exception], str],
        taken_in: Callable[[], int] | None = None,
        cap: int | None = None,
        what: str = "one activity file",
    ) -> None:
        self.raw = raw
        self.describe = describe
        self.taken_in = taken_in
        self.cap = cap
        self.what = what
        self.count = 0

    def read(self, n: int = -1, /) -> bytes:
        if n < 0:
            n = CHUNK  # never an unbounded read: gzip only asks for sizes, but be certain
        try:
            data = self.raw.read(n)
        except ActivityFileError:
            raise  # a refusal from the layer below passes through unchanged
        except _READ_ERRORS as e:
            raise ActivityFileError(self.describe(e)) from e
        self.count += len(data)
        if self.cap is not None and self.count > self.cap:
            raise ActivityFileError(_TOO_BIG.format(cap=_size(self.cap), what=self.what))
        if self.taken_in is not None:
            out, taken = self.count, self.taken_in()
            if out > limits.RATIO_FREE_BYTES and out > limits.MAX_RATIO * taken:
                raise ActivityFileError(_bomb(out, taken))
        return data

    def seek(self, offset: int, /) -> int:
        # gzip only seeks to rewind, which reading straight through never asks for.
        raise io.UnsupportedOperation("a decompression stage reads forward only")

    def __enter__(self) -> _Layer:
        return self

    def __exit__(self, *exc: object) -> None:
        # Closes this stage only (a gzip reader, a zip entry); files below are closed by
        # whoever opened them.
        close = getattr(self.raw, "close", None)
        if close is not None:
            close()


def _bomb(out: int, taken: int, said: str = "{out} so far from {taken}") -> str:
    sizes = said.format(out=_size(out), taken=_size(taken))
    return f"compression ratio above {limits.MAX_RATIO}:1 ({sizes}): refused as a possible zip bomb"


def _gunzip(compressed: _Layer) -> _Layer:
    """A gzip layer over `compressed`, with the size and ratio limits."""
    stream = gzip.GzipFile(fileobj=compressed, mode="rb")
    return _Layer(stream, _gzip_reason, lambda: compressed.count, limits.MAX_FILE_BYTES)


def _gzip_reason(e: Exception) -> str:
    if isinstance(e, EOFError):
        return TRUNCATED_GZIP
    if isinstance(e, gzip.BadGzipFile) and str(e).startswith("Not a gzipped file"):
        return "not a gzip file, though its name ends in .gz"
    return f"the gzip file is corrupt ({e})"


def _read_all(layer: _Layer, sink: IO[bytes] | None = None) -> bytes:
    """Everything `layer` gives, into `sink` (returning b"") or into memory (returning it)."""
    if sink is not None:
        _copy(layer, sink)
        return b""
    buffer = io.BytesIO()
    _copy(layer, buffer)
    # BytesIO hands over its buffer without a copy, so a 100 MB file is not held twice.
    return buffer.getvalue()


def _copy(layer: _Layer, sink: IO[bytes]) -> None:
    with layer:
        while chunk := layer.read(CHUNK):
            sink.write(chunk)


# --- Zip archives --------------------------------------------------------------------------


class _CountingFile:
    """A seekable binary file that counts the bytes read from it: the compressed input of the
    zip entry being read, for the ratio check, whatever the entry's header claims."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def read(self, n: int = -1, /) -> bytes:
        data = self.raw.read(n)
        self.count += len(data)
        return data

    def seek(self, offset: int, whence: int = 0, /) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def seekable(self) -> bool:
        return True


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # one central directory entry, before its name
_MAX_EOCD_COMMENT = 0xFFFF


def _directory_refusal(fp: _CountingFile) -> str | None:
    """Why the archive's central directory is too big to load, or None.

    `zipfile` reads the whole central directory into memory and makes an object per entry
    before anyone can count them, so the count and size are read here first from the end
    record, and the entries counted by walking the headers (the end record's count can lie).
    Anything unreadable is left for `zipfile` to reject with its own message.
    """
    most = limits.MAX_ZIP_ENTRIES
    end = fp.seek(0, os.SEEK_END)
    tail_len = min(end, _EOCD.size + _MAX_EOCD_COMMENT)
    fp.seek(end - tail_len)
    tail = fp.raw.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    record_at = end - tail_len + at
    fields = _EOCD.unpack_from(tail, at)
    entries, size = fields[4], fields[5]
    if entries == 0xFFFF or size == 0xFFFFFFFF:  # zip64: the real numbers are further back
        locator_at = record_at - _EOCD64_LOCATOR.size
        record_at = locator_at - _EOCD64.size
        if record_at < 0:
            return None
        fp.seek(record_at)
        block = fp.raw.read(_EOCD64.size + _EOCD64_LOCATOR.size)
        if len(block) < _EOCD64.size or block[:4] != b"PK\x06\x06":
            return None
        fields64 = _EOCD64.unpack_from(block)
        entries, size = fields64[7], fields64[8]
    if entries > most:
        return _too_many(entries)
    if size > most * CENTRAL_ENTRY_BYTES:
        return (
            f"the archive's table of contents is {_size(size)}, more than {most} entries "
            "could need: refused as damaged or crafted"
        )
    start = record_at - size
    if start < 0:
        return None
    fp.seek(start)
    count = 0
    for _ in range(most + 1):  # the files are buffered, so this is a sequential read
        head = fp.raw.read(_CENTRAL.size)
        if len(head) < _CENTRAL.size or head[:4] != b"PK\x01\x02":
            return None  # end of the directory (or a damaged one, for zipfile to report)
        count += 1
        name_len, extra_len, comment_len = _CENTRAL.unpack(head)[12:15]
        fp.seek(name_len + extra_len + comment_len, os.SEEK_CUR)
    return _too_many(count) if count > most else None


def _too_many(entries: int) -> str:
    return (
        f"the archive holds {entries} entries, more than the {limits.MAX_ZIP_ENTRIES} kneecap "
        "reads: unpack it and import the folder"
    )


def _open_zip(fp: _CountingFile) -> zipfile.ZipFile | str:
    """The opened archive, or why it cannot be read."""
    try:
        refusal = _directory_refusal(fp)
        if refusal:
            return refusal
        fp.seek(0)
        zf = zipfile.ZipFile(fp)
    except zipfile.BadZipFile as e:
        return f"not a zip archive, or a damaged one ({e})"
    except (OSError, EOFError, struct.error, ValueError) as e:
        return f"not a readable zip archive ({e})"
    except NotImplementedError as e:  # e.g. a zip format version newer than zipfile reads
        return f"a zip archive of a kind that cannot be read ({e})"
    if len(zf.infolist()) > limits.MAX_ZIP_ENTRIES:
        zf.close()
        return _too_many(len(zf.infolist()))
    return zf


# What to do with one archive entry.
_Plan = tuple[str, str, bool] | None  # ("file", kind, gz) | ("zip", "", False) | ("bad", why, _)


def _plan(info: zipfile.ZipInfo) -> _Plan:
    if info.is_dir():
        return None
    parts = info.filename.replace("\\", "/").split("/")
    if any(_ignored(p) for p in parts):
        return None
    found = _kind(parts[-1])
    if found is None and not _is_zip(parts[-1]):
        return None  # media, csv, json...: not an activity file, silently skipped
    unsafe = _unsafe_member(info.filename)
    if unsafe:
        return "bad", unsafe, False
    if found is None:
        return "zip", "", False
    return "file", found[0], found[1]


def _iter_zip_file(path: Path, name: str) -> Iterator[Source | ActivityFileError]:
    try:
        f = path.open("rb")
    except OSError as e:
        yield ActivityFileError(_disk_reason(e), name)
        return
    with f:
        yield from _iter_archive(_CountingFile(f), name, depth=0)


def _iter_archive(fp: _CountingFile, name: str, depth: int) -> Iterator[Source | ActivityFileError]:
    opened = _open_zip(fp)
    if isinstance(opened, str):
        yield ActivityFileError(opened, name)
        return
    with opened as zf:
        hints = _archive_hints(zf, fp)
        for info in zf.infolist():
            plan = _plan(info)
            if plan is None:
                continue
            label = f"{name}:{_printable(info.filename)}"
            action, kind, gz = plan
            if action == "bad":
                yield ActivityFileError(kind, label)
            elif action == "zip" and depth >= 1:
                yield ActivityFileError(TOO_DEEP, label)
            elif action == "zip":
                yield from _iter_nested(zf, info, fp, label)
            else:
                # Yielded straight from the call, so this frame holds no reference to the
                # entry's bytes while the next one is read.
                yield _read_member(zf, info, fp, label, kind, gz, hints.lookup(info.filename))


def _iter_nested(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, fp: _CountingFile, label: str
) -> Iterator[Source | ActivityFileError]:
    cap = NESTED_ZIP_FILES * limits.MAX_FILE_BYTES
    what = "an archive inside an archive"
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        try:
            _read_entry(zf, info, fp, gz=False, cap=cap, what=what, sink=spool)
        except ActivityFileError as e:
            yield ActivityFileError(e.reason, label)
            return
        spool.seek(0)
        yield from _iter_archive(_CountingFile(spool), label, depth=1)


def _read_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    fp: _CountingFile,
    label: str,
    kind: str,
    gz: bool,
    hint: str | None,
) -> Source | ActivityFileError:
    try:
        data = _read_entry(zf, info, fp, gz=gz, cap=limits.MAX_FILE_BYTES)
    except ActivityFileError as e:
        return ActivityFileError(e.reason, label)
    return Source(label, kind, data, hint)


def _read_entry(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    fp: _CountingFile,
    *,
    gz: bool,
    cap: int,
    what: str = "one activity file",
    sink: IO[bytes] | None = None,
) -> bytes:
    """An entry's content, decompressed in chunks under the limits. Raises ActivityFileError."""
    # A gzip entry holds the file compressed, which for incompressible data (FIT) is a little
    # larger than the file: gzip and deflate add at most a few bytes a block plus a header. The
    # gzip layer above it enforces the real limit on the file itself.
    if gz:
        cap += cap // 256 + 64 * 1024
    refusal = _header_refusal(info, cap, what)
    if refusal:
        raise ActivityFileError(refusal)
    try:
        entry = zf.open(info)
    except _READ_ERRORS as e:
        raise ActivityFileError(_entry_reason(e)) from e
    start = fp.count
    with entry:
        layer = _Layer(entry, _entry_reason, lambda: fp.count - start, cap, what)
        if gz:
            layer = _gunzip(layer)
        return _read_all(layer, sink)


def _header_refusal(info: zipfile.ZipInfo, cap: int, what: str) -> str | None:
    """What the entry's own header already rules out. Cheap, but the header is the archive's
    word only: the streaming limits in `_Layer` still apply to whatever is actually read."""
    if info.flag_bits & 0x1:
        return ENCRYPTED
    if info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
        zipfile.ZIP_BZIP2,
        zipfile.ZIP_LZMA,
    ):
        return (
            f"compressed with a method kneecap cannot read (zip method {info.compress_type}; "
            "Windows' 'Deflate64' is 9): unpack the archive and import the folder"
        )
    if (
        info.file_size > limits.RATIO_FREE_BYTES
        and info.file_size > limits.MAX_RATIO * info.compress_size
    ):
        return _bomb(info.file_size, info.compress_size, "its header says {out} from {taken}")
    if info.file_size > cap:
        return _TOO_BIG.format(cap=_size(cap), what=what)
    return None


def _entry_reason(e: Exception) -> str:
    text = str(e)
    if isinstance(e, zipfile.BadZipFile) and text.startswith("Bad CRC-32"):
        return "the archive entry is corrupt: its checksum does not match its content"
    if isinstance(e, RuntimeError) and "encrypted" in text:
        return ENCRYPTED
    if isinstance(e, NotImplementedError):
        return f"compressed with a method kneecap cannot read ({text})"
    if isinstance(e, EOFError):
        return "the archive is truncated: this entry ends early; copy or download it again"
    return f"the archive entry is damaged ({text or type(e).__name__})"


def _count_zip(path: Path) -> int:
    try:
        with path.open("rb") as f:
            opened = _open_zip(_CountingFile(f))
            if isinstance(opened, str):
                return 1
            with opened as zf:
                return sum(1 for info in zf.infolist() if _plan(info) is not None)
    except OSError:
        return 1


# --- Strava's activities.csv ---------------------------------------------------------------


def _strava_table(data: bytes) -> dict[str, str]:
    """Activity type by file ("activities/123.fit.gz", case-folded) and by "#<Activity ID>".

    A Strava bulk export lists every activity in activities.csv; the "Filename" column points
    at the original upload and "Activity Type" is what the runner chose on Strava. Columns that
    are missing, rows that are short and a file that stops being CSV just give fewer hints.
    """
    table: dict[str, str] = {}
    text = data.decode("utf-8-sig", errors="replace")
    with contextlib.suppress(csv.Error):
        for row in csv.DictReader(io.StringIO(text, newline="")):
            sport = (row.get("Activity Type") or "").strip()
            if not sport:
                continue
            filename = (row.get("Filename") or "").strip().replace("\\", "/")
            if filename:
                table[filename.removeprefix("./").casefold()] = sport
            ident = (row.get("Activity ID") or "").strip()
            if ident:
                table["#" + ident] = sport
    return table


def _hint_in(table: dict[str, str], relative: str) -> str | None:
    found = table.get(relative.casefold())
    if found is None:
        # Strava names uploads by activity id ("activities/123.fit.gz"): the id is a fallback
        # for an export whose csv lacks the Filename column.
        ident = relative.rsplit("/", 1)[-1].split(".", 1)[0]
        found = table.get("#" + ident)
    return found


class _ArchiveHints:
    """The activities.csv tables in one archive, by the folder inside it they describe."""

    def __init__(self, tables: dict[str, dict[str, str]]) -> None:
        # Deepest folder first, so an export zipped inside a folder finds its own csv.
        self.tables = sorted(tables.items(), key=lambda item: -len(item[0]))

    def lookup(self, member: str) -> str | None:
        member = member.replace("\\", "/")
        for prefix, table in self.tables:
            if member.startswith(prefix):
                found = _hint_in(table, member[len(prefix) :])
                if found is not None:
                    return found
        return None


def _archive_hints(zf: zipfile.ZipFile, fp: _CountingFile) -> _ArchiveHints:
    tables: dict[str, dict[str, str]] = {}
    for info in zf.infolist():
        path = info.filename.replace("\\", "/")
        folder, _, base = path.rpartition("/")
        if base.lower() != STRAVA_CSV or info.is_dir() or _unsafe_member(path):
            continue
        # The csv is read before the activities (zips list it in any order), under the same
        # limits as an activity file; one that cannot be read just gives no hints.
        with contextlib.suppress(ActivityFileError):
            data = _read_entry(zf, info, fp, gz=False, cap=limits.MAX_FILE_BYTES)
            tables[folder + "/" if folder else ""] = _strava_table(data)
    return _ArchiveHints(tables)


class _FolderHints:
    """activities.csv tables on disk, read once per folder, for files in or below it (an
    unpacked Strava export, or files picked out of one)."""

    def __init__(self) -> None:
        self.tables: dict[Path, dict[str, str] | None] = {}

    def lookup(self, path: Path) -> str | None:
        relative = PurePosixPath(path.name)
        for folder in list(path.absolute().parents)[:HINT_LEVELS]:
            table = self._table(folder)
            if table:
                found = _hint_in(table, str(relative))
                if found is not None:
                    return found
            relative = PurePosixPath(folder.name) / relative
        return None

    def _table(self, folder: Path) -> dict[str, str] | None:
        if folder not in self.tables:
            self.tables[folder] = self._read(folder / STRAVA_CSV)
        return self.tables[folder]

    @staticmethod
    def _read(path: Path) -> dict[str, str] | None:
        try:
            with path.open("rb") as f:
                data = f.read(limits.MAX_FILE_BYTES + 1)
        except OSError:
            return None  # no csv here, the usual case
        if len(data) > limits.MAX_FILE_BYTES:
            return None
        return _strava_table(data)
