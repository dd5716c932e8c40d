"""The exercise library and the education topics."""

from __future__ import annotations

from typing import Annotated

import typer

from kneecap.cli.common import (
    JsonOpt,
    app,
    emit_json,
    fail,
    out,
)
from kneecap.core.kinds import Kind

# --- library ----------------------------------------------------------------------------------


@app.command()
def exercises(
    exercise_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="One exercise's id.")
    ] = None,
    kind: Annotated[Kind | None, typer.Option(help="Only this kind.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The exercise library, or one exercise in full."""
    from kneecap.catalog import load_catalogue
    from kneecap.cli import render_library

    catalogue = load_catalogue()
    if exercise_id is not None:
        if exercise_id not in catalogue:
            fail(f"unknown exercise '{exercise_id}'; see 'kneecap exercises' for the ids")
        e = catalogue[exercise_id]
        if as_json:
            emit_json(e.model_dump(mode="json"))
        else:
            render_library.exercise(out, e, catalogue)
        return
    items = [e for e in catalogue.values() if kind is None or e.kind is kind]
    if as_json:
        emit_json([e.model_dump(mode="json") for e in items])
    else:
        render_library.exercise_list(out, items)


@app.command()
def learn(
    topic: Annotated[str | None, typer.Argument(metavar="[TOPIC]", help="A topic id.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """What runner's knee is, how recovery works, daily habits, prevention."""
    from kneecap.catalog import load_topics
    from kneecap.cli import render_library

    topics = load_topics()
    if topic is None:
        if as_json:
            emit_json(
                [{"id": t.id, "title": t.title, "summary": t.summary} for t in topics.values()]
            )
        else:
            render_library.topic_list(out, list(topics.values()))
        return
    if topic not in topics:
        fail(f"unknown topic '{topic}'; topics: {', '.join(topics)}")
    if as_json:
        emit_json(topics[topic].model_dump(mode="json"))
    else:
        render_library.topic(out, topics[topic])
