"""Background jobs on the web: `/jobs/{id}` (the page: progress while the job runs, refreshed
every few seconds without any script, then its result) and `/api/jobs/{id}` (its JSON twin:
state, progress, result or error), `/jobs/{id}/file` (a report job's PDF). A runner sees only
their own jobs; another's id is 404. In clinic mode an upload on Runs and a report ask answer
202 with the job (`accepted`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from kneecap.app import jobs
from kneecap.web.context import ctx, page, use

router = APIRouter()

REFRESH_SECONDS = 2  # how often the page asks again while the job runs


def _job_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise HTTPException(404, "no such job")
    return int(text)


def job(request: Request, job_id: str) -> jobs.Job:
    try:
        return use(jobs.status, ctx(request).home, _job_id(job_id))
    except jobs.NoSuchJob:
        raise HTTPException(404, "no such job") from None


def job_view(found: jobs.Job) -> dict[str, Any]:
    view = found.to_dict()
    view["finished"] = found.finished
    view["status_url"] = f"/api/jobs/{found.id}"
    view["page_url"] = f"/jobs/{found.id}"
    if found.kind == jobs.REPORT and found.state == "done":
        view["file_url"] = f"/jobs/{found.id}/file"
    return view


def accepted(request: Request, job_ids: list[int], as_json: bool) -> Response:
    """The answer to a request whose work went to a background job: 202 with the job(s)."""
    views = [job_view(job(request, str(i))) for i in job_ids]
    headers = {"Location": views[0]["page_url"]}
    if as_json:
        return JSONResponse({"jobs": views}, status_code=202, headers=headers)
    answer = page(request, "job.html", {**views[0], "others": views[1:]}, 202)
    answer.headers.update({**headers, "Refresh": str(REFRESH_SECONDS)})
    return answer


@router.get("/jobs/{job_id}", include_in_schema=False)
def job_page(request: Request, job_id: str) -> Response:
    found = job(request, job_id)
    answer = page(request, "job.html", {**job_view(found), "others": []})
    if not found.finished:
        answer.headers["Refresh"] = str(REFRESH_SECONDS)
    return answer


@router.get("/api/jobs/{job_id}", summary="A background job: state, progress, result or error")
def job_json(request: Request, job_id: str) -> dict[str, Any]:
    return job_view(job(request, job_id))


@router.get("/jobs/{job_id}/file", summary="The document a finished report job made (PDF)")
def job_file(request: Request, job_id: str) -> Response:
    try:
        name, body = use(jobs.output, ctx(request).home, _job_id(job_id))
    except jobs.NoSuchJob:
        raise HTTPException(404, "no such document") from None
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
