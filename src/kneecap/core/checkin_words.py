"""What a morning check-in changed, in words: the decisions the check-in itself made (those in
the replay with it and not in the one without it, by the morning's rules), each with its rule,
the exercises it moved and their doses as the runner had them and as they will be planned; and,
while the plan is on hold, that it is and why. Every number quoted is one the engine compared
(its reasons), one the plan gives or the runner's own answer; nothing is said that the replay did
not decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from kneecap.core.catalogue import Catalogue
from kneecap.core.decision import Action, Decision
from kneecap.core.dose_words import dose_text
from kneecap.core.history import CheckIn
from kneecap.core.prescription import Prescription
from kneecap.core.rulebook import Rule
from kneecap.core.screening import RED_FLAGS

# the rules a morning's answers decide by: PMM-2 (settled by the morning), PMM-3 (the weekly
# trend) and the ladder's morning after a run (RTR-RULES); PMM-4 only for a step up the settled
# morning confirmed. Red flags are the hold's part.
MORNING_RULES = frozenset({Rule.PMM_2, Rule.PMM_3, Rule.RTR_RULES})
REFERRAL_PAGE = "/referral"

FLAG_WORDS = {"swelling": "swelling"}


def caused(
    with_it: Sequence[Decision], without_it: Sequence[Decision], day: dt.date
) -> list[Decision]:
    """The decisions of `day` the check-in made: in the replay with it and not in the one
    without it (each replayed up to that morning, before the day's sessions), by the morning's
    rules or a step up the settled morning allowed."""
    before = [d for d in without_it if d.date == day]
    made = []
    for d in with_it:
        if d.date != day:
            continue
        if d in before:
            before.remove(d)
            continue
        if d.rule in MORNING_RULES or (d.rule == Rule.PMM_4 and d.action is Action.PROGRESS):
            made.append(d)
    return made


def _moved(
    d: Decision,
    catalogue: Catalogue,
    had: Mapping[str, Prescription],
    planned: Mapping[str, Prescription],
) -> str | None:
    """One exercise a decision moved, e.g. "Glute bridge: 3 x 12 → 2 x 12", the doses as the
    runner had it and as it will be planned; only the name when either is not known."""
    if d.exercise is None or d.exercise == "running":
        return None
    name = catalogue[d.exercise].name if d.exercise in catalogue else d.exercise
    if d.to_exercise and d.to_exercise != d.exercise:
        other = catalogue[d.to_exercise].name if d.to_exercise in catalogue else d.to_exercise
        return f"{name} → {other}"
    before = had.get(d.exercise)
    after = planned.get(d.to_exercise or d.exercise)
    if before is None or after is None:
        return name
    if before == after:
        return f"{name}: stays at {dose_text(after)}"
    return f"{name}: {dose_text(before)} → {dose_text(after)}"


def _flag_words(flags: Sequence[str]) -> str:
    names = [FLAG_WORDS.get(f, f.replace("_", " ")) for f in flags]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def hold_words(
    checkin: CheckIn,
    pending: Sequence[str],
    raised_on: Mapping[str, dt.date | None],
    raised_now: Sequence[str] = (),
) -> dict[str, Any] | None:
    """While red flags hold the plan (raised, not cleared): that it is on hold, why, what to do
    and that a clinician's clearance, recorded, lifts it. None when nothing holds it."""
    if not pending:
        return None
    today = [f for f in pending if f in raised_now or raised_on.get(f) == checkin.date]
    earlier = [f for f in pending if f not in today]
    why = []
    if today:
        why.append(f"{_flag_words(today)} was reported this morning")
    if earlier:
        dates = sorted({d.isoformat() for f in earlier if (d := raised_on.get(f)) is not None})
        when = f" (since {dates[0]})" if dates else ""
        why.append(f"{_flag_words(earlier)} reported before{when} is not yet cleared")
    corrected = bool(today) and not set(today) <= set(raised_now)
    rules_ = sorted({RED_FLAGS[f].rule for f in pending if f in RED_FLAGS})
    actions = list(dict.fromkeys(RED_FLAGS[f].action for f in pending if f in RED_FLAGS))
    text = ("Your plan stays on hold: " if corrected or earlier else "Your plan is on hold: ") + (
        "; ".join(why) + "."
    )
    if corrected:
        text += " Correcting the check-in does not lift the hold."
    todo = " ".join(actions) if actions else "See a doctor or physiotherapist."
    return {
        "flags": list(pending),
        "rules": rules_,
        "text": text,
        "todo": todo,
        "clearance": "A clinician can clear you: when they have, record the clearance on the "
        "referral page and the plan starts again. Only a recorded clearance lifts the hold.",
        "href": REFERRAL_PAGE,
    }


def feedback(
    checkin: CheckIn,
    decisions: Sequence[Decision],
    catalogue: Catalogue,
    updated: bool = False,
    raised: Sequence[str] = (),
    had: Mapping[str, Prescription] | None = None,
    planned: Mapping[str, Prescription] | None = None,
    hold: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The check-in's answer: the runner's numbers, then each change the check-in made
    (`decisions`: those it caused, see `caused`; grouped by rule and reason) with the doses as
    the runner had them (`had`) and as they will be planned (`planned`), or that the plan stays
    as it was; while on hold (`hold_words`), that first."""
    said = f"{checkin.morning_pain}/10 this morning"
    if checkin.stiffness is not None:
        said += f", stiffness {checkin.stiffness}/10"
    if checkin.swelling:
        said += ", swelling"
    if checkin.limp:
        said += ", limping"
    headline = ("Check-in updated: " if updated else "Check-in saved: ") + said + "."
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for d in decisions:
        if d.date != checkin.date:
            continue
        group = groups.setdefault(
            (str(d.rule), d.reason),
            {"rule": str(d.rule), "action": d.action.value, "text": d.reason, "exercises": []},
        )
        moved = _moved(d, catalogue, had or {}, planned or {})
        if moved is not None and moved not in group["exercises"]:
            group["exercises"].append(moved)
    changes = list(groups.values())
    if hold is not None or changes:
        summary = None
    else:
        summary = "Nothing in your plan changes: carry on as planned."
    return {
        "date": checkin.date.isoformat(),
        "morning_pain": checkin.morning_pain,
        "updated": updated,
        "headline": headline,
        "hold": hold,
        "changes": changes,
        "unchanged": not changes and hold is None,
        "summary": summary,
        "new_red_flags": sorted(raised),
        "answers": checkin.model_dump(mode="json"),
    }
