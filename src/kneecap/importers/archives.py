"""Zip archives (a Strava bulk export, a Garmin export with zips inside it), read in place.

Zip archives are read with `zipfile` (nothing is extracted to disk); each wanted entry is
decompressed in chunks into one in-memory buffer under the limits (`decompress.Layer`). A zip
inside the zip (Garmin exports hold their uploads that way) has to be seekable to be read, so it
is copied, size-capped, into a spooled temporary file (memory while small, an anonymous temp
file beyond that) and its entries are then read the same way. Zips nested deeper than that are
refused.

A zip's header sizes are checked before reading (a cheap early refusal) but never trusted: the
streaming counts are what bound the memory. Before `zipfile` reads an archive's central
directory into memory, the directory's size and entry count are checked against
`Limits.max_zip_entries`, so a forged directory cannot exhaust memory. Entries with unsafe
paths (`found.unsafe_member`) are refused.
"""

from __future__ import annotations

import contextlib
import os
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kneecap.importers import formats, strava
from kneecap.importers.decompress import READ_ERRORS, TOO_BIG, Layer, bomb, gunzip, read_all
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.found import Source, disk_reason, ignored, printable, size, unsafe_member
from kneecap.importers.limits import MB, Limits

SPOOL_IN_MEMORY = 16 * MB  # a nested zip up to this size stays in memory
CENTRAL_ENTRY_BYTES = 1024  # central-directory bytes allowed per entry (real ones use ~100)

ENCRYPTED = "encrypted (password-protected) in the archive: export it again without a password"
TOO_DEEP = (
    "a zip inside a zip inside a zip: only one level of archives inside an archive is read; "
    "unpack the outer archive and import the folder"
)


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


def _directory_refusal(fp: _CountingFile, limits: Limits) -> str | None:
    """Why the archive's central directory is too big to load, or None.

    `zipfile` reads the whole central directory into memory and makes an object per entry
    before anyone can count them, so the count and size are read here first from the end
    record, and the entries counted by walking the headers (the end record's count can lie).
    Anything unreadable is left for `zipfile` to reject with its own message.
    """
    most = limits.max_zip_entries
    end = fp.seek(0, os.SEEK_END)
    tail_len = min(end, _EOCD.size + _MAX_EOCD_COMMENT)
    fp.seek(end - tail_len)
    tail = fp.raw.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    record_at = end - tail_len + at
    fields = _EOCD.unpack_from(tail, at)
    entries, dir_size = fields[4], fields[5]
    if entries == 0xFFFF or dir_size == 0xFFFFFFFF:  # zip64: the real numbers are further back
        locator_at = record_at - _EOCD64_LOCATOR.size
        record_at = locator_at - _EOCD64.size
        if record_at < 0:
            return None
        fp.seek(record_at)
        block = fp.raw.read(_EOCD64.size + _EOCD64_LOCATOR.size)
        if len(block) < _EOCD64.size or block[:4] != b"PK\x06\x06":
            return None
        fields64 = _EOCD64.unpack_from(block)
        entries, dir_size = fields64[7], fields64[8]
    if entries > most:
        return _too_many(entries, limits)
    if dir_size > most * CENTRAL_ENTRY_BYTES:
        return (
            f"the archive's table of contents is {size(dir_size)}, more than {most} entries "
            "could need: refused as damaged or crafted"
        )
    start = record_at - dir_size
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
    return _too_many(count, limits) if count > most else None


def _too_many(entries: int, limits: Limits) -> str:
    return (
        f"the archive holds {entries} entries, more than the {limits.max_zip_entries} kneecap "
        "reads: unpack it and import the folder"
    )


def _open_zip(fp: _CountingFile, limits: Limits) -> zipfile.ZipFile | str:
    """The opened archive, or why it cannot be read."""
    try:
        refusal = _directory_refusal(fp, limits)
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
    if len(zf.infolist()) > limits.max_zip_entries:
        zf.close()
        return _too_many(len(zf.infolist()), limits)
    return zf


# What to do with one archive entry.
_Plan = tuple[str, str, bool] | None  # ("file", kind, gz) | ("zip", "", False) | ("bad", why, _)


def _plan(info: zipfile.ZipInfo) -> _Plan:
    if info.is_dir():
        return None
    parts = info.filename.replace("\\", "/").split("/")
    if any(ignored(p) for p in parts):
        return None
    found = formats.for_file(parts[-1])
    if found is None and not formats.is_zip(parts[-1]):
        return None  # media, csv, json...: not an activity file, silently skipped
    unsafe = unsafe_member(info.filename)
    if unsafe:
        return "bad", unsafe, False
    if found is None:
        return "zip", "", False
    return "file", found[0].name, found[1]


def iter_zip_file(path: Path, name: str, limits: Limits) -> Iterator[Source | ActivityFileError]:
    """The activity files in the zip at `path` (and in the zips inside it), one at a time."""
    try:
        f = path.open("rb")
    except OSError as e:
        yield ActivityFileError(disk_reason(e), name)
        return
    with f:
        yield from _iter_archive(_CountingFile(f), name, limits, depth=0)


def _iter_archive(
    fp: _CountingFile, name: str, limits: Limits, depth: int
) -> Iterator[Source | ActivityFileError]:
    opened = _open_zip(fp, limits)
    if isinstance(opened, str):
        yield ActivityFileError(opened, name)
        return
    with opened as zf:
        hints = _archive_hints(zf, fp, limits)
        for info in zf.infolist():
            plan = _plan(info)
            if plan is None:
                continue
            label = f"{name}:{printable(info.filename)}"
            action, kind, gz = plan
            if action == "bad":
                yield ActivityFileError(kind, label)
            elif action == "zip" and depth >= 1:
                yield ActivityFileError(TOO_DEEP, label)
            elif action == "zip":
                yield from _iter_nested(zf, info, fp, label, limits)
            else:
                # Yielded straight from the call, so this frame holds no reference to the
                # entry's bytes while the next one is read.
                hint = hints.lookup(info.filename)
                yield _read_member(zf, info, fp, label, kind, gz, hint, limits)


def _iter_nested(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, fp: _CountingFile, label: str, limits: Limits
) -> Iterator[Source | ActivityFileError]:
    cap = limits.max_nested_zip_bytes
    what = "an archive inside an archive"
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        try:
            _read_entry(zf, info, fp, limits, gz=False, cap=cap, what=what, sink=spool)
        except ActivityFileError as e:
            yield ActivityFileError(e.reason, label)
            return
        spool.seek(0)
        yield from _iter_archive(_CountingFile(spool), label, limits, depth=1)


def _read_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    fp: _CountingFile,
    label: str,
    kind: str,
    gz: bool,
    hint: str | None,
    limits: Limits,
) -> Source | ActivityFileError:
    try:
        data = _read_entry(zf, info, fp, limits, gz=gz, cap=limits.max_file_bytes)
    except ActivityFileError as e:
        return ActivityFileError(e.reason, label)
    return Source(label, kind, data, hint)


def _read_entry(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    fp: _CountingFile,
    limits: Limits,
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
    refusal = _header_refusal(info, cap, what, limits)
    if refusal:
        raise ActivityFileError(refusal)
    try:
        entry = zf.open(info)
    except READ_ERRORS as e:
        raise ActivityFileError(_entry_reason(e)) from e
    start = fp.count
    with entry:
        layer = Layer(entry, _entry_reason, limits, lambda: fp.count - start, cap, what)
        if gz:
            layer = gunzip(layer)
        return read_all(layer, sink)


def _header_refusal(info: zipfile.ZipInfo, cap: int, what: str, limits: Limits) -> str | None:
    """What the entry's own header already rules out. Cheap, but the header is the archive's
    word only: the streaming limits in `Layer` still apply to whatever is actually read."""
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
        info.file_size > limits.ratio_free_bytes
        and info.file_size > limits.max_ratio * info.compress_size
    ):
        said = "its header says {out} from {taken}"
        return bomb(limits, info.file_size, info.compress_size, said)
    if info.file_size > cap:
        return TOO_BIG.format(cap=size(cap), what=what)
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


def count_zip(path: Path, limits: Limits) -> int:
    """How many entries of the zip at `path` would be read (1 if it cannot be opened)."""
    try:
        with path.open("rb") as f:
            opened = _open_zip(_CountingFile(f), limits)
            if isinstance(opened, str):
                return 1
            with opened as zf:
                return sum(1 for info in zf.infolist() if _plan(info) is not None)
    except OSError:
        return 1


def _archive_hints(zf: zipfile.ZipFile, fp: _CountingFile, limits: Limits) -> strava.ArchiveHints:
    """The Strava activities.csv tables in the archive, by the folder they describe."""
    tables: dict[str, strava.Table] = {}
    for info in zf.infolist():
        path = info.filename.replace("\\", "/")
        if not strava.is_activity_list(path) or info.is_dir() or unsafe_member(path):
            continue
        folder = path.rpartition("/")[0]
        # The csv is read before the activities (zips list it in any order), under the same
        # limits as an activity file; one that cannot be read just gives no hints.
        with contextlib.suppress(ActivityFileError):
            data = _read_entry(zf, info, fp, limits, gz=False, cap=limits.max_file_bytes)
            tables[folder + "/" if folder else ""] = strava.table(data)
    return strava.ArchiveHints(tables)


# For other readers of zip archives under the same defences (`kneecap.portable`: a Kneecap
# export read back).
CountingFile = _CountingFile
open_zip = _open_zip
read_entry = _read_entry
