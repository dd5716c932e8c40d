"""The session player's timing of each item (web/views.py): what is counted down, how often,
on which legs, and the walk/run ladder's intervals (RTR-LADDER)."""

from __future__ import annotations

from kneecap.catalog import load_catalogue
from kneecap.core import rtr
from kneecap.core.plan import Item
from kneecap.core.prescription import Prescription
from kneecap.web.views import GET_READY_S, intervals, item_view


def timing(exercise: str, p: Prescription, **more: object) -> dict[str, object]:
    item = Item(exercise, "strength", p, 1.0, **more)  # type: ignore[arg-type]
    view = item_view(item, load_catalogue())
    t: dict[str, object] = view["timing"]
    return t


def test_a_walk_drills_and_rolling_are_one_timed_block() -> None:
    for exercise in ("walk", "mobility-drills", "foam-roll-quads"):
        t = timing(exercise, Prescription(minutes=3))
        assert (t["mode"], t["work_s"], t["ready_s"]) == ("timer", 180, GET_READY_S)


def test_the_quad_set_is_ten_timed_holds_per_set_on_each_leg() -> None:
    t = timing("quad-set", Prescription(sets=2, reps=10, hold_s=5, per_side=True))
    assert t["mode"] == "rep-holds"
    assert (t["sets"], t["reps"], t["hold_s"], t["sides"]) == (2, 10, 5, 2)
    assert t["rest_s"] == 20  # the catalogue's rest between sets
    assert t["switch_s"] == 5


def test_holds_reps_and_their_rests() -> None:
    wall = timing("wall-sit", Prescription(sets=2, hold_s=20))
    assert (wall["mode"], wall["sides"], wall["rest_s"]) == ("holds", 1, 60)
    clam = timing("clamshell", Prescription(sets=2, reps=15, per_side=True))
    assert (clam["mode"], clam["reps"], clam["sides"]) == ("reps", 15, 2)


def test_a_ladder_run_is_walk_and_run_intervals() -> None:
    at = rtr.stage(1)
    t = timing("running", Prescription(minutes=at.minutes()), run_stage=at, cadence_spm=172)
    assert t["mode"] == "run"
    assert t["intervals"][:2] == [  # type: ignore[index]
        {"kind": "walk", "seconds": 120},
        {"kind": "run", "seconds": 180},
    ]
    assert sum(i["seconds"] for i in t["intervals"]) == at.minutes() * 60  # type: ignore[attr-defined]
    view = item_view(
        Item("running", "run", Prescription(minutes=15), 15.0, run_stage=at, cadence_spm=172),
        load_catalogue(),
    )
    assert view["cadence_spm"] == 172


def test_every_ladder_stage_times_its_whole_run() -> None:
    for at in rtr.LADDER:
        found = intervals(at)
        assert sum(i["seconds"] for i in found) == at.minutes() * 60
        if at.continuous:
            assert found == [{"kind": "run", "seconds": at.minutes() * 60}]
        else:
            assert [i["kind"] for i in found[:2]] == ["walk", "run"]
