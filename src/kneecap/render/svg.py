"""The one SVG helper: numbers, escaped text and the accessible root every drawing shares.

Every drawing Kneecap makes (exercise figures, the progress charts, a run's elevation profile
and route) is a self-contained `<svg role="img">` whose `aria-labelledby` names its `<title>` and
a `<desc>` that says in words what it shows. Text is always escaped; nothing refers outside the
document (no links, scripts or fonts).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from html import escape

NAMESPACE = "http://www.w3.org/2000/svg"
CLOSE = "</svg>"


def num(value: float, places: int = 1) -> str:
    """`value` rounded to `places` decimals, without trailing zeros or a minus on zero:
    12.0 -> "12", 2.50 -> "2.5", -0.04 -> "0". The one number format of every drawing."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text(value: str) -> str:
    """`value` escaped for SVG element content and attribute values (quotes included)."""
    return escape(value, quote=True)


def points(xy: Iterable[tuple[float, float]]) -> str:
    """A `points` attribute value: "x,y x,y ..." with each number through `num`."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in xy)


def nice(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (> 0): a round
    axis top or tick step."""
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def root(
    view_box: tuple[float, float, float, float],
    title: str,
    desc: str,
    ids: tuple[str, str],
    *,
    size: tuple[float, float] | None = None,
    css_class: str | None = None,
) -> str:
    """The opening `<svg>` tag with its `<title>` and `<desc>` (ids `ids`, named by
    `aria-labelledby`); `size` sets width and height, `css_class` the class. Close with CLOSE."""
    title_id, desc_id = ids
    box = " ".join(num(v) for v in view_box)
    sized = "" if size is None else f' width="{num(size[0])}" height="{num(size[1])}"'
    cls = "" if css_class is None else f' class="{text(css_class)}"'
    return (
        f'<svg xmlns="{NAMESPACE}" viewBox="{box}"{sized} role="img"{cls} '
        f'aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{text(title)}</title>'
        f'<desc id="{desc_id}">{text(desc)}</desc>'
    )
