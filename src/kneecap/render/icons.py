"""The app's icon, drawn here once as shapes and written as SVG or as PNG of any size.

A bent leg (thigh, shin and foot in white) with the kneecap in gold, on the app's green. Two
framings: `any` (a rounded square, the corners transparent) and `maskable` (the background to
the edges, the drawing inside the central safe circle that launchers never crop). The PNG is
rasterised with numpy from the same shapes (signed distances, one sample per pixel, an
anti-aliased edge) and written with zlib: no imaging library.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

Framing = Literal["any", "maskable"]

GREEN = "#1f6f5c"  # the app's accent (app.css --accent) and the manifest's theme colour
WHITE = "#ffffff"
GOLD = "#f0b429"
CORNER = 0.22  # the rounded square's corner radius, as a share of the side


@dataclass(frozen=True)
class Capsule:
    """A thick line with round ends from (x1, y1) to (x2, y2), in units of the icon's side."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    colour: str


@dataclass(frozen=True)
class Disc:
    x: float
    y: float
    r: float
    colour: str


Shape = Capsule | Disc

# The drawing, on a unit square: hip at top left, knee bent forward, foot down.
DRAWING: tuple[Shape, ...] = (
    Capsule(0.30, 0.20, 0.60, 0.50, 0.15, WHITE),  # thigh
    Capsule(0.60, 0.50, 0.40, 0.80, 0.12, WHITE),  # shin
    Capsule(0.40, 0.80, 0.58, 0.82, 0.08, WHITE),  # foot
    Disc(0.66, 0.46, 0.085, GOLD),  # the kneecap
)
SAFE = 0.72  # the maskable drawing's scale: inside the 80% safe circle with a margin


def _placed(framing: Framing) -> tuple[Shape, ...]:
    if framing == "any":
        return DRAWING
    k, o = SAFE, (1 - SAFE) / 2
    return tuple(
        Capsule(o + k * s.x1, o + k * s.y1, o + k * s.x2, o + k * s.y2, k * s.width, s.colour)
        if isinstance(s, Capsule)
        else Disc(o + k * s.x, o + k * s.y, k * s.r, s.colour)
        for s in DRAWING
    )


def svg(framing: Framing = "any") -> str:
    """The icon as an SVG document (a 100-unit square)."""

    def n(v: float) -> str:
        return f"{v * 100:.2f}".rstrip("0").rstrip(".")

    if framing == "any":
        ground = f'<rect width="100" height="100" rx="{n(CORNER)}" fill="{GREEN}"/>'
    else:
        ground = f'<rect width="100" height="100" fill="{GREEN}"/>'
    parts = [ground]
    for s in _placed(framing):
        if isinstance(s, Capsule):
            parts.append(
                f'<line x1="{n(s.x1)}" y1="{n(s.y1)}" x2="{n(s.x2)}" y2="{n(s.y2)}" '
                f'stroke="{s.colour}" stroke-width="{n(s.width)}" stroke-linecap="round"/>'
            )
        else:
            parts.append(f'<circle cx="{n(s.x)}" cy="{n(s.y)}" r="{n(s.r)}" fill="{s.colour}"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img" '
        'aria-label="Kneecap">' + "".join(parts) + "</svg>\n"
    )


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def _capsule_distance(s: Capsule, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    dx, dy = s.x2 - s.x1, s.y2 - s.y1
    t = np.clip(((x - s.x1) * dx + (y - s.y1) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
    return np.hypot(x - (s.x1 + t * dx), y - (s.y1 + t * dy)) - s.width / 2


def _rounded_square_distance(x: np.ndarray, y: np.ndarray, r: float) -> np.ndarray:
    qx = np.abs(x - 0.5) - (0.5 - r)
    qy = np.abs(y - 0.5) - (0.5 - r)
    outside = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0))
    return outside + np.minimum(np.maximum(qx, qy), 0) - r


@lru_cache(maxsize=8)
def png(size: int, framing: Framing = "any") -> bytes:
    """The icon as a `size` x `size` RGBA PNG."""
    centres = (np.arange(size) + 0.5) / size
    x, y = np.meshgrid(centres, centres)

    def cover(distance: np.ndarray) -> np.ndarray:
        cov: np.ndarray = np.clip(0.5 - distance * size, 0.0, 1.0)
        return cov

    colour = np.zeros((size, size, 3)) + _rgb(GREEN)
    alpha = (
        cover(_rounded_square_distance(x, y, CORNER)) if framing == "any" else np.ones((size, size))
    )
    for s in _placed(framing):
        if isinstance(s, Capsule):
            d = _capsule_distance(s, x, y)
        else:
            d = np.hypot(x - s.x, y - s.y) - s.r
        a = cover(d)[..., None]
        colour = colour * (1 - a) + _rgb(s.colour) * a
    pixels = np.dstack([colour, alpha[..., None]])
    return _encode(np.round(pixels * 255).astype(np.uint8))


def _encode(rgba: np.ndarray) -> bytes:
    height, width = rgba.shape[:2]
    rows = np.hstack([np.zeros((height, 1), np.uint8), rgba.reshape(height, width * 4)])

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 9))
        + chunk(b"IEND", b"")
    )
