"""Return to run: the entry check (RTR-ENTRY), the walk/run ladder (RTR-LADDER) and how one run
and the next morning are judged (RTR-RULES). The engine applies them; this module holds the
criteria, the stages and the verdicts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kneecap.core.schema import PainScore, Record

ENTRY_MAX_PAIN = 2  # RTR-ENTRY: daily-life pain and pain during the checks at most 2/10
PASS_MAX_PAIN = 2  # RTR-RULES: a run passes with pain during at most 2/10
AMBER_MAX_PAIN = 5  # 3-5 holds; above 5 drops back a stage
PASSES_TO_ADVANCE = 2  # each stage done (and passed) twice before moving on
MAX_DOWNHILL_M = 100.0  # LOAD-DOWNHILL: more downhill than this is not "level ground"
OVER_DISTANCE = 1.5  # a run this much longer than the stage asked is not the stage
WALK_SPEED_MPS = 1.6  # brisk walking, for time estimates
RUN_SPEED_MPS = 2.5  # easy running (6:40/km), for time estimates


class EntryCheck(Record):
    """The runner's answers to the RTR-ENTRY criteria on one day."""

    date: dt.date
    daily_pain: PainScore  # usual pain in daily life over the last days
    brisk_walk_30_min: bool  # 30 minutes of brisk walking without pain or a limp
    swelling: bool
    step_downs: bool  # 10 single-leg step-downs (or squats to a chair) on each leg
    balance_30_s: bool  # 30 s standing on one leg, each leg
    wall_sit_60_s: bool
    check_pain: PainScore  # the worst pain during those three checks

    def unmet(self) -> list[str]:
        """The criteria not met, in words; empty when the check is passed."""
        missing = []
        if self.daily_pain > ENTRY_MAX_PAIN:
            missing.append(f"daily-life pain {self.daily_pain}/10 (needs {ENTRY_MAX_PAIN} or less)")
        if not self.brisk_walk_30_min:
            missing.append("30 minutes of brisk walking without pain or a limp")
        if self.swelling:
            missing.append("no swelling")
        if not self.step_downs:
            missing.append("10 single-leg step-downs or chair squats on each leg")
        if not self.balance_30_s:
            missing.append("30 s single-leg balance on each leg")
        if not self.wall_sit_60_s:
            missing.append("a 60 s wall sit")
        if self.check_pain > ENTRY_MAX_PAIN:
            missing.append(
                f"pain during the checks {self.check_pain}/10 (needs {ENTRY_MAX_PAIN} or less)"
            )
        return missing

    @property
    def passed(self) -> bool:
        return not self.unmet()


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
