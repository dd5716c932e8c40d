"""Printable documents: the week's exercise handout and the progress report for a clinician,
as HTML from Jinja templates with the same figures and charts as the web pages, and as PDF
through WeasyPrint (`to_pdf`, imported only when a PDF is made).

Made for paper in black and white: every series in a chart differs by its line or mark as well
as its colour, text is dark on white, and nothing is said by colour alone.
"""

from __future__ import annotations

import base64
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from kneecap.render import charts
from kneecap.render.documents.model import (
    A4,
    LETTER,
    AkpsScore,
    ClearanceNote,
    Event,
    Flag,
    Handout,
    HandoutExercise,
    Report,
    ReportWeek,
)

__all__ = [
    "A4",
    "LETTER",
    "AkpsScore",
    "ClearanceNote",
    "Event",
    "Flag",
    "Handout",
    "HandoutExercise",
    "Report",
    "ReportWeek",
    "handout_html",
    "report_charts",
    "report_html",
    "to_pdf",
]

HERE = Path(str(resources.files(__package__)))
INK = "#1d2430"  # dark enough to print as near-black in grey


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = lambda d: f"{d:%a} {d.day} {d:%b %Y}"
    env.filters["short"] = lambda d: f"{d.day} {d:%b %Y}"
    env.filters["one"] = lambda v: "–" if v is None else f"{v:.1f}".rstrip("0").rstrip(".")
    return env


def _figure(exercise_id: str) -> str:
    """The exercise's static figure (start | end), as the web draws it, as a data URI."""
    from kneecap.render import figures

    drawn = figures.svg(exercise_id, animated=False)
    # On paper the figure is small: its "start" and "end" labels print larger and in black.
    drawn = drawn.replace('font-size="12" fill="#333333"', 'font-size="15" fill="#000000"')
    return "data:image/svg+xml;base64," + base64.b64encode(drawn.encode()).decode()


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def handout_html(view: Handout) -> str:
    """The week's exercises with their figures, doses and cues, and the pain rules."""
    figures = {e.id: _figure(e.id) for e in view.exercises if e.figure}
    return _env().get_template("handout.html").render(v=view, figures=figures)


def report_charts(view: Report) -> dict[str, str]:
    """The report's charts as SVG: the Progress page's charts (`render.charts`), drawn so that
    each series reads apart in grey (solid, dashed, dotted; circles and squares)."""
    labels = [f"{w.start:%d %b}" for w in view.weeks]
    weeks = view.weeks
    out: dict[str, str] = {}
    out["pain"] = charts.render(
        charts.Chart(
            "Knee pain week by week (0-10)",
            labels,
            [
                charts.Series("morning (average)", [w.morning for w in weeks], colour=INK),
                charts.Series(
                    "during sessions (worst)",
                    [w.during for w in weeks],
                    colour="#5b6576",
                    dash=True,
                    marker="square",
                ),
            ],
            y_max=10,
        ),
        "pain",
    )
    out["adherence"] = charts.render(
        charts.Chart(
            "Sessions planned and done each week",
            labels,
            [
                charts.Series("planned", [w.planned for w in weeks], "bar", "#b8bec6"),
                charts.Series("done", [w.done for w in weeks], "bar", INK),
            ],
        ),
        "adherence",
    )
    if view.akps:
        band = view.meaningful_change
        centre = view.akps_baseline if view.akps_baseline is not None else view.akps[0].score
        trend = view.akps_history or view.akps  # from the first result: the whole trend
        out["akps"] = charts.render(
            charts.Chart(
                "AKPS knee score (0-100, higher is better)",
                [f"{a.date:%d %b %y}" for a in trend],
                [charts.Series("AKPS", [a.score for a in trend], colour=INK, marker="circle")],
                y_max=100,
                bands=[
                    charts.Band(
                        max(0, centre - band),
                        min(100, centre + band),
                        "",  # said under the chart: a label here would cover the first point
                    )
                ],
            ),
            "akps",
        )
    if any(w.runs for w in weeks):
        unit = view.units
        out["running"] = charts.render(
            charts.Chart(
                f"Weekly running distance and downhill ({unit}) with the worst knee pain of "
                "the week's runs",
                labels,
                [
                    charts.Series(f"distance ({unit})", [w.distance for w in weeks], "bar", INK),
                    charts.Series(
                        f"downhill ({unit})", [w.downhill for w in weeks], "bar", "#9aa1ab"
                    ),
                ],
                right=[
                    charts.Series(
                        "pain during",
                        [w.run_pain_during for w in weeks],
                        colour="#3a4a63",
                        marker="circle",
                    ),
                    charts.Series(
                        "next morning",
                        [w.run_pain_morning for w in weeks],
                        colour="#000000",
                        marker="square",
                    ),
                ],
            ),
            "running",
        )
    return out


def report_html(view: Report) -> str:
    """The progress report: period, phase and stage, charts, AKPS, adherence, the decisions that
    mattered, running, red flags and clearances."""
    drawn = {name: _svg_uri(svg) for name, svg in report_charts(view).items()}
    return _env().get_template("report.html").render(v=view, charts=drawn)


def to_pdf(html: str) -> bytes:
    """`html` printed to PDF by WeasyPrint (the paper size is the document's own @page)."""
    import weasyprint  # type: ignore[import-untyped]

    document: Any = weasyprint.HTML(string=html, base_url=str(HERE))
    return bytes(document.write_pdf())
