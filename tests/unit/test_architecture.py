"""Imports point inward: core uses only the standard library, pydantic, numpy and itself;
render reads core and the catalogue, never the store or the faces."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import kneecap
import kneecap.core
import kneecap.render

ALLOWED = {"pydantic", "numpy", "kneecap"}
# What render must not reach: the store, the faces, the use cases and the modules that wire the
# store in (rendering turns data it is given into artefacts; it fetches nothing).
RENDER_NEVER = ("store", "web", "cli", "app", "programme", "importing", "reviews")


def test_core_imports_nothing_outward() -> None:
    core = Path(kneecap.core.__file__).parent
    for path in core.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in ALLOWED, (
                    f"{path.name} imports {name}"
                )
                if top == "kneecap":
                    assert name.startswith("kneecap.core"), f"{path.name} imports {name}"


def test_core_never_reads_the_clock() -> None:
    core = Path(kneecap.core.__file__).parent
    for path in core.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("date.today(", "datetime.now(", "time.time("):
            assert banned not in text, f"{path.name} calls {banned}"


def _kneecap_imports(path: Path) -> list[str]:
    """Every kneecap module `path` imports, at the top or inside a function, relative or not."""
    package = "kneecap." + ".".join(path.relative_to(Path(kneecap.__file__).parent).parts[:-1])
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found += [module] + [f"{module}.{a.name}" for a in node.names]
    return [name for name in found if name.split(".")[0] == "kneecap"]


def test_render_never_imports_the_store_or_the_faces() -> None:
    render = Path(kneecap.render.__file__).parent
    files = list(render.rglob("*.py"))
    assert len(files) > 5, "the render package is where the test looks"
    for path in files:
        for name in _kneecap_imports(path):
            parts = name.split(".")
            assert len(parts) < 2 or parts[1] not in RENDER_NEVER, (
                f"render/{path.relative_to(render)} imports {name}"
            )


# The faces (CLI and web) reach the data through the use cases (`kneecap.app`), never the store
# or the modules that wire it; the use cases never import a face.
FACES_NEVER = ("store",)
APP_NEVER = ("web", "cli")


def _package_files(name: str) -> list[Path]:
    return list((Path(kneecap.__file__).parent / name).rglob("*.py"))


def test_the_faces_import_the_use_cases_never_the_store() -> None:
    for face in ("cli", "web"):
        files = _package_files(face)
        assert len(files) > 3, f"the {face} package is where the test looks"
        for path in files:
            for name in _kneecap_imports(path):
                parts = name.split(".")
                assert len(parts) < 2 or parts[1] not in FACES_NEVER, (
                    f"{face}/{path.name} imports {name}: call a use case in kneecap.app"
                )


def test_the_use_cases_never_import_a_face() -> None:
    for path in _package_files("app"):
        for name in _kneecap_imports(path):
            parts = name.split(".")
            assert len(parts) < 2 or parts[1] not in APP_NEVER, f"app/{path.name} imports {name}"


def test_no_face_reads_the_environment_for_the_date() -> None:
    """Today is the clock's, read once at the edge (`kneecap.app.clock.Clock.from_env`)."""
    for face in ("cli", "web", "app"):
        for path in _package_files(face):
            text = path.read_text(encoding="utf-8")
            for banned in ("settings.today(", "settings.now_utc(", "clock.now_utc("):
                assert banned not in text, f"{face}/{path.name} calls {banned}"


# The web's route modules are routers the factory adds; what they share is `web/context.py`,
# so none of them imports the factory (`web/app.py`), and outside web/ only the CLI's `serve`
# does.
ROUTE_MODULES = {
    *("onboarding", "clearance", "forms", "runs", "progress", "settings", "pages"),
    *("pwa", "reminders", "rtr", "documents", "data", "auth", "form", "clinic"),
    "jobs",
    "overrides",
}


def _imports_the_factory(path: Path) -> list[str]:
    return [
        name
        for name in _kneecap_imports(path)
        if name == "kneecap.web.app" or name.startswith("kneecap.web.app.")
    ]


def test_no_web_module_imports_the_factory() -> None:
    package = Path(kneecap.__file__).parent
    for path in package.rglob("*.py"):
        where = path.relative_to(package)
        if where == Path("web/app.py") or where.parts[0] == "cli":
            continue
        assert not _imports_the_factory(path), (
            f"{where} imports the web factory: take the request helpers from kneecap.web.context"
        )


def test_the_route_modules_are_routers_the_factory_adds(tmp_path: Path) -> None:
    import importlib
    import pkgutil

    from fastapi import APIRouter
    from fastapi.routing import APIRoute
    from starlette.routing import Mount, Route

    import kneecap.web
    from kneecap.settings import Settings
    from kneecap.web.app import ROUTERS, create_app

    routers: dict[str, APIRouter] = {}
    for info in pkgutil.iter_modules(kneecap.web.__path__):
        module = importlib.import_module(f"kneecap.web.{info.name}")
        assert not hasattr(module, "register"), f"web/{info.name}.py: routes go on its router"
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            routers[info.name] = router
    assert set(routers) == ROUTE_MODULES
    assert {id(r) for r in ROUTERS} == {id(r) for r in routers.values()}
    app = create_app(Settings.resolve(tmp_path / "home", "sqlite://"))
    try:
        listed = app.routes
        for name, router in routers.items():
            assert router.routes, f"web/{name}.py has no routes"
            for route in router.routes:
                assert any(route is r for r in listed), f"{name}: {route} is not in the app"
        # Flat, so the Guard and every listing of app.routes see each route and its path.
        for route in listed:
            assert isinstance(route, APIRoute | Route | Mount), f"{route!r} is not a route"
    finally:
        app.state.store.close()
