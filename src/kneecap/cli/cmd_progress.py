"""Looking back: the engine's decisions (`why`), the AKPS questionnaire and `progress`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kneecap.cli.common import JsonOpt, app, emit_json, err, fail, opened, out, programme, use

SPARKS = "▁▂▃▄▅▆▇█"


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def spark(values: list[float | None], top: float = 10) -> str:
    return "".join(" " if v is None else SPARKS[min(7, round(v / top * 7))] for v in values)


@app.command()
def why(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every decision the programme made (progress, hold, regress, substitute, stop), newest
    first; a hold repeated session after session is one row with its count and dates."""
    from rich.table import Table

    from kneecap.core import decisions
    from kneecap.core.dose_words import dose_text

    with opened(ctx) as home:
        p = programme(home)
    rows = list(reversed(decisions.collapse(p.status.decisions)))
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
        action = d.action.value
        if row.count > 1:
            when = f"{row.first.isoformat()} to {row.last.isoformat()}"
            action = f"{action} ×{row.count}"
        table.add_row(when, name, action, change, d.reason, d.rule)
    out.print(table)


@app.command()
def akps(
    ctx: typer.Context,
    answers: Annotated[
        Path | None, typer.Option(help='A file: {"answers": [13 option indexes, 0-based]}.')
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The Kujala Anterior Knee Pain Scale (0-100, higher is better), every 2-4 weeks."""
    from kneecap.app.kujala import record_akps
    from kneecap.cli import intake
    from kneecap.core import akps as kujala
    from kneecap.documents import DocumentError, parse, read_text

    if answers is not None:
        try:
            data, _ = parse(read_text(answers), str(answers))
        except DocumentError as exc:
            fail(str(exc))
        if (
            not isinstance(data, dict)
            or set(data) != {"answers"}
            or not isinstance(data["answers"], list)
        ):
            fail(f'{answers}: expected {{"answers": [13 option indexes]}}')
        given = data["answers"]
    else:
        given = []
        out.print("[bold]Kujala Anterior Knee Pain Scale[/]: pick the answer that fits best.")
        for n, item in enumerate(kujala.ITEMS, 1):
            out.print(f"\n[bold]{n}. {item.title}[/]")
            for i, (text, _) in enumerate(item.options):
                out.print(f"  {i}. {text}")
            given.append(intake.ask("  Answer", intake.int_between(0, len(item.options) - 1)))
    with opened(ctx) as home:
        recorded = use(record_akps, home, given, str(answers or "answers"))
    raised, result, score = recorded.raised, recorded.result, recorded.score
    warnings = akps_warnings(raised)
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


@app.command("progress")
def progress_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Pain trends, adherence, AKPS, the phase and what the next one needs."""
    from rich.table import Table

    from kneecap.cli import render
    from kneecap.core import akps as kujala
    from kneecap.core import progress as prog

    with opened(ctx) as home:
        p = programme(home)
    today = home.clock.today()
    akps_history = list(p.akps)
    weeks = prog.weeks(p.profile, p.catalogue, p.screening, p.status, p.sessions, p.checkins, today)
    nxt = prog.next_phase(p.status, p.catalogue, p.sessions, p.checkins, today)
    last_akps = akps_history[-1][0] if akps_history else None
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
            "due": kujala.due(last_akps, today),
        },
        "decisions": len(p.status.decisions),
    }
    if as_json:
        emit_json(data)
        return
    out.print(f"[bold]Phase: {p.status.phase.label}.[/] {p.status.phase.purpose}")
    if nxt.to is not None:
        out.print(f"To move on to {nxt.to.label}:")
        for c in nxt.criteria:
            out.print(f"  {'[green]✔[/]' if c.met else '[dim]○[/]'} {c.text}")
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
    due = kujala.due(last_akps, today)
    if due != "not yet":
        out.print(f"[bold]The AKPS questionnaire is {due}[/]: 'kneecap akps' (2 minutes).")
    render.disclaimer(out)
