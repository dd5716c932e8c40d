"""The Runs pages: upload activity files, list the stored activities, and look at one run.

Uploads stream to a fresh temporary folder (at most `MAX_UPLOAD_BYTES` in all, counted as the
body arrives, so an oversized upload is refused before it fills the disk), each file is imported
on its own by `importing.import_paths` (the importers' own limits refuse zip bombs and broken
files with a reason), and the folder is deleted whatever happens. File names are reduced to their
base name: nothing the browser sends decides where a file lands.

One run's page shows its elevation profile and its route as server-side SVG, drawn by
`render.run_charts`: no map tiles, nothing from the network. The Runs page charts the weeks:
distance and downhill beside the worst knee pain the runner answered for the week's runs
(during, and the next morning), which Progress shows too. Distances and paces are in the
runner's units (Settings), written by `render.units`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kneecap.app import activities as app_activities
from kneecap.app import jobs as app_jobs
from kneecap.core.activity import Activity
from kneecap.core.analysis import MIN_DESCENT_M, distance_track, elevation_profile
from kneecap.core.running import RunRecord, monday, weekly_load
from kneecap.core.schema import PainScore, Record
from kneecap.importers import formats
from kneecap.importing import ImportReport
from kneecap.render import charts, units
from kneecap.render.run_charts import DOWNHILL_LABEL, LEVEL_LABEL, profile_both, route_both
from kneecap.running_status import own_running_of
from kneecap.web import jobs as web_jobs
from kneecap.web import problems, security
from kneecap.web.context import WRITE, ctx, page, programme, today, twin, use
from kneecap.web.settings import current
from kneecap.web.uploads import read_form

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 512 * MB  # one upload, all files together
MAX_UPLOAD_FILES = 200
CHUNK = 1 * MB
ACCEPT = formats.ACCEPT  # every registered format, gzipped files and .zip exports
FIELD = "files"
UPLOAD_PREFIX = "kneecap-upload-"
MAX_NAME = 120
WEEKS_SHOWN = 12  # the Runs page's weekly chart

router = APIRouter()

TOO_BIG = "the upload is larger than {mb} MB in all: upload fewer files at a time"
NO_FILES = (
    f"choose one or more activity files ({', '.join(formats.SUFFIXES)}, optionally "
    f"{formats.GZIP}, or a {formats.ZIP} export)"
)
EMPTY = "the file holds no activity"


# --- Formatting ----------------------------------------------------------------------------


def safe_name(raw: str | None, taken: set[str]) -> str:
    """The base name of an uploaded file: path parts, control characters and leading dots
    dropped, at most MAX_NAME characters (the suffix kept), unique within the upload."""
    base = re.split(r"[/\\]", raw or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip().lstrip(".").strip()
    if not base:
        base = "upload"
    if len(base) > MAX_NAME:
        stem, dot, suffix = base.rpartition(".")
        base = (
            stem[: MAX_NAME - len(suffix) - 1] + dot + suffix
            if dot and len(suffix) < 12
            else base[:MAX_NAME]
        )
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        stem, dot, suffix = base.partition(".")
        name = f"{stem}-{n}{dot}{suffix}"
    taken.add(name.lower())
    return name


# --- View-models ---------------------------------------------------------------------------


def run_row(r: RunRecord, unit: str = "km") -> dict[str, Any]:
    s = r.summary
    return {
        **r.to_dict(),
        "file": r.file,
        "url": f"/runs/{r.id}",
        "distance_km": round(s.distance_m / 1000, 2),
        "distance": units.distance_text(s.distance_m / 1000, unit),
        "time": units.clock_time(s.moving_time_s),
        "pace": units.pace_text(s.pace_s_per_km, unit),
        "climb_m": None if s.ascent_m is None else round(s.ascent_m),
        "climb": units.height_text(s.ascent_m, unit),
        "downhill_km": None if s.downhill_m is None else round(s.downhill_m / 1000, 2),
        "downhill": None
        if s.downhill_m is None
        else units.distance_text(s.downhill_m / 1000, unit),
        "cadence": None if s.cadence_spm is None else round(s.cadence_spm),
    }


def _worst(values: list[int | None]) -> int | None:
    answered = [v for v in values if v is not None]
    return max(answered) if answered else None


def run_weeks(
    runs: list[RunRecord], day: dt.date, weeks: int, unit: str = "km"
) -> list[dict[str, Any]]:
    """Week by week (Monday first, up to the week of `day`): the running distance and downhill
    (km, and in `unit`), and the worst knee pain the runner answered for the week's runs, during
    and the next morning (0-10; None when no run of the week has an answer)."""
    running = [r for r in runs if r.is_run and r.date <= day]
    out = []
    for w in weekly_load(running, [], [], day, weeks):
        mine = [r for r in running if monday(r.date) == w.start]
        out.append(
            {
                "week": w.start.isoformat(),
                "runs": w.runs,
                "distance_km": round(w.distance_km, 2),
                "downhill_km": round(w.downhill_km, 2),
                "distance": units.distance(w.distance_km, unit),
                "downhill": units.distance(w.downhill_km, unit),
                "units": unit,
                "worst_pain_during": _worst([r.pain_during for r in mine]),
                "worst_pain_next_morning": _worst([r.pain_next_morning for r in mine]),
            }
        )
    return out


PAIN_DURING = "pain during"
PAIN_NEXT_MORNING = "next morning"


def weeks_chart(rows: list[dict[str, Any]], ident: str) -> str | None:
    """The weekly distance and downhill as bars, the week's worst run pain (during, next
    morning) as points on a 0-10 axis, for a phone and for wider screens; None without running
    in those weeks (an empty chart says nothing)."""
    if not any(r["distance"] for r in rows):
        return None
    unit = rows[0]["units"]
    chart = charts.Chart(
        f"Weekly running distance and downhill ({unit}) with the worst knee pain of the week's runs",
        [r["week"][5:] for r in rows],
        [
            charts.Series(f"distance ({unit})", [r["distance"] for r in rows], "bar", "#1f6f5c"),
            charts.Series(f"downhill ({unit})", [r["downhill"] for r in rows], "bar", "#c0562f"),
        ],
        right=[
            charts.Series(
                PAIN_DURING,
                [r["worst_pain_during"] for r in rows],
                colour="#3a5fa8",
                marker="circle",
            ),
            charts.Series(
                PAIN_NEXT_MORNING,
                [r["worst_pain_next_morning"] for r in rows],
                colour="#1d2430",
                marker="square",
            ),
        ],
    )
    return charts.render_both(chart, ident, _weeks_words(rows))


def _weeks_words(rows: list[dict[str, Any]]) -> str:
    """The chart in words: each week with running (the latest eight), its figures as drawn."""
    unit = rows[0]["units"]
    ran = [r for r in rows if r["runs"]]
    said = []
    for r in ran[-8:]:
        pain = []
        if r["worst_pain_during"] is not None:
            pain.append(f"worst pain during a run {r['worst_pain_during']}/10")
        if r["worst_pain_next_morning"] is not None:
            pain.append(f"worst the next morning {r['worst_pain_next_morning']}/10")
        said.append(
            f"week of {r['week']}: {r['runs']} run{'s' if r['runs'] != 1 else ''}, "
            f"{r['distance']:.1f} {unit}, {r['downhill']:.1f} {unit} downhill"
            + (f", {', '.join(pain)}" if pain else ", no pain answered")
        )
    head = f"{len(rows)} weeks, {len(ran)} with running"
    return head + (": " + "; ".join(said) if said else "") + "."


@dataclass
class FileResult:
    """What became of one uploaded file."""

    file: str
    report: ImportReport = field(default_factory=ImportReport)

    @property
    def outcome(self) -> str:
        r = self.report
        failed = bool(r.failed or r.usage)
        if r.imported and not failed:
            return "imported"
        if r.duplicates and not r.imported and not failed:
            return "known"
        if (r.imported or r.duplicates) and failed:
            return "partly"
        return "failed"

    def to_dict(self) -> dict[str, Any]:
        d = self.report.to_dict()
        failed = d["failed"]
        warnings = d["warnings"]
        if not (self.report.imported or self.report.duplicates or failed):
            failed = [{"file": self.file, "error": EMPTY}]
        return {
            "file": self.file,
            "outcome": self.outcome,
            "imported": self.report.imported,
            "duplicates": self.report.duplicates,
            "failed": failed,
            "warnings": warnings,
        }


def merged(results: list[FileResult]) -> ImportReport:
    total = ImportReport()
    for r in results:
        total.imported += r.report.imported
        total.duplicates += r.report.duplicates
        total.failed += r.report.failed
        total.usage += r.report.usage
        total.warnings += r.report.warnings
    return total


def upload_answer(results: list[FileResult]) -> dict[str, Any]:
    """The JSON answer to an upload: `ImportReport.to_dict()` of all files, and each file's."""
    return {**merged(results).to_dict(), "files": [r.to_dict() for r in results]}


def upload_status(results: list[FileResult]) -> int:
    return 422 if results and all(r.outcome == "failed" for r in results) else 200


def runs_view(
    runs: list[RunRecord],
    results: list[FileResult] | None = None,
    error: str | None = None,
    unit: str = "km",
) -> dict[str, Any]:
    rows = [run_row(r, unit) for r in sorted(runs, key=lambda r: (r.start, r.id), reverse=True)]
    return {
        "units": unit,
        "runs": rows,
        "count": len(rows),
        "upload": None if results is None else upload_answer(results),
        "error": error,
        "accept": ACCEPT,
        "formats": formats.listed(formats.LABELS, "or"),
        "max_upload_mb": MAX_UPLOAD_BYTES // MB,
    }


def run_view(
    record: RunRecord, activity: Activity, zone: dt.tzinfo, unit: str = "km"
) -> dict[str, Any]:
    s = record.summary
    local = record.start.astimezone(zone)
    figures = [
        ("Date", f"{record.date.isoformat()} at {local.strftime('%H:%M')}"),
        ("Sport", record.sport.value + (f" ({record.sub_sport})" if record.sub_sport else "")),
        ("Distance", units.distance_text(s.distance_m / 1000, unit)),
        ("Moving time", units.clock_time(s.moving_time_s)),
        ("Elapsed time", units.clock_time(s.duration_s)),
        ("Pace", units.pace_text(s.pace_s_per_km, unit)),
        ("Climb", units.height_text(s.ascent_m, unit)),
        ("Descent", units.height_text(s.descent_m, unit)),
        (
            "Downhill",
            None if s.downhill_m is None else units.distance_text(s.downhill_m / 1000, unit),
        ),
        ("Cadence", None if s.cadence_spm is None else f"{s.cadence_spm:.0f} steps/min"),
        ("Step length", None if s.step_length_m is None else f"{s.step_length_m:.2f} m"),
        ("Heart rate", None if s.heart_rate is None else f"{s.heart_rate:.0f} bpm"),
        ("File", record.file),
    ]
    steepest = [
        {
            **d.to_dict(),
            "from_km": round(d.start_m / 1000, 2),
            "from": units.distance_text(d.start_m / 1000, unit),
            "length": units.height_text(d.length_m, unit),
            "drop": units.height_text(d.drop_m, unit),
            "text": f"from {units.distance_text(d.start_m / 1000, unit)}: "
            f"{units.height_text(d.length_m, unit)} dropping "
            f"{units.height_text(d.drop_m, unit)} ({100 * d.grade:.1f}%)".replace("-", "\u2212"),
        }
        for d in s.steepest
    ]
    track = distance_track(activity)
    profile = elevation_profile(activity, track) if activity.points else None
    route = route_both(activity, track, profile, unit) if activity.has_gps else None
    if activity.has_gps:
        no_route = None
    elif record.sub_sport == "treadmill":
        no_route = "No route: a treadmill run has no GPS positions."
    else:
        no_route = "No route: this activity has no GPS positions (treadmill or indoor)."
    return {
        "units": unit,
        "run": run_row(record, unit),
        "title": f"{record.sport.value.capitalize()} on {record.date.isoformat()}",
        "figures": [{"label": k, "value": v} for k, v in figures if v is not None],
        "steepest": steepest,
        "min_descent_m": MIN_DESCENT_M,
        "min_descent": units.height_text(MIN_DESCENT_M, unit),
        "profile_svg": None if profile is None else profile_both(profile, unit),
        "no_profile": None if profile is not None else "No elevation profile: no altitude data.",
        "route_svg": route,
        "no_route": no_route,
        "legend": [
            {"colour": "downhill", "label": DOWNHILL_LABEL},
            {"colour": "level", "label": LEVEL_LABEL},
        ],
    }


# --- Uploads -------------------------------------------------------------------------------


async def _read_upload(request: Request) -> tuple[Request, list[UploadFile]]:
    """The request as read (close it when done) and its uploaded files, once the CSRF token
    matches; 413 past MAX_UPLOAD_BYTES."""
    cap = MAX_UPLOAD_BYTES
    limited, form = await read_form(
        request, cap, TOO_BIG.format(mb=cap // MB), max_files=MAX_UPLOAD_FILES
    )
    files = [
        f
        for f in form.getlist(FIELD)
        if isinstance(f, UploadFile) and (f.filename or (f.size or 0) > 0)
    ]
    return limited, files


def _save(files: list[UploadFile], folder: Path) -> list[tuple[str, Path]]:
    """Copy each upload in chunks into `folder` under a safe base name."""
    taken: set[str] = set()
    saved = []
    for f in files:
        name = safe_name(f.filename, taken)
        target = folder / name
        f.file.seek(0)
        with target.open("xb") as out:
            while chunk := f.file.read(CHUNK):
                out.write(chunk)
        saved.append((name, target))
    return saved


def _chunks(f: UploadFile) -> Iterator[bytes]:
    f.file.seek(0)
    while chunk := f.file.read(CHUNK):
        yield chunk


def _submit(request: Request, files: list[UploadFile]) -> list[int]:
    """Clinic mode: each uploaded file (a whole export, usually) becomes an import job."""
    home = ctx(request).home
    ids = []
    taken: set[str] = set()
    for f in files:
        upload = (safe_name(f.filename, taken), _chunks(f))
        ids.append(use(app_jobs.submit, home, app_jobs.IMPORT, {}, upload))
    return ids


async def queued(request: Request) -> list[int] | None:
    """The ids of the import jobs an upload became, or None when no file was chosen."""
    programme(request, WRITE)
    read, files = await _read_upload(request)
    try:
        return await run_in_threadpool(_submit, request, files) if files else None
    finally:
        await read.close()


def _import(request: Request, files: list[UploadFile]) -> list[FileResult]:
    home = ctx(request).home
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    try:
        results = []
        for name, path in _save(files, folder):
            report = use(app_activities.import_files, home, [path], relative_to=folder)
            results.append(FileResult(name, report))
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- Routes --------------------------------------------------------------------------------


def activities(request: Request) -> list[RunRecord]:
    return use(app_activities.runs, ctx(request).home)


async def upload(request: Request) -> list[FileResult] | None:
    """The results, or None when no file was chosen."""
    programme(request, WRITE)
    read, files = await _read_upload(request)
    try:
        if not files:
            return None
        return await run_in_threadpool(_import, request, files)
    finally:
        await read.close()


@twin(
    router,
    "/runs",
    "runs.html",
    name="runs",
    summary="The stored activities (the Runs page's view-model)",
    decorate=lambda request, view: {**view, "weeks_chart": weeks_chart(view["weeks"], "weeks")},
)
def runs_model(request: Request) -> dict[str, Any]:
    p = programme(request)
    unit = current(request).units
    found = activities(request)
    view = runs_view(found, unit=unit)
    view["running"] = own_running_of(p)  # a runner who runs on their own, before the ladder
    view["weeks"] = run_weeks(found, today(request), WEEKS_SHOWN, unit)
    view["deleted"] = [
        {"id": r.id, "date": r.date.isoformat(), "sport": r.sport.value, "what": deleted_words(r)}
        for r in use(app_activities.deleted_runs, ctx(request).home)
    ]
    return view


# An activity as the runner says it: "your run", "your ride"
_NOUNS = {
    "running": "run",
    "walking": "walk",
    "hiking": "hike",
    "cycling": "ride",
    "swimming": "swim",
    "rowing": "row",
}


def day_words(day: dt.date) -> str:
    """ "Wednesday 9 December" (the year only a date would need is left out)."""
    return f"{day:%A} {day.day} {day:%B}"


def deleted_words(r: RunRecord) -> str:
    """ "your run of Wednesday 9 December" """
    return f"your {_NOUNS.get(r.sport.value, 'activity')} of {day_words(r.date)}"


@router.post("/runs", include_in_schema=False)
async def runs_upload(request: Request) -> Response:
    if app_jobs.in_background(ctx(request).home):
        ids = await queued(request)
        if ids:
            return web_jobs.accepted(request, ids, as_json=False)
        view = runs_view(activities(request), error=NO_FILES, unit=current(request).units)
        return page(request, "runs.html", view, 400)
    results = await upload(request)
    if results is None:
        view = runs_view(activities(request), error=NO_FILES, unit=current(request).units)
        return page(request, "runs.html", view, 400)
    view = runs_view(activities(request), results, unit=current(request).units)
    return page(request, "runs.html", view, upload_status(results))


@router.post(
    "/api/runs",
    summary="Upload activity files (multipart field `files`; token in X-CSRF-Token)",
)
async def runs_upload_json(request: Request) -> Response:
    from fastapi.responses import JSONResponse

    if app_jobs.in_background(ctx(request).home):
        ids = await queued(request)
        if not ids:
            raise HTTPException(400, NO_FILES)
        return web_jobs.accepted(request, ids, as_json=True)
    results = await upload(request)
    if results is None:
        raise HTTPException(400, NO_FILES)
    answer, status = upload_answer(results), upload_status(results)
    if status >= 400:  # the one error shape, with the upload's report beside it
        found = [
            {"field": "files", "rule": "not_imported", "message": f"{f['file']}: {f['error']}"}
            for f in answer["failed"][: problems.MAX_LISTED]
        ]
        answer = {
            "status": status,
            "error": problems.summary(found),
            "problems": found,
            **answer,
        }
    return JSONResponse(answer, status_code=status)


@twin(
    router,
    "/runs/{run_id}",
    "run.html",
    name="run",
    summary="One activity: figures, descents, profile and route",
)
def run_model(request: Request, run_id: str) -> dict[str, Any]:
    # ASCII digits only: str.isdigit() and int() also take full-width and other scripts'
    # digits (U+FF11 is 1), so one run would answer to many addresses.
    found = (
        use(app_activities.run, ctx(request).home, int(run_id))
        if run_id.isascii() and run_id.isdigit() and len(run_id) < 18
        else None
    )
    if found is None:
        raise HTTPException(404, f"no run with id '{run_id[:40]}'")
    view = run_view(*found, ctx(request).clock.zone(), current(request).units)
    record = found[0]
    view["id"] = record.id
    view["pain"] = {"during": record.pain_during, "next_morning": record.pain_next_morning}
    morning = app_activities.morning_after(record)
    view["morning"] = {
        "from": morning.isoformat(),
        "from_words": day_words(morning),
        "open": today(request) >= morning,  # before: "answer tomorrow morning", no field
    }
    return view


# --- how the knee felt, and deleting a run (with undo) ------------------------------------


class RunPain(Record):
    """How the knee felt during a run and the next morning (0-10 each; null: not answered)."""

    pain_during: PainScore | None = None
    pain_next_morning: PainScore | None = None


class Nothing(Record):
    """An empty JSON body (`{}`)."""


def _run_id(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) < 18):
        raise HTTPException(404, f"no run with id '{text[:40]}'")
    return int(text)


def _on_run(case: Callable[..., None], request: Request, run_id: str, *args: Any) -> int:
    number = _run_id(run_id)
    try:
        use(case, ctx(request).home, number, *args)
    except app_activities.NoSuchRun as exc:
        raise HTTPException(404, str(exc)) from None
    return number


def _form_pain(form: Any, name: str) -> int | None:
    typed = form.get(name)
    if not isinstance(typed, str) or not typed.strip():
        return None
    typed = typed.strip()
    if not (typed.isascii() and typed.isdigit() and int(typed) <= 10):
        raise HTTPException(422, f"{name}: give a whole number from 0 (none) to 10")
    return int(typed)


@router.post("/runs/{run_id}/pain", include_in_schema=False)
async def run_pain_form(request: Request, run_id: str) -> Response:
    form = await security.checked_form(request)
    during, morning = _form_pain(form, "pain_during"), _form_pain(form, "pain_next_morning")
    try:
        number = _on_run(app_activities.answer_run, request, run_id, during, morning)
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        # The run's page again, each answer as typed and the reason beside its field.
        view = run_model(request, run_id)
        view["pain"] = {"during": during, "next_morning": morning}
        view["errors"] = problems.field_errors(str(exc.detail).split("; "))
        return page(request, "run.html", view, 422)
    return RedirectResponse(f"/runs/{number}?answered=1", status_code=303)


@router.post("/api/runs/{run_id}/pain", summary="How the knee felt during a run and next morning")
def run_pain_json(request: Request, run_id: str, pain: RunPain) -> dict[str, Any]:
    number = _on_run(
        app_activities.answer_run, request, run_id, pain.pain_during, pain.pain_next_morning
    )
    return {"id": number, **pain.model_dump()}


@router.post("/runs/{run_id}/delete", include_in_schema=False)
async def run_delete_form(request: Request, run_id: str) -> Response:
    await security.checked_form(request)
    number = _on_run(app_activities.delete_run, request, run_id)
    return RedirectResponse(f"/runs?deleted={number}", status_code=303)


@router.post("/api/runs/{run_id}/delete", summary="Delete a run (it can be undone)")
def run_delete_json(request: Request, run_id: str, body: Nothing) -> dict[str, Any]:
    return {"deleted": _on_run(app_activities.delete_run, request, run_id)}


@router.post("/runs/{run_id}/restore", include_in_schema=False)
async def run_restore_form(request: Request, run_id: str) -> Response:
    await security.checked_form(request)
    number = _on_run(app_activities.undo_delete_run, request, run_id)
    return RedirectResponse(f"/runs/{number}", status_code=303)


@router.post("/api/runs/{run_id}/restore", summary="Undo a run's deletion")
def run_restore_json(request: Request, run_id: str, body: Nothing) -> dict[str, Any]:
    return {"restored": _on_run(app_activities.undo_delete_run, request, run_id)}
