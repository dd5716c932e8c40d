"""Rich rendering of plans, sessions, referrals, exercises and topics."""

from __future__ import annotations

import datetime as dt

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kneecap import DISCLAIMER
from kneecap.core.catalogue import Catalogue, Exercise, Kind
from kneecap.core.dose_words import dose_text
from kneecap.core.education import Topic
from kneecap.core.phases import Phase
from kneecap.core.plan import Day, Plan
from kneecap.core.prescription import starting
from kneecap.core.screening import Referral, Urgency
from kneecap.core.session_words import session_title

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


def disclaimer(console: Console) -> None:
    console.print(f"[dim]{DISCLAIMER}[/]")


def exercise(console: Console, e: Exercise, catalogue: Catalogue) -> None:
    from kneecap.render import figures  # the keyframes and drawing, only for one exercise

    if figures.has_figure(e.id):
        console.print(Text(figures.ascii(e.id, width=36, height=10)), style="cyan")
    lines: list[str] = [f"[italic]{e.summary}[/]", ""]
    lines.append(f"[bold]Kind:[/] {e.kind.value}    [bold]Works:[/] {', '.join(e.targets) or '-'}")
    need = ", ".join(x.value for x in e.equipment) or "nothing"
    nice = ", ".join(x.value for x in e.equipment_optional)
    lines.append(f"[bold]Equipment:[/] {need}" + (f" (optional: {nice})" if nice else ""))
    if e.needs_access:
        lines.append(f"[bold]Needs access to:[/] {e.needs_access.value.replace('_', ' ')}")
    if e.dose is not None:
        usual = Phase.STRENGTHEN if Phase.STRENGTHEN in e.phases else e.phases[0]
        lines.append(
            f"[bold]Starting dose:[/] {dose_text(starting(e, usual))}  [dim][{e.dose.source}][/]"
        )
        gentle = dose_text(starting(e, Phase.SETTLE))
        if Phase.SETTLE in e.phases and gentle != dose_text(starting(e, usual)):
            lines.append(f"[bold]Gentler start (settle phase):[/] {gentle}")
        lines.append(f"[bold]Phases:[/] {', '.join(p.label for p in e.phases)}")
    if e.relief_only:
        lines.append("[yellow]A comfort measure for relief, not a treatment [CPG-PASSIVE].[/]")
    lines.append("")
    lines.append("[bold]How to do it[/]")
    lines.extend(f" {n}. {s}" for n, s in enumerate(e.steps, 1))
    for label, items in (("Cues", e.cues), ("Common mistakes", e.mistakes)):
        if items:
            lines.append(f"[bold]{label}[/]")
            lines.extend(f" • {x}" for x in items)
    lines.append(f"[bold]Why it helps[/] {e.why}")
    for label, ids in (("Easier", e.easier), ("Harder", e.harder)):
        if ids:
            lines.append(
                f"[bold]{label}:[/] " + ", ".join(f"{catalogue[i].name} ({i})" for i in ids)
            )
    if e.progression:
        lines.append(f"[bold]Progression:[/] {e.progression}")
    if e.kind is Kind.AVOID:
        lines.append(f"[bold red]Avoid for now:[/] {e.avoid_reason}")
        lines.append(
            "[bold]Instead:[/] " + ", ".join(f"{catalogue[i].name} ({i})" for i in e.alternatives)
        )
    console.print(Panel("\n".join(lines), title=f"[bold]{e.name}[/] ({e.id})", title_align="left"))


def exercise_list(console: Console, items: list[Exercise]) -> None:
    table = Table(title="Exercises", title_justify="left")
    table.add_column("Id", style="bold")
    table.add_column("Name")
    table.add_column("Kind")
    table.add_column("Equipment")
    for e in items:
        table.add_row(e.id, e.name, e.kind.value, ", ".join(x.value for x in e.equipment) or "-")
    console.print(table)


def topic(console: Console, t: Topic) -> None:
    parts: list[str] = [f"[italic]{t.summary}[/]"]
    for s in t.sections:
        parts.append(f"\n[bold]{s.heading}[/]\n{s.body.strip()}")
    parts.append(f"\n[dim]Sources: {', '.join(t.sources)}[/]")
    console.print(Panel("\n".join(parts), title=f"[bold]{t.title}[/]", title_align="left"))


def topic_list(console: Console, topics: list[Topic]) -> None:
    table = Table(title="Learn: kneecap learn TOPIC", title_justify="left")
    table.add_column("Topic", style="bold")
    table.add_column("About")
    for t in topics:
        table.add_row(t.id, t.summary)
    console.print(table)


def date_label(d: dt.date, today: dt.date) -> str:
    return "Today" if d == today else d.strftime("%A %d %B")
