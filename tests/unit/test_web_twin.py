"""`web.context.twin`: one view-model served as a page and as its `/api/` JSON twin, and the
"no profile yet" answer of each."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.templating import Jinja2Templates

from kneecap.app import NoProfile
from kneecap.web.context import NO_PROFILE, READ, WRITE, NoProfileYet, programme, twin, use


def app_with(router: APIRouter, tmp_path: Path) -> FastAPI:
    (tmp_path / "word.html").write_text("<p>{{ v.word }}{{ v.extra }}</p>", encoding="utf-8")
    app = FastAPI()
    app.state.templates = Jinja2Templates(directory=str(tmp_path))
    clock = SimpleNamespace(today=lambda: dt.date(2026, 12, 7))
    app.state.ctx = SimpleNamespace(clock=clock, programme=lambda: None)
    app.router.routes.extend(router.routes)
    return app


def get(app: FastAPI, path: str) -> httpx.Response:
    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.get(path)

    return asyncio.run(fetch())


def test_the_page_and_its_twin_come_from_one_view_model(tmp_path: Path) -> None:
    router = APIRouter()

    def extra(request: Request, view: dict[str, Any]) -> dict[str, Any]:
        return {**view, "extra": "!"}

    @twin(router, "/word", "word.html", name="word", summary="A word", decorate=extra)
    def word_model(request: Request, word: str = "hi") -> dict[str, Any]:
        return {"word": word}

    app = app_with(router, tmp_path)
    page = get(app, "/word?word=yo")
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert page.text == "<p>yo!</p>"  # the page's own additions
    assert get(app, "/api/word?word=yo").json() == {"word": "yo"}  # the model as it is
    assert word_model(Request({"type": "http"}), "x") == {"word": "x"}  # still a function
    names = {getattr(r, "name", None): getattr(r, "path", None) for r in app.routes}
    assert names["word_page"] == "/word"
    assert names["word_json"] == "/api/word"
    spec = app.openapi()["paths"]
    assert "/word" not in spec
    operation = spec["/api/word"]["get"]
    assert operation["summary"] == "A word"
    assert operation["operationId"] == "word_json_api_word_get"
    assert [p["name"] for p in operation["parameters"]] == ["word"]


def test_before_the_onboarding_the_page_goes_there_and_the_twin_is_404(tmp_path: Path) -> None:
    router = APIRouter()

    @twin(router, "/plan", "word.html", name="plan", summary="The plan")
    def plan_model(request: Request) -> dict[str, Any]:
        programme(request)
        raise AssertionError("not reached without a profile")

    app = app_with(router, tmp_path)
    app.state.ctx.programme = _no_profile
    page = get(app, "/plan")
    assert (page.status_code, page.headers["location"]) == (303, "/onboarding")
    answer = get(app, "/api/plan")
    assert (answer.status_code, answer.json()) == (404, {"detail": NO_PROFILE})


def test_a_read_is_404_and_a_write_409_with_the_same_reason() -> None:
    assert (READ, WRITE) == (404, 409)
    assert (NoProfileYet().status_code, NoProfileYet().detail) == (READ, NO_PROFILE)
    with pytest.raises(NoProfileYet) as refused:
        use(_no_profile)  # a use case's NoProfile is a write's answer
    assert (refused.value.status_code, refused.value.detail) == (WRITE, NO_PROFILE)


def test_a_view_model_takes_the_request_first() -> None:
    with pytest.raises(TypeError, match="takes the request first"):

        @twin(APIRouter(), "/x", "x.html", name="x", summary="x")
        def x_model(word: str) -> dict[str, Any]:
            return {}


def _no_profile() -> None:
    raise NoProfile()
