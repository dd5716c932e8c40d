"""The use cases' own errors; each face turns them into its answer (an exit code, a 4xx)."""

from __future__ import annotations


class BadInput(ValueError):
    """The input breaks a rule: each problem names the field and what was wrong."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class NoProfile(LookupError):
    """The person has not done the intake yet."""

    def __init__(self, message: str = "no profile yet: answer the intake first") -> None:
        super().__init__(message)


class CannotOpen(RuntimeError):
    """The database cannot be opened or created; the message says why."""


class Busy(RuntimeError):
    """Another process held the database past the busy timeout; nothing was saved."""
