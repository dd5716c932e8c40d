"""The exercise library and the education topics in the terminal: `exercises` and `learn`,
as text or JSON. Imported inside the commands only (the figures too, only for one exercise).
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kneecap.cli.common import emit_json, out
from kneecap.core.catalogue import Catalogue, Exercise, Kind
from kneecap.core.dose_words import dose_text
from kneecap.core.education import Topic
from kneecap.core.phases import Phase
from kneecap.core.prescription import starting


def exercises(
    catalogue: Catalogue, exercise_id: str | None, kind: Kind | None, as_json: bool
) -> None:
    """One exercise in full (`exercise_id`, known), or the library (of one `kind`) as a list."""
    if exercise_id is not None:
        e = catalogue[exercise_id]
        if as_json:
            emit_json(e.model_dump(mode="json"))
        else:
            exercise(out, e, catalogue)
        return
    items = [e for e in catalogue.values() if kind is None or e.kind is kind]
    if as_json:
        emit_json([e.model_dump(mode="json") for e in items])
    else:
        exercise_list(out, items)


def topics(found: Mapping[str, Topic], topic_id: str | None, as_json: bool) -> None:
    """One topic in full (`topic_id`, known), or the list of topics."""
    if topic_id is None:
        if as_json:
            emit_json(
                [{"id": t.id, "title": t.title, "summary": t.summary} for t in found.values()]
            )
        else:
            topic_list(out, list(found.values()))
        return
    if as_json:
        emit_json(found[topic_id].model_dump(mode="json"))
    else:
        topic(out, found[topic_id])


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
