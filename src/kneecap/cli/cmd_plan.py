"""Intake, profile, clearance, plan and today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kneecap import DISCLAIMER
from kneecap.app import BadInput, NoProfile
from kneecap.cli.common import (
    EXIT_NOTHING,
    EXIT_WITHHELD,
    DateOpt,
    JsonOpt,
    app,
    clock,
    emit_json,
    fail,
    opened,
    out,
    profile_app,
    programme,
    use,
)

if TYPE_CHECKING:
    from kneecap.core.plan import Plan
    from kneecap.core.profile import Profile
    from kneecap.programme import Programme

# --- intake ---------------------------------------------------------------------------------


@app.command()
def init(
    ctx: typer.Context,
    profile: Annotated[
        Path | None, typer.Option("--profile", help="A profile as YAML or JSON (docs/profile.md).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer the intake (or load it from a file) and get your plan."""
    from kneecap.app import profile as intake_cases
    from kneecap.documents import DocumentError

    today = clock(ctx).today()
    if profile is not None:
        try:
            new = load_profile(profile, today)
        except DocumentError as exc:
            fail(str(exc))
    else:
        new = interactive_intake(today)
    with opened(ctx) as home:
        kept = use(intake_cases.save_profile, home, new)
        if kept and not as_json:
            held_over(kept)
        show_start(programme(home), today, as_json)


def held_over(flags: frozenset[str]) -> None:
    """Say why a warning sign answered "no" is still on hold (the hold lifts only with a
    recorded clearance, not by answering again)."""
    from kneecap.core.screening import RED_FLAGS

    out.print(
        "[bold yellow]Still on hold:[/] "
        + ", ".join(sorted(flags))
        + ". A warning sign you reported earlier stays on hold until a clinician's clearance "
        "is recorded ('kneecap clearance'), whatever the new answers say. ["
        + ", ".join(sorted({RED_FLAGS[f].rule for f in flags if f in RED_FLAGS}))
        + "]"
    )


def load_profile(path: Path, today: dt.date) -> Profile:
    """A profile from a file: valid, and with every safety answer stated (never assumed)."""
    from kneecap.core.intake import missing_answers
    from kneecap.core.profile import Profile
    from kneecap.documents import DocumentError, parse, read_text, validate

    data, lines = parse(read_text(path), str(path))
    if isinstance(data, dict):
        data.setdefault("start_date", today.isoformat())
    profile = validate(Profile, data, str(path), lines)
    missing = missing_answers(data)
    if missing:
        raise DocumentError(str(path), [_located(m, lines) for m in missing])
    return profile


def _located(problem: str, lines: dict[tuple[str, ...], int]) -> str:
    """'line N: ' before a missing answer whose section is in the file."""
    section = tuple(problem.split(":", 1)[0].split(".")[:-1])
    line = lines.get(section) if section else None
    return f"line {line}: {problem}" if line else problem


def interactive_intake(today: dt.date) -> Profile:
    from kneecap.cli import intake, render
    from kneecap.core.profile import Profile, RedFlags
    from kneecap.core.screening import referral_for
    from kneecap.documents import validate

    out.print(f"[bold]Welcome to Kneecap.[/] {DISCLAIMER}")
    age = intake.ask_age(out)
    flags = intake.ask_red_flags(out, age)
    if any(flags.values()):
        out.print(
            "\n[bold yellow]Some of your answers need a clinician's check before exercise.[/]"
        )
        if not intake.confirm(
            "Finish the intake anyway, so your plan is ready once you are cleared? (y/n)"
        ):
            render.referral(out, referral_for(RedFlags.model_validate(flags).raised(), age))
            raise typer.Exit(EXIT_WITHHELD)
    data = intake.ask_rest(out, today)
    data["red_flags"] = flags
    data["age_years"] = age
    return validate(Profile, data, "intake")


def show_start(p: Programme, today: dt.date, as_json: bool) -> None:
    from kneecap.cli import render
    from kneecap.core.plan import plan_to_dict

    first = max(today, p.profile.start_date)
    plan = p.plan(first, first + dt.timedelta(days=6))
    if as_json:
        emit_json(plan_to_dict(plan))
    else:
        render.referral(out, plan.referral)
        if not plan.referral.needed:
            scope_line(plan)
            out.print(f"\n[bold]Phase: {plan.phase.label}.[/] {plan.phase.purpose}\n")
            first_day = plan.days[0] if plan.days else None
            if first_day is not None and first_day.date != first:
                out.print(f"[bold]{render.date_label(first, today)}[/]: no session planned.")
            if first_day is not None:
                label = render.date_label(first_day.date, today)
                render.day(
                    out,
                    first_day,
                    p.catalogue,
                    label if first_day.date == first else f"Next: {label}",
                )
            render.week(out, plan, p.catalogue)
            render.notes(out, plan)
        render.disclaimer(out)
    if plan.referral.needed:
        raise typer.Exit(EXIT_WITHHELD)


@app.command()
def start(ctx: typer.Context) -> None:
    """First run: the intake if there is no profile yet, then today's session and the week."""
    from kneecap.app import profile as intake_cases

    today = clock(ctx).today()
    with opened(ctx) as home:
        existing = use(intake_cases.profile_or_none, home)
    if existing is None:
        new = interactive_intake(today)
        with opened(ctx) as home:
            kept = use(intake_cases.save_profile, home, new)
        if kept:
            held_over(kept)
    with opened(ctx) as home:
        show_start(programme(home), today, as_json=False)


@app.command()
def clearance(
    ctx: typer.Context,
    clinician: Annotated[str, typer.Option(help="Who examined you and cleared you for exercise.")],
    profession: Annotated[
        str | None,
        typer.Option(help="Their profession, e.g. physiotherapist, doctor, sports physician."),
    ] = None,
    date: DateOpt = None,
    note: Annotated[str | None, typer.Option(help="Anything the clinician said.")] = None,
) -> None:
    """Record that a clinician has examined the warning signs you reported and cleared you."""
    from kneecap.app import clearance as clearances

    with opened(ctx) as home:
        try:
            flags = clearances.record_clearance(home, clinician, profession, date, note)
        except BadInput as exc:  # the fields are this command's options
            fail("\n".join(f"--{p}" for p in exc.problems))
        except NoProfile:
            fail("no profile yet: run 'kneecap init' first", EXIT_NOTHING)
    name, job = clinician.strip(), profession.strip() if profession else None
    who = f"{name} ({job})" if job else name
    if not flags:
        out.print("Recorded. (You had reported no warning signs, so nothing was on hold.)")
    else:
        out.print(f"Recorded: {', '.join(sorted(flags))} cleared by {who}. Your plan is available.")


# --- profile ----------------------------------------------------------------------------------


@profile_app.callback()
def profile_main(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(profile_show, ctx=ctx)


@profile_app.command("show")
def profile_show(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show your profile."""
    import yaml

    from kneecap.app import profile as intake_cases

    with opened(ctx) as home:
        p = use(intake_cases.profile, home)
    data = p.model_dump(mode="json")
    if as_json:
        emit_json(data)
    else:
        out.print(yaml.safe_dump(data, sort_keys=False), end="")


@profile_app.command("set")
def profile_set(
    ctx: typer.Context,
    field: Annotated[
        str, typer.Argument(help="A dotted field, e.g. availability.minutes_per_session")
    ],
    value: Annotated[
        str, typer.Argument(help="The new value (YAML: 30, true, [mat, band], mon,wed)")
    ],
) -> None:
    """Change one field of your profile; the whole profile is checked before it is saved."""
    from kneecap.app import profile as intake_cases
    from kneecap.core.profile import Profile
    from kneecap.documents import DocumentError, validate

    with opened(ctx) as home:
        current = use(intake_cases.profile, home)
        data = current.model_dump(mode="json")
        parts = field.split(".")
        target = data
        for part in parts[:-1]:
            if not isinstance(target.get(part), dict):
                fail(
                    f"{field}: unknown field (top-level fields: {', '.join(Profile.model_fields)})"
                )
            target = target[part]
        if parts[-1] not in target:
            fail(f"{field}: unknown field (allowed here: {', '.join(target)})")
        target[parts[-1]] = parse_value(value, isinstance(target[parts[-1]], list))
        try:
            updated = validate(Profile, data, "profile")
        except DocumentError as exc:
            fail(str(exc))
        use(intake_cases.save_profile, home, updated, current)
    out.print(f"Saved: {field} = {value}")


def check_view(day: dt.date, today: dt.date, option: str) -> None:
    """A day to show lies within a year either side of today (`core.dates`)."""
    from kneecap.core import dates

    problem = dates.view_problem(day, today, option)
    if problem is not None:
        fail(problem)


def parse_value(text: str, want_list: bool) -> Any:
    import yaml

    try:
        value = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError):  # ValueError: a date that does not exist (02-30)
        return text
    if want_list and isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if want_list and (value is None or value in ("none", "-")):
        return []
    return value


# --- plan -------------------------------------------------------------------------------------


@app.command()
def plan(
    ctx: typer.Context,
    from_: Annotated[
        dt.date | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First day (default today)."),
    ] = None,
    weeks: Annotated[int, typer.Option(min=1, max=52, help="How many weeks.")] = 1,
    as_json: JsonOpt = False,
    ics: Annotated[
        Path | None, typer.Option(help="Also write the plan as an iCalendar file.")
    ] = None,
) -> None:
    """Your plan, a week (or more) at a time."""
    from kneecap.app.reminders import reminder_time
    from kneecap.cli import render
    from kneecap.core.plan import plan_to_dict
    from kneecap.render.ical import plan_to_ics
    from kneecap.settings import write_private

    today = clock(ctx).today()
    with opened(ctx) as home:
        p = programme(home)
        at = reminder_time(home)
    if from_ is not None:
        check_view(from_, today, "--from")
    first = from_ or max(today, p.profile.start_date)
    result = p.plan(first, first + dt.timedelta(days=7 * weeks - 1))
    if ics is not None and not result.referral.needed:
        try:
            write_private(ics, plan_to_ics(result, p.catalogue, clock(ctx).now(), at))
        except OSError as exc:
            fail(f"--ics {ics}: cannot write ({exc.strerror})")
    if as_json:
        emit_json(plan_to_dict(result))
    else:
        render.referral(out, result.referral)
        if not result.referral.needed:
            scope_line(result)
            render.week(out, result, p.catalogue)
            render.notes(out, result)
            if ics is not None:
                out.print(
                    f"Calendar written to {ics} ({sum(len(d.sessions) for d in result.days)} events)."
                )
        render.disclaimer(out)
    if result.referral.needed:
        raise typer.Exit(EXIT_WITHHELD)


@app.command()
def today(ctx: typer.Context, date: DateOpt = None, as_json: JsonOpt = False) -> None:
    """Today's session (or another day's with --date)."""
    from kneecap.cli import render
    from kneecap.core.plan import day_to_dict, reason_to_dict, referral_to_dict

    now = clock(ctx).today()
    if date is not None:
        check_view(date, now, "--date")
    day = date or now
    with opened(ctx) as home:
        p = programme(home)
    result = p.plan(day, day)
    found = result.day(day)
    if as_json:
        emit_json(
            {
                "date": day.isoformat(),
                "phase": result.phase.value,
                "scope": result.scope.value,
                "referral": referral_to_dict(result.referral),
                "sessions": day_to_dict(found)["sessions"] if found else [],
                "notes": [reason_to_dict(n) for n in result.notes],
            }
        )
    elif result.referral.needed:
        render.referral(out, result.referral)
    elif day < p.profile.start_date:
        out.print(f"Your plan starts on {p.profile.start_date:%A %d %B}.")
    elif found is None:
        out.print(
            f"[bold]{render.date_label(day, now)}[/]: no session planned. Rest, or go for an easy walk."
        )
    else:
        scope_line(result)
        render.day(out, found, p.catalogue, render.date_label(day, now))
    if day == now and not as_json and not result.referral.needed:
        reminders(p, now)
    if result.referral.needed:
        raise typer.Exit(EXIT_WITHHELD)


def scope_line(plan: Plan) -> None:
    """Label a plan given as general knee care (CPG-DX) so it is never read as a runner's knee
    programme."""
    from kneecap.core.screening import Scope

    if plan.scope is Scope.GENERAL_KNEE_CARE:
        out.print(
            "[bold cyan]General knee care:[/] where your knee hurts is not typical of runner's "
            "knee, so this is a general plan until a physiotherapist confirms what it is. "
            "[dim][CPG-DX][/]"
        )


def reminders(p: Programme, today: dt.date) -> None:
    """The morning check-in when it is due (PMM-2), and the AKPS every 2-4 weeks."""
    from kneecap.core.akps import due as akps_due

    if not any(c.date == today for c in p.checkins):
        out.print(
            "[bold]Morning check-in:[/] how is the knee today? 'kneecap checkin --morning-pain N' [dim][PMM-2][/]"
        )
    due = akps_due(p.akps[-1][0] if p.akps else None, today)
    if due != "not yet":
        out.print(
            f"[bold]Knee questionnaire {due}:[/] 'kneecap akps' takes two minutes and shows your progress."
        )
    for advice in p.status.advice:
        out.print(f"[bold yellow]{advice}[/]")
