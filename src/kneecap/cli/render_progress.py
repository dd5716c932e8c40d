"""Looking back in the terminal: the decisions timeline (`why`), an AKPS result and `progress`.

Each function prints a use case's answer (text, or JSON with `as_json`). Imported inside the
commands only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from kneecap.cli import render
from kneecap.cli.common import emit_json, err, out
from kneecap.core import decisions
from kneecap.core.dose_words import dose_text

if TYPE_CHECKING:
    from kneecap.app.kujala import Recorded
    from kneecap.app.read import Progress
    from kneecap.programme import Programme

SPARKS = "▁▂▃▄▅▆▇█"


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def spark(values: list[float | None], top: float = 10) -> str:
    return "".join(" " if v is None else SPARKS[min(7, round(v / top * 7))] for v in values)


def why(p: Programme, as_json: bool) -> None:
    """The engine's decisions, newest first, repeated holds as one row (`core.decisions`)."""
    rows = list(p.timeline())
    if as_json:
        emit_json([decisions.row_to_dict(r) for r in rows])
        return
    if not rows:
        out.print(
            "No decisions yet: log a session and the next morning's check-in, and the plan adapts."
        )
        return
    table = Table(
        title=f"Why the plan changed (phase: {p.status.phase.label})", title_justify="left"
    )
    for column in ("Date", "Exercise", "Action", "Change", "Reason", "Rule"):
        table.add_column(column)
    for row in rows:
        d = row.decision
        name = (
            p.catalogue[d.exercise].name
            if d.exercise is not None and d.exercise in p.catalogue
            else "whole programme"
        )
        if d.from_phase or d.to_phase:
            change = f"{d.from_phase.label if d.from_phase else '?'} → {d.to_phase.label if d.to_phase else '?'}"
        elif d.to_exercise:
            change = f"→ {p.catalogue[d.to_exercise].name}"
        elif d.from_dose and d.to_dose and d.from_dose != d.to_dose:
            change = f"{dose_text(d.from_dose)} → {dose_text(d.to_dose)}"
        else:
            change = dose_text(d.to_dose) if d.to_dose else ""
        when = d.date.isoformat()
        action = row.label
        if row.count > 1:
            when = f"{row.first.isoformat()} to {row.last.isoformat()}"
            action = f"{action} ×{row.count}"
        table.add_row(when, name, action, change, d.reason, d.rule)
    out.print(table)


def akps(recorded: Recorded, as_json: bool) -> None:
    """The score, its change since last time, and a warning per red flag the answers raised."""
    result, score = recorded.result, recorded.score
    warnings = akps_warnings(recorded.raised)
    if as_json:
        emit_json(
            {
                "date": result.date.isoformat(),
                "score": score,
                "previous": result.previous,
                "change": result.change,
                "meaningful": result.meaningful,
                "warnings": warnings,
            }
        )
        return
    line = f"AKPS {score}/100"
    if result.change is not None:
        line += (
            f" ({result.change:+d} since last time: "
            + ("a meaningful change" if result.meaningful else "within the normal ups and downs")
            + ")"
        )
    out.print(line + ".")
    for w in warnings:
        err.print(f"[bold yellow]{w['text']}[/]")


def akps_warnings(raised: frozenset[str]) -> list[dict[str, str]]:
    """One warning per newly raised red flag, with its rule: inside the JSON, or on stderr."""
    from kneecap.core.screening import RED_FLAGS

    found = []
    for flag in sorted(raised):
        known = RED_FLAGS.get(flag)
        rule = known.rule if known else "RF-SOON"
        why = f"{known.text} " if known else ""
        found.append(
            {
                "flag": flag,
                "rule": rule,
                "text": f"Warning sign in your answers ({flag.replace('_', ' ')}): {why}"
                f"Your plan waits until a clinician has checked it ({rule}).",
            }
        )
    return found


def progress(report: Progress, as_json: bool) -> None:
    """The phase and what the next one needs, week by week, the trends and the AKPS."""
    p, weeks, nxt, today = report.programme, report.weeks, report.next_phase, report.today
    akps_history = list(p.akps)
    if as_json:
        data: dict[str, Any] = {
            "date": today.isoformat(),
            "phase": p.status.phase.value,
            "next_phase": {
                "to": nxt.to.value if nxt.to else None,
                "criteria": [c.to_dict() for c in nxt.criteria],
            },
            "weeks": [w.to_dict() for w in weeks],
            "akps": {
                "results": [{"date": d.isoformat(), "score": s} for d, s in akps_history],
                "due": report.akps_due,
            },
            "decisions": len(p.status.decisions),
        }
        emit_json(data)
        return
    out.print(f"[bold]Phase: {p.status.phase.label}.[/] {p.status.phase.purpose}")
    if nxt.to is not None:
        out.print(f"To move on to {nxt.to.label}:")
        for c in nxt.criteria:
            out.print(f"  {render.mark(c.met)} {c.text}")
    table = Table(title="Week by week", title_justify="left")
    for column in ("Week of", "Morning", "Usual", "Worst", "Done / planned"):
        table.add_column(column, justify="right")
    for w in weeks[-12:]:
        table.add_row(
            w.start.strftime("%d %b"),
            fmt(w.morning),
            fmt(w.usual),
            "-" if w.worst is None else str(w.worst),
            w.sessions_text(),
        )
    out.print(table)
    recent = weeks[-12:]
    out.print(f"Morning pain  {spark([w.morning for w in recent])}   (0-10, one bar a week)")
    out.print(
        f"Worst pain    {spark([None if w.worst is None else float(w.worst) for w in recent])}"
    )
    out.print(
        f"Adherence     {spark([None if w.adherence is None else w.adherence * 10 for w in recent])}"
    )
    if akps_history:
        scores = ", ".join(f"{s} ({d:%d %b})" for d, s in akps_history[-6:])
        out.print(f"AKPS: {scores}")
    if report.akps_due != "not yet":
        out.print(
            f"[bold]The AKPS questionnaire is {report.akps_due}[/]: 'kneecap akps' (2 minutes)."
        )
    render.disclaimer(out)
