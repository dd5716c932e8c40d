"""The Runs pages: upload activity files, list the stored activities, and look at one run.

Uploads stream to a fresh temporary folder (at most `MAX_UPLOAD_BYTES` in all, counted as the
body arrives, so an oversized upload is refused before it fills the disk), each file is imported
on its own by `importing.import_paths` (the importers' own limits refuse zip bombs and broken
files with a reason), and the folder is deleted whatever happens. File names are reduced to their
base name: nothing the browser sends decides where a file lands.

One run's page draws its elevation profile and its route as server-side SVG: no map tiles,
nothing from the network. Downhill stretches (grade steeper than `DOWNHILL_GRADE`, the
LOAD-DOWNHILL rule) are coloured the same way in both.
"""

from __future__ import annotations

import itertools
import math
import re
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from kneecap import settings as clock
from kneecap.core.activity import Activity
from kneecap.core.analysis import (
    DOWNHILL_GRADE,
    GRID_M,
    MIN_DESCENT_M,
    ElevationProfile,
    descents,
    distance_track,
    elevation_profile,
)
from kneecap.core.running import RunRecord
from kneecap.importers import formats
from kneecap.importing import ImportReport, import_paths
from kneecap.web import problems, security

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 512 * MB  # one upload, all files together
MAX_UPLOAD_FILES = 200
CHUNK = 1 * MB
ACCEPT = formats.ACCEPT  # every registered format, gzipped files and .zip exports
FIELD = "files"
UPLOAD_PREFIX = "kneecap-upload-"
MAX_NAME = 120

LEVEL_COLOUR = "#1f6f5c"
DOWNHILL_COLOUR = "#c0562f"
DOWNHILL_LABEL = f"Downhill, steeper than {DOWNHILL_GRADE * 100:.0f}%".replace("-", "\u2212")
LEVEL_LABEL = "Level or uphill"
FONT = 14  # SVG text size (user units: about 7 px on a 360-px phone)
MAX_POINTS = 1500  # points drawn per SVG line, after thinning

NO_PROFILE = "no profile yet: complete the onboarding first"
TOO_BIG = "the upload is larger than {mb} MB in all: upload fewer files at a time"
NO_FILES = (
    f"choose one or more activity files ({', '.join(formats.SUFFIXES)}, optionally "
    f"{formats.GZIP}, or a {formats.ZIP} export)"
)
EMPTY = "the file holds no activity"


class UploadTooBig(Exception):
    """The request body passed MAX_UPLOAD_BYTES while it was being read."""


# --- Formatting ----------------------------------------------------------------------------


def clock_time(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def pace_text(s_per_km: float | None) -> str | None:
    return None if s_per_km is None else f"{clock_time(s_per_km)} /km"


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


def run_row(r: RunRecord) -> dict[str, Any]:
    s = r.summary
    return {
        **r.to_dict(),
        "file": r.file,
        "url": f"/runs/{r.id}",
        "distance_km": round(s.distance_m / 1000, 2),
        "time": clock_time(s.moving_time_s),
        "pace": pace_text(s.pace_s_per_km),
        "climb_m": None if s.ascent_m is None else round(s.ascent_m),
        "downhill_km": None if s.downhill_m is None else round(s.downhill_m / 1000, 2),
        "cadence": None if s.cadence_spm is None else round(s.cadence_spm),
    }


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
    runs: list[RunRecord], results: list[FileResult] | None = None, error: str | None = None
) -> dict[str, Any]:
    rows = [run_row(r) for r in sorted(runs, key=lambda r: (r.start, r.id), reverse=True)]
    return {
        "runs": rows,
        "count": len(rows),
        "upload": None if results is None else upload_answer(results),
        "error": error,
        "accept": ACCEPT,
        "formats": formats.listed(formats.LABELS, "or"),
        "max_upload_mb": MAX_UPLOAD_BYTES // MB,
    }


def run_view(record: RunRecord, activity: Activity) -> dict[str, Any]:
    s = record.summary
    local = record.start.astimezone(clock.local_zone())
    figures = [
        ("Date", f"{record.date.isoformat()} at {local.strftime('%H:%M')}"),
        ("Sport", record.sport.value + (f" ({record.sub_sport})" if record.sub_sport else "")),
        ("Distance", f"{s.distance_m / 1000:.2f} km"),
        ("Moving time", clock_time(s.moving_time_s)),
        ("Elapsed time", clock_time(s.duration_s)),
        ("Pace", pace_text(s.pace_s_per_km)),
        ("Climb", None if s.ascent_m is None else f"{s.ascent_m:.0f} m"),
        ("Descent", None if s.descent_m is None else f"{s.descent_m:.0f} m"),
        ("Downhill", None if s.downhill_m is None else f"{s.downhill_m / 1000:.2f} km"),
        ("Cadence", None if s.cadence_spm is None else f"{s.cadence_spm:.0f} steps/min"),
        ("Step length", None if s.step_length_m is None else f"{s.step_length_m:.2f} m"),
        ("Heart rate", None if s.heart_rate is None else f"{s.heart_rate:.0f} bpm"),
        ("File", record.file),
    ]
    steepest = [
        {
            **d.to_dict(),
            "from_km": round(d.start_m / 1000, 2),
            "text": f"from km {d.start_m / 1000:.2f}: {d.length_m:.0f} m dropping "
            f"{d.drop_m:.0f} m ({100 * d.grade:.1f}%)".replace("-", "\u2212"),
        }
        for d in s.steepest
    ]
    track = distance_track(activity)
    profile = elevation_profile(activity, track) if activity.points else None
    route = route_svg(activity, track, profile) if activity.has_gps else None
    if activity.has_gps:
        no_route = None
    elif record.sub_sport == "treadmill":
        no_route = "No route: a treadmill run has no GPS positions."
    else:
        no_route = "No route: this activity has no GPS positions (treadmill or indoor)."
    return {
        "run": run_row(record),
        "title": f"{record.sport.value.capitalize()} on {record.date.isoformat()}",
        "figures": [{"label": k, "value": v} for k, v in figures if v is not None],
        "steepest": steepest,
        "min_descent_m": MIN_DESCENT_M,
        "profile_svg": None if profile is None else profile_svg(profile),
        "no_profile": None if profile is not None else "No elevation profile: no altitude data.",
        "route_svg": route,
        "no_route": no_route,
        "legend": [
            {"colour": "downhill", "label": DOWNHILL_LABEL},
            {"colour": "level", "label": LEVEL_LABEL},
        ],
    }


# --- SVG -----------------------------------------------------------------------------------


def _samples(n: int) -> list[int]:
    """The indices of at most about MAX_POINTS of n points, first and last included."""
    step = max(1, math.ceil(n / MAX_POINTS))
    return [*range(0, n - 1, step), n - 1]


def _flags(mask: Any, idx: list[int]) -> list[bool]:
    """Whether each drawn step (between consecutive sampled points) is mostly in `mask`."""
    return [bool(mask[a:b].mean() >= 0.5) for a, b in itertools.pairwise(idx)]


def _nice_step(span: float, ticks: int) -> float:
    raw = max(span / ticks, 1e-9)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return float(m * magnitude)
    return float(10 * magnitude)


def _runs_of(flags: list[bool]) -> list[tuple[int, int, bool]]:
    """Maximal runs of equal flags as (first step, last step + 1, flag)."""
    out: list[tuple[int, int, bool]] = []
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            out.append((start, i, flags[start]))
            start = i
    return out


def _fmt_km(km: float) -> str:
    return f"{km:.0f}" if km == int(km) else f"{km:g}"


def profile_svg(p: ElevationProfile) -> str:
    width, height = 640, 240
    left, right, top, bottom = 54, 16, 34, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    km = p.distance_m / 1000
    alt = p.altitude_m
    lo, hi = float(alt.min()), float(alt.max())
    if hi - lo < 20:
        mid = (hi + lo) / 2
        lo, hi = mid - 10, mid + 10
    step_y = _nice_step(hi - lo, 3)
    lo, hi = math.floor(lo / step_y) * step_y, math.ceil(hi / step_y) * step_y
    total_km = max(float(km[-1]), 1e-6)

    def x(v: float) -> float:
        return left + plot_w * v / total_km

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    idx = _samples(len(alt))
    flags = _flags(downhill_mask(p), idx)
    pts = [(x(float(km[i])), y(float(alt[i]))) for i in idx]
    base = top + plot_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'class="chart profile" aria-labelledby="profile-title profile-desc">',
        '<title id="profile-title">Elevation profile</title>',
        f'<desc id="profile-desc">{escape(_profile_words(p))}</desc>',
    ]
    v = lo
    while v <= hi + 1e-9:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#d9ddd8" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="{FONT}" text-anchor="end" '
            f'fill="#5b6576">{v:.0f}</text>'
        )
        v += step_y
    step_x = _nice_step(total_km, 8)
    v = 0.0
    while v <= total_km + 1e-9:
        parts.append(
            f'<text x="{x(v):.1f}" y="{height - 24}" font-size="{FONT}" text-anchor="middle" '
            f'fill="#5b6576">{_fmt_km(round(v, 3))}</text>'
        )
        v += step_x
    parts.append(
        f'<text x="{width - right}" y="{height - 3}" font-size="{FONT}" text-anchor="end" '
        'fill="#5b6576">distance (km)</text>'
        f'<text x="4" y="16" font-size="{FONT}" fill="#5b6576">altitude (m)</text>'
    )
    area = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
    parts.append(
        f'<polygon points="{left:.1f},{base:.1f} {area} {pts[-1][0]:.1f},{base:.1f}" '
        'fill="#e3efe9"/>'
    )
    for a, b, flag in _runs_of(flags):
        if flag:
            seg = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts[a : b + 1])
            parts.append(
                f'<polygon class="downhill" points="{pts[a][0]:.1f},{base:.1f} {seg} '
                f'{pts[b][0]:.1f},{base:.1f}" fill="#f6dccf"/>'
            )
    for a, b, flag in _runs_of(flags):
        seg = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts[a : b + 1])
        colour, w = (DOWNHILL_COLOUR, 3.5) if flag else (LEVEL_COLOUR, 2)
        parts.append(
            f'<polyline points="{seg}" fill="none" stroke="{colour}" stroke-width="{w}" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" stroke="#5b6576"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def downhill_mask(p: ElevationProfile) -> Any:
    """Per profile step: inside one of the run's descents (`analysis.descents`: stretches steeper
    than DOWNHILL_GRADE that drop enough to count), so the drawing agrees with the downhill
    distance in the figures and ignores a lone steep step of GPS wobble."""
    mask = np.zeros(len(p.grade), dtype=bool)
    for d in descents(p):
        first = round(d.start_m / GRID_M)
        mask[first : first + round(d.length_m / GRID_M)] = True
    return mask


def _stretches(p: ElevationProfile) -> list[tuple[float, float]]:
    """The downhill stretches as (start km, end km)."""
    return [(d.start_m / 1000, (d.start_m + d.length_m) / 1000) for d in descents(p)]


def _profile_words(p: ElevationProfile) -> str:
    alt = p.altitude_m
    stretches = _stretches(p)
    down_km = sum(b - a for a, b in stretches)
    words = (
        f"Altitude over {p.distance_m[-1] / 1000:.2f} km: starts at {alt[0]:.0f} m, lowest "
        f"{alt.min():.0f} m, highest {alt.max():.0f} m, ends at {alt[-1]:.0f} m. "
    )
    if not stretches:
        return words + "No stretch is steeper than " + f"{DOWNHILL_GRADE * 100:.0f}% downhill."
    listed = ", ".join(f"km {a:.2f} to {b:.2f}" for a, b in stretches[:6])
    more = f" and {len(stretches) - 6} more" if len(stretches) > 6 else ""
    return words + (
        f"{len(stretches)} downhill stretch{'es' if len(stretches) > 1 else ''} steeper than "
        f"{DOWNHILL_GRADE * 100:.0f}%, {down_km:.2f} km in all, drawn in orange: {listed}{more}."
    )


def route_svg(a: Activity, track: Any, p: ElevationProfile | None) -> str | None:
    ok = np.isfinite(a.lat) & np.isfinite(a.lon)
    if ok.sum() < 2:
        return None
    lat, lon, dist = a.lat[ok], a.lon[ok], np.asarray(track)[ok]
    lat0 = float(np.radians(lat.mean()))
    # Equirectangular: east and north in metres from the mean position.
    east = np.radians(lon - lon.mean()) * 6_371_008.8 * math.cos(lat0)
    north = np.radians(lat - lat.mean()) * 6_371_008.8
    width, height, pad = 640, 420, 28
    span_e = max(float(east.max() - east.min()), 1.0)
    span_n = max(float(north.max() - north.min()), 1.0)
    scale = min((width - 2 * pad) / span_e, (height - 2 * pad) / span_n)
    mid_e, mid_n = float(east.max() + east.min()) / 2, float(north.max() + north.min()) / 2
    xs = width / 2 + (east - mid_e) * scale
    ys = height / 2 - (north - mid_n) * scale
    if p is not None and len(p.grade):
        cell = np.clip((dist / GRID_M).astype(np.int64), 0, len(p.grade) - 1)
        down = downhill_mask(p)[cell]
    else:
        down = np.zeros(len(xs), dtype=bool)
    idx = _samples(len(xs))
    pts = [(float(xs[i]), float(ys[i])) for i in idx]
    flags = _flags(down, idx)
    km = float(dist[-1] - dist[0]) / 1000
    words = (
        f"The route, {km:.2f} km, drawn from the recorded positions "
        f"({span_e / 1000:.2f} km east to west, {span_n / 1000:.2f} km north to south). "
        "The start is a green circle, the finish a dark square."
    )
    if p is not None:
        words += " Downhill stretches steeper than " + f"{DOWNHILL_GRADE * 100:.0f}% are orange."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'class="chart route" aria-labelledby="route-title route-desc">',
        '<title id="route-title">Route map</title>',
        f'<desc id="route-desc">{escape(words)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f4f6f2"/>',
    ]
    for s, e, flag in _runs_of(flags):
        seg = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts[s : e + 1])
        colour, w = (DOWNHILL_COLOUR, 5) if flag else (LEVEL_COLOUR, 3)
        parts.append(
            f'<polyline points="{seg}" fill="none" stroke="{colour}" stroke-width="{w}" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    parts.append(_scale_bar(scale, height))
    (sx, sy), (fx, fy) = pts[0], pts[-1]
    parts.append(
        f'<rect x="{fx - 7:.1f}" y="{fy - 7:.1f}" width="14" height="14" fill="#1d2430" '
        'stroke="#fff" stroke-width="2"><title>Finish</title></rect>'
        f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="8" fill="#2e9d4f" stroke="#fff" '
        'stroke-width="2"><title>Start</title></circle>'
    )
    if math.hypot(fx - sx, fy - sy) > 60:
        parts.append(_label("Start", sx, sy, _side(sx, width)))
        parts.append(_label("Finish", fx, fy, _side(fx, width)))
    else:
        parts.append(_label("Start and finish", sx, sy, _side(sx, width, 150)))
    parts.append("</svg>")
    return "".join(parts)


def _side(x: float, width: int, room: int = 80) -> int:
    return 1 if x < width - room else -1


def _label(text: str, x: float, y: float, side: int) -> str:
    anchor = "start" if side > 0 else "end"
    return (
        f'<text x="{x + 13 * side:.1f}" y="{y + 4:.1f}" font-size="{FONT + 2}" font-weight="700" '
        f'text-anchor="{anchor}" fill="#1d2430" stroke="#fff" stroke-width="3" '
        f'paint-order="stroke">{escape(text)}</text>'
    )


def _scale_bar(px_per_m: float, height: int) -> str:
    metres = _nice_step(120 / px_per_m, 1)
    length = metres * px_per_m
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    y = height - 12
    return (
        f'<line x1="12" x2="{12 + length:.1f}" y1="{y}" y2="{y}" stroke="#1d2430" '
        'stroke-width="2"/>'
        f'<line x1="12" x2="12" y1="{y - 4}" y2="{y + 4}" stroke="#1d2430" stroke-width="2"/>'
        f'<line x1="{12 + length:.1f}" x2="{12 + length:.1f}" y1="{y - 4}" y2="{y + 4}" '
        'stroke="#1d2430" stroke-width="2"/>'
        f'<text x="{16 + length:.1f}" y="{y + 4}" font-size="{FONT}" fill="#1d2430">'
        f"{escape(label)}</text>"
    )


# --- Uploads -------------------------------------------------------------------------------


def _capped(
    receive: Callable[[], Awaitable[Message]], cap: int
) -> Callable[[], Awaitable[Message]]:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                raise UploadTooBig
        return message

    return counted


async def _read_upload(request: Request) -> tuple[Request, list[UploadFile]]:
    """The request as read (close it when done) and its uploaded files, once the CSRF token
    matches; 413 past MAX_UPLOAD_BYTES."""
    cap = MAX_UPLOAD_BYTES
    too_big = HTTPException(413, TOO_BIG.format(mb=cap // MB))
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise too_big
    limited = Request(request.scope, _capped(request.receive, cap))
    try:
        header = request.headers.get(security.HEADER)
        if header is not None:
            reason = security.token_reason(request, header)
            if reason is not None:
                raise HTTPException(403, reason)
            form = await limited.form(max_files=MAX_UPLOAD_FILES)
        else:
            form = await security.checked_form(limited)
    except UploadTooBig:
        await limited.close()
        raise too_big from None
    except BaseException:
        await limited.close()
        raise
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


def _import(request: Request, files: list[UploadFile]) -> list[FileResult]:
    from kneecap.web.app import ctx

    c = ctx(request)
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    try:
        results = []
        for name, path in _save(files, folder):
            report = import_paths(
                c.store, c.person, [path], clock.local_zone(), clock.now_utc(), None, folder
            )
            results.append(FileResult(name, report))
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- Routes --------------------------------------------------------------------------------


def register(app: FastAPI) -> None:
    from kneecap.web.app import ctx, page, programme_or_none

    def activities(request: Request) -> list[RunRecord]:
        c = ctx(request)
        return c.store.activities(c.person)

    async def upload(request: Request) -> list[FileResult] | None:
        """The results, or None when no file was chosen."""
        if programme_or_none(request) is None:
            raise HTTPException(409, NO_PROFILE)
        read, files = await _read_upload(request)
        try:
            if not files:
                return None
            return await run_in_threadpool(_import, request, files)
        finally:
            await read.close()

    @app.get("/runs", response_class=HTMLResponse, include_in_schema=False)
    def runs_page(request: Request) -> Response:
        if programme_or_none(request) is None:
            return RedirectResponse("/onboarding", status_code=303)
        return page(request, "runs.html", runs_view(activities(request)))

    @app.get("/api/runs", summary="The stored activities (the Runs page's view-model)")
    def runs_json(request: Request) -> dict[str, Any]:
        if programme_or_none(request) is None:
            raise HTTPException(404, NO_PROFILE)
        return runs_view(activities(request))

    @app.post("/runs", include_in_schema=False)
    async def runs_upload(request: Request) -> Response:
        results = await upload(request)
        if results is None:
            view = runs_view(activities(request), error=NO_FILES)
            return page(request, "runs.html", view, 400)
        view = runs_view(activities(request), results)
        return page(request, "runs.html", view, upload_status(results))

    @app.post(
        "/api/runs",
        summary="Upload activity files (multipart field `files`; token in X-CSRF-Token)",
    )
    async def runs_upload_json(request: Request) -> Response:
        from fastapi.responses import JSONResponse

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

    def run_model(request: Request, run_id: str) -> dict[str, Any]:
        c = ctx(request)
        # ASCII digits only: str.isdigit() and int() also take full-width and other scripts'
        # digits (U+FF11 is 1), so one run would answer to many addresses.
        found = (
            c.store.activity(c.person, int(run_id))
            if run_id.isascii() and run_id.isdigit() and len(run_id) < 18
            else None
        )
        if found is None:
            raise HTTPException(404, f"no run with id '{run_id[:40]}'")
        return run_view(*found)

    @app.get("/runs/{run_id}", response_class=HTMLResponse, include_in_schema=False)
    def run_page(request: Request, run_id: str) -> Response:
        return page(request, "run.html", run_model(request, run_id))

    @app.get("/api/runs/{run_id}", summary="One activity: figures, descents, profile and route")
    def run_json(request: Request, run_id: str) -> dict[str, Any]:
        return run_model(request, run_id)
