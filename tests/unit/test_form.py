"""The form check's analysis (core/form.py) on synthetic pose series from the figures' body
model (tests/formsynth.py): reps, depth, the view, knee valgus and pelvic drop found with known
amounts (sensitivity and specificity over a generated set, printed), the feedback's words and
rule ids, and the clips it refuses with a reason."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from kneecap.core import rules
from kneecap.core.form import (
    MOVES,
    CannotAnalyse,
    Rep,
    Series,
    Warning,
    analyse,
    feedback,
    segment,
)
from tests.formsynth import Clip, series

FRONT_KEYS = {"start_s", "bottom_s", "end_s", "depth_deg", "valgus_deg", "pelvic_drop_deg"}


@pytest.mark.parametrize("reps", [1, 2, 3, 5])
def test_reps_are_counted(reps: int) -> None:
    assert len(analyse(series(Clip(reps=reps, seed=reps))).reps) == reps


def test_reps_are_counted_from_the_side_with_their_depth() -> None:
    result = analyse(series(Clip(view="side", hip=100, knee=110, reps=3)))
    assert result.view == "side"
    assert len(result.reps) == 3
    for rep in result.reps:
        assert rep.depth_deg == pytest.approx(70, abs=3)  # a knee bent by 110° is at 70°
        assert rep.valgus_deg is None
        assert rep.pelvic_drop_deg is None


def test_a_wall_sit_is_one_hold_with_its_time_and_depth() -> None:
    """A hold is counted by its time in position: a wall sit from the side, standing, down,
    20 s held, up."""
    result = analyse(
        series(Clip(view="side", reps=1, hold_s=20, hip=90, knee=90)), "wall-sit", "side"
    )
    assert len(result.reps) == 1
    hold = result.reps[0]
    assert hold.end_s - hold.start_s == pytest.approx(20, abs=2)
    assert hold.depth_deg == pytest.approx(90, abs=4)  # a knee bent by 90° is at 90°
    # in position: past half the way down, so a little of the lowering and rising counts
    assert result.feedback[0] in ("Hold 1: 20 s in position.", "Hold 1: 21 s in position.")
    assert not [w for w in result.warnings if w.kind == "fast"]  # a hold has no tempo


def test_a_hold_filmed_once_settled_is_the_whole_clip() -> None:
    """Filmed from the middle of a wall sit to its end: no standing to compare with, the
    clip is the hold."""
    whole = series(Clip(view="side", reps=1, hold_s=20, rest_s=1.5, hip=90, knee=90))
    t = whole.times
    lo, hi = int(np.searchsorted(t, 5.0)), int(np.searchsorted(t, 20.0))
    settled = Series(
        t[lo:hi] - t[lo],
        whole.points[lo:hi],
        whole.visibility[lo:hi],
        whole.brightness[lo:hi],
        720,
        1280,
    )
    result = analyse(settled, "wall-sit", "side")
    assert len(result.reps) == 1
    assert result.reps[0].end_s - result.reps[0].start_s == pytest.approx(15, abs=1)


@pytest.mark.parametrize(("drop", "said"), [(12.0, True), (0.0, False)])
def test_a_single_leg_balance_reads_the_pelvis_over_the_whole_hold(drop: float, said: bool) -> None:
    """KC-FORM-PELVIS on a balance: no rest on two legs, level hips are the baseline."""
    clip = Clip(
        reps=1,
        rest_s=0.0,
        down_s=0.5,
        hold_s=15,
        up_s=0.5,
        hip=20,
        knee=10,
        drop=drop,
        single_leg=True,
    )
    result = analyse(series(clip), "single-leg-balance", "front")
    assert len(result.reps) == 1
    dropped = [w for w in result.warnings if w.kind == "pelvic_drop"]
    assert bool(dropped) is said
    if said:
        assert dropped[0].text.startswith("Hold 1: your pelvis dropped on the right side")


def test_a_rep_cut_off_by_the_end_of_the_clip_is_not_counted_and_said() -> None:
    whole = series(Clip(reps=3))
    t = whole.times
    cut = int(np.searchsorted(t, 3 * (1.5 + 1.8 + 1.4) - 1.0))  # in the third rep's rising
    short = Series(
        t[:cut], whole.points[:cut], whole.visibility[:cut], whole.brightness[:cut], 720, 1280
    )
    result = analyse(short)
    assert len(result.reps) == 2
    assert result.cut_off
    assert any(w.kind == "cut_off" and w.rep is None for w in result.warnings)


def test_tempo_is_read_from_start_to_bottom() -> None:
    """The generated reps ease in and out, so the hips barely move in their first and last
    tenths: the lowering reads a little shorter than the time the body model was posed over."""
    result = analyse(series(Clip(down_s=2.5, up_s=1.0, reps=2)))
    for rep in result.reps:
        assert 1.7 <= rep.lowering_s <= 2.6
        assert 0.6 <= rep.end_s - rep.bottom_s <= 1.1


def test_a_quick_lowering_is_said_with_its_rule() -> None:
    """KC-FORM-TEMPO: lowering faster than FORM_MIN_LOWERING_S."""
    quick = analyse(series(Clip(down_s=0.5, up_s=0.8, rest_s=1.5, fps=15)))
    assert {w.kind for w in quick.warnings} == {"fast"}
    assert all("(KC-FORM-TEMPO)" in w.text for w in quick.warnings)
    assert "lower for a slow count of three" in " ".join(quick.feedback)
    slow = analyse(series(Clip(down_s=2.0)))
    assert not [w for w in slow.warnings if w.kind == "fast"]


def test_the_view_is_guessed_when_not_given() -> None:
    assert analyse(series(Clip(view="front"))).view == "front"
    assert analyse(series(Clip(view="side", hip=90, knee=100))).view == "side"
    assert analyse(series(Clip(view="side", hip=90, knee=100)), view="front").view == "front"


def test_what_a_view_cannot_measure_is_null() -> None:
    front = analyse(series(Clip()), "chair-squat").to_dict()
    side = analyse(series(Clip(view="side", hip=90, knee=100)), "chair-squat").to_dict()
    single = analyse(series(Clip(single_leg=True, hip=50, knee=60)), "step-down").to_dict()
    assert set(front) == {"exercise", "view", "reps", "per_rep", "warnings", "frames_analysed"}
    for rep in front["per_rep"]:  # type: ignore[attr-defined]
        assert set(rep) == FRONT_KEYS
        assert rep["depth_deg"] is None
        assert rep["pelvic_drop_deg"] is None
        assert rep["valgus_deg"] is not None
    for rep in side["per_rep"]:  # type: ignore[attr-defined]
        assert rep["depth_deg"] is not None
        assert rep["valgus_deg"] is None
        assert rep["pelvic_drop_deg"] is None
    for rep in single["per_rep"]:  # type: ignore[attr-defined]
        assert rep["pelvic_drop_deg"] is not None
    assert front["exercise"] == "chair-squat"
    assert front["frames_analysed"] == len(series(Clip()))


# --- valgus and pelvic drop: sensitivity and specificity over a generated set ----------------


def _rates(truth: list[bool], found: list[bool]) -> tuple[float, float]:
    tp = sum(t and f for t, f in zip(truth, found, strict=True))
    tn = sum(not t and not f for t, f in zip(truth, found, strict=True))
    positives, negatives = sum(truth), len(truth) - sum(truth)
    return tp / positives, tn / negatives


def _random_clip(rng: np.random.Generator, seed: int, **fixed: object) -> Clip:
    return Clip(
        fps=float(rng.choice([8.0, 10.0, 12.0, 15.0])),
        reps=int(rng.integers(2, 5)),
        down_s=float(rng.uniform(1.2, 2.5)),
        up_s=float(rng.uniform(1.0, 2.0)),
        hip=float(rng.uniform(45, 85)),
        knee=float(rng.uniform(55, 100)),
        turn=float(rng.uniform(-10, 10)),
        noise_px=float(rng.uniform(1.0, 3.0)),
        seed=seed,
        **fixed,  # type: ignore[arg-type]
    )


def test_knee_valgus_is_found_with_sensitivity_and_specificity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """KC-FORM-VALGUS on 80 generated two-leg and single-leg squats from the front, the camera
    turned up to 10° either way: half with the hips turned inwards by 16-35° at the bottom (the
    knees carried inside the hip-ankle line), half turned -10° (outwards, as with a band) to 4°.
    A clip counts as found when any rep is warned of a knee moving inwards."""
    rng = np.random.default_rng(15)
    truth, found = [], []
    for i in range(80):
        valgus = i % 2 == 0
        single = i % 4 >= 2
        turn = rng.uniform(16, 35) if valgus else rng.uniform(-10, 4)
        clip = _random_clip(rng, i, valgus_turn=float(turn), single_leg=single)
        if single:
            clip = dataclasses.replace(clip, hip=min(clip.hip, 60), knee=min(clip.knee, 70))
        result = analyse(series(clip), "step-down" if single else "chair-squat", "front")
        truth.append(valgus)
        found.append(any(w.kind == "valgus" for w in result.warnings))
    sensitivity, specificity = _rates(truth, found)
    with capsys.disabled():
        print(f"\nknee valgus: sensitivity {sensitivity:.2f}, specificity {specificity:.2f} (n=80)")
    assert sensitivity >= 0.9
    assert specificity >= 0.9


def test_pelvic_drop_is_found_with_sensitivity_and_specificity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """KC-FORM-PELVIS on 60 generated single-leg squats from the front: half with the pelvis
    dropped 8-14° on the free side at the bottom, half 0-2.5°."""
    rng = np.random.default_rng(16)
    truth, found, sides = [], [], []
    for i in range(60):
        drop = i % 2 == 0
        amount = rng.uniform(8, 14) if drop else rng.uniform(0, 2.5)
        clip = _random_clip(rng, i, drop=float(amount), single_leg=True)
        clip = dataclasses.replace(clip, hip=min(clip.hip, 60), knee=min(clip.knee, 70))
        result = analyse(series(clip), "step-down", "front")
        warned = [w for w in result.warnings if w.kind == "pelvic_drop"]
        truth.append(drop)
        found.append(bool(warned))
        sides += [r.drop_side for r in result.reps if drop]
    sensitivity, specificity = _rates(truth, found)
    with capsys.disabled():
        print(f"\npelvic drop: sensitivity {sensitivity:.2f}, specificity {specificity:.2f} (n=60)")
    assert sensitivity >= 0.9
    assert specificity >= 0.9
    assert sides.count("right") / len(sides) >= 0.9  # the free leg, the body model's near one


def test_pelvic_drop_is_read_only_on_single_leg_moves() -> None:
    two_legs = analyse(series(Clip(drop=12)), "chair-squat", "front")
    assert all(r.pelvic_drop_deg is None for r in two_legs.reps)
    assert MOVES["step-down"].single_leg
    assert not MOVES["chair-squat"].single_leg


def test_a_knee_moving_inwards_is_said_with_its_rule_and_cue() -> None:
    """KC-FORM-VALGUS: the warning per rep and the sentence for the clip."""
    result = analyse(series(Clip(valgus_turn=30, reps=2)), "chair-squat", "front")
    valgus = [w for w in result.warnings if w.kind == "valgus"]
    assert [w.rep for w in valgus] == [1, 2]
    assert all("(KC-FORM-VALGUS)" in w.text for w in valgus)
    assert f"more than {rules.FORM_VALGUS_DEG:g}°" in valgus[0].text
    assert any(
        "Both your knees moved inwards on reps 1 and 2: push them out over your middle toes" in s
        for s in result.feedback
    )
    assert "both knees inwards" in result.worst_caption


def test_a_pelvis_dropping_is_said_with_its_rule_and_cue() -> None:
    """KC-FORM-PELVIS: the warning names the side that went down."""
    result = analyse(series(Clip(single_leg=True, drop=12, hip=50, knee=60)), "step-down")
    drops = [w for w in result.warnings if w.kind == "pelvic_drop"]
    assert drops
    assert all("(KC-FORM-PELVIS)" in w.text for w in drops)
    assert all("on the right side" in w.text for w in drops)
    assert any("keep your hips level" in s for s in result.feedback)


def _rep(number: int, valgus: float | None, side: str = "left") -> Rep:
    return Rep(
        number,
        0,
        1,
        2,
        0.0,
        2.0,
        4.0,
        None,
        valgus,
        side,
        1,
        None,
        None,
        None,  # type: ignore[arg-type]
    )


def test_the_feedback_names_the_reps_and_the_knee() -> None:
    reps = [_rep(1, 3.0), _rep(2, 15.0), _rep(3, 18.0)]
    warnings = [
        Warning(2, "valgus", "rep 2", "KC-FORM-VALGUS"),
        Warning(3, "valgus", "rep 3", "KC-FORM-VALGUS"),
    ]
    said = feedback(reps, warnings, MOVES["chair-squat"])
    assert said == [
        "Your left knee moved inwards on reps 2 and 3: push it out over your middle toes "
        "(KC-FORM-VALGUS)."
    ]
    assert feedback(reps[:1], [], MOVES["chair-squat"]) == [
        "No fault seen in 1 rep: keep going like that."
    ]


def test_segmenting_an_empty_or_flat_trace_finds_no_rep() -> None:
    assert segment(np.full(20, np.nan)).reps == ()
    assert segment(np.zeros(20)).reps == ()


# --- clips refused ---------------------------------------------------------------------------


def _with(s: Series, **changes: object) -> Series:
    return dataclasses.replace(s, **changes)  # type: ignore[arg-type]


def _refusal(s: Series) -> str:
    with pytest.raises(CannotAnalyse) as refused:
        analyse(s)
    return refused.value.kind


def test_a_clip_without_a_person_is_refused() -> None:
    s = series(Clip())
    assert _refusal(_with(s, points=np.full_like(s.points, np.nan))) == "no_person"


def test_a_dark_clip_is_refused_as_too_dark() -> None:
    s = series(Clip())
    dark = _with(s, points=np.full_like(s.points, np.nan), brightness=np.full(len(s), 12.0))
    assert _refusal(dark) == "too_dark"


def test_a_clip_with_the_legs_cut_off_is_refused() -> None:
    s = series(Clip())
    points = s.points.copy()
    points[:, 25:33, 1] += 400  # knees and feet below the frame
    assert _refusal(_with(s, points=points)) == "cut_off"


def test_a_body_jumping_about_is_refused_as_two_people() -> None:
    s = series(Clip())
    points = s.points.copy()
    points[::5, :, 0] += 400  # every fifth frame, someone else across the room
    assert _refusal(_with(s, points=points)) == "two_people"


def test_a_clip_of_a_few_frames_is_refused() -> None:
    s = series(Clip())
    short = Series(s.times[:3], s.points[:3], s.visibility[:3], s.brightness[:3], 720, 1280)
    assert _refusal(short) == "too_short"


def test_a_series_of_the_wrong_shape_is_an_error() -> None:
    with pytest.raises(ValueError, match="33 landmarks"):
        Series(np.zeros(3), np.zeros((3, 17, 2)), np.zeros((3, 17)), np.zeros(3), 10, 10)


@pytest.mark.parametrize(
    ("exercise", "single_leg"), [("wall-sit", False), ("single-leg-balance", True)]
)
def test_a_hold_not_seen_is_said_with_what_to_do(exercise: str, single_leg: bool) -> None:
    """Quick dips, never held: no hold, and the runner is told why, not "0 holds" alone."""
    result = analyse(
        series(Clip(reps=3, down_s=0.6, up_s=0.6, single_leg=single_leg)), exercise, "front"
    )
    assert result.reps == ()
    assert [w.kind for w in result.warnings] == ["no_reps"]
    assert result.feedback[0].startswith(
        "No hold was seen: get into position and stay there for 2 s"
    )
