"""The decisions timeline, made readable: runs of identical holds become one row.

Eight weeks of sessions can leave well over a hundred decisions, most of them the same hold
repeated ("it felt hard, so it stays the same"). A runner, or a physiotherapist reading over
their shoulder, needs the changes and how long each hold lasted, not every repetition. Both
faces (`kneecap why` and the web's Progress timeline) show the rows made here, so they agree.

Holds and clearances belong in the same story: a red flag that put the plan on hold (which,
when, its rule) and a clinician's clearance that lifted it (who, their profession, when, what it
covered) are rows too (`flag_rows`), merged with the decisions by date (`timeline`).

Pure: a function of the engine's decisions, in the engine's (date) order, and of the stored
profile versions and clearances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kneecap.core.engine import Action, Decision
from kneecap.core.holds import ClearanceRecord, Version
from kneecap.core.plan import decision_to_dict
from kneecap.core.screening import RED_FLAGS

ON_HOLD = "on_hold"  # a red flag put the plan on hold
CLEARED = "cleared"  # a clinician's clearance lifted it


@dataclass(frozen=True)
class DecisionRow:
    """One decision, or `count` identical consecutive holds from `first` to `last`.

    `decision` is the latest of the run, so its date is the run's last day. A red flag's hold
    or a clearance is a row too: `kind` says which (`ON_HOLD`, `CLEARED`), its `decision` is
    about the whole programme and carries the date, rule and reason; `flags`, `clinician` and
    `profession` say what it was about."""

    decision: Decision
    count: int
    first: dt.date
    kind: str = "decision"
    flags: tuple[str, ...] = ()
    clinician: str | None = None
    profession: str | None = None

    @property
    def last(self) -> dt.date:
        return self.decision.date

    @property
    def action(self) -> str:
        """What happened, in the JSON's words: the engine's action, `on_hold` or `cleared`."""
        return self.decision.action.value if self.kind == "decision" else self.kind

    @property
    def label(self) -> str:
        """What happened, in the runner's words (the Progress page says the same)."""
        return {ON_HOLD: "plan on hold", CLEARED: "cleared by a clinician"}.get(
            self.kind, self.action
        )


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


@dataclass(frozen=True)
class ClearanceEntry:
    """A recorded clearance as the runner wrote it: the record, who and their profession."""

    record: ClearanceRecord
    clinician: str
    profession: str | None = None


def _flag_name(flag: str) -> str:
    return flag.replace("_", " ")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def flag_rows(
    versions: Sequence[Version], clearances: Sequence[ClearanceEntry]
) -> tuple[DecisionRow, ...]:
    """Each red flag newly raised in a profile version (the plan went on hold that day) and
    each recorded clearance, oldest first. A hold says whether a clearance has lifted it: the
    first one recorded against its version or a later one that names the flag (`core.holds`)."""
    rows: list[tuple[int, DecisionRow]] = []
    previous: frozenset[str] = frozenset()
    ordered = sorted(versions, key=lambda v: v.id)
    by_record = sorted(clearances, key=lambda c: (c.record.profile_id, c.record.cleared_on))
    for v in ordered:
        for flag in sorted(v.raised - previous):
            if v.created_on is None:
                continue
            known = RED_FLAGS.get(flag)
            rule = known.rule if known is not None else "RF-SOON"
            said = known.text if known is not None else ""
            lifted = next(
                (c for c in by_record if flag in c.record.flags and c.record.profile_id >= v.id),
                None,
            )
            if lifted is None:
                after = "The plan is on hold until a clinician examines the knee and clears it."
            else:
                after = (
                    "The plan was on hold until a clinician cleared it on "
                    f"{lifted.record.cleared_on.isoformat()}."
                )
            reason = f"Warning sign reported: {_flag_name(flag)}. {said} {after}".replace("  ", " ")
            d = Decision(v.created_on, None, Action.STOP, rule, reason)
            rows.append((v.id, DecisionRow(d, 1, v.created_on, ON_HOLD, (flag,))))
        previous = v.raised
    for c in clearances:
        names = sorted(c.record.flags)
        who = c.clinician + (f", {c.profession}," if c.profession else "")
        covered = _listed([_flag_name(f) for f in names]) if names else "the warning signs"
        reason = (
            f"{who} examined the knee and cleared it for exercise: {covered}. The plan goes on."
        )
        d = Decision(c.record.cleared_on, None, Action.PROGRESS, "RF-SOON", reason)
        row = DecisionRow(
            d, 1, c.record.cleared_on, CLEARED, tuple(names), c.clinician, c.profession
        )
        rows.append((c.record.profile_id, row))
    rows.sort(key=lambda r: (r[1].last, r[1].kind == CLEARED, r[0]))
    return tuple(r for _, r in rows)


def timeline(
    decided: Iterable[Decision], holds_and_clearances: Iterable[DecisionRow] = ()
) -> tuple[DecisionRow, ...]:
    """The rows both faces show, newest first: the engine's decisions (`collapse`) and the
    holds and clearances (`flag_rows`), by their last date; on one day, a hold comes after the
    day's decisions and a clearance after the hold."""
    merged = sorted(
        [*collapse(decided), *holds_and_clearances],
        key=lambda r: (r.last, {"decision": 0, ON_HOLD: 1, CLEARED: 2}.get(r.kind, 0)),
    )
    return tuple(reversed(merged))


def row_to_dict(row: DecisionRow) -> dict[str, Any]:
    """A decision's JSON (docs/json.md) plus `count`, `first` and `last`; `date` is the last.
    `kind` says what the row is ("decision", "on_hold" or "cleared"); holds and clearances
    add `flags`, and clearances `clinician` and `profession`."""
    out = {
        **decision_to_dict(row.decision),
        "action": row.action,
        "kind": row.kind,
        "count": row.count,
        "first": row.first.isoformat(),
        "last": row.last.isoformat(),
    }
    if row.kind != "decision":
        out["flags"] = list(row.flags)
    if row.kind == CLEARED:
        out["clinician"] = row.clinician
        out["profession"] = row.profession
    return out
