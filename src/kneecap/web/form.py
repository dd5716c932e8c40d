"""The camera form check in the web (docs/form.md): "Check my form" from an exercise's page, the
player and the run check. The page records a short clip with the phone's camera (form.js,
MediaRecorder) or takes a video file; the upload streams to a temporary file (at most the
form check's `max_bytes`, counted as it arrives), is analysed (`app.form`), and is deleted
unless the runner ticked "keep it". The answer: reps, each rep's measures, the feedback, the
worst moment with the skeleton drawn and the knee's angle over the clip. Every refusal is a 4xx
with its reason: no file (400), too large (413), a clip that cannot be analysed (422), too
many clips at once (503 after a minute's wait, `Slots`).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kneecap.app import form as form_cases
from kneecap.app.context import Forbidden
from kneecap.app.errors import BadInput
from kneecap.core.form import MOVES, rep_words
from kneecap.formcheck.limits import DEFAULT
from kneecap.web import security
from kneecap.web.context import ctx, page, twin, use
from kneecap.web.uploads import read_form

router = APIRouter()

MB = 1024 * 1024
FIELD = "video"
CHUNK = MB
ACCEPT = "video/*,.mp4,.webm,.mov,.m4v,.mkv"
TOO_BIG = f"the video is larger than {DEFAULT.max_bytes // MB} MB: film a shorter clip (about 20 s)"
NO_FILE = "choose a video file, or record one with the camera"
BUSY = "the form check is busy with other clips: try again in a minute"
FOR_RUN_CHECK = "run-check"

GUIDANCE = (
    "Stand the phone still at hip height, 2-3 m away, upright: your whole body from head to "
    "feet in the picture, with a little room around it.",
    "Face the camera to check your knees and hips (knee control, pelvic drop); turn side-on "
    "to check how deep you go.",
    "Good light, plain background, one person in the picture; wear shorts or fitted trousers "
    "so the knees show.",
    f"A few slow reps are enough: 10-20 s, at most {DEFAULT.max_seconds:g} s.",
)


def _exercises() -> list[dict[str, str]]:
    return [{"id": m.id, "name": m.name} for m in MOVES.values()]


def form_view(request: Request, exercise: str | None, purpose: str | None) -> dict[str, Any]:
    home = ctx(request).home
    chosen = exercise if exercise in MOVES else None
    return {
        "available": form_cases.available(),
        "unavailable": None if form_cases.available() else form_cases.unavailable_reason(),
        "exercise": chosen,
        "exercise_name": MOVES[chosen].name if chosen else None,
        "exercises": _exercises(),
        "purpose": FOR_RUN_CHECK if purpose == FOR_RUN_CHECK else None,
        "guidance": list(GUIDANCE),
        "accept": ACCEPT,
        "max_mb": DEFAULT.max_bytes // MB,
        "max_seconds": DEFAULT.max_seconds,
        "clips": use(form_cases.kept_clips, home, request.app.state.data_folder),
        "result": None,
        "error": None,
    }


@twin(
    router,
    "/form",
    "form.html",
    name="form",
    summary="The camera form check: filming guidance, the exercises it knows, the kept clips",
)
def form_model(
    request: Request, exercise: str | None = None, purpose: str | None = None
) -> dict[str, Any]:
    return form_view(request, exercise, purpose)


async def _read(request: Request) -> tuple[Request, dict[str, Any], UploadFile | None]:
    """The request as read (close it when done), its fields and its video, once the CSRF token
    matches; 413 past the form check's size cap."""
    cap = DEFAULT.max_bytes + MB  # the form's other fields and the multipart framing
    limited, form = await read_form(request, cap, TOO_BIG, max_files=2, max_fields=20)
    video = form.get(FIELD)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not isinstance(video, UploadFile) or not (video.filename or (video.size or 0) > 0):
        return limited, fields, None
    return limited, fields, video


def _suffix(video: UploadFile) -> str:
    """The clip's suffix from its name, else from its first bytes (a phone may send "blob" or
    "clip" alone), so a kept clip is stored and served as what it is."""
    suffix = Path(video.filename or "").suffix.lower()
    if suffix in form_cases.SUFFIXES:
        return suffix
    video.file.seek(0)
    head = video.file.read(12)
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska, of which WebM is a kind
        return ".webm"
    if head[4:8] == b"ftyp":
        return ".mov" if head[8:10] == b"qt" else ".mp4"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return ".avi"
    return ".mp4"


def _analyse(request: Request, video: UploadFile, fields: dict[str, Any]) -> form_cases.FormCheck:
    folder = Path(tempfile.mkdtemp(prefix="kneecap-form-upload-"))
    try:
        path = folder / f"clip{_suffix(video)}"
        video.file.seek(0)
        with path.open("xb") as out:
            shutil.copyfileobj(video.file, out, CHUNK)
        exercise = fields.get("exercise") or None
        view = fields.get("view") or None  # "" is "let Kneecap tell"; anything else is checked
        return use(
            form_cases.check,
            ctx(request).home,
            path,
            exercise=exercise,
            view=view,
            keep=fields.get("keep") == "yes",
            data_folder=request.app.state.data_folder,
            suffix=path.suffix,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Slots:
    """How many clips one server process analyses at once (each in a worker of its own, up to
    a few hundred MB and a core), and how long a clip waits for its turn before the answer is
    503: a burst of uploads queues instead of pushing every analysis past its time limit."""

    at_once: int = 2
    wait_s: float = 60.0
    free: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.free = asyncio.Semaphore(self.at_once)


def _slots(request: Request) -> Slots:
    state = request.app.state
    if getattr(state, "form_slots", None) is None:
        state.form_slots = Slots()
    slots: Slots = state.form_slots
    return slots


async def _checked(
    request: Request, read: Request, fields: dict[str, Any], video: UploadFile | None
) -> form_cases.FormCheck:
    try:
        if video is None:
            raise HTTPException(400, NO_FILE)
        if (video.size or 0) > DEFAULT.max_bytes:  # within the cap the framing is allowed
            raise HTTPException(413, TOO_BIG)
        slots = _slots(request)
        try:
            await asyncio.wait_for(slots.free.acquire(), slots.wait_s)
        except TimeoutError:
            raise HTTPException(503, BUSY, headers={"Retry-After": "60"}) from None
        try:
            return await run_in_threadpool(_analyse, request, video, fields)
        finally:
            slots.free.release()
    finally:
        await read.close()


def run_check_answers(check: form_cases.FormCheck) -> dict[str, str] | None:
    """The run check's movement questions as the clip answers them (front view only): a fault
    seen on any rep is a yes."""
    r = check.result
    if r.view != "front" or not r.reps:
        return None
    kinds = {w.kind for w in r.warnings}
    answers = {"knee_caved_in": "yes" if "valgus" in kinds else "no"}
    if r.measured.get("pelvic_drop"):
        answers["pelvis_dropped"] = "yes" if "pelvic_drop" in kinds else "no"
    return answers


def result_view(check: form_cases.FormCheck) -> dict[str, Any]:
    from kneecap.render import form as drawings

    r = check.result
    series = check.series
    reps = [
        {"number": rep.number, **data, "words": rep_words(rep, r.move)}
        for rep, data in zip(r.reps, check.to_dict()["per_rep"], strict=True)
    ]
    return {
        **check.to_dict(),
        "exercise_name": r.move.name,
        "counted": r.counted(),
        "per_rep_words": reps,
        "feedback": list(r.feedback),
        "kept": check.kept,
        "run_check": run_check_answers(check),
        "not_measured": (
            "Knee control and pelvic drop are read from the front: film facing the camera to see them."
            if r.view == "side"
            else "Depth is read from the side: film side-on to see how deep you go."
        ),
        "frame_svg": drawings.frame_svg(
            r,
            series.points[r.worst_frame],
            (series.width, series.height),
            check.frame_jpeg,
        ),
        "chart_svg": drawings.knee_chart(r),
    }


@router.post("/form", include_in_schema=False)
async def form_upload(request: Request) -> Response:
    fields: dict[str, Any] = {}
    try:
        read, fields, video = await _read(request)
        check = await _checked(request, read, fields, video)
    except HTTPException as no:
        if no.status_code not in (400, 408, 413, 422, 503):
            raise
        view = form_view(request, fields.get("exercise"), fields.get("purpose"))  # as chosen
        view["error"] = str(no.detail)
        answer = page(request, "form.html", view, no.status_code)
        answer.headers.update(no.headers or {})
        return answer
    view = form_view(request, fields.get("exercise"), fields.get("purpose"))
    view["result"] = result_view(check)
    view["clips"] = use(form_cases.kept_clips, ctx(request).home, request.app.state.data_folder)
    return page(request, "form.html", view)


@router.post(
    "/api/form",
    summary="Analyse a clip (multipart field `video`, optional `exercise`, `view`, `keep`; "
    "token in X-CSRF-Token): the JSON of `kneecap form --json`, with the feedback",
)
async def form_upload_json(request: Request) -> Response:
    check = await _checked(request, *await _read(request))
    data = {**check.to_dict(), "feedback": list(check.result.feedback), "kept": check.kept}
    return JSONResponse(data)


@router.get("/form/clips/{clip_id}", summary="A kept clip's video", include_in_schema=False)
def kept_clip(request: Request, clip_id: str) -> Response:
    try:
        path = form_cases.kept_clip(ctx(request).home, request.app.state.data_folder, clip_id)
    except BadInput as no:
        raise HTTPException(404, str(no)) from None
    except Forbidden as no:
        raise HTTPException(403, str(no)) from None
    return FileResponse(path, filename=path.name)


@router.post("/form/clips/{clip_id}/delete", include_in_schema=False)
async def delete_clip(request: Request, clip_id: str) -> Response:
    await security.checked_form(request)
    try:
        form_cases.delete_clip(ctx(request).home, request.app.state.data_folder, clip_id)
    except BadInput as no:
        raise HTTPException(404, str(no)) from None
    except Forbidden as no:
        raise HTTPException(403, str(no)) from None
    return RedirectResponse("/form#kept", status_code=303)
