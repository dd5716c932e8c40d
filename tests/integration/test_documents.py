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

from kneecap.app import activities, clearance, documents, kujala, rtr
from kneecap.core.rtr import EntryCheck
from kneecap.render.documents import handout_html, report_charts, report_html, to_pdf
from tests.activities import gpx_run
from tests.conftest import START, entry_check_data, profile_data
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


FLARES = (8, 22)  # weeks with three bad days in a row (a flare-up, back to Settle)
SWELLING = 13  # the week a morning check-in reports swelling: the plan waits for a clinician
SHARP = 18  # the week a wall sit gives sharp pain (PMM-SHARP)
ENTRY = 45  # the week of the return-to-run entry check: the ladder in the last eight weeks
# The AKPS answers every four weeks: how many of the 13 items have their best answer (the rest
# the third-best), 58 at the start to 100 at the end.
AKPS_BEST = (4, 7, 8, 9, 9, 10, 10, 11, 11, 11, 12, 12, 13, 13)


def akps_answers(best: int) -> list[int]:
    return [0] * best + [2] * (13 - best)


def a_year(runner: Runner, tmp: Path) -> None:
    """A year through the use cases, as a runner who gets better lives it: a warning sign cleared
    by a physio on the first day; morning pain falling from 5/10 to 1/10 over the first months
    and the AKPS from 58 to 100; most planned sessions logged, now and then one missed; two
    flare-ups, a sharp pain, a swollen morning that holds the plan until the physio clears it a
    few days later; the entry check passed after the Build phase began, then the walk/run ladder
    and continuous running, each run imported from its file with the runner's pain answers."""
    runner.init(profile_data(red_flags={"morning_stiffness": True}, pain={"worst_last_week": 5}))
    with runner.home() as home:
        clearance.record_clearance(home, CLINICIAN, "physiotherapist", START, "Stiffness is mild")
        kujala.record_akps(home, akps_answers(AKPS_BEST[0]))
    runs = tmp / "runs"
    runs.mkdir()
    answers: dict[dt.date, tuple[int, int]] = {}
    for week in range(52):
        monday = START + dt.timedelta(weeks=week)
        runner.today = monday.isoformat()
        with runner.home() as home:
            if week == SWELLING + 1:
                clearance.record_clearance(
                    home,
                    CLINICIAN,
                    "physiotherapist",
                    monday,
                    "Swelling settled with rest",
                    frozenset({"swelling"}),
                )
            if week == ENTRY:
                check = EntryCheck.model_validate(entry_check_data(date=monday.isoformat()))
                rtr.record_entry_check(home, check)
        plan = runner.plan(monday)
        morning = max(1, 5 - week // 3)
        flare = week in FLARES
        sessions, checkins = [], []
        for n, day in enumerate(plan["days"]):
            date = monday + dt.timedelta(days=n)
            if week == SWELLING and n > 2:
                break  # on hold from the swollen morning until the clearance
            during = 6 if flare and n < 3 else max(0, morning - 1)
            for s in day["sessions"]:
                if (week * 7 + n) % 9 == 4:  # now and then a session is missed
                    continue
                entries: list[dict[str, Any]] = []
                for i in s["items"]:
                    if i["block"] != "run":
                        sharp = week == SHARP and n == 0 and i["exercise"] == "wall-sit"
                        entries.append(
                            {"exercise": i["exercise"], "pain_during": during, "sharp": sharp}
                        )
                        continue
                    stage = i["run_stage"]
                    km = stage["total_km"] if stage else float(i["distance_km"] or 3)
                    hill = 30 * (n % 2) if plan["phase"] == "maintain" else 0
                    entries.append({"exercise": "running", "pain_during": min(2, during)})
                    at = dt.datetime.combine(date, dt.time(7), tzinfo=dt.UTC)
                    (runs / f"{date}.gpx").write_bytes(
                        gpx_run(at, km, climb_then_descend_m=hill, every_s=10)
                    )
                    answers[date] = (min(2, during), (week + n) % 2)
                if entries:
                    sessions.append({"date": day["date"], "entries": entries, "pain_after": during})
            checkins.append(
                {
                    "date": date.isoformat(),
                    "morning_pain": 4 if flare else morning,
                    "swelling": week == SWELLING and n == 2,
                }
            )
        last = monday + dt.timedelta(days=2 if week == SWELLING else 6)
        runner.today = last.isoformat()  # the swollen morning is reported that morning
        runner.log(sessions, checkins)
        if week % 4 == 3:
            with runner.home() as home:
                kujala.record_akps(home, akps_answers(AKPS_BEST[(week + 1) // 4]))
    runner.today = TODAY.isoformat()
    with runner.home() as home:
        activities.import_files(home, [runs])
        for r in activities.runs(home):
            if r.date in answers:
                activities.answer_run(home, r.id, *answers[r.date])


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


def test_the_report_s_last_eight_weeks_show_the_runner_s_data(
    report: tuple[Path, documents.Report],
) -> None:
    _, view = report
    begun = view.weeks[:-1]  # TODAY is a Monday: its week has only begun
    assert all(w.planned and w.done for w in begun)
    done, planned = sum(w.done for w in begun), sum(w.planned for w in begun)
    assert 0.7 <= done / planned < 1  # adherent, now and then a session missed
    assert all(w.morning is not None and w.during is not None for w in begun)
    ran = [w for w in view.weeks if w.runs]
    assert len(ran) >= 6
    assert all(w.distance > 0 and w.run_pain_during is not None for w in ran)
    assert view.akps_baseline is not None
    assert view.akps[-1].score - view.akps_baseline > view.meaningful_change
    assert len(view.akps_history) > len(view.akps)  # the trend from the first result
    drawn = report_charts(view)
    assert {"pain", "adherence", "akps", "running"} <= set(drawn)


def test_the_report_s_decisions_are_the_ones_that_matter_to_a_physio(
    report: tuple[Path, documents.Report],
) -> None:
    _, view = report
    kinds = [e.kind for e in view.events]
    assert "return to running begins" in kinds
    assert "ladder stage up" in kinds
    assert "back to continuous running" in kinds
    assert not any("hold" in k and "warning" not in k for k in kinds)  # no routine holds
    assert len({(e.first, e.kind, e.what, e.reason) for e in view.events}) == len(view.events)
    # A whole year: flare-ups, sharp pain, the swelling and its clearance, each once, newest
    # first, no wall of identical rows, and the rest counted.
    runner = Runner(report[0].parent / "home", TODAY.isoformat())
    with runner.home() as home:
        spring = documents.report(home, START, dt.date(2027, 6, 1))
        whole = documents.report(home, START, TODAY)
    kinds = [e.kind for e in spring.events]
    for kind in (
        "flare-up: back to Settle",
        "load eased",
        "sharp pain",
        "on hold: warning sign",
        "cleared by a clinician",
        "phase change: Strengthen",
    ):
        assert kind in kinds, kind
    assert any(e.what.endswith("more") for e in spring.events)  # one row for a bad spell
    for found in (spring, whole):
        assert len(found.events) <= documents.EVENTS_SHOWN
        firsts = [e.first for e in found.events]
        assert firsts == sorted(firsts, reverse=True)  # newest first
        assert len({(e.first, e.kind, e.what) for e in found.events}) == len(found.events)
    assert len(whole.events) == documents.EVENTS_SHOWN
    assert whole.events_left_out > 0
