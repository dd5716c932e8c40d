"""The runner's record as a FHIR R4B Bundle (`kneecap export --fhir`): the stored Kujala results
and morning check-ins, read here and built by `kneecap.core.fhir`."""

from __future__ import annotations

from typing import Any

from kneecap.app.context import Action, Home, require
from kneecap.app.errors import BadInput
from kneecap.core import fhir

MAX_NAME = 200  # characters


def bundle(home: Home, name: str | None = None) -> dict[str, Any]:
    """The Bundle as JSON-ready data: pseudonymous, unless the runner adds `name` to it.
    Stamped with the clock's now; everything else is the same for the same data."""
    require(home.actor, Action.READ, home.person)
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise BadInput("name: must not be blank (leave it out to export without a name)")
        if len(name) > MAX_NAME:
            raise BadInput(f"name: at most {MAX_NAME} characters (got {len(name)})")
    store, person = home.store, home.person
    profile = store.profile(person)
    runner = fhir.Runner(
        key=fhir.runner_key(store.person_seed(person)),
        name=name,
        side=None if profile is None else profile.affected_side,
    )
    results = [
        fhir.AkpsAnswers(day, tuple(answers), score)
        for day, answers, score in store.akps_answers(person)
    ]
    return fhir.bundle(runner, results, store.checkins(person), home.clock.now())
