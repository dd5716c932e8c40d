"""`rtr check`: the return-to-run entry test (RTR-ENTRY), asked or read from a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kneecap import settings
from kneecap.cli import intake
from kneecap.cli.cmd_log import check_date
from kneecap.cli.common import EXIT_BAD_INPUT, DateOpt, JsonOpt, app, emit_json, fail, opened, out
from kneecap.cli.common import programme as load_programme
from kneecap.core.phases import Phase
from kneecap.core.rtr import ENTRY_MAX_PAIN, EntryCheck
from kneecap.documents import DocumentError, load, validate

rtr_app = typer.Typer(help="Return to running: the entry check and the walk/run ladder.")
app.add_typer(rtr_app, name="rtr")

QUESTIONS: tuple[tuple[str, str], ...] = (
    ("brisk_walk_30_min", "Can you walk briskly for 30 minutes without pain or a limp?"),
    ("swelling", "Is the knee swollen?"),
    ("step_downs", "Can you do 10 slow single-leg step-downs (or squats to a chair) on each leg?"),
    ("balance_30_s", "Can you stand on one leg for 30 seconds, each leg?"),
    ("wall_sit_60_s", "Can you hold a wall sit for 60 seconds?"),
)


@rtr_app.command("check")
def check(
    ctx: typer.Context,
    date: DateOpt = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="The answers as JSON or YAML (docs/running.md).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Are you ready to start the walk/run ladder? Records the RTR-ENTRY criteria."""
    try:
        if file is not None:
            entry = load(EntryCheck, file)
        else:
            entry = validate(EntryCheck, _ask(date or settings.today()), "rtr check")
    except DocumentError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    check_date(entry.date)
    with opened(ctx) as (store, person):
        load_programme(store, person)  # a profile must exist
        store.add_entry_check(person, entry, settings.now_utc())
        p = load_programme(store, person)
    unmet = entry.unmet()
    started = p.status.phase is Phase.RETURN_TO_RUN and p.status.stage == 1 and not unmet
    if as_json:
        emit_json(
            {
                "date": entry.date.isoformat(),
                "passed": not unmet,
                "unmet": unmet,
                "phase": p.status.phase.value,
                "stage": p.status.stage,
                "rule": "RTR-ENTRY",
            }
        )
        return
    if unmet:
        out.print("[bold]Not yet.[/] Still needed before the walk/run ladder (RTR-ENTRY):")
        for item in unmet:
            out.print(f"  • {item}")
        out.print("Keep up the strength programme and check again in a week or so.")
    elif started:
        out.print(
            "[bold green]Entry check passed.[/] The walk/run ladder starts: see 'kneecap plan' "
            "for your run days."
        )
    else:
        decision = p.status.decisions[-1] if p.status.decisions else None
        out.print("[bold]Entry check passed.[/] " + (decision.reason if decision else ""))


def _ask(day: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {"date": day.isoformat()}
    answers["daily_pain"] = intake.ask(
        "Your usual knee pain in daily life over the last few days (0-10)",
        intake.int_between(0, 10),
    )
    for key, question in QUESTIONS:
        answers[key] = intake.confirm(question)
    answers["check_pain"] = intake.ask(
        f"Worst pain during those checks (0-10; {ENTRY_MAX_PAIN} or less passes)",
        intake.int_between(0, 10),
    )
    return answers
