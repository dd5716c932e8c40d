"""The decisions timeline, made readable: runs of identical holds become one row.

Eight weeks of sessions can leave well over a hundred decisions, most of them the same hold
repeated ("it felt hard, so it stays the same"). A runner, or a physiotherapist reading over
their shoulder, needs the changes and how long each hold lasted, not every repetition. Both
faces (`kneecap why` and the web's Progress timeline) show the rows made here, so they agree.

Pure: a function of the engine's decisions, in the engine's (date) order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kneecap.core.engine import Action, Decision
from kneecap.core.plan import decision_to_dict


@dataclass(frozen=True)
class DecisionRow:
    """One decision, or `count` identical consecutive holds from `first` to `last`.

    `decision` is the latest of the run, so its date is the run's last day."""

    decision: Decision
    count: int
    first: dt.date

    @property
    def last(self) -> dt.date:
        return self.decision.date


def is_change(d: Decision) -> bool:
    """Anything that changes the programme: progress, regress, substitute, stop, a phase change,
    a new exercise or a new dose. Changes are never merged with anything."""
    return (
        d.action is not Action.HOLD
        or d.from_phase is not None
        or d.to_phase is not None
        or d.to_exercise is not None
        or d.from_dose != d.to_dose
    )


def _same(a: Decision, b: Decision) -> bool:
    return (a.exercise, a.action, a.rule, a.reason) == (b.exercise, b.action, b.rule, b.reason)


def collapse(decisions: Iterable[Decision]) -> tuple[DecisionRow, ...]:
    """Merge each run of holds that repeat one another (same exercise, action, rule and reason,
    with no other decision about that exercise in between) into one row with a count and a date
    range. Every change stays its own row, and a phase change ends every run (a hold before it
    and one after it are holds in different programmes).

    Rows come back oldest first, ordered by their last date, as the engine's decisions are."""
    rows: list[list[Decision]] = []
    ends: list[int] = []  # the position of each row's latest decision in the input
    open_row: dict[str | None, int] = {}  # exercise -> its latest row, while it can still grow
    for at, d in enumerate(decisions):
        if d.from_phase is not None or d.to_phase is not None:
            open_row.clear()
        index = open_row.get(d.exercise)
        if index is not None and not is_change(d) and _same(rows[index][-1], d):
            rows[index].append(d)
            ends[index] = at
            continue
        rows.append([d])
        ends.append(at)
        if is_change(d):
            open_row.pop(d.exercise, None)
        else:
            open_row[d.exercise] = len(rows) - 1
    order = sorted(range(len(rows)), key=ends.__getitem__)
    return tuple(DecisionRow(rows[i][-1], len(rows[i]), rows[i][0].date) for i in order)


def row_to_dict(row: DecisionRow) -> dict[str, Any]:
    """A decision's JSON (docs/json.md) plus `count`, `first` and `last`; `date` is the last."""
    return {
        **decision_to_dict(row.decision),
        "count": row.count,
        "first": row.first.isoformat(),
        "last": row.last.isoformat(),
    }
