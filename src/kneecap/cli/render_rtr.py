"""Return to running in the terminal: where the runner stands (`rtr status`) and what an
entry check comes to (`rtr check`). Imported inside the commands only."""

from __future__ import annotations

from typing import Any

from kneecap.cli import render
from kneecap.cli.common import emit_json, out
from kneecap.core.phases import Phase


def status(view: dict[str, Any], as_json: bool) -> None:
    """The stage or phase, its lines, and before the ladder the entry criteria with what to do."""
    if as_json:
        emit_json(view)
        return
    out.print(f"[bold]{view['headline']}[/]")
    for line in view["lines"]:
        out.print(f"  {line}")
    if view["criteria"]:
        out.print("What running needs (RTR-ENTRY):")
        for c in view["criteria"]:
            reason = c["reason"]
            if c["id"] == "rtr_entry.tests" and reason:  # how, in the terminal
                reason = reason.rstrip(".") + ": 'kneecap rtr check'."
            todo = f" [dim]— {reason}[/]" if not c["met"] and reason else ""
            out.print(f"  {render.mark(c['met'])} {c['criterion']}{todo}")


def entry(result: dict[str, Any], as_json: bool) -> None:
    """Passed, already past it, or the criteria still unmet; and any movement-quality fault."""
    from kneecap.running_status import ENTRY_RESULT_KEYS

    if as_json:
        emit_json({k: result[k] for k in ENTRY_RESULT_KEYS})
        return
    if result["already"]:
        out.print(
            f"Recorded. You are already in the {Phase(result['phase']).label.lower()} phase: see "
            "'kneecap rtr'."
        )
    elif result["unmet"]:
        out.print("[bold]Not yet.[/] Still needed before the walk/run ladder (RTR-ENTRY):")
        for c in result["unmet"]:
            out.print(f"  • {c['criterion']}\n    [dim]{c['reason']} ({c['rule']})[/]")
    else:
        out.print(
            "[bold green]Entry check passed.[/] The walk/run ladder starts at "
            f"{result['first_stage']}: see 'kneecap rtr' for your next run."
        )
    for f in result["faults"]:
        out.print(f"[yellow]Movement quality:[/] {f['text']}")
