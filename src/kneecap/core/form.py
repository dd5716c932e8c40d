"""The camera form check's analysis: pure functions over a clip's pose landmarks.

A `Series` is what the pose model saw, frame by frame: the 33 landmarks of MediaPipe's body
model in the frame's pixels (NaN where no body was found), their visibility, each frame's
brightness and time. `analyse` turns it into a `FormResult`:

- **Reps.** The hips' height, as a share of the standing leg length, smoothed over 0.3 s; a rep
  is one trip away from the resting height past half the clip's largest trip and back below a
  fifth of it (down for squats, wall sits and step-downs, up for step-ups and bridges). A trip
  the clip ends before finishing is not counted, and said so.
- **Depth** (side view): the knee angle at the bottom, on the leg nearer the camera (180° is
  straight; a squat to a chair is about 90°, a deep squat about 60°).
- **Knee control** (front view, KC-FORM-VALGUS): the frontal-plane projection angle, the bend
  between thigh and shin as the camera sees it, positive when the knee is inside the line from
  hip to ankle (towards the other knee). Read only on frames where the thigh is seen at 40% or
  more of its standing length: a thigh pointing at the camera makes the angle meaningless.
- **Pelvic drop** (front view, single-leg moves, KC-FORM-PELVIS): how much more the line across
  the hips tilts than when standing.
- **Tempo** (KC-FORM-TEMPO): the lowering's time, start to bottom.

What a view cannot measure is None. Kneecap is not a medical device: the sentences describe
what the camera saw and the exercise cue that goes with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from kneecap.core import rules
from kneecap.core.rulebook import Rule, say

Floats = npt.NDArray[np.float64]
View = Literal["front", "side"]
VIEWS: tuple[View, ...] = ("front", "side")
Side = Literal["left", "right"]
Knee = Literal["left", "right", "both"]

# MediaPipe's 33-point body model: the landmarks the analysis reads.
NOSE = 0
SHOULDER = {"left": 11, "right": 12}
HIP = {"left": 23, "right": 24}
KNEE = {"left": 25, "right": 26}
ANKLE = {"left": 27, "right": 28}
HEEL = {"left": 29, "right": 30}
TOE = {"left": 31, "right": 32}
SIDES: tuple[Side, Side] = ("left", "right")
LEGS = (*HIP.values(), *KNEE.values(), *ANKLE.values())
# The lines of the drawn skeleton (pairs of landmarks).
BONES = (
    (11, 12),
    (11, 13),
    (13, 15),
    (12, 14),
    (14, 16),
    (11, 23),
    (12, 24),
    (23, 24),
    (23, 25),
    (25, 27),
    (27, 29),
    (29, 31),
    (27, 31),
    (24, 26),
    (26, 28),
    (28, 30),
    (30, 32),
    (28, 32),
)

SMOOTH_S = 0.3  # the moving average over the hips' height and the knee angles
TILT_SMOOTH_S = 0.5  # and over the line across the hips (two points close together)
GAP_S = 0.5  # a gap in the pose this short is bridged; a longer one is left out
MIN_TRIP = 0.06  # of the leg length: a smaller movement of the hips is no rep
TRIP_HIGH = 0.5  # a rep goes past this share of the clip's largest trip ...
TRIP_LOW = 0.2  # ... starting from and coming back below this share
MOVING = 0.1  # its start and end: followed towards rest while moving at this share of top speed
THIGH_SEEN = 0.4  # the projection angle is read where the thigh shows this much of its length
SEEN = 0.5  # a landmark's visibility that counts as seen
MIN_POSE_SHARE = 0.5  # a clip where the body was found in fewer frames is refused
MIN_FRAMES = 5
DARK = 35.0  # mean brightness (0-255) below which a clip without a body is "too dark"
JUMP = 0.25  # of the frame's longer side: the body's centre jumping this far in one frame
JUMPS = 2  # ... this many times means two people (or a camera moving)
EDGE = 0.02  # of the frame: a landmark beyond the frame by this much is cut off
CUT_SHARE = 0.3  # the legs cut off in this share of frames refuses the clip
SIDE_RATIO = 0.3  # hip width / torso length below this: filmed from the side


class CannotAnalyse(Exception):
    """The clip cannot be analysed: `kind` (not_video, too_long, too_big, too_large, empty,
    no_person, two_people, too_dark, cut_off, too_short, timeout, failed) and the reason in
    words."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True)
class Series:
    """What the pose model saw: `points` (frames x 33 x 2, pixels, y down, NaN where no body
    was found), `visibility` (frames x 33, 0-1), `brightness` (0-255) and `times` (seconds) per
    frame, and the frame's size."""

    times: Floats
    points: Floats
    visibility: Floats
    brightness: Floats
    width: int
    height: int

    def __post_init__(self) -> None:
        n = len(self.times)
        if self.points.shape != (n, 33, 2) or self.visibility.shape != (n, 33):
            raise ValueError("a Series holds 33 landmarks (x, y) and their visibility per frame")
        if self.brightness.shape != (n,):
            raise ValueError("a Series holds one brightness per frame")

    def __len__(self) -> int:
        return len(self.times)


@dataclass(frozen=True)
class Move:
    """How an exercise moves, for the analysis: which way the hips go in a rep, whether one
    leg carries the body (pelvic drop is read then), whether it is a hold."""

    id: str
    name: str
    direction: Literal["down", "up"]
    single_leg: bool = False
    hold: bool = False


SQUAT = Move("squat", "squat", "down")
MOVES: dict[str, Move] = {
    m.id: m
    for m in (
        Move("chair-squat", "squat to a chair", "down"),
        Move("band-squat", "squat with a band", "down"),
        Move("deep-squat", "deep squat", "down"),
        Move("wall-sit", "wall sit", "down", hold=True),
        Move("step-up", "step-up", "up", single_leg=True),
        Move("low-step-up", "low step-up", "up", single_leg=True),
        Move("step-down", "step-down", "down", single_leg=True),
        Move("single-leg-balance", "single-leg balance", "down", single_leg=True, hold=True),
        Move("glute-bridge", "bridge", "up"),
        Move("single-leg-bridge", "single-leg bridge", "up", single_leg=True),
    )
}


@dataclass(frozen=True)
class Rep:
    number: int
    start: int  # frame indices into the Series
    bottom: int
    end: int
    start_s: float
    bottom_s: float
    end_s: float
    depth_deg: float | None  # the knee angle at the bottom (side view)
    valgus_deg: float | None  # the largest projection angle of the worse knee (front view)
    valgus_side: Knee | None  # the worse knee, or both past the threshold
    valgus_frame: int | None
    pelvic_drop_deg: float | None  # single-leg moves from the front
    drop_side: Side | None  # the side whose hip went down
    drop_frame: int | None

    @property
    def lowering_s(self) -> float:
        return self.bottom_s - self.start_s

    def to_dict(self) -> dict[str, float | None]:
        return {
            "start_s": _r(self.start_s, 2),
            "bottom_s": _r(self.bottom_s, 2),
            "end_s": _r(self.end_s, 2),
            "depth_deg": _r(self.depth_deg),
            "valgus_deg": _r(self.valgus_deg),
            "pelvic_drop_deg": _r(self.pelvic_drop_deg),
        }


@dataclass(frozen=True)
class Warning:
    rep: int | None  # None: the whole clip
    kind: str  # valgus, pelvic_drop, fast, cut_off, no_reps
    text: str
    rule: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"rep": self.rep, "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class FormResult:
    exercise: str | None
    move: Move
    view: View
    reps: tuple[Rep, ...]
    warnings: tuple[Warning, ...]
    feedback: tuple[str, ...]  # the warnings said once for the whole clip, worst first
    frames_analysed: int
    times: Floats
    knee_angle: Floats  # per frame, the leg the chart follows (NaN where not seen)
    knee_side: Side
    worst_frame: int  # the frame to draw: the worst fault's, else the deepest bottom
    worst_caption: str
    cut_off: bool = False
    measured: dict[str, bool] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        """What one counted stretch is called: "rep", or "hold" for a hold."""
        return _unit(self.move)

    def counted(self) -> str:
        """ "3 reps", "1 hold"."""
        return f"{len(self.reps)} {self.unit}{'' if len(self.reps) == 1 else 's'}"

    def to_dict(self) -> dict[str, object]:
        """The JSON contract of `kneecap form --json` (docs/form.md)."""
        return {
            "exercise": self.exercise,
            "view": self.view,
            "reps": len(self.reps),
            "per_rep": [r.to_dict() for r in self.reps],
            "warnings": [w.to_dict() for w in self.warnings],
            "frames_analysed": self.frames_analysed,
        }


def _r(value: float | None, places: int = 0) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), places) if places else float(round(value))


# --- geometry ------------------------------------------------------------------------------


def joint_angle(a: Floats, b: Floats, c: Floats) -> Floats:
    """The angle at `b` between `a` and `c`, in degrees, per frame (NaN where any is)."""
    u, v = a - b, c - b
    norms = np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(u * v, axis=-1) / norms
    out: Floats = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    return out


def knee_angles(points: Floats, side: Side) -> Floats:
    """The knee's angle per frame (180 is straight)."""
    return joint_angle(points[:, HIP[side]], points[:, KNEE[side]], points[:, ANKLE[side]])


def knee_offset(points: Floats, side: Side) -> Floats:
    """How far the knee is, across the picture (x, pixels), from the line from hip to ankle at
    the knee's height, per frame."""
    hip, knee, ankle = points[:, HIP[side]], points[:, KNEE[side]], points[:, ANKLE[side]]
    line, rel = ankle - hip, knee - hip
    with np.errstate(invalid="ignore", divide="ignore"):
        out: Floats = rel[:, 0] - line[:, 0] * rel[:, 1] / line[:, 1]
    return out


def common_shift(points: Floats) -> Floats:
    """The knees' shared sideways offset from their hip-ankle lines, per frame. Seen at a slant,
    a squat's hips going back move both knees the same way across the picture, one towards its
    midline and one away; a knee caving in moves towards the other knee. Taken off both knees
    on two-leg moves, what is left is the knees' own movement in or out."""
    out: Floats = (knee_offset(points, "left") + knee_offset(points, "right")) / 2.0
    return out


def projection_angle(points: Floats, side: Side, shift: Floats | None = None) -> Floats:
    """The frontal-plane projection angle per frame: 180 minus the knee's angle as seen,
    positive when the knee is inside the hip-ankle line (towards the body's midline). `shift`
    (pixels across, per frame) is taken off the knee's position first (`common_shift`)."""
    pts = points
    if shift is not None:
        pts = points.copy()
        pts[:, KNEE[side], 0] -= np.nan_to_num(shift)
    hip, knee, ankle = pts[:, HIP[side]], pts[:, KNEE[side]], pts[:, ANKLE[side]]
    bend = 180.0 - joint_angle(hip, knee, ankle)
    offset = knee_offset(pts, side)
    mid = (pts[:, HIP["left"], 0] + pts[:, HIP["right"], 0]) / 2.0
    inward = np.sign(mid - hip[:, 0])  # the midline's direction from this hip
    sign = np.sign(offset * inward)
    out: Floats = bend * np.where(sign == 0, 1.0, sign)
    return out


def hip_tilt(points: Floats) -> Floats:
    """The line across the hips against the horizontal, in degrees: positive when the left hip
    is lower in the picture than the right."""
    left, right = points[:, HIP["left"]], points[:, HIP["right"]]
    dx = np.abs(left[:, 0] - right[:, 0])
    dy = left[:, 1] - right[:, 1]
    out: Floats = np.degrees(np.arctan2(dy, dx))
    return out


def smooth(values: Floats, times: Floats, seconds: float = SMOOTH_S) -> Floats:
    """A centred moving average over `seconds`, NaN kept where the values are NaN."""
    if len(values) < 3:
        return values.copy()
    step = float(np.median(np.diff(times))) if len(times) > 1 else 0.1
    width = max(1, round(seconds / step)) if step > 0 else 1
    if width % 2 == 0:
        width += 1
    if width < 2:
        return values.copy()
    ok = np.isfinite(values)
    filled = np.where(ok, values, 0.0)
    kernel = np.ones(width)
    total = np.convolve(filled, kernel, mode="same")
    count = np.convolve(ok.astype(np.float64), kernel, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        out: Floats = np.where(ok & (count > 0), total / count, np.nan)
    return out


def bridged(values: Floats, times: Floats, gap_s: float = GAP_S) -> Floats:
    """NaN runs shorter than `gap_s` filled in linearly; longer ones left NaN."""
    ok = np.isfinite(values)
    if ok.all() or not ok.any():
        return values.copy()
    out = values.copy()
    idx = np.flatnonzero(ok)
    filled = np.interp(times, times[idx], values[idx])
    n = len(values)
    i = 0
    while i < n:
        if ok[i]:
            i += 1
            continue
        j = i
        while j < n and not ok[j]:
            j += 1
        inside = i > 0 and j < n
        if inside and times[j] - times[i - 1] <= gap_s + 1e-9:
            out[i:j] = filled[i:j]
        i = j
    return out


# --- quality -------------------------------------------------------------------------------


def _found(series: Series) -> npt.NDArray[np.bool_]:
    return np.asarray(np.isfinite(series.points[:, LEGS, 0]).all(axis=1), dtype=np.bool_)


def check_quality(series: Series) -> None:
    """Refuse a clip the analysis cannot trust, with the reason: `CannotAnalyse`."""
    n = len(series)
    if n < MIN_FRAMES:
        raise CannotAnalyse("too_short", "the clip is too short: film at least a few seconds")
    found = _found(series)
    if found.mean() < MIN_POSE_SHARE:
        if float(np.median(series.brightness)) < DARK:
            raise CannotAnalyse(
                "too_dark", "the video is too dark to see the body: film in a well-lit room"
            )
        raise CannotAnalyse(
            "no_person",
            "no person could be seen in most of the video: film the whole body, from 2-3 m away",
        )
    pts = series.points[found]
    vis = series.visibility[found]
    w, h = series.width, series.height
    margin_x, margin_y = EDGE * w, EDGE * h
    legs = pts[:, [*KNEE.values(), *ANKLE.values()]]
    outside = (
        (legs[..., 0] < -margin_x)
        | (legs[..., 0] > w + margin_x)
        | (legs[..., 1] < -margin_y)
        | (legs[..., 1] > h + margin_y)
    ).any(axis=1)
    unseen = (vis[:, [*ANKLE.values()]] < 0.2).all(axis=1)
    if (outside | unseen).mean() > CUT_SHARE:
        raise CannotAnalyse(
            "cut_off",
            "the body is cut off: the feet and knees must be in the picture; step back or "
            "turn the phone upright",
        )
    centre = np.nanmean(series.points[:, [*HIP.values(), *SHOULDER.values()]], axis=1)
    step = np.linalg.norm(np.diff(centre, axis=0), axis=1)
    jumps = int(np.sum(step > JUMP * max(w, h)))
    if jumps >= JUMPS:
        raise CannotAnalyse(
            "two_people",
            "the body found jumps from place to place: there may be two people in the picture, "
            "or the camera moved; film one person, with the phone standing still",
        )


def guess_view(series: Series) -> View:
    """Front or side, from how wide the hips look against the torso's length."""
    found = _found(series)
    p = series.points[found]
    width = np.abs(p[:, HIP["left"], 0] - p[:, HIP["right"], 0])
    shoulders = (p[:, SHOULDER["left"]] + p[:, SHOULDER["right"]]) / 2
    hips = (p[:, HIP["left"]] + p[:, HIP["right"]]) / 2
    torso = np.linalg.norm(shoulders - hips, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = float(np.nanmedian(width / torso)) if len(p) else 0.0
    return "side" if ratio < SIDE_RATIO else "front"


# --- reps ----------------------------------------------------------------------------------


def leg_length(points: Floats) -> float:
    """The standing leg length in pixels: a high percentile of hip-to-ankle distance."""
    lengths = [np.linalg.norm(points[:, HIP[s]] - points[:, ANKLE[s]], axis=1) for s in SIDES]
    both = np.concatenate(lengths)
    both = both[np.isfinite(both)]
    return float(np.percentile(both, 90)) if len(both) else float("nan")


def trip(series: Series, move: Move) -> Floats:
    """How far the hips are from their resting height, as a share of the leg length (0 at
    rest, growing through a rep), smoothed; NaN where no body was seen."""
    height = np.nanmean(series.points[:, [*HIP.values()], 1], axis=1)
    height = bridged(height, series.times)
    height = smooth(height, series.times)
    length = leg_length(series.points)
    if not np.isfinite(height).any() or not math.isfinite(length) or length <= 0:
        return np.full(len(series), np.nan)
    if move.direction == "down":
        rest = float(np.nanpercentile(height, 5))
        out: Floats = (height - rest) / length
    else:
        rest = float(np.nanpercentile(height, 95))
        out = (rest - height) / length
    return out


@dataclass(frozen=True)
class Segments:
    reps: tuple[tuple[int, int, int], ...]  # start, bottom, end
    cut_off: bool  # the clip ended inside a rep


def segment(f: Floats) -> Segments:
    """The reps in a trip series `f`: (start, bottom, end) frame indices."""
    ok = np.isfinite(f)
    if not ok.any():
        return Segments((), False)
    top = float(np.nanpercentile(f, 98))
    if top < MIN_TRIP:
        return Segments((), False)
    high, low = max(TRIP_HIGH * top, MIN_TRIP), TRIP_LOW * top
    values = np.where(ok, f, -np.inf)
    reps: list[tuple[int, int, int]] = []
    cut = False
    i, n = 0, len(f)
    last_end = 0
    while i < n:
        if values[i] <= high:
            i += 1
            continue
        start = i
        while start > last_end and values[start] > low:
            start -= 1
        began_inside = values[start] > low  # the clip started in the middle of a rep
        end = i
        while end < n and (values[end] > low or not ok[end]):
            end += 1
        if end >= n:
            cut = True
            break
        if not began_inside:
            bottom = start + int(np.argmax(values[start : end + 1]))
            speed = float(np.max(np.abs(np.diff(values[start : end + 1])), initial=0.0))
            start = _settled(values, start, last_end, -1, speed)
            end = _settled(values, end, _next_rise(values, end, high), 1, speed)
            reps.append((start, bottom, end))
        last_end = end
        i = end + 1
    return Segments(tuple(reps), cut)


MIN_HOLD_S = 2.0  # a shorter stretch in position is no hold


def hold_bouts(f: Floats, times: Floats) -> Segments:
    """A hold's bouts (start, deepest, end): each stretch held past `TRIP_HIGH` of the clip's
    largest trip for `MIN_HOLD_S` or more, one the clip starts or ends in included (a hold
    filmed once settled). When the hips never move enough for that (a balance, or a wall sit
    filmed from the start to the end of the hold), the whole clip where a body was seen is
    the one hold."""
    ok = np.isfinite(f)
    if not ok.any():
        return Segments((), False)
    top = float(np.nanpercentile(f, 98))
    held = ok & (f > TRIP_HIGH * top) if top >= MIN_TRIP else ok
    bouts: list[tuple[int, int, int]] = []
    i, n = 0, len(f)
    while i < n:
        if not held[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and held[j + 1]:
            j += 1
        if times[j] - times[i] >= MIN_HOLD_S:
            bouts.append(
                (i, i + int(np.nanargmax(np.where(ok[i : j + 1], f[i : j + 1], -np.inf))), j)
            )
        i = j + 1
    return Segments(tuple(bouts), False)


def _next_rise(values: Floats, i: int, high: float) -> int:
    """The last frame before the trip next passes `high` (or the clip's last)."""
    later = np.flatnonzero(values[i:] > high)
    return i + int(later[0]) - 1 if len(later) else len(values) - 1


def _settled(values: Floats, i: int, limit: int, step: int, peak_speed: float) -> int:
    """From `i`, on towards rest while the hips still move at more than `MOVING` of the rep's
    top speed and the trip keeps falling, up to `limit`: where the movement really began
    (step -1) or ended (step 1)."""
    while i != limit:
        here, there = values[i], values[i + step]
        if not np.isfinite(there) or there > here or here - there < MOVING * peak_speed:
            break
        i += step
    return i


# --- measures per rep ----------------------------------------------------------------------


def _near_side(series: Series) -> Side:
    vis = series.visibility
    score = {s: float(np.mean(vis[:, [HIP[s], KNEE[s], ANKLE[s]]])) for s in SIDES}
    return "left" if score["left"] >= score["right"] else "right"


def _thigh_seen(points: Floats, side: Side) -> npt.NDArray[np.bool_]:
    thigh = np.linalg.norm(points[:, HIP[side]] - points[:, KNEE[side]], axis=1)
    finite = thigh[np.isfinite(thigh)]
    if not len(finite):
        return np.zeros(len(points), dtype=bool)
    standing = float(np.percentile(finite, 90))
    seen: npt.NDArray[np.bool_] = np.isfinite(thigh) & (thigh >= THIGH_SEEN * standing)
    return seen


def stance_side(points: Floats) -> Side:
    """On a single-leg move, the leg that carries the body: its foot stays where it is while
    the free foot moves (lifted, or reaching down from a step)."""
    spread = {}
    for s in SIDES:
        ankle = points[:, ANKLE[s]]
        ok = np.isfinite(ankle).all(axis=1)
        if not ok.any():
            spread[s] = math.inf
            continue
        lo, hi = np.percentile(ankle[ok], [5, 95], axis=0)
        spread[s] = float(np.sum(hi - lo))
    return "left" if spread["left"] <= spread["right"] else "right"


def _other(side: Side) -> Side:
    return "right" if side == "left" else "left"


@dataclass(frozen=True)
class Traces:
    """The per-frame measures the reps are read from."""

    knee: dict[Side, Floats]
    fppa: dict[Side, Floats]  # NaN where the thigh is not seen well enough
    drop: Floats  # the hip line's tilt down towards the free side, above its standing value
    near: Side
    legs: tuple[Side, ...]  # the legs whose knee control is read (the stance leg alone)
    free: Side | None  # single-leg moves: the free leg


def traces(series: Series, move: Move, standing: npt.NDArray[np.bool_]) -> Traces:
    t = series.times
    knee = {s: smooth(bridged(knee_angles(series.points, s), t), t) for s in SIDES}
    shift = None if move.single_leg else common_shift(series.points)
    fppa: dict[Side, Floats] = {}
    for s in SIDES:
        raw = smooth(projection_angle(series.points, s, shift), t)
        fppa[s] = np.where(_thigh_seen(series.points, s), raw, np.nan)
    tilt = smooth(hip_tilt(series.points), t, TILT_SMOOTH_S)
    base = tilt[standing & np.isfinite(tilt)]
    tilt = tilt - (float(np.median(base)) if len(base) else 0.0)
    free: Side | None = None
    legs: tuple[Side, ...] = SIDES
    if move.single_leg:
        stance = stance_side(series.points)
        free, legs = _other(stance), (stance,)
    drop = tilt if free == "left" else -tilt  # positive tilt: the left hip lower
    return Traces(knee, fppa, drop, _near_side(series), legs, free)


def _peak(values: Floats, lo: int, hi: int) -> tuple[float, int] | None:
    window = values[lo : hi + 1]
    if not np.isfinite(window).any():
        return None
    k = int(np.nanargmax(window))
    return float(window[k]), lo + k


def measure_rep(
    number: int, seg: tuple[int, int, int], series: Series, tr: Traces, view: View, move: Move
) -> Rep:
    start, bottom, end = seg
    t = series.times
    depth: float | None = None
    if view == "side":
        knee = tr.knee[tr.near]
        found = _peak(-knee, start, end)
        depth = None if found is None else -found[0]
    valgus: float | None = None
    valgus_side: Knee | None = None
    valgus_frame: int | None = None
    drop: float | None = None
    drop_side: Side | None = None
    drop_frame: int | None = None
    if view == "front":
        peaks = {s: p for s in tr.legs if (p := _peak(tr.fppa[s], start, end)) is not None}
        if peaks:
            worst = max(peaks, key=lambda s: peaks[s][0])
            valgus, valgus_frame = peaks[worst]
            past = [s for s in peaks if peaks[s][0] > rules.FORM_VALGUS_DEG]
            valgus_side = "both" if len(past) == 2 else worst
        if move.single_leg and tr.free is not None:
            found = _peak(tr.drop, start, end)
            if found is not None:
                drop, drop_frame = found[0], found[1]
                drop_side = tr.free
    return Rep(
        number,
        start,
        bottom,
        end,
        float(t[start]),
        float(t[bottom]),
        float(t[end]),
        depth,
        valgus,
        valgus_side,
        valgus_frame,
        drop,
        drop_side,
        drop_frame,
    )


# --- words ---------------------------------------------------------------------------------


def _unit(move: Move) -> str:
    """What one counted stretch of the clip is called: a rep, or a hold."""
    return "hold" if move.hold else "rep"


def _listed(numbers: Sequence[int], unit: str = "rep") -> str:
    text = [str(n) for n in numbers]
    if len(text) == 1:
        return f"{unit} {text[0]}"
    return f"{unit}s " + ", ".join(text[:-1]) + " and " + text[-1]


VALGUS_CUE = "push it out over your middle toes"


def _cue(side: str | None) -> str:
    return "push them out over your middle toes" if side == "both" else VALGUS_CUE


def _knees(side: str | None) -> str:
    return "both your knees" if side == "both" else f"your {side} knee"


DROP_CUE = "keep your hips level, as if carrying a tray on them"
TEMPO_CUE = "lower for a slow count of three"
NO_REP = (
    "No rep was seen: film a few slow reps, the whole body in the picture, the phone standing "
    "still."
)
NO_HOLD = (
    f"No hold was seen: get into position and stay there for {MIN_HOLD_S:g} s or more (a wall "
    "sit or a balance is timed, not counted), the whole body in the picture, the phone standing "
    "still."
)


def rep_words(rep: Rep, move: Move) -> str:
    """One rep's (or hold's) measures in words, for both faces."""
    if move.hold:
        said = [f"{rep.end_s - rep.start_s:.0f} s in position"]
    else:
        said = [f"down {rep.lowering_s:.1f} s, up {rep.end_s - rep.bottom_s:.1f} s"]
    if rep.depth_deg is not None:
        said.append(f"knee at {rep.depth_deg:.0f}° at the {'deepest' if move.hold else 'bottom'}")
    if rep.valgus_deg is not None:
        said.append(f"knee line {rep.valgus_deg:.0f}° ({rep.valgus_side} knee)")
    if rep.pelvic_drop_deg is not None:
        said.append(f"pelvis {rep.pelvic_drop_deg:.0f}° down on the {rep.drop_side} side")
    return "; ".join(said)


def rep_warnings(reps: Sequence[Rep], move: Move) -> list[Warning]:
    found: list[Warning] = []
    for r in reps:
        if r.valgus_deg is not None and r.valgus_deg > rules.FORM_VALGUS_DEG:
            found.append(
                Warning(
                    r.number,
                    "valgus",
                    say(
                        f"{_unit(move).capitalize()} {r.number}: {_knees(r.valgus_side)} moved inwards "
                        f"({r.valgus_deg:.0f}° from the hip-ankle line, more than "
                        f"$FORM_VALGUS_DEG°): {_cue(r.valgus_side)} (KC-FORM-VALGUS)."
                    ),
                    Rule.KC_FORM_VALGUS,
                )
            )
        if r.pelvic_drop_deg is not None and r.pelvic_drop_deg > rules.FORM_PELVIC_DROP_DEG:
            found.append(
                Warning(
                    r.number,
                    "pelvic_drop",
                    say(
                        f"{_unit(move).capitalize()} {r.number}: your pelvis dropped on the "
                        f"{r.drop_side} side "
                        f"({r.pelvic_drop_deg:.0f}°, more than $FORM_PELVIC_DROP_DEG°): "
                        f"{DROP_CUE} (KC-FORM-PELVIS)."
                    ),
                    Rule.KC_FORM_PELVIS,
                )
            )
        if not move.hold and r.lowering_s < rules.FORM_MIN_LOWERING_S:
            found.append(
                Warning(
                    r.number,
                    "fast",
                    say(
                        f"Rep {r.number}: you went down in {r.lowering_s:.1f} s, quicker than "
                        f"$FORM_MIN_LOWERING_S s: {TEMPO_CUE} (KC-FORM-TEMPO)."
                    ),
                    Rule.KC_FORM_TEMPO,
                )
            )
    return found


def feedback(reps: Sequence[Rep], warnings: Sequence[Warning], move: Move) -> list[str]:
    """The warnings said once each for the clip: "your left knee moved inwards on reps 2
    and 3: push it out over your middle toes"."""
    said: list[str] = []
    unit = _unit(move)
    by_rep = {r.number: r for r in reps}
    for side in ("both", *SIDES):
        valgus = [
            w.rep
            for w in warnings
            if w.kind == "valgus" and w.rep is not None and by_rep[w.rep].valgus_side == side
        ]
        if valgus:
            said.append(
                f"{_knees(side).capitalize()} moved inwards on {_listed(valgus, unit)}: "
                f"{_cue(side)} "
                "(KC-FORM-VALGUS)."
            )
    for side in SIDES:
        dropped = [
            w.rep
            for w in warnings
            if w.kind == "pelvic_drop" and w.rep is not None and by_rep[w.rep].drop_side == side
        ]
        if dropped:
            said.append(
                f"Your pelvis dropped on the {side} side on {_listed(dropped, unit)}: {DROP_CUE} "
                "(KC-FORM-PELVIS)."
            )
    fast = [w.rep for w in warnings if w.kind == "fast" and w.rep is not None]
    if fast:
        said.append(f"You went down quickly on {_listed(fast)}: {TEMPO_CUE} (KC-FORM-TEMPO).")
    said += [w.text for w in warnings if w.rep is None]
    if move.hold:
        said += [f"Hold {r.number}: {r.end_s - r.start_s:.0f} s in position." for r in reps]
    if reps and not [w for w in warnings if w.kind != "cut_off"]:
        said.append(
            f"No fault seen in {len(reps)} {unit}{'s' if len(reps) != 1 else ''}: "
            "keep going like that."
        )
    return said


# --- the analysis --------------------------------------------------------------------------


def _worst(
    reps: Sequence[Rep], warnings: Sequence[Warning], tr: Traces, unit: str = "rep"
) -> tuple[int, str]:
    faults = [w for w in warnings if w.rep is not None and w.kind in ("valgus", "pelvic_drop")]
    by_rep = {r.number: r for r in reps}
    best: tuple[float, int, str] | None = None
    for w in faults:
        r = by_rep[w.rep or 0]
        if w.kind == "valgus" and r.valgus_deg is not None and r.valgus_frame is not None:
            score = r.valgus_deg / rules.FORM_VALGUS_DEG
            knees = "both knees" if r.valgus_side == "both" else f"the {r.valgus_side} knee"
            found = (score, r.valgus_frame, f"{unit} {r.number}: {knees} inwards")
        elif r.pelvic_drop_deg is not None and r.drop_frame is not None:
            score = r.pelvic_drop_deg / rules.FORM_PELVIC_DROP_DEG
            found = (score, r.drop_frame, f"{unit} {r.number}: the pelvis dropped")
        else:
            continue
        if best is None or found[0] > best[0]:
            best = found
    if best is not None:
        return best[1], best[2]
    if reps:
        deepest = min(
            reps,
            key=lambda r: (
                float(tr.knee[tr.near][r.bottom])
                if np.isfinite(tr.knee[tr.near][r.bottom])
                else 999.0
            ),
        )
        return deepest.bottom, f"{unit} {deepest.number} at its bottom"
    return 0, "the first frame"


def analyse(series: Series, exercise: str | None = None, view: View | None = None) -> FormResult:
    """Reps, depth, knee control, pelvic drop, tempo and the feedback for one clip; raises
    `CannotAnalyse` for a clip that cannot be trusted."""
    check_quality(series)
    move = MOVES.get(exercise or "", SQUAT)
    seen_view = view or guess_view(series)
    f = trip(series, move)
    segs = hold_bouts(f, series.times) if move.hold else segment(f)
    standing = np.isfinite(f) & (f < TRIP_LOW * max(float(np.nanmax(f)), MIN_TRIP))
    if move.hold and move.single_leg:  # a balance has no rest on two legs: level hips are 0°
        standing = np.zeros(len(f), dtype=bool)
    tr = traces(series, move, standing)
    reps = tuple(
        measure_rep(i + 1, seg, series, tr, seen_view, move) for i, seg in enumerate(segs.reps)
    )
    warnings = rep_warnings(reps, move)
    if segs.cut_off:
        warnings.append(
            Warning(
                None, "cut_off", "The clip ended in the middle of a rep: that rep is not counted."
            )
        )
    if not reps:
        warnings.append(Warning(None, "no_reps", NO_HOLD if move.hold else NO_REP))
    frame, caption = _worst(reps, warnings, tr, _unit(move))
    side = tr.near if seen_view == "side" else _chart_side(reps)
    return FormResult(
        exercise=exercise,
        move=move,
        view=seen_view,
        reps=reps,
        warnings=tuple(warnings),
        feedback=tuple(feedback(reps, warnings, move)),
        frames_analysed=len(series),
        times=series.times,
        knee_angle=tr.knee[side],
        knee_side=side,
        worst_frame=frame,
        worst_caption=caption,
        cut_off=segs.cut_off,
        measured={
            "depth": seen_view == "side",
            "valgus": seen_view == "front",
            "pelvic_drop": seen_view == "front" and move.single_leg,
        },
    )


def _chart_side(reps: Sequence[Rep]) -> Side:
    sides = [r.valgus_side for r in reps if r.valgus_side in SIDES]
    return "right" if sides.count("right") > sides.count("left") else "left"
