"""Your data in the terminal: what an export wrote, what a restore brought back, what forget
deletes or deleted. Each prints text, or JSON alone with `as_json`."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from rich.markup import escape

from kneecap.cli.common import EXIT_BAD_INPUT, emit_json, fail, out

if TYPE_CHECKING:
    from kneecap.app.portable import Exported, Forgotten, Restored


def kept(file: Path, found: Exported, force: bool) -> Exported:
    """Write the archive, privately (0600); an existing file only with --force."""
    from kneecap.settings import write_private

    if file.exists() and not force:
        fail(f"{file} exists: choose another name, or add --force to write over it")
    try:
        write_private(file, found.archive)
    except OSError as exc:
        fail(f"cannot write {file}: {exc.strerror}")
    return found


def exported(file: Path, found: Exported, as_json: bool) -> None:
    if as_json:
        emit_json({"file": str(file), "bytes": len(found.archive), **found.to_dict()})
        return
    from kneecap.app.portable import described

    out.print(f"Exported {escape(described(found.records))} to {escape(str(file))}.")
    if found.tracks:
        out.print(
            f"{len(found.tracks)} run(s) were imported before Kneecap kept activity files: "
            "their samples are in the archive instead (tracks/)."
        )
    if found.clips_left_out:
        out.print(
            f"{len(found.clips_left_out)} form-check clip(s) you kept are not in the archive "
            "(videos): they stay in the data folder's form-clips/ (see the archive's notes)."
        )


def bundle(file: Path, found: dict[str, Any], force: bool, as_json: bool) -> None:
    """Write the FHIR Bundle privately (0600); an existing file only with --force."""
    import json

    from kneecap.settings import write_private

    if file.exists() and not force:
        fail(f"{file} exists: choose another name, or add --force to write over it")
    data = (json.dumps(found, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        write_private(file, data)
    except OSError as exc:
        fail(f"cannot write {file}: {exc.strerror}")
    entries = len(found.get("entry", []))
    if as_json:
        emit_json({"file": str(file), "bytes": len(data), "entries": entries})
        return
    out.print(f"Wrote a FHIR Bundle of {entries} entries to {escape(str(file))}.")


def tables(written: list[Path], as_json: bool) -> None:
    if as_json:
        emit_json({"files": [str(p) for p in written]})
        return
    for path in written:
        out.print(f"Wrote {escape(str(path))}")


def restored(file: Path, found: Restored, as_json: bool) -> None:
    if as_json:
        emit_json(found.to_dict())
        return
    from kneecap.app.portable import described

    out.print(f"Restored {escape(described(found.records))} from {escape(str(file))}.")
    for note in found.notes:
        out.print(f"Note: {escape(note)}.")


def would_forget(found: Forgotten) -> NoReturn:
    from kneecap.app.portable import described

    files = f" and {len(found.files)} remembered answer file(s)" if found.files else ""
    who = "" if found.name == "me" else f"--user {shlex.quote(found.name)} "  # as typed
    fail(
        f"this would delete everything of {found.name!r}: {described(found.records)}{files}. "
        f"There is no undo ('kneecap {who}export FILE.zip' keeps a copy): run "
        f"'kneecap {who}forget --yes' to delete it",
        EXIT_BAD_INPUT,
    )


def forgotten(found: Forgotten, as_json: bool) -> None:
    if as_json:
        emit_json(found.to_dict())
        return
    from kneecap.app.portable import described

    out.print(f"Deleted everything of {escape(found.name)}: {escape(described(found.records))}.")
