"""The Progress page: pain, AKPS, adherence, running and cadence charts, the phase and what the
next one needs, the decisions timeline, and the AKPS questionnaire as a form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from kneecap.app import read
from kneecap.app.kujala import record_akps
from kneecap.core import akps as kujala
from kneecap.core import decisions
from kneecap.core import progress as prog
from kneecap.core.running import cadence_target, weekly_load
from kneecap.programme import Programme
from kneecap.render import charts
from kneecap.render.units import distance
from kneecap.web import security
from kneecap.web.context import ctx, programme, today, twin, use
from kneecap.web.runs import run_weeks, weeks_chart
from kneecap.web.settings import current

WEEKS_SHOWN = 26
DECISIONS_SHOWN = 50  # rows, newest first; repeated holds are one row each

router = APIRouter()


def progress_view(p: Programme, today: dt.date) -> dict[str, Any]:
    weeks = prog.weeks(
        p.profile, p.catalogue, p.screening, p.status, p.sessions, p.checkins, today, WEEKS_SHOWN
    )
    nxt = prog.next_phase(p.status, p.catalogue, p.sessions, p.checkins, today)
    results = []
    previous = None
    for date, score in p.akps:
        r = kujala.Result(date, score, previous)
        results.append(
            {
                "date": date.isoformat(),
                "score": score,
                "change": r.change,
                "meaningful": r.meaningful,
            }
        )
        previous = score
    load = weekly_load(list(p.runs), list(p.checkins), list(p.sessions), today, WEEKS_SHOWN)
    cadence = cadence_target(list(p.runs))
    return {
        "date": today.isoformat(),
        "phase": {"id": p.status.phase.value, "label": p.status.phase.label},
        "purpose": p.status.phase.purpose,
        "next_phase": {
            "to": nxt.to.value if nxt.to else None,
            "label": nxt.to.label if nxt.to else None,
            "criteria": [c.to_dict() for c in nxt.criteria],
        },
        "weeks": [w.to_dict() for w in weeks],
        "akps": {
            "results": results,
            "due": kujala.due(p.akps[-1][0] if p.akps else None, today),
            "meaningful_change": kujala.MEANINGFUL_CHANGE,
        },
        "running": [w.to_dict() for w in load],
        "run_pain": run_weeks(list(p.runs), today, WEEKS_SHOWN),
        "cadence": None if cadence is None else cadence.to_dict(),
        "decisions": [decisions.row_to_dict(r) for r in p.timeline()][:DECISIONS_SHOWN],
    }


def progress_charts(view: dict[str, Any], units: str = "km") -> dict[str, str]:
    """The page's charts; distances in `units` ("km" or "mi", the runner's preference)."""
    weeks = view["weeks"]
    labels = [w["week_start"][5:] for w in weeks]
    out = {
        "pain": charts.render_both(
            charts.Chart(
                "Knee pain week by week (0-10)",
                labels,
                [
                    charts.Series("morning", [w["morning"] for w in weeks]),
                    charts.Series("usual", [w["usual"] for w in weeks]),
                    charts.Series("worst", [w["worst"] for w in weeks]),
                ],
                y_max=10,
            ),
            "pain",
        ),
        "adherence": charts.render_both(
            charts.Chart(
                "Sessions planned, done and extra each week",
                labels,
                [
                    charts.Series("planned", [w["planned"] for w in weeks], "bar", "#c9d3cf"),
                    charts.Series("done", [w["done"] for w in weeks], "bar"),
                    charts.Series("extra", [w["extra"] for w in weeks], "bar", "#8a6d1d"),
                ],
            ),
            "adherence",
        ),
    }
    results = view["akps"]["results"]
    if results:
        first = results[0]["score"]
        band = kujala.MEANINGFUL_CHANGE
        out["akps"] = charts.render_both(
            charts.Chart(
                "AKPS knee score (0-100, higher is better)",
                [r["date"][5:] for r in results],
                [charts.Series("AKPS", [r["score"] for r in results])],
                y_max=100,
                bands=[
                    charts.Band(
                        max(0, first - band),
                        min(100, first + band),
                        f"within {band} points of your first score: normal ups and downs",
                    )
                ],
            ),
            "akps",
        )
    if view["run_pain"]:
        rows = [
            {
                **w,
                "units": units,
                "distance": distance(w["distance_km"], units),
                "downhill": distance(w["downhill_km"], units),
            }
            for w in view["run_pain"]
        ]
        out["run_pain"] = weeks_chart(rows, "run-pain") or ""
    running = view["running"]
    if running:
        run_labels = [w["week"][5:] for w in running]
        out["running"] = charts.render_both(
            charts.Chart(
                f"Weekly running distance ({units}) with morning pain",
                run_labels,
                [
                    charts.Series(
                        f"distance ({units})",
                        [
                            None
                            if w["distance_km"] is None
                            else distance(w["distance_km"], units, 1)
                            for w in running
                        ],
                        "bar",
                    )
                ],
                right=charts.Series("morning pain", [w["morning_pain"] for w in running]),
            ),
            "running",
        )
        cadence = [w["cadence_spm"] for w in running]
        if any(c is not None for c in cadence):
            target = view["cadence"]["target_spm"] if view["cadence"] else None
            out["cadence"] = charts.render_both(
                charts.Chart(
                    "Cadence (steps per minute)" + (f", target {target}" if target else ""),
                    run_labels,
                    [
                        charts.Series("cadence", cadence),
                        *(
                            [charts.Series("target", [target] * len(cadence), colour="#c0562f")]
                            if target
                            else []
                        ),
                    ],
                    y_max=max([c for c in cadence if c] + [target or 0]) * 1.1,
                ),
                "cadence",
            )
    return out


def _with_charts(request: Request, view: dict[str, Any]) -> dict[str, Any]:
    """What only the page shows: the charts and the AKPS questionnaire."""
    akps_form = [
        {"title": item.title, "options": [text for text, _ in item.options]}
        for item in kujala.ITEMS
    ]
    units = current(request).units
    drawn = ctx(request).memo(f"progress-charts-{units}", lambda: progress_charts(view, units))
    return {**view, "charts": drawn, "akps_form": akps_form}


@twin(
    router,
    "/progress",
    "progress.html",
    name="progress",
    summary="Progress (the Progress page's view-model)",
    decorate=_with_charts,
)
def progress_model(request: Request) -> dict[str, Any]:
    # The revision first: what is shown is of it or newer, so a page that polls for a newer one
    # (static/app.js) misses no write made while it was drawn.
    revision = read.revision(ctx(request).home)
    p = programme(request)
    view: dict[str, Any] = ctx(request).memo("progress", lambda: progress_view(p, today(request)))
    return {**view, "revision": revision}


@router.get("/api/progress/charts", summary="The Progress page's charts as SVG, for live updates")
def progress_charts_json(request: Request) -> dict[str, Any]:
    view = progress_model(request)
    units = current(request).units
    drawn: dict[str, str] = ctx(request).memo(
        f"progress-charts-{units}", lambda: progress_charts(view, units)
    )
    return {"revision": read.revision(ctx(request).home), "charts": drawn}


@router.post("/akps", include_in_schema=False)
async def akps_form(request: Request) -> Response:
    form = await security.checked_form(request)
    answers: list[int] = []
    for n, item in enumerate(kujala.ITEMS):
        raw = form.get(f"q{n}")
        if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit() and len(raw) < 3):
            raise HTTPException(422, f"answers[{n}] ({item.title}): choose one answer")
        answers.append(int(raw))
    score = use(record_akps, ctx(request).home, answers).score
    return RedirectResponse(f"/progress?akps={score}#akps", status_code=303)
