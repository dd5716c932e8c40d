"""The export archive: a zip holding `manifest.json` (format, version, when, and every other
file with its size and SHA-256), `data.json` and the runner's files. Written the same way every
time (sorted entries, fixed entry dates, private modes), so two exports of the same data differ
only in the manifest's `exported_at`.

Reading one back takes the defences of activity archives (`importers.archives`): the table of
contents counted before it is loaded, every entry decompressed in chunks under the size and
ratio caps of `Limits`, no absolute or climbing paths, no links, a cap on the whole. Anything
else wrong (not a Kneecap export, a newer version, a file missing, added or changed) is an
`ArchiveError` with the reason."""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kneecap.importers.archives import CountingFile, open_zip, read_entry
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.found import size, unsafe_member
from kneecap.importers.limits import DEFAULT, Limits

FORMAT = "kneecap-export"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
ENTRY_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the same in every export
ENTRY_MODE = 0o600
# What one archive's files may add up to, decompressed.
TOTAL_FILES = 8  # times Limits.max_file_bytes
_PATH = re.compile(r"(?:data\.json|activities/[0-9a-f]{64}\.(?:fit|gpx|tcx)|tracks/\d{1,9}\.json)")


class ArchiveError(ValueError):
    """The archive cannot be restored; the message says why."""


def to_json(data: Any) -> bytes:
    """JSON the same way every time: keys sorted, two-space indent, UTF-8, a final newline."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: Mapping[str, bytes], exported_at: str, notes: list[str]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at,
        "notes": notes,
        "files": [
            {"path": name, "bytes": len(files[name]), "sha256": sha256(files[name])}
            for name in sorted(files)
        ],
    }


def write(files: Mapping[str, bytes], exported_at: str, notes: list[str] | None = None) -> bytes:
    """The archive of `files` (path → content) with its manifest (and `notes` in it: what a
    reader should know, in sentences)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        entries = {MANIFEST: to_json(manifest(files, exported_at, notes or [])), **files}
        for name in [MANIFEST, *sorted(files)]:
            info = zipfile.ZipInfo(name, date_time=ENTRY_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | ENTRY_MODE) << 16
            info.create_system = 3  # unix, so the mode is read as one
            zf.writestr(info, entries[name])
    return out.getvalue()


def read(path: Path, limits: Limits = DEFAULT) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and every file (path → content) of the export at `path`, each checked
    against the manifest. ArchiveError with the reason."""
    try:
        f = path.open("rb")
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror}") from None
    with f:
        fp = CountingFile(f)
        opened = open_zip(fp, limits)
        if isinstance(opened, str):
            raise ArchiveError(opened)
        with opened as zf:
            contents = _entries(zf, fp, limits)
    return _checked(contents)


def _entries(zf: zipfile.ZipFile, fp: CountingFile, limits: Limits) -> dict[str, bytes]:
    contents: dict[str, bytes] = {}
    total = 0
    cap = TOTAL_FILES * limits.max_file_bytes
    for info in zf.infolist():
        name = info.filename
        unsafe = unsafe_member(name)
        if unsafe:
            raise ArchiveError(unsafe)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveError(f"an archive entry that is a link ({name}): refused")
        if info.is_dir():
            continue
        if name in contents:
            raise ArchiveError(f"the archive holds {name} twice: refused as damaged or crafted")
        try:
            data = read_entry(
                zf, info, fp, limits, gz=False, cap=limits.max_file_bytes, what="one file"
            )
        except ActivityFileError as exc:
            raise ArchiveError(f"{name}: {exc.reason}") from None
        total += len(data)
        if total > cap:
            raise ArchiveError(f"the archive's files add up to more than {size(cap)}: refused")
        contents[name] = data
    return contents


def _checked(contents: dict[str, bytes]) -> tuple[dict[str, Any], dict[str, bytes]]:
    if MANIFEST not in contents:
        raise ArchiveError(f"not a Kneecap export: the archive has no {MANIFEST}")
    try:
        found = json.loads(contents.pop(MANIFEST))
    except (ValueError, UnicodeDecodeError):
        raise ArchiveError(f"not a Kneecap export: its {MANIFEST} is not JSON") from None
    if not isinstance(found, dict) or found.get("format") != FORMAT:
        raise ArchiveError(f"not a Kneecap export: its {MANIFEST} does not say {FORMAT!r}")
    version = found.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise ArchiveError(
            f"made by a newer Kneecap (export version {version}; this one reads version "
            f"{VERSION}): upgrade Kneecap to restore it"
        )
    if version != VERSION:
        raise ArchiveError(f"an export version this Kneecap does not know ({version!r})")
    listed = found.get("files")
    if not isinstance(listed, list) or not all(
        isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("sha256"), str)
        for e in listed
    ):
        raise ArchiveError(f"the {MANIFEST} has no list of files with their SHA-256")
    sums = {e["path"]: e["sha256"] for e in listed}
    if missing := sorted(set(sums) - set(contents)):
        raise ArchiveError(f"the archive lacks files its manifest lists: {', '.join(missing)}")
    if extra := sorted(set(contents) - set(sums)):
        raise ArchiveError(f"the archive holds files its manifest does not list: {extra[0]}")
    for name, data in contents.items():
        if not _PATH.fullmatch(name):
            raise ArchiveError(f"a file a Kneecap export does not hold: {name}")
        if sha256(data) != sums[name]:
            raise ArchiveError(
                f"{name} does not match its SHA-256 in the manifest: the archive was changed "
                "or damaged"
            )
    if DATA not in contents:
        raise ArchiveError(f"not a Kneecap export: the archive has no {DATA}")
    return found, contents
