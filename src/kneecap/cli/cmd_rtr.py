"""`rtr`: where the runner stands on the way back to running (`rtr status`, the default) and
the return-to-run entry check (`rtr check`, RTR-ENTRY): timed tests in the terminal, or the
results read from a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecap.cli.common import (
    EXIT_BAD_INPUT,
    DateOpt,
    JsonOpt,
    app,
    emit_json,
    fail,
    opened,
    out,
    programme,
    today,
    use,
)

if TYPE_CHECKING:
    from kneecap.core import rtr
    from kneecap.programme import Programme

rtr_app = typer.Typer(
    help="Return to running: where you are (the default), and the entry check.",
    invoke_without_command=True,
)
app.add_typer(rtr_app, name="rtr")

SpeedOpt = Annotated[
    float,
    typer.Option(
        "--speed", envvar="KNEECAP_TIMER_SPEED", hidden=True, help="Run the test timers faster."
    ),
]


@rtr_app.callback()
def rtr_default(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Where you are on the way back to running: `kneecap rtr` is `kneecap rtr status`."""
    if ctx.invoked_subcommand is None:
        status(ctx, as_json)


@rtr_app.command("status")
def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Your stage, the passes at it, the next run and what moves you on."""
    from kneecap.running_status import running_status

    with opened(ctx) as home:
        p = programme(home)
    view = running_status(p, today(ctx))
    if as_json:
        emit_json(view)
        return
    out.print(f"[bold]{view['headline']}[/]")
    for line in view["lines"]:
        out.print(f"  {line}")
    if view["criteria"]:
        out.print("What running needs (RTR-ENTRY):")
        for c in view["criteria"]:
            mark = "[green]✔[/]" if c["met"] else "[dim]○[/]"
            reason = c["reason"]
            if c["id"] == "rtr_entry.tests" and reason:  # how, in the terminal
                reason = reason.rstrip(".") + ": 'kneecap rtr check'."
            todo = f" [dim]— {reason}[/]" if not c["met"] and reason else ""
            out.print(f"  {mark} {c['criterion']}{todo}")


@rtr_app.command("check")
def check(
    ctx: typer.Context,
    date: DateOpt = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="The results as JSON or YAML (docs/running.md).")
    ] = None,
    speed: SpeedOpt = 1.0,
    as_json: JsonOpt = False,
) -> None:
    """The RTR-ENTRY check: timed wall sit, balance and step-downs, with their pain and the
    quality questions; passed only when your logged week agrees."""
    from kneecap.app import rtr as rtr_cases
    from kneecap.core import rtr
    from kneecap.documents import DocumentError, load, validate

    try:
        if file is not None:
            entry = load(rtr.EntryCheck, file)
        else:
            with opened(ctx) as home:
                programme(home)  # a profile must exist before the tests are run
            answers = _run_tests(date or today(ctx), speed)
            entry = validate(rtr.EntryCheck, answers, "rtr check")
    except DocumentError as exc:
        fail(str(exc), EXIT_BAD_INPUT)
    with opened(ctx) as home:
        use(rtr_cases.record_entry_check, home, entry)
        p = programme(home)
    _report(p, entry, as_json)


def _report(p: Programme, entry: rtr.EntryCheck, as_json: bool) -> None:
    from kneecap.running_status import ENTRY_RESULT_KEYS, entry_result

    result = entry_result(p, entry)
    if as_json:
        emit_json({k: result[k] for k in ENTRY_RESULT_KEYS})
        return
    if result["already"]:
        out.print(
            f"Recorded. You are already in the {p.status.phase.label.lower()} phase: see "
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


# --- the timed tests in the terminal ------------------------------------------------------------


def _run_tests(day: dt.date, speed: float) -> dict[str, Any]:
    """Ask the day-to-day questions, then time each test and ask its pain and quality."""
    from kneecap.cli import intake
    from kneecap.core import rtr

    def timer(seconds: int | None, label: str) -> None:
        from kneecap.cli.guide import countdown

        countdown(out, seconds or 0, label, speed)

    out.print(
        "[bold]Return-to-run entry check (RTR-ENTRY).[/] Three short tests. Stop any test that "
        f"hurts more than {rtr.ENTRY_MAX_PAIN}/10 or gives sharp pain."
    )
    pain = intake.int_between(0, 10)
    answers: dict[str, Any] = {"date": day.isoformat()}
    answers["daily_pain"] = intake.ask(
        "Your usual knee pain in daily life over the last few days (0-10)", pain
    )
    answers["brisk_walk_30_min"] = intake.yes_no(
        "Can you walk briskly for 30 minutes without pain or a limp?"
    )
    answers["swelling"] = intake.yes_no("Is the knee swollen?")
    seconds = intake.int_between(0, 600)
    reps = intake.int_between(0, 100)

    wall = rtr.WALL_SIT
    out.print(
        f"\n[bold]1. {wall.name}, {wall.hold_s} s.[/] Back flat on the wall, slide down to a "
        "pain-free bend (thighs no lower than parallel), knees over your toes."
    )
    _wait("Press Enter when you are in position")
    timer(wall.hold_s, "Hold")
    answers["wall_sit_s"] = intake.ask("How many seconds did you hold it?", seconds)
    answers["wall_sit_pain"] = intake.ask("Worst knee pain during the wall sit (0-10)", pain)
    seen = {f.key: False for f in rtr.FAULTS}
    _ask_faults(seen, "knee_caved_in")

    bal = rtr.BALANCE
    out.print(
        f"\n[bold]2. {bal.name}, {bal.hold_s} s on each leg.[/] Stand tall on one leg, the "
        "other foot off the floor, hands on hips; a wall within reach."
    )
    for side in ("left", "right"):
        _wait(f"Press Enter when you stand on your {side} leg")
        timer(bal.hold_s, f"{side.capitalize()} leg")
        answers[f"balance_{side}_s"] = intake.ask(
            f"How many seconds did you stay on your {side} leg without touching down?", seconds
        )
    answers["balance_pain"] = intake.ask("Worst knee pain during the balance test (0-10)", pain)
    _ask_faults(seen, "pelvis_dropped")

    steps = rtr.STEP_DOWNS
    out.print(
        f"\n[bold]3. {steps.name}, {steps.reps} on each leg.[/] From a low step, lower the "
        "other heel slowly to the floor and rise again, on the standing leg alone."
    )
    for side in ("left", "right"):
        answers[f"step_downs_{side}"] = intake.ask(
            f"How many slow step-downs did you manage on your {side} leg?", reps
        )
    answers["step_down_pain"] = intake.ask("Worst knee pain during the step-downs (0-10)", pain)
    _ask_faults(seen, "knee_caved_in", "pelvis_dropped", "lowering_uncontrolled")
    return {**answers, **seen}


def _wait(text: str) -> None:
    typer.prompt(text, default="", show_default=False, prompt_suffix=" ")


def _ask_faults(seen: dict[str, bool], *keys: str) -> None:
    """Ask the quality questions of one test; a fault seen in any test stays seen."""
    from kneecap.cli import intake
    from kneecap.core import rtr

    for f in rtr.FAULTS:
        if f.key in keys:
            seen[f.key] = (intake.yes_no(f.question) == f.fault_answer) or seen[f.key]
