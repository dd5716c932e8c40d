"""The guided session in the terminal: one item at a time, countdowns for holds and rests, and
the questions after each exercise (what was done, pain, sharp pain, effort).

Timers run on a clock that `KNEECAP_TIMER_SPEED` (or `--speed`) can speed up for demos and tests.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.progress_bar import ProgressBar

from kneecap.cli import intake
from kneecap.core.catalogue import Catalogue
from kneecap.core.history import Difficulty, Entry, SessionLog
from kneecap.core.plan import Item

if TYPE_CHECKING:
    from kneecap.app.read import Planned

_EFFORT_BLOCKS = ("strength", "cardio", "run")  # how hard it felt matters for progression
COUNTDOWN_MAX_MINUTES = 10  # timed items up to this long get a countdown; longer ones are asked


def countdown(console: Console, seconds: float, label: str, speed: float) -> None:
    """A live bar counting down `seconds` (real seconds divided by `speed`), then a bell."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(label, total=seconds)
        step = 0.25
        done = 0.0
        while done < seconds:
            time.sleep(step / max(speed, 0.001))
            done = min(seconds, done + step)
            bar.update(task, completed=done)
    console.bell()


def session(console: Console, planned: Planned, speed: float) -> SessionLog:
    """Guide the planned day's sessions item by item, then ask the pain after it. Ctrl-C (or
    the end of input) stops it: what was done so far is the log, marked partial. With nothing
    done, says so and ends the command (exit 1 when stopped, else 0)."""
    p, plan, day = planned.programme, planned.plan, planned.first
    found = plan.day(day)
    limit = p.profile.limit_in(plan.phase)
    guide = Guide(console, p.catalogue, speed, limit)
    items = [i for s in found.sessions for i in s.items] if found else []
    console.print(
        f"[bold]{day:%A %d %B}: {len(items)} exercises.[/] Keep pain during each at {limit}/10 or less; stop on sharp pain."
    )
    entries: list[Entry] = []
    interrupted = False
    try:
        for n, item in enumerate(items, 1):
            entries.append(guide.item(item, n, len(items)))
        pain_after = intake.ask("Pain now, after the session (0-10)", intake.int_between(0, 10))
    except (KeyboardInterrupt, typer.Abort):
        interrupted = True
        pain_after = None
    if not entries:
        console.print("\nNothing was done, so nothing was saved.")
        raise typer.Exit(1 if interrupted else 0)
    return SessionLog(date=day, entries=tuple(entries), pain_after=pain_after, partial=interrupted)


class Guide:
    def __init__(
        self, console: Console, catalogue: Catalogue, speed: float, pain_limit: int
    ) -> None:
        self.console = console
        self.catalogue = catalogue
        self.speed = max(speed, 0.001)
        self.pain_limit = pain_limit

    def countdown(self, seconds: float, label: str) -> None:
        countdown(self.console, seconds, label, self.speed)

    def item(self, item: Item, number: int, total: int) -> Entry:
        e = self.catalogue[item.exercise]
        p = item.prescription
        cues = "\n".join(f"• {c}" for c in e.cues[:3])
        self.console.print(
            ProgressBar(total=total, completed=number - 1, width=40), f" {number - 1}/{total} done"
        )
        self.console.print(
            Panel(
                f"[bold]{item.dose()}[/]\n{e.summary}\n\n{cues}",
                title=f"{number}/{total}  {e.name}",
                title_align="left",
            )
        )
        sides = ("left leg", "right leg") if p.per_side else ("",)
        rest_s = e.dose.rest_s if e.dose else 0
        if p.minutes is not None:
            if p.minutes <= COUNTDOWN_MAX_MINUTES:
                self.countdown(p.minutes * 60, e.name)
            minutes = _ask_float(f"Minutes done (prescribed {p.minutes})", p.minutes)
            return self._finish(e.id, item.block in _EFFORT_BLOCKS, minutes_done=minutes)
        sets = p.sets or 1
        for n in range(1, sets + 1):
            for side in sides:
                label = f"Set {n}/{sets}" + (f", {side}" if side else "")
                if p.hold_s is not None and p.reps is None:
                    typer.prompt(
                        f"{label}: press Enter to start the {p.hold_s} s hold",
                        default="",
                        show_default=False,
                    )
                    self.countdown(p.hold_s, f"Hold {label}")
                else:
                    typer.prompt(
                        f"{label}: {p.reps} reps. Press Enter when done",
                        default="",
                        show_default=False,
                    )
            if n < sets and rest_s:
                self.countdown(rest_s, "Rest")
        sets_done = _ask_int(f"Sets done (prescribed {sets})", sets, 0, 20)
        reps_done = (
            _ask_int(f"Reps per set done (prescribed {p.reps})", p.reps, 0, 200) if p.reps else None
        )
        hold_done = (
            _ask_int(f"Hold seconds done (prescribed {p.hold_s})", p.hold_s, 0, 3600)
            if p.hold_s and not p.reps
            else None
        )
        return self._finish(
            e.id,
            item.block in _EFFORT_BLOCKS,
            sets_done=sets_done,
            reps_done=reps_done,
            hold_s_done=hold_done,
        )

    def _finish(self, exercise: str, effort: bool, **done: float | None) -> Entry:
        pain = _ask_int("Pain during it, 0 (none) to 10 (worst)", None, 0, 10)  # never assumed
        sharp = pain > 0 and intake.yes_no("Was any of the pain sharp rather than a dull ache?")
        difficulty = Difficulty.OK.value
        if effort:
            difficulty = _ask_choice(
                "How hard was it? (easy, ok, hard)", "ok", [d.value for d in Difficulty]
            )
        if sharp:
            self.console.print(
                "[bold red]Stop this exercise for today.[/] Sharp pain is never pushed through; next time an easier version takes its place. [PMM-SHARP]"
            )
        elif pain > self.pain_limit:
            self.console.print(
                f"[bold yellow]That is above your limit of {self.pain_limit}/10: stop this exercise for today.[/] It is eased next time. [PMM-1]"
            )
        return Entry(
            exercise=exercise,
            pain_during=pain,
            sharp=sharp,
            difficulty=Difficulty(difficulty),
            **done,
        )


def _ask_int(question: str, default: int | None, low: int, high: int) -> int:
    return intake.ask(
        question, intake.int_between(low, high), None if default is None else str(default)
    )


def _ask_float(question: str, default: float) -> float:
    return intake.ask(question, intake.float_between(0, 600), f"{default:g}")


def _ask_choice(question: str, default: str, allowed: list[str]) -> str:
    def parse(text: str) -> str:
        if text.lower() not in allowed:
            raise ValueError(f"choose one of: {', '.join(allowed)}")
        return text.lower()

    return intake.ask(question, parse, default)


# --- the return-to-run entry check ---------------------------------------------------------------


def entry_check(console: Console, day: dt.date, speed: float) -> dict[str, Any]:
    """The return-to-run entry check (RTR-ENTRY) in the terminal: the day-to-day questions, then
    each test timed, with its pain and quality questions; the answers as `EntryCheck` reads
    them."""
    from kneecap.core import rtr

    def timer(seconds: int | None, label: str) -> None:
        countdown(console, seconds or 0, label, speed)

    console.print(
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
    console.print(
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
    console.print(
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
    console.print(
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
    from kneecap.core import rtr

    for f in rtr.FAULTS:
        if f.key in keys:
            seen[f.key] = (intake.yes_no(f.question) == f.fault_answer) or seen[f.key]
