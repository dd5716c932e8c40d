"""Plans in the terminal: a day's sessions, the week, the notes, a referral, and the views of
`init`/`start`, `plan`, `today`, `session`, `checkin`, `clearance` and `profile`.

The views print a use case's answer (text, or JSON with `as_json`) and return the command's
exit code (`cli/common.py`); the parts take the console to print to. Imported inside the
commands only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kneecap import DISCLAIMER
from kneecap.cli.console import EXIT_WITHHELD, emit_json, out
from kneecap.core.catalogue import Catalogue
from kneecap.core.plan import Day, Plan
from kneecap.core.screening import Referral, Scope, Urgency
from kneecap.core.session_words import session_title

if TYPE_CHECKING:
    from kneecap.app.profile import Started
    from kneecap.app.read import Planned
    from kneecap.core.history import CheckIn, SessionLog
    from kneecap.core.profile import Profile
    from kneecap.core.screening import Screening
    from kneecap.programme import Programme

_URGENCY_HEADLINE = {
    Urgency.URGENT: ("Get medical help today", "bold white on red"),
    Urgency.SOON: ("See a clinician within the next few days", "bold black on yellow"),
    Urgency.ROUTINE: ("See a physiotherapist or doctor when you can", "bold black on cyan"),
}


def referral(console: Console, r: Referral) -> None:
    if r.urgency is Urgency.NONE:
        return
    headline, style = _URGENCY_HEADLINE[r.urgency]
    body: list[Text] = []
    if r.needed:
        body.append(
            Text(
                "Your exercise plan is on hold. What you reported needs a clinician's check "
                "before exercise. Once a clinician has cleared you, record it with "
                "'kneecap clearance --clinician NAME' and your plan will appear.\n"
            )
        )
    for reason in r.reasons:
        body.append(Text.assemble(("Why: ", "bold"), reason.text, (f"  [{reason.rule}]", "dim")))
        if reason.action:
            body.append(Text.assemble(("What to do: ", "bold"), reason.action))
        body.append(Text(""))
    console.print(
        Panel(
            Group(*body),
            title=Text(headline, style=style),
            border_style="red" if r.needed else "cyan",
        )
    )


def day(console: Console, d: Day, catalogue: Catalogue, title: str | None = None) -> None:
    heading = title or d.date.strftime("%A %d %B %Y")
    if not d.sessions:
        console.print(f"[bold]{heading}[/]: rest day. Gentle walking is fine.")
        return
    for session in d.sessions:
        table = Table(
            title=f"{heading}: {session_title(session)}, about {session.minutes} min",
            title_justify="left",
            show_lines=False,
        )
        table.add_column("Part", style="dim")
        table.add_column("Exercise", style="bold")
        table.add_column("Dose")
        table.add_column("Min", justify="right")
        for item in session.items:
            e = catalogue[item.exercise]
            table.add_row(
                item.block,
                f"{e.name}  [dim]({e.id})[/]",
                item.dose(),
                f"{item.minutes:g}",
            )
        console.print(table)
        for item in session.items:
            decision = item.decision
            if decision is not None and decision.action.value != "hold":
                console.print(
                    f" • [bold]{catalogue[item.exercise].name}[/]: {decision.reason} "
                    f"[dim][{decision.rule}][/]"
                )


def week(console: Console, plan: Plan, catalogue: Catalogue) -> None:
    table = Table(title=f"Plan: {plan.phase.label} phase", title_justify="left")
    table.add_column("Day")
    table.add_column("Sessions")
    table.add_column("Min", justify="right")
    for d in plan.days:
        parts = []
        for s in d.sessions:
            names = ", ".join(
                catalogue[i.exercise].name
                for i in s.items
                if i.block in ("strength", "cardio", "run")
            )
            parts.append(f"[bold]{session_title(s)}[/]" + (f": {names}" if names else ""))
        table.add_row(d.date.strftime("%a %d %b"), "\n".join(parts), str(d.minutes))
    console.print(table)


def notes(console: Console, plan: Plan) -> None:
    if not plan.notes:
        return
    console.print("[bold]Why the plan looks like this[/]")
    for n in plan.notes:
        console.print(f" • {n.text} [dim][{n.rule}][/]")


def mark(met: bool) -> str:
    """A criterion met (a green tick) or still to meet (a dim circle)."""
    return "[green]✔[/]" if met else "[dim]○[/]"


def disclaimer(console: Console) -> None:
    console.print(f"[dim]{DISCLAIMER}[/]")


def date_label(d: dt.date, today: dt.date) -> str:
    return "Today" if d == today else d.strftime("%A %d %B")


def scope_line(plan: Plan) -> None:
    """Label a plan given as general knee care (CPG-DX) so it is never read as a runner's knee
    programme."""
    if plan.scope is Scope.GENERAL_KNEE_CARE:
        out.print(
            "[bold cyan]General knee care:[/] where your knee hurts is not typical of runner's "
            "knee, so this is a general plan until a physiotherapist confirms what it is. "
            "[dim][CPG-DX][/]"
        )


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


def start(started: Started, as_json: bool) -> int:
    """After the intake: any flag still on hold, the phase, the first day and the week (or the
    referral); exit 3 while the plan is on hold."""
    from kneecap.core.plan import plan_to_dict

    planned = started.planned
    plan, first, today, catalogue = (
        planned.plan,
        planned.first,
        planned.today,
        planned.programme.catalogue,
    )
    if started.held and not as_json:
        held_over(started.held)
    if as_json:
        emit_json(plan_to_dict(plan))
    else:
        referral(out, plan.referral)
        if not plan.referral.needed:
            scope_line(plan)
            out.print(f"\n[bold]Phase: {plan.phase.label}.[/] {plan.phase.purpose}\n")
            first_day = plan.days[0] if plan.days else None
            if first_day is not None and first_day.date != first:
                out.print(f"[bold]{date_label(first, today)}[/]: no session planned.")
            if first_day is not None:
                label = date_label(first_day.date, today)
                day(
                    out,
                    first_day,
                    catalogue,
                    label if first_day.date == first else f"Next: {label}",
                )
            week(out, plan, catalogue)
            notes(out, plan)
        disclaimer(out)
    return EXIT_WITHHELD if plan.referral.needed else 0


def plan_view(planned: Planned, as_json: bool, ics: str | None = None) -> int:
    """The plan's days, week by week, and its notes (or the referral); where the calendar was
    written; exit 3 while the plan is on hold."""
    from kneecap.core.plan import plan_to_dict

    result = planned.plan
    if as_json:
        emit_json(plan_to_dict(result))
    else:
        referral(out, result.referral)
        if not result.referral.needed:
            scope_line(result)
            week(out, result, planned.programme.catalogue)
            notes(out, result)
            if ics is not None:
                out.print(
                    f"Calendar written to {ics} ({sum(len(d.sessions) for d in result.days)} events)."
                )
        disclaimer(out)
    return EXIT_WITHHELD if result.referral.needed else 0


def today_view(planned: Planned, as_json: bool) -> int:
    """One day's sessions (or why there are none, or the referral), and on today the morning
    check-in and the questionnaire when due; exit 3 while the plan is on hold."""
    from kneecap.core.plan import day_to_dict, reason_to_dict, referral_to_dict
    from kneecap.running_status import own_running_of

    p, result, day_, now = planned.programme, planned.plan, planned.first, planned.today
    found = result.day(day_)
    if as_json:
        emit_json(
            {
                "date": day_.isoformat(),
                "phase": result.phase.value,
                "scope": result.scope.value,
                "referral": referral_to_dict(result.referral),
                "sessions": day_to_dict(found)["sessions"] if found else [],
                "notes": [reason_to_dict(n) for n in result.notes],
                "running": own_running_of(p) if day_ == now else None,
            }
        )
    elif result.referral.needed:
        referral(out, result.referral)
    elif day_ < p.profile.start_date:
        out.print(f"Your plan starts on {p.profile.start_date:%A %d %B}.")
    elif found is None:
        out.print(
            f"[bold]{date_label(day_, now)}[/]: no session planned. Rest, or go for an easy walk."
        )
    else:
        scope_line(result)
        day(out, found, p.catalogue, date_label(day_, now))
    if day_ == now and not as_json and not result.referral.needed:
        reminders(p, now)
    return EXIT_WITHHELD if result.referral.needed else 0


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
    own_running(p)


def own_running(p: Programme) -> None:
    """For a runner who runs on their own before the ladder: the advice on their runs, with
    its reasons (`running_status.own_running`, as Today and `kneecap rtr` say it)."""
    from kneecap.running_status import own_running_of

    own = own_running_of(p)
    if own is None:
        return
    out.print(f"[bold]Your running:[/] {own['headline']} [dim][{own['rule']}][/]")
    for line in own["lines"]:
        out.print(f"  • {line}")


def cleared(flags: frozenset[str], clinician: str, profession: str | None) -> None:
    """What a recorded clearance covered, and by whom."""
    name, job = clinician.strip(), profession.strip() if profession else None
    who = f"{name} ({job})" if job else name
    if not flags:
        out.print("Recorded. (You had reported no warning signs, so nothing was on hold.)")
    else:
        out.print(f"Recorded: {', '.join(sorted(flags))} cleared by {who}. Your plan is available.")


def profile(p: Profile, as_json: bool) -> None:
    """The profile as YAML, or JSON."""
    import yaml

    data = p.model_dump(mode="json")
    if as_json:
        emit_json(data)
    else:
        out.print(yaml.safe_dump(data, sort_keys=False), end="")


def session_blocked(planned: Planned) -> int | None:
    """Why no session can be guided on the planned day (the plan on hold: exit 3; nothing
    planned: exit 0), or None to go on."""
    plan, day_ = planned.plan, planned.first
    if plan.referral.needed:
        referral(out, plan.referral)
        return EXIT_WITHHELD
    if plan.day(day_) is None:
        out.print(f"No session planned for {day_:%A %d %B}. Rest, or go for an easy walk.")
        return 0
    return None


def session_saved(log: SessionLog, planned: Planned) -> None:
    found = planned.plan.day(planned.first)
    items = sum(len(s.items) for s in found.sessions) if found else 0
    what = "Partial session saved" if log.partial else "Session saved"
    out.print(
        f"\n[bold green]{what}[/] ({len(log.entries)} of {items} exercises). Check in tomorrow morning: 'kneecap checkin --morning-pain N'."
    )


def logged(logs: list[SessionLog]) -> None:
    entries = sum(len(log.entries) for log in logs)
    out.print(f"Logged {len(logs)} session(s), {entries} exercise(s).")


def checked_in(checkins: list[CheckIn], screening: Screening | None) -> int:
    """The check-in saved, and the referral when it put the plan on hold (exit 3)."""
    last = checkins[-1]
    more = f" ({len(checkins)} check-ins)" if len(checkins) > 1 else ""
    out.print(
        f"Check-in saved for {last.date:%A %d %B}: morning pain {last.morning_pain}/10{more}."
    )
    if screening is not None and screening.referral.needed:
        referral(out, screening.referral)
        return EXIT_WITHHELD
    return 0
