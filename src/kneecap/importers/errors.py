"""The one error type that leaves the importers. Third-party and decoding exceptions never do."""

from __future__ import annotations


class ActivityFileError(Exception):
    """A file that cannot be imported, with the reason in words a runner can act on.

    Parsers raise it with the reason only; the dispatcher adds the file name (and the archive
    member) so the message says what was wrong and where.
    """

    def __init__(self, reason: str, file: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.file = file

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}" if self.file else self.reason
