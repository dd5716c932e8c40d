"""The interactive intake: age and red flags first, then pain, equipment, week and running.

Each answer is checked as it is given and asked again when it is not valid, so the profile
that comes out always passes the schema. Safety answers (the red flags, the age, where and how
much it hurts) have no default: pressing Enter asks again, it never answers "no" or "0".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import typer
from rich.console import Console

from kneecap.core.intake import AGE_QUESTION, LOCATION_QUESTION, LOCATIONS, questions_for
from kneecap.core.profile import (
    Aggravator,
    CrossTraining,
    Equipment,
    Profile,
    RedFlags,
    Side,
    Weekday,
)

T = TypeVar("T")
N = TypeVar("N", int, float)


def ask(question: str, parse: Callable[[str], T], default: str | None = None) -> T:
    while True:
        answer = typer.prompt(question, default=default, show_default=default is not None)
        try:
            return parse(answer.strip())
        except ValueError as exc:
            typer.echo(f"  {exc}", err=True)


def _yes(text: str) -> bool:
    t = text.lower()
    if t in ("y", "yes"):
        return True
    if t in ("n", "no"):
        return False
    raise ValueError("please answer y or n")


def _between(kind: Callable[[str], N], what: str, low: N, high: N) -> Callable[[str], N]:
    message = f"please give {what} from {low:g} to {high:g}"

    def parse(text: str) -> N:
        try:
            value = kind(text)
        except ValueError:
            raise ValueError(message) from None
        if not low <= value <= high:
            raise ValueError(message)
        return value

    return parse


def int_between(low: int, high: int) -> Callable[[str], int]:
    return _between(int, "a whole number", low, high)


def float_between(low: float, high: float) -> Callable[[str], float]:
    return _between(float, "a number", low, high)


def _choices(enum: type[Enum], allow_empty: bool = True) -> Callable[[str], list[str]]:
    allowed = [str(m.value) for m in enum]

    def parse(text: str) -> list[str]:
        if text.lower() in ("", "none", "-"):
            if allow_empty:
                return []
            raise ValueError(f"choose at least one of: {', '.join(allowed)}")
        picked = [p.strip().lower() for p in text.replace(" ", ",").split(",") if p.strip()]
        if picked == ["all"]:
            return allowed
        wrong = [p for p in picked if p not in allowed]
        if wrong:
            raise ValueError(f"unknown: {', '.join(wrong)}; choose from: {', '.join(allowed)}")
        return list(dict.fromkeys(picked))

    return parse


def _one_of(enum: type[Enum]) -> Callable[[str], str]:
    allowed = [str(m.value) for m in enum]

    def parse(text: str) -> str:
        if text.lower() not in allowed:
            raise ValueError(f"choose one of: {', '.join(allowed)}")
        return text.lower()

    return parse


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError("please give a date as YYYY-MM-DD") from None


def ask_age(console: Console) -> int:
    console.print("\n[bold]First, a safety check.[/]")
    return ask(f"  {AGE_QUESTION}", int_between(10, 100))


def ask_red_flags(console: Console, age_years: int) -> dict[str, bool]:
    """Every red-flag question that applies: the injury questions (Ottawa knee rules) only
    after an injury, the adolescent ones only under 18. Each needs y or n typed."""
    console.print("  Answer y or n.")
    flags: dict[str, bool] = {}
    for name, question in questions_for(age_years, recent_trauma=False).items():
        flags[name] = ask(f"  {question}", _yes)
    if flags["recent_trauma"]:
        console.print("  [bold]About the injury[/]")
        for name, question in questions_for(age_years, recent_trauma=True).items():
            if name not in flags:
                flags[name] = ask(f"  {question}", _yes)
    return flags


def _location(text: str) -> str:
    choices = list(LOCATIONS)
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1].value
    if text.lower() in {c.value for c in choices}:
        return text.lower()
    raise ValueError(f"choose a number from 1 to {len(choices)}")


def ask_rest(console: Console, today: dt.date) -> dict[str, Any]:
    console.print("\n[bold]Your knee[/]")
    side = ask("  Which knee hurts? (left, right, both)", _one_of(Side))
    console.print(f"  {LOCATION_QUESTION}")
    for number, text in enumerate(LOCATIONS.values(), 1):
        console.print(f"    {number}. {text}")
    location = ask(f"  Where (1-{len(LOCATIONS)})", _location)
    worst = ask(
        "  Worst pain in the last week, 0 (none) to 10 (worst imaginable)", int_between(0, 10)
    )
    at_rest = ask("  Does it hurt when you are resting? (y/n)", _yes)
    sharp = ask("  Is the pain ever sharp, rather than a dull ache? (y/n)", _yes)
    aggravated = ask(
        f"  What brings it on? ({', '.join(a.value for a in Aggravator)}; comma-separated, or none)",
        _choices(Aggravator),
        "none",
    )
    console.print("\n[bold]Your week[/]")
    equipment = ask(
        f"  Equipment you have ({', '.join(e.value for e in Equipment)}; 'step' = a step or stairs; "
        "comma-separated, or none)",
        _choices(Equipment),
        "mat,chair,wall,step",
    )
    days = ask(
        f"  Days you can train ({', '.join(d.value for d in Weekday)}, or all)",
        _choices(Weekday, allow_empty=False),
        "all",
    )
    minutes = ask("  Minutes per session (10-180)", int_between(10, 180), "40")
    cross = ask(
        f"  Low-impact cardio you can use ({', '.join(c.value for c in CrossTraining)}, or none)",
        _choices(CrossTraining),
        "none",
    )
    console.print("\n[bold]Your running[/]")
    running = ask("  Are you running at the moment? (y/n)", _yes, "n")
    weekly_km = ask("  Kilometres a week (0-400)", float_between(0, 400), "0") if running else 0.0
    runs = ask("  Runs a week (0-14)", int_between(0, 14), "0") if running else 0
    start = ask("  Start the plan on (YYYY-MM-DD)", _date, today.isoformat())
    return {
        "start_date": start,
        "affected_side": side,
        "pain": {
            "worst_last_week": worst,
            "location": location,
            "at_rest": at_rest,
            "sharp": sharp,
            "aggravated_by": aggravated,
        },
        "equipment": equipment,
        "availability": {"days": days, "minutes_per_session": minutes},
        "cross_training": cross,
        "running": {"currently_running": running, "weekly_km": weekly_km, "runs_per_week": runs},
    }


def confirm(question: str) -> bool:
    """A yes/no question where "no" is a safe default (not for safety answers)."""
    return ask(question, _yes, "n")


def yes_no(question: str) -> bool:
    """A yes/no question that needs y or n typed: safety answers are never assumed."""
    return ask(f"{question} (y/n)", _yes)


def ask_akps(console: Console) -> list[int]:
    """The Kujala questionnaire (AKPS), one item at a time: each answer an option's number."""
    from kneecap.core import akps as kujala

    given = []
    console.print("[bold]Kujala Anterior Knee Pain Scale[/]: pick the answer that fits best.")
    for n, item in enumerate(kujala.ITEMS, 1):
        console.print(f"\n[bold]{n}. {item.title}[/]")
        for i, (text, _) in enumerate(item.options):
            console.print(f"  {i}. {text}")
        given.append(ask("  Answer", int_between(0, len(item.options) - 1)))
    return given


def interview(console: Console, today: dt.date) -> Profile:
    """The whole intake, asked: the safety check first; with a warning sign, the runner may stop
    there (the referral is shown and the command ends with exit 3) or finish it, so the plan is
    ready once a clinician has cleared them."""
    from kneecap import DISCLAIMER
    from kneecap.cli import render
    from kneecap.cli.common import EXIT_WITHHELD
    from kneecap.core.screening import referral_for
    from kneecap.documents import validate

    console.print(f"[bold]Welcome to Kneecap.[/] {DISCLAIMER}")
    age = ask_age(console)
    flags = ask_red_flags(console, age)
    if any(flags.values()):
        console.print(
            "\n[bold yellow]Some of your answers need a clinician's check before exercise.[/]"
        )
        if not confirm(
            "Finish the intake anyway, so your plan is ready once you are cleared? (y/n)"
        ):
            render.referral(console, referral_for(RedFlags.model_validate(flags).raised(), age))
            raise typer.Exit(EXIT_WITHHELD)
    data = ask_rest(console, today)
    data["red_flags"] = flags
    data["age_years"] = age
    return validate(Profile, data, "intake")
