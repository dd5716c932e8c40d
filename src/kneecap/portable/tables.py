"""Spreadsheet tables from the export's document: check-ins, sessions (one row per exercise
entry) and runs as CSV, UTF-8 with a header row, dates and times in ISO 8601 (docs/export.md
lists the columns). Only what the programme counts: a session's current version, runs not
deleted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

CHECKIN_COLUMNS = (
    "date",
    "morning_pain",
    "stiffness",
    "swelling",
    "limp",
    "pain_stairs",
    "pain_sitting",
    "saved_at",
)
SESSION_COLUMNS = (
    "date",
    "session",
    "exercise",
    "sets_done",
    "reps_done",
    "hold_s_done",
    "minutes_done",
    "distance_km",
    "pain_during",
    "sharp",
    "difficulty",
    "pain_after",
    "partial",
    "saved_at",
)
RUN_COLUMNS = (
    "date",
    "start",
    "sport",
    "sub_sport",
    "distance_km",
    "duration_min",
    "moving_min",
    "ascent_m",
    "descent_m",
    "cadence_spm",
    "heart_rate",
    "pain_during",
    "pain_next_morning",
    "file_name",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def _csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue().encode("utf-8")


def _round(value: Any, unit: float) -> float | None:
    return None if value is None else float(value) / unit


def tables(doc: dict[str, Any]) -> dict[str, bytes]:
    """`checkins.csv`, `sessions.csv` and `runs.csv` from the document."""
    checkins = [{**c["data"], "saved_at": c["created_at"]} for c in doc["checkins"]]
    entries = []
    for s in doc["sessions"]:
        if s["replaced_at"] is not None or s["deleted_at"] is not None:
            continue
        data = s["data"]
        for e in data["entries"]:
            entries.append(
                {
                    **e,
                    "date": s["date"],
                    "session": s["series"],
                    "pain_after": data.get("pain_after"),
                    "partial": data.get("partial", False),
                    "saved_at": s["created_at"],
                }
            )
    runs = []
    for r in doc["runs"]:
        if r["deleted_at"] is not None:
            continue
        summary = r["summary"]
        runs.append(
            {
                **r,
                "date": r["local_date"],
                "distance_km": _round(summary.get("distance_m"), 1000),
                "duration_min": _round(summary.get("duration_s"), 60),
                "moving_min": _round(summary.get("moving_time_s"), 60),
                **{k: summary.get(k) for k in ("ascent_m", "descent_m", "cadence_spm")},
                "heart_rate": summary.get("heart_rate"),
            }
        )
    return {
        "checkins.csv": _csv(CHECKIN_COLUMNS, checkins),
        "sessions.csv": _csv(SESSION_COLUMNS, entries),
        "runs.csv": _csv(RUN_COLUMNS, runs),
    }
