"""Running in the terminal: an import's report, the list of runs, one run with its elevation
chart, the weekly load, and what a run's pain answers, deletion and restoring say.

Each function prints a use case's answer (text, or JSON with `as_json`) and returns the exit
code (`cli/common.py`). Imported inside the commands only (rich's tables, numpy for the chart).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kneecap.cli.common import EXIT_BAD_INPUT, EXIT_NOTHING, emit_json, err, out
from kneecap.core.rulebook import say

if TYPE_CHECKING:
    from kneecap.app.activities import RunningLoad, RunProfile
    from kneecap.core import analysis
    from kneecap.core.running import RunRecord
    from kneecap.importing import ImportReport

EXIT_SOME_FAILED = 1


def import_bar(paths: Sequence[Path], quiet: bool) -> AbstractContextManager[Callable[[str], None]]:
    """A progress bar on stderr for an import of several files (none for one, or with --json):
    the candidates are counted now, the bar shows while the context is open, and the callable
    it gives moves it on by one file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kneecap.importers.sources import count_candidates

    total = count_candidates(paths)
    progress = Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        disable=quiet or total < 2,
        transient=True,
    )

    @contextmanager
    def shown() -> Iterator[Callable[[str], None]]:
        with progress:
            task = progress.add_task("", total=total)
            yield lambda name: progress.update(task, advance=1, description=name[-40:])

    return shown()


def import_report(report: ImportReport, as_json: bool) -> int:
    """What was imported; exit 2 when a path was not usable, 1 when a file failed."""
    if as_json:
        emit_json(report.to_dict())
    else:
        out.print(
            f"Imported {report.imported} new activit{'y' if report.imported == 1 else 'ies'}"
            f", {report.duplicates} already known."
        )
        for file, warning in report.warnings:
            err.print(f"[yellow]warning:[/] {escape(file)}: {escape(warning)}")
        for file, reason in report.usage + report.failed:
            err.print(f"[bold red]failed:[/] {escape(file)}: {escape(reason)}")
    if report.usage:
        return EXIT_BAD_INPUT
    return EXIT_SOME_FAILED if report.failed else 0


def runs(records: list[RunRecord], as_json: bool) -> int:
    """The activities as a table; exit 1 when there are none yet (text only)."""
    if as_json:
        emit_json([r.to_dict() for r in records])
        return 0
    if not records:
        out.print("No activities yet: import files with 'kneecap import PATH'.")
        return EXIT_NOTHING
    table = Table(title="Activities", title_justify="left")
    for column in ("Id", "Date", "Sport", "km", "Time", "Pace", "Up m", "Down m", "Downhill km"):
        table.add_column(column, justify="right" if column not in ("Date", "Sport") else "left")
    table.add_column("Cadence", justify="right")
    for r in records:
        s = r.summary
        table.add_row(
            str(r.id),
            r.date.isoformat(),
            r.sport.value + (f" ({r.sub_sport})" if r.sub_sport else ""),
            f"{s.distance_m / 1000:.2f}",
            clock(s.moving_time_s),
            pace(s.pace_s_per_km),
            _num(s.ascent_m),
            _num(s.descent_m),
            "–" if s.downhill_m is None else f"{s.downhill_m / 1000:.2f}",
            "–" if s.cadence_spm is None else f"{s.cadence_spm:.0f}",
        )
    out.print(table)
    return 0


def run(found: RunProfile, as_json: bool) -> None:
    """One activity: its figures, the steepest descents and the elevation chart."""
    record, profile = found.record, found.profile
    if as_json:
        data = record.to_dict()
        data["profile"] = (
            None
            if profile is None
            else {
                "distance_m": profile.distance_m.round(1).tolist(),
                "altitude_m": profile.altitude_m.round(1).tolist(),
                "grade_pct": (100 * profile.grade).round(1).tolist(),
            }
        )
        emit_json(data)
        return
    _print_run(record)
    if profile is None:
        out.print("No elevation profile: this activity has no altitude or no distance.")
    else:
        out.print(elevation_chart(profile, width=min(100, out.width - 8)))


def _print_run(r: RunRecord) -> None:
    s = r.summary
    lines = [
        f"[bold]{r.sport.value.title()}[/] on {r.date.isoformat()} "
        f"({r.start.strftime('%H:%M')} UTC), from {escape(r.file)}",
        f"Distance {s.distance_m / 1000:.2f} km · moving {clock(s.moving_time_s)} of "
        f"{clock(s.duration_s)} · pace {pace(s.pace_s_per_km)}",
        f"Climb {_num(s.ascent_m)} m up, {_num(s.descent_m)} m down · downhill (steeper than "
        f"−3%): {'–' if s.downhill_m is None else f'{s.downhill_m / 1000:.2f} km'}",
        "Cadence at running speed: "
        + ("not recorded" if s.cadence_spm is None else f"{s.cadence_spm:.0f} steps/min")
        + ("" if s.step_length_m is None else f" · step length {s.step_length_m:.2f} m")
        + ("" if s.heart_rate is None else f" · heart rate {s.heart_rate:.0f}"),
    ]
    for line in lines:
        out.print(line)
    for i, d in enumerate(s.steepest, 1):
        out.print(
            f"  steepest descent {i}: at {d.start_m / 1000:.2f} km, {d.length_m:.0f} m long, "
            f"{d.drop_m:.0f} m down ({100 * d.grade:.1f}%)"
        )


def elevation_chart(p: analysis.ElevationProfile, width: int = 80, height: int = 8) -> Text:
    """Columns of block characters, one per stretch of distance; downhill stretches in red."""
    import numpy as np

    blocks = " ▁▂▃▄▅▆▇█"
    n = len(p.altitude_m)
    edges = np.linspace(0, n, width + 1).astype(int)
    low, high = float(p.altitude_m.min()), float(p.altitude_m.max())
    span = max(high - low, 1.0)
    down = np.concatenate((p.downhill, [False]))
    heights, steep = [], []
    for a, end in itertools.pairwise(edges.tolist()):
        b = max(end, a + 1)
        heights.append((float(p.altitude_m[a:b].mean()) - low) / span * height * 8)
        steep.append(bool(down[a:b].mean() >= 0.5))
    chart = Text()
    for row in range(height - 1, -1, -1):
        label = f"{low + span * (row + 1) / height:6.0f} " if row in (0, height - 1) else " " * 7
        chart.append(label, style="dim")
        for h, s in zip(heights, steep, strict=True):
            level = int(min(8, max(0, h - row * 8)))
            chart.append(blocks[level], style="red" if s else "green")
        chart.append("\n")
    chart.append("  down ", style="dim")
    chart.append("".join("▼" if s else " " for s in steep) + "\n", style="bold red")
    km = p.distance_m[-1] / 1000
    chart.append(" " * 7 + f"0 km{' ' * (len(heights) - 12)}{km:6.2f} km\n", style="dim")
    chart.append(" " * 7)
    chart.append("█ ▼", style="red")
    chart.append(" downhill steeper than −3%   ")
    chart.append("█", style="green")
    chart.append(" level or uphill\n")
    return chart


def deleted(activity_id: int, record: RunRecord | None, as_json: bool) -> None:
    if as_json:
        emit_json({"deleted": activity_id})
        return
    what = f" (the {record.sport.value} of {record.date.isoformat()})" if record else ""
    out.print(
        f"Deleted run {activity_id}{what}. To undo: kneecap runs restore {activity_id}",
        highlight=False,
    )


def restored(activity_id: int, as_json: bool) -> None:
    if as_json:
        emit_json({"restored": activity_id})
        return
    out.print(f"Restored run {activity_id}.", highlight=False)


def run_pain(activity_id: int, answers: tuple[int | None, int | None], as_json: bool) -> None:
    during, next_morning = answers
    if as_json:
        emit_json({"id": activity_id, "pain_during": during, "pain_next_morning": next_morning})
        return
    said = ", ".join(
        f"{name} {value}/10"
        for name, value in (("during", during), ("the next morning", next_morning))
        if value is not None
    )
    out.print(f"Run {activity_id}: knee pain {said}.", highlight=False)


def load(found: RunningLoad, as_json: bool) -> int:
    """The weekly load beside pain, the rules' notes and the cadence target; exit 1 when there
    are no runs yet (text only)."""
    rows, target = found.weeks, found.cadence
    if as_json:
        emit_json(
            {
                "weeks": [w.to_dict() for w in rows],
                "cadence": None if target is None else target.to_dict(),
                "notes": {
                    "LOAD-SPIKE": say(
                        "a week more than $LOAD_SPIKE_PCT above the one before is flagged"
                    ),
                    "LOAD-ACWR": "shown as information only, never as a risk prediction",
                },
            }
        )
        return 0
    if not rows:
        out.print("No runs yet: import your watch's files with 'kneecap import PATH'.")
        return EXIT_NOTHING
    table = Table(title="Weekly running load", title_justify="left")
    for column in ("Week", "Runs", "km", "Change", "Downhill", "Long run", "ACWR*", "Cadence"):
        table.add_column(column, justify="left" if column == "Week" else "right")
    table.add_column("Morning pain", justify="right")
    table.add_column("Run pain", justify="right")
    for w in rows:
        change = "–" if w.change_pct is None else f"{w.change_pct:+.0f}%"
        table.add_row(
            w.start.isoformat(),
            str(w.runs),
            f"{w.distance_km:.1f}",
            Text(change + (" spike" if w.spike else ""), style="bold red" if w.spike else ""),
            "–" if w.downhill_share is None else f"{100 * w.downhill_share:.0f}%",
            "–" if w.long_run_share is None else f"{100 * w.long_run_share:.0f}%",
            "–" if w.acwr is None else f"{w.acwr:.2f}",
            "–" if w.cadence_spm is None else f"{w.cadence_spm:.0f}",
            "–" if w.morning_pain is None else f"{w.morning_pain:.1f}",
            "–"
            if w.run_pain is None
            else f"{w.run_pain:.1f}"
            + (f" ({len(w.worse_after)} worse next morning)" if w.worse_after else ""),
        )
    out.print(table)
    out.print(
        say("Spike: more than $LOAD_SPIKE_PCT above the week before (LOAD-SPIKE): ")
        + "build gradually. "
        + "*ACWR (this week against the 4-week average) is information only (LOAD-ACWR): how "
        "the knee answers decides."
    )
    if target is not None:
        out.print(
            f"Cadence (CAD-1): your baseline {target.baseline:.0f} steps/min, lately "
            f"{target.current:.0f}; aim for about {target.target:.0f} (+{target.step_pct}%) "
            "with slightly shorter, quicker steps."
        )
    return 0


def clock(seconds: float) -> str:
    s = round(seconds)
    return (
        f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


def pace(s_per_km: float | None) -> str:
    return "–" if s_per_km is None else f"{clock(s_per_km)}/km"


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f}"
