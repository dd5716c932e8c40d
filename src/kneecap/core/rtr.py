"""Return to run: the entry check (RTR-ENTRY), the walk/run ladder (RTR-LADDER) and how one run
and the next morning are judged (RTR-RULES). The engine applies them; this module holds the
criteria, the stages and the verdicts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, model_validator

from kneecap.core.schema import PainScore, Record

ENTRY_MAX_PAIN = 2  # RTR-ENTRY: daily-life pain and pain during the checks at most 2/10
ENTRY_DAYS = 7  # RTR-ENTRY: the logged week before the check must show that pain too
PASS_MAX_PAIN = 2  # RTR-RULES: a run passes with pain during at most 2/10
AMBER_MAX_PAIN = 5  # 3-5 holds; above 5 drops back a stage
PASSES_TO_ADVANCE = 2  # each stage done (and passed) twice before moving on
MAX_DOWNHILL_M = 100.0  # LOAD-DOWNHILL: more downhill than this is not "level ground"
OVER_DISTANCE = 1.5  # a run this much longer than the stage asked is not the stage
WALK_SPEED_MPS = 1.6  # brisk walking, for time estimates
RUN_SPEED_MPS = 2.5  # easy running (6:40/km), for time estimates


@dataclass(frozen=True)
class EntryTest:
    """One timed strength/control test of RTR-ENTRY. The same numbers set the target of the
    exercise ladder that trains for it (`core.ladder`), so the gate and the ladder agree."""

    key: str
    name: str
    hold_s: int | None  # a hold of this long ...
    reps: int | None  # ... or this many repetitions
    per_side: bool
    exercise: str | None  # the catalogue exercise this test is (its ladder reaches the test)


WALL_SIT = EntryTest("wall_sit", "Wall sit", 60, None, False, "wall-sit")
BALANCE = EntryTest("balance", "Single-leg balance", 30, None, True, None)
STEP_DOWNS = EntryTest("step_downs", "Single-leg step-downs", None, 10, True, None)
ENTRY_TESTS = (WALL_SIT, BALANCE, STEP_DOWNS)


def entry_hold_s(exercise_id: str) -> int | None:
    """The hold an entry test asks of this exercise (the wall sit's 60 s), if any."""
    for t in ENTRY_TESTS:
        if t.exercise == exercise_id:
            return t.hold_s
    return None


@dataclass(frozen=True)
class Fault:
    """A movement-quality fault a physio looks for, and the exercise that trains it away."""

    key: str
    question: str
    seen: str  # what the runner reported, in words
    exercise: str  # the exercise to go back to
    cue: str
    fault_answer: bool = True  # the answer to `question` that means the fault was seen


FAULTS = (
    Fault(
        "knee_caved_in",
        "Did the knee cave inwards (towards the other knee)?",
        "your knee caved inwards",
        "clamshell",
        "keep the knee pointing over your middle toes",
    ),
    Fault(
        "pelvis_dropped",
        "Did the pelvis drop on the side of the lifted leg?",
        "your pelvis dropped on the free side",
        "lateral-band-walk",
        "keep your hips level, as if carrying a tray on them",
    ),
    Fault(
        "lowering_uncontrolled",
        "Could you control the lowering, slowly, all the way down?",
        "the lowering was not under control",
        "low-step-up",
        "lower for a slow count of three",
        fault_answer=False,
    ),
)

Seconds = Annotated[int, Field(strict=True, ge=0, le=600)]
Reps = Annotated[int, Field(strict=True, ge=0, le=100)]


class EntryCheck(Record):
    """The RTR-ENTRY check on one day: the runner's answers and the timed tests, each test with
    its worst pain, and the quality questions a physio asks. A quality fault does not fail the
    check; it sends the runner back to the matching exercise (`faults`)."""

    date: dt.date
    daily_pain: PainScore  # usual pain in daily life over the last days
    brisk_walk_30_min: bool  # 30 minutes of brisk walking without pain or a limp
    swelling: bool
    wall_sit_s: Seconds
    wall_sit_pain: PainScore
    balance_left_s: Seconds
    balance_right_s: Seconds
    balance_pain: PainScore
    step_downs_left: Reps
    step_downs_right: Reps
    step_down_pain: PainScore
    knee_caved_in: bool = False
    pelvis_dropped: bool = False
    lowering_uncontrolled: bool = False

    @model_validator(mode="before")
    @classmethod
    def _earlier_form(cls, data: Any) -> Any:
        """Checks stored before the timed tests answered yes/no per test with one pain score;
        read them as the timed results they stood for."""
        if not isinstance(data, dict) or "check_pain" not in data:
            return data
        old = dict(data)
        pain = old.pop("check_pain")
        walls, balance, steps = (
            old.pop("wall_sit_60_s", None),
            old.pop("balance_30_s", None),
            old.pop("step_downs", None),
        )
        return {
            **old,
            "wall_sit_s": WALL_SIT.hold_s if walls is True else 0,
            "wall_sit_pain": pain,
            "balance_left_s": BALANCE.hold_s if balance is True else 0,
            "balance_right_s": BALANCE.hold_s if balance is True else 0,
            "balance_pain": pain,
            "step_downs_left": STEP_DOWNS.reps if steps is True else 0,
            "step_downs_right": STEP_DOWNS.reps if steps is True else 0,
            "step_down_pain": pain,
        }

    def unmet(self) -> list[str]:
        """The check's own criteria not met, in words; empty when its tests are passed."""
        missing = []
        if self.daily_pain > ENTRY_MAX_PAIN:
            missing.append(f"daily-life pain {self.daily_pain}/10 (needs {ENTRY_MAX_PAIN} or less)")
        if not self.brisk_walk_30_min:
            missing.append("30 minutes of brisk walking without pain or a limp")
        if self.swelling:
            missing.append("no swelling")
        if self.wall_sit_s < (WALL_SIT.hold_s or 0):
            missing.append(f"a {WALL_SIT.hold_s} s wall sit (held {self.wall_sit_s} s)")
        short = min(self.balance_left_s, self.balance_right_s)
        if short < (BALANCE.hold_s or 0):
            missing.append(f"{BALANCE.hold_s} s single-leg balance on each leg (held {short} s)")
        fewest = min(self.step_downs_left, self.step_downs_right)
        if fewest < (STEP_DOWNS.reps or 0):
            missing.append(f"{STEP_DOWNS.reps} single-leg step-downs on each leg (did {fewest})")
        for name, pain in (
            ("the wall sit", self.wall_sit_pain),
            ("the balance test", self.balance_pain),
            ("the step-downs", self.step_down_pain),
        ):
            if pain > ENTRY_MAX_PAIN:
                missing.append(f"pain during {name} {pain}/10 (needs {ENTRY_MAX_PAIN} or less)")
        return missing

    @property
    def passed(self) -> bool:
        return not self.unmet()

    def faults(self) -> tuple[Fault, ...]:
        """The quality faults reported, each with the exercise to go back to."""
        return tuple(f for f in FAULTS if getattr(self, f.key))


@dataclass(frozen=True)
class Stage:
    number: int
    walk_min: int
    run_min: int  # 0 with walk_min 0 means continuous running
    total_km: float

    @property
    def continuous(self) -> bool:
        return self.walk_min == 0

    def minutes(self) -> int:
        """About how long the stage takes at an easy effort (for the plan's time budget)."""
        if self.continuous:
            return math.ceil(self.total_km * 1000 / RUN_SPEED_MPS / 60)
        cycle_m = 60 * (self.walk_min * WALK_SPEED_MPS + self.run_min * RUN_SPEED_MPS)
        cycles = math.ceil(self.total_km * 1000 / cycle_m)
        return cycles * (self.walk_min + self.run_min)

    def text(self) -> str:
        if self.continuous:
            return f"stage {self.number}: run {self.total_km:g} km continuously, easy effort"
        return (
            f"stage {self.number}: walk {self.walk_min} min / run {self.run_min} min, repeated "
            f"for {self.total_km:g} km"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.number,
            "walk_min": self.walk_min,
            "run_min": self.run_min if not self.continuous else None,
            "continuous": self.continuous,
            "total_km": self.total_km,
            "estimated_minutes": self.minutes(),
        }


# RTR-LADDER (US Army return-to-run protocol, Trials 2023).
LADDER = (
    Stage(1, 2, 3, 1.6),
    Stage(2, 2, 3, 2.4),
    Stage(3, 2, 4, 2.4),
    Stage(4, 2, 4, 3.2),
    Stage(5, 1, 4, 3.2),
    Stage(6, 0, 0, 3.2),
)


def stage(number: int) -> Stage:
    return LADDER[max(1, min(len(LADDER), number)) - 1]


@dataclass(frozen=True)
class LadderRun:
    """A run on the ladder as the rules see it: imported, logged by hand, or both (merged)."""

    date: dt.date
    distance_km: float | None
    pain_during: int | None  # None when the runner did not log it
    sharp: bool = False
    downhill_m: float | None = None


class Verdict(StrEnum):
    PASS = "pass"
    AMBER = "amber"  # hold the stage
    RED = "red"  # drop back a stage


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reasons: tuple[str, ...]


def judge_run(run: LadderRun, at: Stage) -> Judgement | None:
    """What the run alone says (RTR-RULES), before the next morning: RED on sharp pain or pain
    above 5, AMBER on pain 3-5, a run much longer than the stage or a hilly route; else None
    (the next morning decides)."""
    if run.sharp:
        return Judgement(Verdict.RED, ("sharp pain during the run",))
    if run.pain_during is not None and run.pain_during > AMBER_MAX_PAIN:
        return Judgement(Verdict.RED, (f"pain {run.pain_during}/10 during the run",))
    amber = []
    if run.pain_during is not None and run.pain_during > PASS_MAX_PAIN:
        amber.append(f"pain {run.pain_during}/10 during the run (pass: {PASS_MAX_PAIN} or less)")
    if run.distance_km is not None and run.distance_km > OVER_DISTANCE * at.total_km:
        amber.append(
            f"{run.distance_km:.1f} km is well over the stage's {at.total_km:g} km: keep to it"
        )
    if run.downhill_m is not None and run.downhill_m > MAX_DOWNHILL_M:
        amber.append(
            f"{run.downhill_m:.0f} m of downhill: keep return-to-run on level ground "
            "(LOAD-DOWNHILL)"
        )
    return Judgement(Verdict.AMBER, tuple(amber)) if amber else None


def judge_morning(
    run: LadderRun,
    before: int | None,
    morning_pain: int,
    swelling: bool,
    limp: bool,
    margin: int,
) -> Judgement:
    """The 24-hour response (PMM-2, RTR-RULES): swelling, a limp or a clearly worse morning drop
    back; a slightly worse one holds; settled passes, if the run itself was within the limit."""
    if swelling:
        return Judgement(Verdict.RED, ("swelling the next morning",))
    if limp:
        return Judgement(Verdict.RED, ("a limp the next morning",))
    if before is not None and morning_pain >= before + margin:
        return Judgement(
            Verdict.RED, (f"worse next morning ({before}/10 before, {morning_pain}/10 after)",)
        )
    if morning_pain > AMBER_MAX_PAIN:
        return Judgement(Verdict.RED, (f"morning pain {morning_pain}/10",))
    if (before is not None and morning_pain > before) or morning_pain > PASS_MAX_PAIN:
        return Judgement(Verdict.AMBER, (f"slower to settle (morning pain {morning_pain}/10)",))
    if run.pain_during is None:
        return Judgement(
            Verdict.PASS, ("settled by the next morning (pain during the run not logged)",)
        )
    return Judgement(
        Verdict.PASS, (f"pain {run.pain_during}/10 during and settled by the next morning",)
    )
