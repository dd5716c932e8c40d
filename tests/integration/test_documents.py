"""The printable documents read as a reader would: each PDF rendered to text (pdftotext) and to
page images (pdftoppm), checked for its pages, headings, every exercise with its dose and figure,
nothing cut off at the page edge, and text that stays dark in grey. A PNG of every page goes to
test-artifacts/ (look at them)."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kneecap.app import activities, clearance, documents, kujala
from kneecap.render.documents import handout_html, report_html, to_pdf
from tests.activities import gpx_run
from tests.conftest import START, profile_data
from tests.runner import Runner

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) is not installed; .ci/run installs it",
)

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
TODAY = START + dt.timedelta(days=364)  # a year of history
MM = 50 / 25.4  # pixels per millimetre at 50 dpi
CLINICIAN = "Dr Ada Okafor"


# --- reading a PDF ---------------------------------------------------------------------------


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout


def pages_of(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M)[1])  # type: ignore[index]


def text_of(pdf: Path) -> str:
    return " ".join(run("pdftotext", "-raw", str(pdf), "-").split())


def grey_pages(pdf: Path, dpi: int, tmp: Path, name: str) -> list[np.ndarray[Any, Any]]:
    """Each page rendered in grey at `dpi` (0 black .. 255 white)."""
    out = tmp / f"{name}-{dpi}"
    run("pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(out))
    return [_pgm(p) for p in sorted(tmp.glob(f"{name}-{dpi}-*.pgm"))]


def _pgm(path: Path) -> np.ndarray[Any, Any]:
    data = path.read_bytes()
    magic, width, height, top, rest = data.split(maxsplit=4)
    assert magic == b"P5"
    assert top == b"255"
    return np.frombuffer(rest, np.uint8).reshape(int(height), int(width))


def save_pngs(pdf: Path, name: str) -> list[Path]:
    """Every page as test-artifacts/NAME-page-N.png (90 dpi, grey: as a black-and-white
    printer would show it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-page-*.png"):
        old.unlink()
    run("pdftoppm", "-r", "90", "-gray", "-png", str(pdf), str(ARTIFACTS / f"{name}-page"))
    made = sorted(ARTIFACTS.glob(f"{name}-page-*.png"))
    for path in made:  # pdftoppm numbers pages -1 or -01 by the page count
        path.rename(ARTIFACTS / f"{name}-page-{int(path.stem.rsplit('-', 1)[1])}.png")
    return sorted(ARTIFACTS.glob(f"{name}-page-*.png"))


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float  # points from the page's top left
    y0: float
    x1: float
    y1: float


def lines_of(pdf: Path) -> list[Line]:
    """Each line of text with its box (pdftotext -bbox-layout), in points."""
    found = []
    xml = run("pdftotext", "-bbox-layout", str(pdf), "-")
    for n, page in enumerate(xml.split("<page ")[1:]):
        for m in re.finditer(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>',
            page,
            re.S,
        ):
            words = re.findall(r">([^<]*)</word>", m[5])
            text = html.unescape(" ".join(words))
            found.append(Line(n, text, *(float(m[i]) for i in range(1, 5))))
    return found


def assert_nothing_at_the_edge(images: list[np.ndarray[Any, Any]]) -> None:
    """The outer 6 mm of every page is blank: nothing runs off the paper."""
    band = round(6 * MM)
    for n, img in enumerate(images, 1):
        edges = [img[:band], img[-band:], img[:, :band], img[:, -band:]]
        assert all(e.min() >= 245 for e in edges), f"page {n}: something is drawn at its edge"


def assert_text_is_dark(pdf: Path, images: list[np.ndarray[Any, Any]], dpi: int) -> None:
    """Every line of text has dark ink in grey (nothing said in light grey only)."""
    scale = dpi / 72
    light = []
    for line in lines_of(pdf):
        img = images[line.page]
        box = img[
            int(line.y0 * scale) : int(line.y1 * scale) + 1,
            int(line.x0 * scale) : int(line.x1 * scale) + 1,
        ]
        if box.size and box.min() > 110:
            light.append(f"p{line.page + 1}: {line.text!r} (darkest {box.min()})")
    assert not light, "text too light to read in grey:\n" + "\n".join(light)


# --- the handout -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, documents.Handout]:
    tmp = tmp_path_factory.mktemp("handout")
    runner = Runner(tmp / "home", START.isoformat())
    runner.init(profile_data())
    with runner.home() as home:
        view = documents.handout(home)
    pdf = tmp / "handout.pdf"
    pdf.write_bytes(to_pdf(handout_html(view)))
    return pdf, view


def test_the_handout_has_the_week_s_exercises_doses_and_the_pain_rules(
    handout: tuple[Path, documents.Handout],
) -> None:
    pdf, view = handout
    assert 1 <= pages_of(pdf) <= 2
    text = text_of(pdf)
    for heading in ("Exercise handout: Your programme", "Pain rules", "This week's exercises"):
        assert heading in text
    assert "Week of Mon 7 Dec 2026 to Sun 13 Dec 2026" in text
    assert f"Phase: {view.phase}" in text
    assert len(view.exercises) >= 4
    for e in [*view.exercises, *view.others]:
        assert e.name in text, e.name
        assert e.dose in text, f"{e.name}: {e.dose}"
    # The pain rules quote the registry's numbers (PMM-1: 5/10 by default).
    assert "Pain up to 5/10 is acceptable" in text
    assert "Above 5/10 is too much" in text
    assert "Sharp, stabbing or catching pain" in text
    assert "not a medical device" in text
    assert "Get medical help the same day" in text


def test_the_handout_shows_a_figure_above_each_exercise(
    handout: tuple[Path, documents.Handout], tmp_path: Path
) -> None:
    pdf, view = handout
    images = grey_pages(pdf, 50, tmp_path, "handout")
    lines = lines_of(pdf)
    scale = 50 / 72
    for e in view.exercises:
        line = next(
            ln for ln in lines if e.name.startswith(ln.text) and len(ln.text) >= min(8, len(e.name))
        )
        img = images[line.page]
        top = int(line.y0 * scale - 24 * MM)
        region = img[
            max(0, top) : int(line.y0 * scale) - 1,
            int(line.x0 * scale) : int(line.x0 * scale + 50 * MM),
        ]
        dark = float((region < 160).mean())
        assert dark > 0.02, f"{e.name}: no figure above its name ({dark:.3f} dark)"
    # Each figure is two labelled poses, drawn as the web draws them (render/figures).
    labels = [ln.text for ln in lines]
    assert labels.count("start") == labels.count("end") == len(view.exercises)


def test_the_handout_prints_within_the_page_and_reads_in_grey(
    handout: tuple[Path, documents.Handout], tmp_path: Path
) -> None:
    pdf, _ = handout
    assert_nothing_at_the_edge(grey_pages(pdf, 50, tmp_path, "handout"))
    assert_text_is_dark(pdf, grey_pages(pdf, 150, tmp_path, "handout"), 150)
    assert len(save_pngs(pdf, "handout")) == pages_of(pdf)


def test_the_handout_on_letter_paper(
    handout: tuple[Path, documents.Handout], tmp_path: Path
) -> None:
    _, view = handout
    from dataclasses import replace

    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(to_pdf(handout_html(replace(view, paper="Letter"))))
    assert re.search(r"Page size:\s+612 x 792", run("pdfinfo", str(pdf)))
    assert 1 <= pages_of(pdf) <= 2
    assert_nothing_at_the_edge(grey_pages(pdf, 50, tmp_path, "letter"))


# --- the report ------------------------------------------------------------------------------


def a_year(runner: Runner, tmp: Path) -> None:
    """A year through the use cases: a warning sign cleared by a physio on the first day, the
    plan's sessions followed (two flare-ups), a check-in every morning, an AKPS result every
    four weeks, and runs in the last ten weeks with their pain answers."""
    runner.init(profile_data(red_flags={"morning_stiffness": True}))
    with runner.home() as home:
        clearance.record_clearance(home, CLINICIAN, "physiotherapist", START, "Stiffness is mild")
    for week in range(52):
        monday = START + dt.timedelta(weeks=week)
        plan = runner.plan(monday)
        flare = week in (9, 30)
        sessions, checkins = [], []
        for n, day in enumerate(plan["days"]):
            pain = 6 if flare and n < 3 else 1 + week % 2
            for s in day["sessions"]:
                done = [i["exercise"] for i in s["items"] if i["block"] != "run"]
                if done and (week * 7 + n) % 9:  # now and then a session is missed
                    sessions.append(
                        {
                            "date": day["date"],
                            "entries": [{"exercise": e, "pain_during": pain} for e in done],
                            "pain_after": pain,
                        }
                    )
            date = monday + dt.timedelta(days=n)
            checkins.append({"date": date.isoformat(), "morning_pain": 4 if flare else 1})
        runner.today = (monday + dt.timedelta(days=6)).isoformat()
        runner.log(sessions, checkins)
        if week % 4 == 3:
            with runner.home() as home:
                kujala.record_akps(home, [1 - min(1, week // 24)] * 13)
    runs = tmp / "runs"
    runs.mkdir()
    for k in range(20):
        day = TODAY - dt.timedelta(days=68 - 3 * k)
        at = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
        (runs / f"run{k}.gpx").write_bytes(
            gpx_run(at, 3 + k % 4, climb_then_descend_m=40 * (k % 3), every_s=10)
        )
    runner.today = TODAY.isoformat()
    with runner.home() as home:
        activities.import_files(home, [runs])
        for k, r in enumerate(activities.runs(home)):
            activities.answer_run(home, r.id, k % 4, k % 3)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, documents.Report]:
    tmp = tmp_path_factory.mktemp("report")
    runner = Runner(tmp / "home", START.isoformat())
    a_year(runner, tmp)
    with runner.home() as home:
        view = documents.report(home)
    pdf = tmp / "report.pdf"
    pdf.write_bytes(to_pdf(report_html(view)))
    return pdf, view


def test_the_report_reads_as_a_physio_would_read_it(
    report: tuple[Path, documents.Report], tmp_path: Path
) -> None:
    pdf, view = report
    assert 2 <= pages_of(pdf) <= 3
    text = text_of(pdf)
    for heading in (
        "Progress report: Your programme",
        "Pain",
        "Sessions planned and done",
        "Knee score (AKPS, Kujala)",
        "Running",
        "Decisions that mattered",
        "Red flags and clearances",
    ):
        assert heading in text, heading
    assert len(view.weeks) == 8
    assert view.akps
    assert view.flags
    assert view.clearances
    for said in (CLINICIAN, "physiotherapist", "Stiffness is mild"):
        assert said in text
    assert "Cleared" in text
    assert "meaningful change" in text
    assert "not a medical device" in text
    images = grey_pages(pdf, 50, tmp_path, "report")
    assert_nothing_at_the_edge(images)
    assert_text_is_dark(pdf, grey_pages(pdf, 150, tmp_path, "report"), 150)
    assert len(save_pngs(pdf, "report")) == pages_of(pdf)


def test_the_report_refuses_dates_outside_the_data(report: tuple[Path, documents.Report]) -> None:
    from kneecap.app import BadInput

    runner = Runner(report[0].parent / "home", TODAY.isoformat())
    with runner.home() as home:
        for first, last in (
            (None, TODAY + dt.timedelta(days=1)),
            (START - dt.timedelta(days=1), None),
            (TODAY, TODAY - dt.timedelta(days=3)),
        ):
            with pytest.raises(BadInput):
                documents.report(home, first, last)
        whole = documents.report(home, START, TODAY)
    assert whole.first == START
    assert len(whole.weeks) == 53  # TODAY is a Monday: a week more
