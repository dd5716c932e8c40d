"""The decisions timeline: repeated holds collapse into one row; changes never do."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kneecap.core.decisions import collapse, is_change, row_to_dict
from kneecap.core.engine import Action, Decision
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription

DAY = dt.date(2026, 12, 7)
DOSE = Prescription(sets=3, reps=12)
UP = Prescription(sets=3, reps=14)
HARD = "It felt hard, so it stays the same until it feels manageable."


def on(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def hold(
    n: int, exercise: str | None = "glute-bridge", reason: str = HARD, rule: str = "PMM-4"
) -> Decision:
    dose = DOSE if exercise else None
    return Decision(on(n), exercise, Action.HOLD, rule, reason, from_dose=dose, to_dose=dose)


def progress(n: int, exercise: str = "glute-bridge") -> Decision:
    return Decision(on(n), exercise, Action.PROGRESS, "PMM-4", "one step up", DOSE, UP)


def phase(n: int, to: Phase = Phase.BUILD) -> Decision:
    return Decision(
        on(n),
        None,
        Action.PROGRESS,
        "KC-PHASE-BUILD",
        "on",
        from_phase=Phase.STRENGTHEN,
        to_phase=to,
    )


def test_repeated_holds_collapse_into_one_row_with_a_count_and_a_date_range() -> None:
    rows = collapse([hold(n) for n in range(0, 56, 2)])
    assert len(rows) == 1
    assert (rows[0].count, rows[0].first, rows[0].last) == (28, on(0), on(54))
    assert rows[0].decision.reason == HARD


def test_a_single_decision_is_a_row_of_one_from_its_own_date() -> None:
    (row,) = collapse([progress(3)])
    assert (row.count, row.first, row.last) == (1, on(3), on(3))


def test_changes_are_never_merged() -> None:
    changes = [
        progress(0),
        progress(2),
        Decision(on(4), "glute-bridge", Action.REGRESS, "PMM-2", "eased", UP, DOSE),
        Decision(on(6), "glute-bridge", Action.REGRESS, "PMM-2", "eased", UP, DOSE),
        Decision(on(8), "step-up", Action.SUBSTITUTE, "PMM-SHARP", "s", to_exercise="low-step-up"),
        Decision(on(9), "step-up", Action.SUBSTITUTE, "PMM-SHARP", "s", to_exercise="low-step-up"),
        Decision(on(10), "step-up", Action.STOP, "PMM-SHARP", "stopped"),
        Decision(on(11), "step-up", Action.STOP, "PMM-SHARP", "stopped"),
        phase(12),
        phase(13),
    ]
    rows = collapse(changes)
    assert [r.decision for r in rows] == changes
    assert all(r.count == 1 for r in rows)


def test_a_hold_that_changes_the_dose_is_a_change() -> None:
    moved = Decision(on(0), "glute-bridge", Action.HOLD, "PMM-4", HARD, DOSE, UP)
    assert is_change(moved)
    assert len(collapse([moved, moved])) == 2
    assert not is_change(hold(0))


def test_a_change_in_between_splits_the_holds_of_that_exercise() -> None:
    history = [hold(0), hold(2), progress(4), hold(6), hold(8)]
    rows = collapse(history)
    assert [(r.decision.action, r.count, r.first, r.last) for r in rows] == [
        (Action.HOLD, 2, on(0), on(2)),
        (Action.PROGRESS, 1, on(4), on(4)),
        (Action.HOLD, 2, on(6), on(8)),
    ]


def test_holds_of_other_exercises_in_between_do_not_split_a_run() -> None:
    history = [hold(0), progress(0, "clamshell"), hold(2), hold(4, "clamshell"), hold(6)]
    rows = collapse(history)
    assert [(r.decision.exercise, r.decision.action, r.count) for r in rows] == [
        ("clamshell", Action.PROGRESS, 1),
        ("clamshell", Action.HOLD, 1),
        ("glute-bridge", Action.HOLD, 3),
    ]


def test_a_different_reason_or_rule_starts_a_new_row() -> None:
    history = [
        hold(0),
        hold(2),
        hold(4, reason="The dose was not completed, so it stays the same next time."),
        hold(6, rule="R4", reason=HARD),
    ]
    assert [r.count for r in collapse(history)] == [2, 1, 1]


def test_a_phase_change_ends_every_run_of_holds() -> None:
    rows = collapse([hold(0), hold(2), phase(3), hold(4), hold(6)])
    assert [(r.count, r.first, r.last) for r in rows] == [
        (2, on(0), on(2)),
        (1, on(3), on(3)),
        (2, on(4), on(6)),
    ]


def test_whole_programme_holds_collapse_too() -> None:
    weekly = "Your weekly average rose (morning pain 2.0 → 3.0): progression is on hold."
    rows = collapse([hold(n, None, weekly, "PMM-3") for n in (1, 8, 15)])
    assert [(r.decision.exercise, r.count, r.first, r.last) for r in rows] == [
        (None, 3, on(1), on(15))
    ]


def test_rows_are_ordered_by_their_last_date() -> None:
    history = [hold(0), progress(1, "clamshell"), hold(5)]
    rows = collapse(history)
    assert [r.last for r in rows] == [on(1), on(5)]


def test_the_row_json_keeps_the_decision_keys_and_adds_count_first_and_last() -> None:
    (row,) = collapse([hold(0), hold(2), hold(4)])
    data = row_to_dict(row)
    assert data["date"] == data["last"] == on(4).isoformat()
    assert (data["count"], data["first"]) == (3, on(0).isoformat())
    for key in ("exercise", "action", "rule", "reason", "to_phase", "to_exercise", "from_dose"):
        assert key in data
    assert (data["exercise"], data["action"], data["rule"]) == ("glute-bridge", "hold", "PMM-4")


decisions = st.lists(
    st.builds(
        lambda n, ex, kind: (
            hold(n, ex)
            if kind == "hold"
            else hold(n, ex, reason="other")
            if kind == "other"
            else progress(n, ex or "glute-bridge")
            if kind == "progress"
            else phase(n)
        ),
        st.integers(0, 60),
        st.sampled_from(["glute-bridge", "clamshell", None]),
        st.sampled_from(["hold", "other", "progress", "phase"]),
    ),
    max_size=40,
).map(lambda ds: sorted(ds, key=lambda d: d.date))


@given(decisions)
def test_collapsing_loses_no_decision_and_no_change(history: list[Decision]) -> None:
    rows = collapse(history)
    assert sum(r.count for r in rows) == len(history)
    assert [r.decision for r in rows if is_change(r.decision)] == [
        d for d in history if is_change(d)
    ]
    assert all(r.count == 1 for r in rows if is_change(r.decision))
    assert [r.last for r in rows] == sorted(r.last for r in rows)
    assert all(r.first <= r.last for r in rows)


def test_a_red_flag_hold_and_its_clearance_are_rows_of_the_timeline() -> None:
    from kneecap.core.decisions import CLEARED, ON_HOLD, ClearanceEntry, flag_rows, timeline
    from kneecap.core.holds import ClearanceRecord, Version

    versions = [Version(1, frozenset(), on(0)), Version(2, frozenset({"swelling"}), on(3))]
    entry = ClearanceEntry(
        ClearanceRecord(2, frozenset({"swelling"}), on(5)), "Ana Ruiz", "physiotherapist"
    )
    rows = timeline([hold(1)], flag_rows(versions, [entry]))  # newest first
    assert [r.kind for r in rows] == [CLEARED, ON_HOLD, "decision"]
    cleared, held = rows[0], rows[1]
    assert (cleared.last, cleared.clinician, cleared.profession) == (
        on(5),
        "Ana Ruiz",
        "physiotherapist",
    )
    assert "Ana Ruiz, physiotherapist," in cleared.decision.reason
    assert "swelling" in cleared.decision.reason
    assert held.last == on(3)
    assert held.decision.rule == "RF-URGENT"
    assert "swelling" in held.decision.reason
    assert f"cleared it on {on(5).isoformat()}" in held.decision.reason
    as_json = row_to_dict(cleared)
    assert as_json["action"] == "cleared"
    assert as_json["kind"] == "cleared"
    assert as_json["flags"] == ["swelling"]
    assert as_json["clinician"] == "Ana Ruiz"
    assert row_to_dict(held)["action"] == "on_hold"
    assert row_to_dict(rows[2])["kind"] == "decision"


def test_a_hold_not_yet_cleared_says_the_plan_is_on_hold() -> None:
    from kneecap.core.decisions import flag_rows
    from kneecap.core.holds import Version

    (row,) = flag_rows([Version(1, frozenset({"locking"}), on(0))], [])
    assert "The plan is on hold until a clinician" in row.decision.reason
