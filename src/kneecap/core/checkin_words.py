"""What a morning check-in changed, in words: the engine's decisions for that day after the
check-in, each with its rule, the exercises it moved and their doses. Every number quoted is one
the engine compared (its reasons) or the runner's own answer; nothing is said that the replay
did not decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kneecap.core.catalogue import Catalogue
from kneecap.core.decision import Decision
from kneecap.core.dose_words import dose_text
from kneecap.core.history import CheckIn


def _moved(d: Decision, catalogue: Catalogue) -> str | None:
    """One exercise a decision moved, e.g. "Glute bridge: 3 x 12 → 2 x 10"."""
    if d.exercise is None:
        return None
    name = catalogue[d.exercise].name if d.exercise in catalogue else d.exercise
    if d.to_exercise and d.to_exercise != d.exercise:
        other = catalogue[d.to_exercise].name if d.to_exercise in catalogue else d.to_exercise
        return f"{name} → {other}"
    if d.from_dose and d.to_dose and d.from_dose != d.to_dose:
        return f"{name}: {dose_text(d.from_dose)} → {dose_text(d.to_dose)}"
    return name


def feedback(
    checkin: CheckIn,
    decisions: Sequence[Decision],
    catalogue: Catalogue,
    updated: bool = False,
    raised: Sequence[str] = (),
) -> dict[str, Any]:
    """The check-in's answer: the runner's numbers, then each change the engine made that day
    (grouped by rule and reason), or that the plan stays as it was."""
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
        moved = _moved(d, catalogue)
        if moved is not None and moved not in group["exercises"]:
            group["exercises"].append(moved)
    changes = list(groups.values())
    return {
        "date": checkin.date.isoformat(),
        "morning_pain": checkin.morning_pain,
        "updated": updated,
        "headline": headline,
        "changes": changes,
        "unchanged": not changes,
        "summary": "Nothing in your plan changes: carry on as planned." if not changes else None,
        "new_red_flags": sorted(raised),
        "answers": checkin.model_dump(mode="json"),
    }
