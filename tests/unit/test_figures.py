"""Exercise figures: complete, well-formed, accessible SVG, and recognisable as the exercise.

Recognisability is checked as geometry on the forward-kinematics output: each exercise has at
least one test saying what a person looking at the figure must see (a wall sit's thighs level
with the back on the wall, a bridge's hips lifted, a clamshell's feet together, ...).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from lxml import etree

from kneecap.core.catalogue import Catalogue, Kind
from kneecap.documents import DocumentError
from kneecap.render import figures
from kneecap.render.figures import Pose, Prop, figure_ids, has_figure, load_figure, pose

DRAWN_KINDS = (Kind.STRENGTH, Kind.STRETCH, Kind.SOFT_TISSUE)
SVG_NS = "{http://www.w3.org/2000/svg}"
SOLE = 3.0  # the foot stroke's centre line sits this far above the sole
LEG_HALF = figures.LEG_WIDTH / 2


# --- geometry helpers ---------------------------------------------------------------------


def start(exercise_id: str) -> Pose:
    return pose(exercise_id, "start")


def end(exercise_id: str) -> Pose:
    return pose(exercise_id, "end")


def angle_at(p: Pose, a: str, joint: str, b: str) -> float:
    """The inside angle at `joint` between the segments to `a` and `b` (180 = straight)."""
    u, v = p[a] - p[joint], p[b] - p[joint]
    cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def knee_angle(p: Pose, limb: str) -> float:
    return angle_at(p, f"{limb}_hip", f"{limb}_knee", f"{limb}_ankle")


def from_vertical(p: Pose, lower: str, upper: str) -> float:
    """Angle of the segment lower -> upper from straight up, in the picture plane (x, y)."""
    d = p[upper] - p[lower]
    return math.degrees(math.atan2(abs(float(d[0])), float(d[1])))


def from_horizontal(p: Pose, a: str, b: str) -> float:
    d = p[b] - p[a]
    return math.degrees(math.atan2(abs(float(d[1])), math.hypot(float(d[0]), float(d[2]))))


def foot_on(p: Pose, limb: str, height: float = 0.0, tol: float = 3.0) -> bool:
    """Heel and toes resting on a surface at `height` (the floor, or a step's top)."""
    return all(
        abs(float(p[f"{limb}_{part}"][1]) - SOLE - height) <= tol for part in ("heel", "toe")
    )


def dist(p: Pose, a: str, b: str) -> float:
    return float(np.linalg.norm(p[a] - p[b]))


def prop(exercise_id: str, kind: str) -> Prop:
    found = [q for q in load_figure(exercise_id).props if q.kind == kind]
    assert found, f"{exercise_id} has no {kind}"
    return found[0]


def roller_contact(exercise_id: str, p: Pose, limb: str = "near") -> float:
    """Where along the thigh (0 hip, 1 knee) the roller touches, checking it really touches."""
    roller = prop(exercise_id, "roller")
    assert roller.x is not None
    assert roller.y is not None
    assert roller.r is not None
    centre = np.array([roller.x, roller.y])
    hip, knee = p[f"{limb}_hip"][:2], p[f"{limb}_knee"][:2]
    t = float(np.dot(centre - hip, knee - hip) / np.dot(knee - hip, knee - hip))
    assert 0.0 < t < 1.0, f"{exercise_id}: the roller is not under the thigh (t={t:.2f})"
    gap = float(np.linalg.norm(hip + t * (knee - hip) - centre)) - roller.r - LEG_HALF
    assert abs(gap) <= 3.0, f"{exercise_id}: the thigh is {gap:.1f} cm off the roller"
    assert float((hip + t * (knee - hip))[1]) > roller.y, "the thigh lies on top of the roller"
    return t


# --- completeness and schema ----------------------------------------------------------------


def test_every_strength_stretch_and_soft_tissue_exercise_has_a_figure(
    catalogue: Catalogue,
) -> None:
    wanted = {e.id for kind in DRAWN_KINDS for e in catalogue.of_kind(kind)}
    assert wanted, "the catalogue has exercises of these kinds"
    missing = sorted(i for i in wanted if not has_figure(i))
    assert not missing, f"no figure for {missing}"


def test_every_figure_names_a_real_drawn_exercise(catalogue: Catalogue) -> None:
    for exercise_id in figure_ids():
        assert exercise_id in catalogue, exercise_id
        assert catalogue[exercise_id].kind in DRAWN_KINDS, exercise_id
        assert load_figure(exercise_id).exercise == exercise_id


def test_has_figure_is_false_for_other_kinds(catalogue: Catalogue) -> None:
    for kind in (Kind.CARDIO, Kind.AVOID):
        for e in catalogue.of_kind(kind):
            assert not has_figure(e.id)


@pytest.mark.parametrize("exercise_id", figure_ids())
def test_start_and_end_differ(exercise_id: str) -> None:
    a, b = start(exercise_id), end(exercise_id)
    moved = max(float(np.linalg.norm(a[n] - b[n])) for n in figures.POINTS)
    assert moved >= 5.0, f"{exercise_id}: start and end are nearly the same pose"


@pytest.mark.parametrize("exercise_id", figure_ids())
def test_limbs_keep_their_length_and_stay_above_the_floor(exercise_id: str) -> None:
    figure = load_figure(exercise_id)
    for k in figure.keyframes:
        p = figures.figure_pose(figure, k)
        for limb in figures.LIMBS:
            assert dist(p, f"{limb}_hip", f"{limb}_knee") == pytest.approx(figures.THIGH)
            assert dist(p, f"{limb}_knee", f"{limb}_ankle") == pytest.approx(figures.SHIN)
        lowest = min(float(v[1]) for v in p.values())
        # Strokes are drawn around these centre lines; nothing sinks into the floor.
        assert lowest >= -0.5, f"{exercise_id} {k.name}: a body point is below the floor"


# --- the SVG --------------------------------------------------------------------------------


@pytest.mark.parametrize("animated", [True, False])
@pytest.mark.parametrize("exercise_id", figure_ids())
def test_svg_is_self_contained_accessible_xml(exercise_id: str, animated: bool) -> None:
    text = figures.svg(exercise_id, animated=animated)
    root = etree.fromstring(text.encode())
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert title is not None
    assert (title.text or "").strip()
    assert desc is not None
    assert "Start:" in (desc.text or "")
    assert "End:" in (desc.text or "")
    for ref in (root.get("aria-labelledby") or "").split():
        assert root.xpath(f"//*[@id='{ref}']"), ref
    for element in root.iter():
        assert not isinstance(element.tag, str) or not element.tag.endswith("script")
        for name, value in element.attrib.items():
            assert "href" not in name, f"{exercise_id}: external reference {name}"
            assert not name.startswith("on"), f"{exercise_id}: event handler {name}"
            assert "url(" not in value
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    animations = root.findall(f".//{SVG_NS}animate")
    if animated:
        assert animations
        for a in animations:
            assert a.get("repeatCount") == "indefinite"
            assert 3.0 <= float((a.get("dur") or "0s").removesuffix("s")) <= 5.0
            values = (a.get("values") or "").split(";")
            times = [float(t) for t in (a.get("keyTimes") or "").split(";")]
            assert len(values) == len(times)
            assert times[0] == 0
            assert times[-1] == 1
            assert times == sorted(times)
            assert values[0] == values[-1], "the loop returns to the start pose"
    else:
        assert not animations
        labels = [t.text for t in root.iter(f"{SVG_NS}text")]
        assert labels == ["start", "end"]


def test_animated_svg_starts_at_the_start_pose() -> None:
    """Without animation (print, old viewers) the drawing shows the start position."""
    text = figures.svg("wall-sit")
    root = etree.fromstring(text.encode())
    for path in root.iter(f"{SVG_NS}path"):
        anim = path.find(f"{SVG_NS}animate")
        if anim is not None:
            assert path.get("d") == (anim.get("values") or "").split(";")[0]


def test_animation_pauses_at_each_end() -> None:
    root = etree.fromstring(figures.svg("glute-bridge").encode())
    anim = root.find(f".//{SVG_NS}animate")
    assert anim is not None
    values = (anim.get("values") or "").split(";")
    times = [float(t) for t in (anim.get("keyTimes") or "").split(";")]
    held = [
        (t1 - t0)
        for (t0, v0), (t1, v1) in zip(
            zip(times, values, strict=False), zip(times[1:], values[1:], strict=False), strict=False
        )
        if v0 == v1
    ]
    assert len([h for h in held if h >= 0.1]) == 2, "a hold at the end pose and at the start pose"


def test_far_limbs_are_drawn_lighter_than_near_ones() -> None:
    text = figures.svg("straight-leg-raise", animated=False)
    assert figures.NEAR in text
    assert figures.FAR in text
    assert figures.NEAR != figures.FAR


# --- the terminal figure --------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", figure_ids())
def test_ascii_has_the_requested_size_and_both_poses(exercise_id: str) -> None:
    art = figures.ascii(exercise_id, width=40, height=12)
    lines = art.split("\n")
    assert len(lines) == 12
    assert all(len(line) == 40 for line in lines)
    assert "start" in lines[-1]
    assert "end" in lines[-1]
    drawing = lines[:-1]
    left = "".join(line[:19] for line in drawing)
    right = "".join(line[21:] for line in drawing)
    assert left.strip()
    assert right.strip()
    assert "O" in left, "the start pose shows a head"
    assert "O" in right, "the end pose shows a head"


def test_ascii_other_sizes_and_too_small() -> None:
    art = figures.ascii("wall-sit", width=60, height=16)
    assert [len(line) for line in art.split("\n")] == [60] * 16
    with pytest.raises(ValueError, match="at least"):
        figures.ascii("wall-sit", width=10, height=3)


# --- bad figure files -----------------------------------------------------------------------

GOOD = """
exercise: wall-sit
view: side
moves: The back slides down the wall.
props:
  - {kind: floor}
keyframes:
  - name: start
    text: standing
    root: {at: [0, 95]}
    joints: {}
  - name: end
    text: sitting
    root: {at: [0, 51]}
    joints: {near_knee: 90}
"""


def test_a_good_figure_text_parses() -> None:
    figure = figures.parse_figure(GOOD, "catalog/figures/wall-sit.yaml")
    assert [k.name for k in figure.keyframes] == ["start", "end"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("near_knee: 90", "near_kneee: 90"), "keyframes.1.joints"),
        (("near_knee: 90", "near_knee: 400"), "keyframes.1.joints.near_knee"),
        (("view: side", "view: top"), "view"),
        (("{kind: floor}", "{kind: wall}"), "props.0"),
        (("{kind: floor}", "{kind: trampoline}"), "props.0.kind"),
        (("root: {at: [0, 95]}", "root: {at: [0, 95], pin: nose}"), "keyframes.0.root.pin"),
        (("name: end", "name: finish"), "keyframes"),
    ],
)
def test_a_broken_figure_names_the_file_and_field(change: tuple[str, str], field: str) -> None:
    source = "catalog/figures/wall-sit.yaml"
    with pytest.raises(DocumentError) as caught:
        figures.parse_figure(GOOD.replace(*change), source)
    message = str(caught.value)
    assert message.startswith(source)
    assert re.search(rf"\b{re.escape(field)}\b", message), message


def test_a_figure_missing_its_end_keyframe_is_refused() -> None:
    one = GOOD.split("  - name: end")[0]
    with pytest.raises(DocumentError, match="keyframes"):
        figures.parse_figure(one, "catalog/figures/wall-sit.yaml")


def test_unknown_exercise_has_no_figure() -> None:
    assert not has_figure("no-such-exercise")
    with pytest.raises(KeyError):
        figures.svg("no-such-exercise")


# --- recognisable: one or more checks per exercise ------------------------------------------


def test_wall_sit_back_on_wall_thighs_level_knees_right_angle() -> None:
    wall = prop("wall-sit", "wall").x
    assert wall is not None
    for p in (start("wall-sit"), end("wall-sit")):
        assert from_vertical(p, "pelvis", "neck") <= 5
        for point in ("pelvis", "neck"):
            back = float(p[point][0]) - figures.TRUNK_HALF_DEPTH
            assert abs(back - wall) <= 3, "the back stays flat on the wall"
        assert foot_on(p, "near")
        assert foot_on(p, "far")
    p = end("wall-sit")
    for limb in ("near", "far"):
        assert from_horizontal(p, f"{limb}_hip", f"{limb}_knee") <= 15
        assert 80 <= knee_angle(p, limb) <= 100
    assert knee_angle(start("wall-sit"), "near") > 140


def test_glute_bridge_lifts_the_hips_into_a_line() -> None:
    a, b = start("glute-bridge"), end("glute-bridge")
    assert float(b["pelvis"][1]) >= float(a["pelvis"][1]) + 15
    assert float(b["pelvis"][1]) > float(b["near_shoulder"][1]) + 15
    assert float(b["pelvis"][1]) > float(b["near_heel"][1]) + 15
    assert angle_at(b, "neck", "pelvis", "near_knee") >= 165, "shoulders, hips, knees in line"
    for p in (a, b):
        assert float(p["neck"][1]) <= figures.TRUNK_HALF_DEPTH + 1, "shoulders on the floor"
        assert float(p["eye"][1]) > float(p["head"][1]), "lying face up"
        assert foot_on(p, "near")
        assert foot_on(p, "far")
    assert float(a["pelvis"][1]) <= figures.TRUNK_HALF_DEPTH + 1


def test_single_leg_bridge_lifts_on_one_leg_with_the_other_straight() -> None:
    a, b = start("single-leg-bridge"), end("single-leg-bridge")
    assert float(b["pelvis"][1]) >= float(a["pelvis"][1]) + 15
    for p in (a, b):
        assert knee_angle(p, "near") >= 175
        assert foot_on(p, "far")
        assert not foot_on(p, "near")
        thighs = angle_at(
            {
                "o": np.zeros(3),
                "n": p["near_knee"] - p["near_hip"],
                "f": p["far_knee"] - p["far_hip"],
            },
            "n",
            "o",
            "f",
        )
        assert thighs <= 5, "thighs level with each other"
    assert angle_at(b, "neck", "pelvis", "far_knee") >= 165


def test_straight_leg_raise_lifts_a_straight_leg() -> None:
    a, b = start("straight-leg-raise"), end("straight-leg-raise")
    assert knee_angle(b, "near") >= 178
    assert knee_angle(a, "near") >= 178
    assert float(b["near_ankle"][1]) >= float(a["near_ankle"][1]) + 30
    for p in (a, b):
        assert knee_angle(p, "far") <= 110, "the other knee stays bent"
        assert foot_on(p, "far")
        assert float(p["pelvis"][1]) <= figures.TRUNK_HALF_DEPTH + 1, "lying on the back"
        assert float(p["eye"][1]) > float(p["head"][1])
    assert float(a["near_ankle"][1]) <= 12, "the leg starts on the floor"
    lift = 90 - from_vertical(b, "near_hip", "near_ankle")
    assert 25 <= lift <= 50, "lifted to about the bent knee's height"


def test_clamshell_opens_the_top_knee_with_feet_together() -> None:
    a, b = start("clamshell"), end("clamshell")
    for p in (a, b):
        assert dist(p, "near_ankle", "far_ankle") <= 15, "feet together"
        assert float(p["near_hip"][1]) > float(p["far_hip"][1]) + 12, "lying on the side"
        assert 70 <= knee_angle(p, "near") <= 110
        assert 70 <= knee_angle(p, "far") <= 110
        assert float(p["far_knee"][1]) < 15, "the lower leg rests on the floor"
    assert dist(a, "near_knee", "far_knee") <= 15, "knees together at the start"
    assert dist(b, "near_knee", "far_knee") >= dist(a, "near_knee", "far_knee") + 15
    assert float(b["near_knee"][1]) > float(a["near_knee"][1]) + 10, "the top knee lifts"
    assert dist(a, "near_ankle", "far_ankle") == pytest.approx(
        dist(b, "near_ankle", "far_ankle"), abs=2
    )


@pytest.mark.parametrize("exercise_id", ["step-up", "low-step-up"])
def test_step_up_goes_from_one_foot_on_the_step_to_standing_on_it(exercise_id: str) -> None:
    step = prop(exercise_id, "step")
    assert step.x is not None
    assert step.width is not None
    assert step.height is not None

    def on_step(p: Pose, limb: str) -> bool:
        xs = [float(p[f"{limb}_{part}"][0]) for part in ("heel", "toe")]
        inside = all(step.x - 1 <= x <= step.x + step.width + 1 for x in xs)  # type: ignore[operator]
        return inside and foot_on(p, limb, step.height)  # type: ignore[arg-type]

    a, b = start(exercise_id), end(exercise_id)
    assert on_step(a, "near")
    assert foot_on(a, "far")
    assert on_step(b, "near")
    assert on_step(b, "far")
    assert knee_angle(b, "near") >= 170, "standing tall on the step"
    assert float(b["pelvis"][1]) >= float(a["pelvis"][1]) + step.height - 2
    middle = pose(exercise_id, "middle")
    assert on_step(middle, "near")
    assert float(middle["far_toe"][1]) > SOLE + 3


def test_step_down_lowers_the_free_heel_to_the_floor() -> None:
    step = prop("step-down", "step")
    assert step.height is not None
    assert step.x is not None
    assert step.width is not None
    a, b = start("step-down"), end("step-down")
    for p in (a, b):
        assert foot_on(p, "near", step.height)
        assert float(p["far_ankle"][0]) > step.x + step.width, "the free foot is beyond the edge"
    assert float(a["far_heel"][1]) - SOLE > 10
    assert abs(float(b["far_heel"][1]) - SOLE) <= 3, "heel just touches the floor"
    assert knee_angle(a, "near") >= 165
    assert knee_angle(b, "near") <= 150


def test_quad_stretch_holds_one_foot_behind() -> None:
    a, b = start("quad-stretch"), end("quad-stretch")
    assert foot_on(a, "near")
    assert foot_on(a, "far")
    assert foot_on(b, "far")
    assert knee_angle(b, "near") <= 50, "knee fully bent"
    assert dist(b, "near_hand", "near_ankle") <= 10, "the hand holds the ankle"
    assert float(b["near_ankle"][0]) < float(b["pelvis"][0]) - 10, "the foot is behind"
    assert from_vertical(b, "near_knee", "near_hip") <= 15, "the knee points down"
    assert float(b["near_ankle"][1]) > 70, "heel drawn up towards the bottom"
    wall = prop("quad-stretch", "wall").x
    assert wall is not None
    assert abs(float(b["far_hand"][0]) + figures.ARM_WIDTH / 2 - wall) <= 3


def test_hamstring_stretch_leans_forward_over_a_straight_leg() -> None:
    a, b = start("hamstring-stretch"), end("hamstring-stretch")
    assert from_vertical(b, "pelvis", "neck") >= from_vertical(a, "pelvis", "neck") + 25
    assert from_vertical(a, "pelvis", "neck") <= 10, "sitting tall to start"
    for p in (a, b):
        assert knee_angle(p, "near") >= 175
        assert float(p["near_ankle"][1]) <= 12, "the straight leg lies on the floor"
        assert float(p["pelvis"][1]) <= 12, "sitting on the floor"
        assert knee_angle(p, "far") <= 70, "the other leg is bent"
        assert max(float(v[1]) for v in p.values()) > 0
    assert float(b["near_hand"][0]) >= float(a["near_hand"][0]) + 20


def test_calf_stretch_keeps_the_back_heel_down_and_knee_straight() -> None:
    a, b = start("calf-stretch"), end("calf-stretch")
    wall = prop("calf-stretch", "wall").x
    assert wall is not None
    for p in (a, b):
        assert foot_on(p, "near")
        assert foot_on(p, "far")
        assert float(p["near_ankle"][0]) < float(p["far_ankle"][0]) - 50, "one foot a stride back"
        assert abs(float(p["near_hand"][0]) + figures.ARM_WIDTH / 2 - wall) <= 3, (
            "hands on the wall"
        )
    assert knee_angle(b, "near") >= 175
    assert knee_angle(b, "far") <= knee_angle(a, "far") - 15, "the front knee bends"
    assert from_vertical(b, "pelvis", "neck") >= 20, "leaning towards the wall"


def test_it_band_stretch_crosses_behind_and_leans_away_from_the_wall() -> None:
    wall = prop("it-band-stretch", "wall").x
    assert wall is not None
    a, b = start("it-band-stretch"), end("it-band-stretch")
    for p in (a, b):
        # The near leg (wall side) starts nearer the wall and its foot lands on the far side.
        assert float(p["near_hip"][0]) < float(p["far_hip"][0])
        assert float(p["near_ankle"][0]) > float(p["far_ankle"][0]) + 5
        assert float(p["near_ankle"][2]) < float(p["far_ankle"][2]), "crossed behind"
        assert foot_on(p, "near")
        assert foot_on(p, "far")
        assert abs(float(p["near_hand"][0]) - figures.ARM_WIDTH / 2 - wall) <= 4
    assert float(b["pelvis"][0]) <= float(a["pelvis"][0]) - 8, "the hip pushes to the wall"
    lean = float(b["neck"][0] - b["pelvis"][0])
    assert lean >= 15, "the upper body leans away from the wall"


def test_chair_squat_touches_the_seat() -> None:
    chair = prop("chair-squat", "chair")
    assert chair.x is not None
    assert chair.facing == "right"
    a, b = start("chair-squat"), end("chair-squat")
    bottom = float(b["pelvis"][1]) - figures.TRUNK_HALF_DEPTH
    assert abs(bottom - 47) <= 3, "the bottom just touches the seat top"
    assert chair.x - 42 <= float(b["pelvis"][0]) <= chair.x, "over the seat"
    assert float(a["pelvis"][1]) >= 85
    assert knee_angle(a, "near") >= 160
    for p in (a, b):
        assert foot_on(p, "near")
        assert foot_on(p, "far")
    assert from_vertical(b, "pelvis", "neck") >= 20, "chest forward, hips back"


def test_band_squat_is_a_partial_squat_with_knees_out() -> None:
    a, b = start("band-squat"), end("band-squat")
    assert prop("band-squat", "band").between == ("near_knee", "far_knee")
    assert 95 <= knee_angle(b, "near") <= 140, "a partial squat, not a deep one"
    assert float(b["pelvis"][1]) <= float(a["pelvis"][1]) - 15
    for p in (a, b):
        assert foot_on(p, "near")
        assert foot_on(p, "far")
        knees = abs(float(p["near_knee"][2] - p["far_knee"][2]))
        hips = abs(float(p["near_hip"][2] - p["far_hip"][2]))
        assert knees >= hips, "knees press out, never cave in"


def test_lateral_band_walk_steps_sideways() -> None:
    a, b = start("lateral-band-walk"), end("lateral-band-walk")
    width = lambda p: abs(float(p["near_ankle"][0] - p["far_ankle"][0]))  # noqa: E731
    assert width(b) >= width(a) + 20
    assert float(a["far_ankle"][0]) == pytest.approx(float(b["far_ankle"][0]), abs=2)
    for p in (a, b):
        assert foot_on(p, "near")
        assert foot_on(p, "far")
        assert 140 <= knee_angle(p, "near") <= 172, "knees softly bent"
    assert prop("lateral-band-walk", "band").between == ("near_knee", "far_knee")


def test_monster_walk_steps_forward_and_out() -> None:
    a, b = start("monster-walk"), end("monster-walk")
    assert float(b["near_ankle"][0]) >= float(a["near_ankle"][0]) + 20
    assert float(b["near_ankle"][2]) >= float(a["near_ankle"][2]) + 8
    for p in (a, b):
        assert foot_on(p, "near")
        assert foot_on(p, "far")
        assert 130 <= knee_angle(p, "far") <= 172, "staying in a shallow crouch"


def test_quad_set_straightens_the_knee_over_the_towel() -> None:
    a, b = start("quad-set"), end("quad-set")
    towel = prop("quad-set", "towel")
    assert towel.x is not None
    assert towel.y is not None
    assert towel.r is not None
    assert abs(float(a["near_knee"][0]) - towel.x) <= 4, "the towel is under the knee"
    assert float(a["near_knee"][1]) - LEG_HALF == pytest.approx(towel.y + towel.r, abs=2)
    assert knee_angle(b, "near") >= 179 > knee_angle(a, "near") + 5
    assert float(b["near_heel"][1]) > float(a["near_heel"][1]), "the heel lifts a little"


def test_single_leg_balance_stands_on_one_foot() -> None:
    a, b = start("single-leg-balance"), end("single-leg-balance")
    assert foot_on(a, "near")
    assert foot_on(a, "far")
    assert foot_on(b, "far")
    assert float(b["near_toe"][1]) >= float(b["far_toe"][1]) + 15
    assert 160 <= knee_angle(b, "far") <= 178, "the standing knee is soft, not locked"


def test_ball_release_presses_the_ball_between_wall_and_buttock() -> None:
    ball, wall = prop("ball-release-glutes", "ball"), prop("ball-release-glutes", "wall")
    assert ball.x is not None
    assert ball.y is not None
    assert ball.r is not None
    assert wall.x is not None
    a, b = start("ball-release-glutes"), end("ball-release-glutes")
    assert ball.x - ball.r == pytest.approx(wall.x, abs=0.5), "the ball touches the wall"
    for p in (a, b):
        back = float(p["pelvis"][0]) - figures.TRUNK_HALF_DEPTH
        assert back == pytest.approx(ball.x + ball.r, abs=2), "the buttock presses on the ball"
        assert abs(float(p["pelvis"][1]) - ball.y) <= 8
    assert abs(float(a["pelvis"][1] - b["pelvis"][1])) >= 5, "the body rolls over the ball"


@pytest.mark.parametrize(
    "exercise_id", ["foam-roll-quads", "foam-roll-hamstrings", "foam-roll-it-band"]
)
def test_foam_roll_has_the_roller_under_the_thigh_and_travels_along_it(exercise_id: str) -> None:
    a, b = start(exercise_id), end(exercise_id)
    ta, tb = roller_contact(exercise_id, a), roller_contact(exercise_id, b)
    assert ta <= 0.35, "starts near the hip"
    assert tb >= 0.6, "ends a hand's width above the knee"
    for p in (a, b):
        assert knee_angle(p, "near") >= 165, "the rolled leg is straight"


def test_foam_roll_body_positions() -> None:
    quads = start("foam-roll-quads")
    assert float(quads["eye"][1]) < float(quads["head"][1]), "face down for the front of the thigh"
    assert abs(float(quads["near_elbow"][1])) <= 6, "propped on the forearms"
    hams = start("foam-roll-hamstrings")
    assert float(hams["eye"][1]) > float(hams["head"][1]) - 1, "face up, sitting"
    assert float(hams["near_hand"][0]) < float(hams["pelvis"][0]), "hands on the floor behind"
    assert float(hams["near_hand"][1]) <= 6
    it = start("foam-roll-it-band")
    assert float(it["near_hip"][1]) < float(it["far_hip"][1]) - 10, "lying on the side"
    assert foot_on(it, "far"), "the top foot is planted on the floor"
    assert float(it["far_ankle"][2]) > float(it["near_ankle"][2]) + 15, "in front of the body"


def test_ice_rests_a_pack_on_the_knee() -> None:
    assert prop("ice", "ice").follows == "near_knee"
    for p in (start("ice"), end("ice")):
        assert float(p["pelvis"][1]) <= 12, "sitting on the floor"
        assert knee_angle(p, "near") >= 165, "the leg is supported and nearly straight"
        assert float(p["near_ankle"][1]) <= 12
    assert float(end("ice")["near_hand"][1]) <= 6, "leaning back on the hands"
