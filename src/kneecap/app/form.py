"""The camera form check, once for both faces: a clip analysed (its pose found in a worker
process, `formcheck.run`; the analysis in `core/form.py`; the picture and the chart drawn by
`render/form.py`), and the clips a runner chose to keep, in the data folder.

A clip is not kept unless the runner asks: the upload is analysed from a temporary file that is
deleted with the worker's folder. A kept clip is stored under `form-clips/<person>/` in the data
folder with its result beside it (`<id>.json`), listed newest first, and deleted on request.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput
from kneecap.core.form import MOVES, VIEWS, CannotAnalyse, FormResult, Series, View, analyse
from kneecap.formcheck.limits import DEFAULT, Limits

CLIPS = "form-clips"
CLIP_ID = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{8}$")
SUFFIXES = (".mp4", ".webm", ".mov", ".m4v", ".mkv", ".3gp", ".avi")
MAX_KEPT = 30  # clips one person keeps at most ...
MAX_KEPT_BYTES = 2 * 1024**3  # ... and their bytes: a clip is up to 100 MB


@dataclass(frozen=True)
class FormCheck:
    """One analysed clip: the result, the landmarks, the worst frame as a small JPEG."""

    result: FormResult
    series: Series
    frame_jpeg: bytes | None
    kept: str | None = None  # the kept clip's id

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_dict()


def exercise_problem(exercise: str | None) -> str | None:
    if exercise is None or exercise in MOVES:
        return None
    return f"exercise: '{exercise[:60]}' has no form check; choose one of {', '.join(MOVES)}"


def analyse_clip(
    video: Path, exercise: str | None = None, view: str | None = None, limits: Limits = DEFAULT
) -> FormCheck:
    """The clip's reps, depth, knee control and feedback; `BadInput` with the reason for a
    file that cannot be analysed (or where the pose model is not installed)."""
    from kneecap.formcheck import run

    problem = exercise_problem(exercise)
    if problem is None and view is not None and view not in VIEWS:
        problem = f"view: '{view[:20]}' is not front or side"
    if problem is not None:
        raise BadInput(problem)
    seen: View | None = "front" if view == "front" else "side" if view == "side" else None
    try:
        with run.posed(video, limits) as posed:
            result = analyse(posed.series, exercise, seen)
            return FormCheck(result, posed.series, posed.jpeg(result.worst_frame))
    except CannotAnalyse as no:
        raise BadInput(no.reason) from None
    except run.Unavailable as no:
        raise BadInput(str(no)) from None


def available() -> bool:
    from kneecap.formcheck import run

    return run.available()


def unavailable_reason() -> str:
    from kneecap.formcheck import run

    return run.UNAVAILABLE


# --- kept clips ----------------------------------------------------------------------------


def _folder(home: Home, data_folder: Path) -> Path:
    return data_folder / CLIPS / str(home.person)


def check(
    home: Home,
    video: Path,
    *,
    exercise: str | None,
    view: str | None,
    keep: bool,
    data_folder: Path,
    suffix: str = ".mp4",
    limits: Limits = DEFAULT,
) -> FormCheck:
    """Analyse an uploaded clip; keep it (and its result) only when asked, and when there is
    room (`BadInput` before the analysis when there is not)."""
    require(home.actor, Action.LOG if keep else Action.READ, home.person)
    if keep:
        _room_for(video, home, data_folder)
    done = analyse_clip(video, exercise, view, limits)
    if not keep:
        return done
    from kneecap.settings import private_file, private_folder

    folder = _folder(home, data_folder)
    private_folder(folder)
    clip_id = f"{home.clock.now():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
    kept = folder / f"{clip_id}{suffix if suffix in SUFFIXES else '.mp4'}"
    shutil.copyfile(video, kept)
    private_file(kept)
    about = {
        "id": clip_id,
        "file": kept.name,
        "saved": home.clock.now().isoformat(timespec="seconds"),
        "feedback": list(done.result.feedback),
        **done.to_dict(),
    }
    (folder / f"{clip_id}.json").write_text(json.dumps(about), encoding="utf-8")
    private_file(folder / f"{clip_id}.json")
    return FormCheck(done.result, done.series, done.frame_jpeg, clip_id)


def kept_videos(home: Home, data_folder: Path) -> list[Path]:
    """The video files of the person's kept clips (their results beside them left out)."""
    folder = _folder(home, data_folder)
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES) if folder.is_dir() else []


def _room_for(video: Path, home: Home, data_folder: Path) -> None:
    kept = kept_videos(home, data_folder)
    used = sum(p.stat().st_size for p in kept)
    if len(kept) >= MAX_KEPT or used + video.stat().st_size > MAX_KEPT_BYTES:
        raise BadInput(
            f"keep: {len(kept)} clips ({used / 1024**2:.0f} MB) are kept already, the most is "
            f"{MAX_KEPT} clips or {MAX_KEPT_BYTES // 1024**3} GB: delete some first, or check "
            "this one without keeping it"
        )


def kept_clips(home: Home, data_folder: Path) -> list[dict[str, Any]]:
    """The kept clips, newest first: id, file, when saved, the exercise, reps and feedback."""
    require(home.actor, Action.READ, home.person)
    folder = _folder(home, data_folder)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json"), reverse=True):
        try:
            about = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(about, dict) and CLIP_ID.match(str(about.get("id", ""))):
            found.append(about)
    return found


def kept_clip(home: Home, data_folder: Path, clip_id: str) -> Path:
    """The kept clip's video file; `BadInput` when there is no such clip."""
    require(home.actor, Action.READ, home.person)
    for about in kept_clips(home, data_folder):
        if about["id"] == clip_id:
            path = _folder(home, data_folder) / str(about["file"])
            if path.is_file():
                return path
    raise BadInput(f"no kept clip '{clip_id[:40]}'")


def delete_clip(home: Home, data_folder: Path, clip_id: str) -> None:
    """Delete a kept clip and its result."""
    require(home.actor, Action.LOG, home.person)
    if not CLIP_ID.match(clip_id):
        raise BadInput(f"no kept clip '{clip_id[:40]}'")
    video = kept_clip(home, data_folder, clip_id)
    video.unlink(missing_ok=True)
    (video.parent / f"{clip_id}.json").unlink(missing_ok=True)
