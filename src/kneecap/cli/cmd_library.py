"""The exercise library and the education topics."""

from __future__ import annotations

from typing import Annotated

import typer

from kneecap.cli.common import JsonOpt, app, fail
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
    if exercise_id is not None and exercise_id not in catalogue:
        fail(f"unknown exercise '{exercise_id}'; see 'kneecap exercises' for the ids")
    render_library.exercises(catalogue, exercise_id, kind, as_json)


@app.command()
def learn(
    topic: Annotated[str | None, typer.Argument(metavar="[TOPIC]", help="A topic id.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """What runner's knee is, how recovery works, daily habits, prevention."""
    from kneecap.catalog import load_topics
    from kneecap.cli import render_library

    topics = load_topics()
    if topic is not None and topic not in topics:
        fail(f"unknown topic '{topic}'; topics: {', '.join(topics)}")
    render_library.topics(topics, topic, as_json)
