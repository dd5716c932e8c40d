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


class UsageError(ActivityFileError):
    """A path the runner gave that is missing or is not something kneecap imports.

    Distinct from a file that was found but could not be read, so the command line can treat it
    as a usage error (exit code 2) rather than a failed import.
    """
