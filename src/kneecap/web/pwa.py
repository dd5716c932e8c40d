"""The app on the phone's home screen: the web app manifest, the icons and the service worker.

The service worker (`static/sw.js`) is served at the root, `/sw.js`, so its scope is the whole
app. Its cache name carries a digest of the static files and of itself, so any change to them
installs a new worker that fills a new cache and deletes the old ones. Browsers register a
service worker only in a secure context (https, or loopback http): elsewhere the pages work as
they always do, without it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse, Response

from kneecap import __version__

router = APIRouter()

STATIC = Path(str(resources.files("kneecap.web"))) / "static"
NAME = "Kneecap"
THEME = "#1f6f5c"  # app.css --accent, the icon's ground
BACKGROUND = "#f7f8f6"  # app.css --bg
# name -> (side in pixels, framing)
ICONS: dict[str, tuple[int, Literal["any", "maskable"]]] = {
    "icon-192.png": (192, "any"),
    "icon-512.png": (512, "any"),
    "maskable-512.png": (512, "maskable"),
    "apple-touch-icon.png": (180, "maskable"),  # iOS rounds the corners itself
}
NO_STORE = {"Cache-Control": "no-cache"}


def manifest() -> dict[str, Any]:
    return {
        "name": f"{NAME}: runner's knee coach",
        "short_name": NAME,
        "description": "Today's session, guided, and a plan that adapts to your knee.",
        "id": "/today",
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {"src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {
                "src": "/icons/maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": "/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest_file() -> Response:
    return JSONResponse(manifest(), media_type="application/manifest+json", headers=NO_STORE)


@router.get("/icons/{name}", include_in_schema=False)
def icon(name: str) -> Response:
    from kneecap.render import icons  # numpy: only when an icon is drawn

    cache = {"Cache-Control": "max-age=86400"}
    if name == "icon.svg":
        return Response(icons.svg(), media_type="image/svg+xml", headers=cache)
    if name not in ICONS:
        raise HTTPException(404, f"no icon called '{name[:60]}'")
    side, framing = ICONS[name]
    return Response(icons.png(side, framing), media_type="image/png", headers=cache)


@cache
def version() -> str:
    """A digest of the static files (the worker included) and Kneecap's version: the name of
    the worker's cache."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    body = (STATIC / "sw.js").read_text(encoding="utf-8").replace("__VERSION__", version())
    return Response(body, media_type="text/javascript", headers=NO_STORE)
