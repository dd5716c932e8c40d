"""The shared SVG helper (numbers, escaped text, the accessible root) and every chart drawn with
it: each is well-formed XML, labelled by its own title and description, and self-contained."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest
from lxml import etree

from kneecap.core.activity import Activity
from kneecap.core.analysis import distance_track, elevation_profile
from kneecap.render import svg
from kneecap.render.charts import Band, Chart, Series, render
from kneecap.render.run_charts import profile_svg, route_svg
from tests.activities import synthetic_run

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"quoted\""


# --- the helper -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (12.0, 1, "12"),
        (12.34, 1, "12.3"),
        (2.5, 1, "2.5"),
        (2.96, 1, "3"),
        (0.0, 1, "0"),
        (-0.04, 1, "0"),
        (-3.25, 1, "-3.2"),
        (100.0, 1, "100"),
        (7.0, 0, "7"),
        (-0.4, 0, "0"),
        (2.5, 3, "2.5"),
        (0.125, 3, "0.125"),
        (0.375, 4, "0.375"),
        (1.0, 4, "1"),
    ],
)
def test_a_number_has_no_trailing_zeros_and_no_negative_zero(
    value: float, places: int, text: str
) -> None:
    assert svg.num(value, places) == text


def test_numbers_default_to_one_decimal() -> None:
    assert svg.num(1 / 3) == "0.3"


def test_points_are_pairs_of_numbers() -> None:
    assert svg.points([(1.0, 2.25), (10.04, -0.0)]) == "1,2.2 10,0"


@pytest.mark.parametrize(
    ("value", "nice"), [(0.3, 0.5), (1.0, 1.0), (1.2, 2.0), (2.1, 2.5), (7.0, 10.0), (42.0, 50.0)]
)
def test_nice_rounds_up_to_one_two_two_and_a_half_or_five(value: float, nice: float) -> None:
    assert svg.nice(value) == pytest.approx(nice)


def test_text_is_escaped_for_content_and_attributes() -> None:
    assert svg.text("<b> & \"q\" 'a'") == "&lt;b&gt; &amp; &quot;q&quot; &#x27;a&#x27;"


def test_the_root_names_its_title_and_description_and_escapes_them() -> None:
    head = svg.root((0, -10.5, 640.0, 240), HOSTILE, HOSTILE, ("a-t", "a-d"), css_class="chart")
    root = etree.fromstring((head + svg.CLOSE).encode())
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 -10.5 640 240"
    assert root.get("role") == "img"
    assert root.get("class") == "chart"
    assert root.get("width") is None
    assert root.get("aria-labelledby") == "a-t a-d"
    assert root.findtext(f"{SVG_NS}title") == HOSTILE
    assert root.findtext(f"{SVG_NS}desc") == HOSTILE
    assert "<script" not in head


def test_the_root_takes_a_size() -> None:
    head = svg.root((0, 0, 10, 5), "t", "d", ("t", "d"), size=(20.0, 10.25))
    root = etree.fromstring((head + svg.CLOSE).encode())
    assert (root.get("width"), root.get("height")) == ("20", "10.2")


# --- every chart parses ---------------------------------------------------------------------

LABELS = [f"12-{d:02d}" for d in range(1, 15)]


def _progress_charts() -> dict[str, str]:
    gaps: list[float | None] = [None, 1, 2.5, None, 4, 3, 0, 10, None, 2, 2, 3, None, 1]
    return {
        "lines with gaps": render(
            Chart(
                "Knee pain week by week (0-10)",
                LABELS,
                [Series("morning", gaps), Series("usual", [3] * 14), Series("worst", [None] * 14)],
                y_max=10,
            ),
            "pain",
        ),
        "bars": render(
            Chart(
                "Sessions planned, done and extra each week",
                LABELS,
                [
                    Series("planned", [3] * 14, "bar", "#c9d3cf"),
                    Series("done", [1, 2, 3, None, 0, 1, 2, 3, 1, 2, 3, 3, 2, 1], "bar"),
                    Series("extra", [0] * 14, "bar", "#8a6d1d"),
                ],
            ),
            "adherence",
        ),
        "band": render(
            Chart(
                "AKPS knee score (0-100, higher is better)",
                LABELS[:3],
                [Series("AKPS", [70, 75, 88])],
                y_max=100,
                bands=[Band(60, 80, "within 10 points of your first score")],
            ),
            "akps",
        ),
        "right axis": render(
            Chart(
                "Weekly running distance (km) with morning pain",
                LABELS,
                [Series("km", [1.2, 13.4, 0, 5, 7.7, 22.1, 3, None, 9, 1, 2, 3, 4, 5], "bar")],
                right=Series("morning pain", [1, None, 2, 3, None, None, 4, 0, 1, 1, 2, 2, 1, 0]),
            ),
            "running",
        ),
        "single week": render(Chart("Cadence", ["12-07"], [Series("cadence", [171.5])]), "cad"),
        "empty": render(Chart("Nothing yet", [], []), "empty"),
        "hostile text": render(
            Chart(
                HOSTILE,
                [HOSTILE],
                [Series(HOSTILE, [1.0])],
                y_label=HOSTILE,
                bands=[Band(0, 1, HOSTILE)],
            ),
            "hostile",
        ),
    }


def _run(altitude: Callable[[np.ndarray], np.ndarray] | None) -> Activity:
    return synthetic_run(seconds=2000, altitude=altitude, noise_xy=2.0, noise_z=0.3)


def _hill(d: np.ndarray) -> np.ndarray:
    return 300 + 80 * np.where(d < 3000, d / 3000, (6000 - d) / 3000)


def _run_charts() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, altitude in (("hill", _hill), ("flat", None)):
        a = _run(altitude)
        track = distance_track(a)
        p = elevation_profile(a, track)
        out[f"profile, {name}"] = profile_svg(p)
        for label, profile in (("route", p), ("route without profile", None)):
            drawn = route_svg(a, track, profile)
            assert drawn is not None
            out[f"{label}, {name}"] = drawn
    return out


CHARTS = {**_progress_charts(), **_run_charts()}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_chart_is_self_contained_accessible_xml(name: str) -> None:
    text = CHARTS[name]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(text.encode(), parser)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    refs = (root.get("aria-labelledby") or "").split()
    assert len(refs) == 2
    title, desc = (root.xpath(f"//*[@id='{ref}']")[0] for ref in refs)
    assert title.tag == f"{SVG_NS}title"
    assert (title.text or "").strip()
    assert desc.tag == f"{SVG_NS}desc"
    assert (desc.text or "").strip()
    for element in root.iter():
        assert not str(element.tag).endswith("script")
        for attribute in element.attrib:
            assert "href" not in attribute
            assert not attribute.startswith("on")
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_hostile_text_is_shown_as_text() -> None:
    root = etree.fromstring(CHARTS["hostile text"].encode())
    assert root.findtext(f"{SVG_NS}title") == HOSTILE
    assert HOSTILE in [t.text for t in root.iter(f"{SVG_NS}text")]


def test_a_route_without_two_positions_is_not_drawn() -> None:
    a = _run(None)
    track = distance_track(a)
    lost = a.lat.copy()
    lost[1:] = np.nan
    blind = dataclasses.replace(a, lat=lost)
    assert route_svg(blind, track, None) is None
