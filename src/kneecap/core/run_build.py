"""After the walk/run ladder: the weekly running target grows in explicit, capped steps
(RTR-RULES, LOAD-SPIKE). The engine closes each week with `close_week`; the planner spreads the
target over the week's runs.

- The first week back is the ladder's last stage on each of the ladder's run days.
- A week that went well (the target mostly run, pain during runs at 2/10 or less, no worse
  morning) earns the default step of +15% (inside the 10-20% a week that symptoms allow) but
  never more than 30% above what was actually run (LOAD-SPIKE).
- Pain 3-5 during a run, or a week mostly not run, holds the target; a flare (pain above the
  limit, sharp pain, swelling, a limp or a worse morning) steps it back down.
- Runs stay on non-consecutive days for the first four weeks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from kneecap.core import rtr, rules


@dataclass(frozen=True)
class RunTarget:
    week_start: dt.date  # the Monday of the week the target is for
    weekly_km: float
    runs_per_week: int
    spaced_until: dt.date  # runs on non-consecutive days until this day
    since: dt.date  # back to continuous running on this day

    @property
    def per_run_km(self) -> float:
        return round(self.weekly_km / self.runs_per_week, 1)

    def spaced(self, day: dt.date) -> bool:
        return day < self.spaced_until

    def to_dict(self) -> dict[str, object]:
        return {
            "week_start": self.week_start.isoformat(),
            "weekly_km": round(self.weekly_km, 1),
            "runs_per_week": self.runs_per_week,
            "per_run_km": self.per_run_km,
            "spaced_until": self.spaced_until.isoformat(),
        }


@dataclass(frozen=True)
class WeekRun:
    """A run of the week as the build sees it."""

    date: dt.date
    distance_km: float | None
    pain_during: int | None
    sharp: bool = False


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def first_target(day: dt.date) -> RunTarget:
    """The first week back: the ladder's last stage, as many times a week as on the ladder. The
    first week judged is the first whole one (the days before it run at the same distance)."""
    last = rtr.LADDER[-1]
    return RunTarget(
        week_start=monday(day + dt.timedelta(days=6)),
        weekly_km=round(last.total_km * rules.RTR_RUNS_PER_WEEK, 1),
        runs_per_week=rules.RTR_RUNS_PER_WEEK,
        spaced_until=day + dt.timedelta(weeks=rules.RUN_SPACED_WEEKS),
        since=day,
    )


@dataclass(frozen=True)
class WeekVerdict:
    target: RunTarget
    change: str  # "progress" | "hold" | "regress"
    reason: str


def close_week(
    target: RunTarget, runs: list[WeekRun], flared: bool, pain_limit: int
) -> WeekVerdict:
    """Judge the week `target` was for and set the next week's target."""
    ran = sum(r.distance_km or 0.0 for r in runs)
    nxt = monday(target.week_start + dt.timedelta(days=7))
    pains = [r.pain_during for r in runs if r.pain_during is not None]
    worst = max(pains) if pains else None
    goal = target.weekly_km
    if flared or any(r.sharp for r in runs) or (worst is not None and worst > pain_limit):
        lower = max(first_target(target.since).weekly_km, goal / (1 + rules.RUN_BUILD_STEP))
        why = (
            "sharp pain on a run"
            if any(r.sharp for r in runs)
            else f"pain {worst}/10 during a run"
            if worst is not None and worst > pain_limit
            else "a flare-up after running"
        )
        return WeekVerdict(
            replace(target, week_start=nxt, weekly_km=round(lower, 1)),
            "regress",
            f"Week of {target.week_start.isoformat()}: {why}, so next week's running steps back "
            f"from {goal:.1f} to {lower:.1f} km.",
        )
    if ran < rules.RUN_BUILD_DONE_SHARE * goal:
        return WeekVerdict(
            replace(target, week_start=nxt),
            "hold",
            f"Week of {target.week_start.isoformat()}: {ran:.1f} of {goal:.1f} km run, so the "
            f"target stays at {goal:.1f} km until a week is mostly run.",
        )
    if worst is not None and worst > rtr.PASS_MAX_PAIN:
        return WeekVerdict(
            replace(target, week_start=nxt),
            "hold",
            f"Week of {target.week_start.isoformat()}: pain up to {worst}/10 during runs (more "
            f"than {rtr.PASS_MAX_PAIN}/10), so the target stays at {goal:.1f} km.",
        )
    step = goal * (1 + rules.RUN_BUILD_STEP)
    cap = ran * (1 + rules.LOAD_SPIKE_PCT / 100)
    new = round(min(step, cap), 1)
    pct = round((new / goal - 1) * 100)
    return WeekVerdict(
        replace(target, week_start=nxt, weekly_km=new),
        "progress",
        f"Week of {target.week_start.isoformat()}: {ran:.1f} km run without trouble, so next "
        f"week's target is {new:.1f} km (+{pct}%: steps of about "
        f"{round(rules.RUN_BUILD_STEP * 100)}% a week, never over "
        f"{rules.LOAD_SPIKE_PCT:g}% above what you ran).",
    )
