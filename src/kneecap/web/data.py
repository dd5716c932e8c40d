"""Your data on the web: Settings → Your data. "Download all my data" is the export archive
(`app.portable.export`, the same zip as `kneecap export`), "Delete everything" deletes every
record of the runner (`app.portable.forget`) once they type DELETE, then starts the app over at
the onboarding. The JSON twins: `GET /api/data` (the archive's `data.json` document and its
files' list) and `POST /api/data/forget` with `{"confirm": "DELETE"}`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kneecap.app import portable
from kneecap.core.schema import Record
from kneecap.web import security
from kneecap.web import settings as settings_page
from kneecap.web.context import ONBOARDING, Context, ctx, page, use
from kneecap.web.onboarding import text

router = APIRouter()

CONFIRM = "DELETE"
CONFIRM_ERROR = f"Type {CONFIRM} in capitals to delete everything."


def _download(request: Request) -> Response:
    home = ctx(request).home
    found = use(portable.export, home, _data_folder(request))
    name = f"kneecap-export-{home.clock.today().isoformat()}.zip"
    return Response(
        found.archive,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/settings/data.zip",
    summary="Download all my data: the export archive (docs/export.md)",
    response_class=Response,
)
async def download(request: Request) -> Response:
    return await run_in_threadpool(_download, request)


@router.post("/settings/data.zip", include_in_schema=False)
async def download_form(request: Request) -> Response:
    await security.checked_form(request)
    return await run_in_threadpool(_download, request)


@router.get("/api/data", summary="All my data: the export's data.json document")
def data_json(request: Request) -> dict[str, Any]:
    import io
    import zipfile

    found = use(portable.export, ctx(request).home, _data_folder(request))
    with zipfile.ZipFile(io.BytesIO(found.archive)) as zf:
        document: dict[str, Any] = json.loads(zf.read("data.json"))
        notes: list[str] = json.loads(zf.read("manifest.json"))["notes"]
    return {"files": found.files, "notes": notes, "data": document}


def _data_folder(request: Request) -> Path | None:
    folder: Path | None = getattr(request.app.state, "data_folder", None)
    return folder


def _forget(request: Request) -> portable.Forgotten:
    """Delete everything of the runner; the app then serves a new, empty runner of the same
    name (the onboarding)."""
    c: Context = ctx(request)
    gone = use(portable.forget, c.home, _data_folder(request))
    c.home = portable.start_again(c.home, gone.name)
    return gone


@router.post("/settings/forget", include_in_schema=False)
async def forget_form(request: Request) -> Response:
    form = await security.checked_form(request)
    typed = text(form, "confirm") or ""
    if typed.strip() != CONFIRM:
        view = settings_page.settings_model(request)
        view.update(
            entered=view["profile"] | view["preferences"],
            errors={},
            saved=False,
            forget={"typed": typed, "error": CONFIRM_ERROR},
        )
        return page(request, "settings.html", view, 422)
    await run_in_threadpool(_forget, request)
    return RedirectResponse(ONBOARDING, status_code=303)


class Confirm(Record):
    """`{"confirm": "DELETE"}`: yes, delete everything."""

    confirm: str


@router.post("/api/data/forget", summary="Delete everything of mine (no undo)")
def forget_json(request: Request, body: Confirm) -> dict[str, Any]:
    if body.confirm != CONFIRM:
        raise HTTPException(422, f"confirm: {CONFIRM_ERROR}")
    return _forget(request).to_dict()
