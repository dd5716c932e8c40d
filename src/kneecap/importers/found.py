"""What the walkers find (`Source`), and how they name it and its problems to the runner.

Names reach terminals and logs, so control characters are replaced (`printable`). Archive
entries are never written to disk, but an entry whose path is absolute, climbs out with `..` or
carries a drive letter (with either slash) is refused all the same (`unsafe_member`): no real
export contains one, so it marks a crafted or broken archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kneecap.importers.limits import MB


@dataclass(frozen=True)
class Source:
    """One activity file, found and decompressed, ready for its parser."""

    name: str  # what the runner sees: "runs/a.fit", "export.zip:activities/123.fit.gz"
    kind: str  # a format's name in `formats.FORMATS`: "fit" | "gpx" | "tcx"
    data: bytes  # decompressed content, at most `Limits.max_file_bytes`
    sport_hint: str | None = None  # a Strava export's "Activity Type" for the file ("Run"), if any


def ignored(name: str) -> bool:
    # macOS adds "._name" resource forks beside files and "__MACOSX/" copies of them in zips
    # it makes: they carry the extension of the real file but hold no activity.
    return name.startswith("._") or name == "__MACOSX"


def printable(text: str) -> str:
    # Names reach terminals and logs: no control characters or escape sequences, and no lone
    # surrogates (undecodable bytes in a file name), which could not even be printed.
    return "".join(c if c.isprintable() else "\ufffd" for c in text)


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member(member: str) -> str | None:
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


def size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def too_large(n: int, cap: int) -> str:
    return f"the file is too large to import ({size(n)}; the limit is {size(cap)})"


def disk_reason(e: Exception) -> str:
    if isinstance(e, PermissionError):
        return "cannot be read: permission denied"
    if isinstance(e, OSError) and e.strerror:
        return f"cannot be read: {e.strerror.lower()}"
    return f"cannot be read: {e}"
