"""Recording a Kujala (AKPS) result: the score and the red flags its answers raise, in one
transaction (a crash can never store one without the other). One result a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecap.app.context import Action, Home, require
from kneecap.app.diary import current_profile, dated_problems
from kneecap.app.errors import BadInput
from kneecap.core import akps as kujala


@dataclass(frozen=True)
class Recorded:
    date: dt.date
    score: int
    previous: int | None  # the last result before today's, if any
    raised: frozenset[str]  # red flags the answers newly raised

    @property
    def result(self) -> kujala.Result:
        return kujala.Result(self.date, self.score, self.previous)


def record_akps(home: Home, answers: list[int], source: str = "answers") -> Recorded:
    require(home.actor, Action.LOG, home.person)
    try:
        score = kujala.score(answers)
    except kujala.AkpsError as exc:
        raise BadInput(f"{source}: {exc}") from None
    today = home.clock.today()
    problems = dated_problems(home, [("date", today)], current_profile(home))
    if problems:
        raise BadInput(*problems)
    # today's result replaces an earlier one from today: compare with the days before
    history = [(day, s) for day, s in home.store.akps(home.person) if day < today]
    now = home.clock.now()
    with home.store.transaction(home.person) as w:
        w.add_akps(today, list(answers), score, now)
        raised = w.raise_flags(kujala.red_flags_in(answers), now)
    return Recorded(today, score, history[-1][1] if history else None, raised)
