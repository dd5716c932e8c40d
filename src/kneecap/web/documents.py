"""The printable documents as PDF: `/handout.pdf` (this week's exercises, the pain rules) and
`/report.pdf?from=&to=` (the progress report for a clinician). WeasyPrint loads on the first
document asked for. In clinic mode the report is rendered by a background job: the ask answers
202 with the job's page (or its JSON, for `Accept: application/json`), whose result links the
PDF."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from kneecap.app import documents, jobs
from kneecap.web import jobs as web_jobs
from kneecap.web.context import ctx, programme, use

router = APIRouter()


def _pdf(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


@router.get("/handout.pdf", summary="This week's exercise handout (PDF)")
def handout_pdf(request: Request, letter: bool = False) -> Response:
    from kneecap.render.documents import handout_html, to_pdf

    programme(request)  # 404 before the onboarding
    view = use(documents.handout, ctx(request).home, letter)
    return _pdf(to_pdf(handout_html(view)), f"kneecap-handout-{view.first.isoformat()}.pdf")


@router.get("/report.pdf", summary="The progress report for your physio (PDF)")
def report_pdf(
    request: Request,
    first: Annotated[dt.date | None, Query(alias="from")] = None,
    last: Annotated[dt.date | None, Query(alias="to")] = None,
    letter: bool = False,
) -> Response:
    from kneecap.render.documents import report_html, to_pdf

    programme(request)
    home = ctx(request).home
    if jobs.in_background(home):  # clinic mode: rendered by a worker, fetched when done
        payload = {"from": _iso(first), "to": _iso(last), "letter": letter}
        job_id = use(jobs.submit, home, jobs.REPORT, payload)
        return web_jobs.accepted(request, [job_id], as_json=_wants_json(request))
    view = use(documents.report, ctx(request).home, first, last, letter)
    return _pdf(to_pdf(report_html(view)), f"kneecap-report-{view.last.isoformat()}.pdf")
