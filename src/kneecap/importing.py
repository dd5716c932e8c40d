"""Importing activity files for a person: find the files, parse each, analyse, store.

Each file is parsed and stored on its own, in its own transaction, so a broken file changes
nothing and never stops the others. The edges (CLI, later the web app) call `import_paths`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kneecap.core.analysis import summarise
from kneecap.importers.errors import ActivityFileError, UsageError
from kneecap.importers.limits import DEFAULT, Limits
from kneecap.importers.sources import iter_sources, parse
from kneecap.store.repository import Store


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    usage: list[tuple[str, str]] = field(default_factory=list)  # paths that were not usable
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "failed": [{"file": f, "error": e} for f, e in self.usage + self.failed],
            "warnings": [{"file": f, "warning": w} for f, w in self.warnings],
        }


def import_paths(
    store: Store,
    person_id: int,
    paths: Sequence[Path],
    zone: dt.tzinfo,
    now: dt.datetime,
    on_file: Callable[[str], None] | None = None,
    relative_to: Path | None = None,
    limits: Limits = DEFAULT,
) -> ImportReport:
    """Import `paths`; file names are reported and stored relative to `relative_to` when
    given (an upload's temporary folder is nobody's business). `limits` bounds what is read
    (file sizes, compression ratios, archive entries, XML depth)."""
    report = ImportReport()
    prefix = f"{relative_to}{os.sep}" if relative_to is not None else None

    def shown(name: str) -> str:
        return name.removeprefix(prefix) if prefix else name

    for item in iter_sources(paths, limits):
        if isinstance(item, ActivityFileError):
            target = report.usage if isinstance(item, UsageError) else report.failed
            target.append((shown(item.file or "?"), item.reason))
            if on_file:
                on_file(shown(item.file or "?"))
            continue
        name = shown(item.name)
        try:
            activities = parse(item, limits)
        except ActivityFileError as e:
            report.failed.append((name, e.reason))
        else:
            parts = []
            for a in activities:
                report.warnings += [(name, w) for w in a.warnings]
                parts.append((a, summarise(a), a.start.astimezone(zone).date()))
            sha = hashlib.sha256(item.data).hexdigest()
            original = (item.kind, item.data)  # kept, so an export gives the file back
            with store.transaction(person_id) as w:
                added, known = w.add_activities(name, sha, parts, now, original)
            report.imported += added
            report.duplicates += known
        if on_file:
            on_file(name)
    return report
