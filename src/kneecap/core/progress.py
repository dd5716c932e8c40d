"""Progress: weekly pain trends, adherence, and what the next phase needs.

Pure: computed from the profile, the logged history, the engine's status and `today`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from kneecap.core import rtr, rules
from kneecap.core.catalogue import Catalogue
from kneecap.core.engine import Status
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.phases import Phase
from kneecap.core.planner import build_plan
from kneecap.core.profile import Profile
from kneecap.core.screening import Screening


@dataclass(frozen=True)
class Week:
    start: dt.date  # a Monday
    morning: float | None  # mean morning pain (NPRS)
    usual: float | None  # mean of every pain reading that week
    worst: int | None  # highest pain reading, including during exercise
    stiffness: float | None
    planned: int  # sessions in the plan
    done: int  # planned sessions done: on each day, at most as many as were planned
    extra: int  # sessions beyond the plan (more than planned that day, or on a free day)

    @property
    def adherence(self) -> float | None:
        return None if self.planned == 0 else min(1.0, self.done / self.planned)

    def sessions_text(self) -> str:
        """Done out of planned, extras said apart so the ratio never reads over 100%."""
        return f"{self.done}/{self.planned}" + (f" (+{self.extra} extra)" if self.extra else "")

    def to_dict(self) -> dict[str, object]:
        return {
            "week_start": self.start.isoformat(),
            "morning": self.morning,
            "usual": self.usual,
            "worst": self.worst,
            "stiffness": self.stiffness,
            "planned": self.planned,
            "done": self.done,
            "extra": self.extra,
            "adherence": self.adherence,
        }


@dataclass(frozen=True)
class Criterion:
    text: str
    met: bool


@dataclass(frozen=True)
class NextPhase:
    to: Phase | None
    criteria: tuple[Criterion, ...]


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def weeks(
    profile: Profile,
    catalogue: Catalogue,
    screening: Screening,
    status: Status,
    sessions: tuple[SessionLog, ...],
    checkins: tuple[CheckIn, ...],
    today: dt.date,
    last_weeks: int | None = None,
) -> list[Week]:
    """Week by week from the first record (or only the `last_weeks` up to this one)."""
    first = _monday(
        min([profile.start_date, *(s.date for s in sessions), *(c.date for c in checkins)])
    )
    if last_weeks is not None:
        first = max(first, _monday(today) - dt.timedelta(weeks=last_weeks - 1))
    plan = build_plan(profile, catalogue, screening, first, today, status=status)
    out: list[Week] = []
    monday = first
    while monday <= today:
        days = range(7)
        in_week = [monday + dt.timedelta(days=n) for n in days]
        cs = [c for c in checkins if c.date in in_week]
        ss = [s for s in sessions if s.date in in_week]
        readings = [r for c in cs for r in c.readings()] + [
            s.pain_after for s in ss if s.pain_after is not None
        ]
        during = [e.pain_during for s in ss for e in s.entries]
        stiff = [c.stiffness for c in cs if c.stiffness is not None]
        planned = {
            d.date: len(d.sessions) for d in plan.days if d.date in in_week and d.date <= today
        }
        logged = Counter(s.date for s in ss)
        out.append(
            Week(
                start=monday,
                morning=statistics.fmean(c.morning_pain for c in cs) if cs else None,
                usual=statistics.fmean(readings) if readings else None,
                worst=max(readings + during) if readings or during else None,
                stiffness=statistics.fmean(stiff) if stiff else None,
                planned=sum(planned.values()),
                done=sum(min(n, planned.get(d, 0)) for d, n in logged.items()),
                extra=sum(max(0, n - planned.get(d, 0)) for d, n in logged.items()),
            )
        )
        monday += dt.timedelta(days=7)
    return out


def next_phase(
    status: Status,
    catalogue: Catalogue,
    sessions: tuple[SessionLog, ...],
    checkins: tuple[CheckIn, ...],
    today: dt.date,
) -> NextPhase:
    """The entry criteria of the next phase, each marked met or not as of `today`."""

    def readings(days: int) -> list[int]:
        values = [r for c in checkins if 0 <= (today - c.date).days < days for r in c.readings()]
        for s in sessions:
            if 0 <= (today - s.date).days < days:
                values += [e.pain_during for e in s.entries]
                values += [s.pain_after] if s.pain_after is not None else []
        return values

    if status.phase is Phase.SETTLE:
        week = readings(rules.SETTLE_EXIT_DAYS)
        count = sum(1 for c in checkins if 0 <= (today - c.date).days < rules.SETTLE_EXIT_DAYS)
        return NextPhase(
            Phase.STRENGTHEN,
            (
                Criterion(
                    f"Worst pain {rules.SETTLE_EXIT_MAX_PAIN}/10 or less for a week (now: "
                    f"{max(week) if week else 'no data'})",
                    bool(week) and max(week) <= rules.SETTLE_EXIT_MAX_PAIN,
                ),
                Criterion(
                    f"At least {rules.SETTLE_EXIT_MIN_CHECKINS} morning check-ins in the last 7 days (now: {count})",
                    count >= rules.SETTLE_EXIT_MIN_CHECKINS,
                ),
                Criterion("No flare-up in the last two weeks", not _recent_flare(status, today)),
            ),
        )
    if status.phase is Phase.STRENGTHEN:
        two_weeks = readings(rules.BUILD_ENTRY_DAYS)
        criteria = [
            Criterion(
                f"{catalogue[name].name} at the top of its range for two weeks",
                (t := status.tracks.get(name)) is not None
                and t.top_since is not None
                and (today - t.top_since).days >= rules.BUILD_ENTRY_DAYS,
            )
            for name in rules.CORE_SET
        ]
        criteria.append(
            Criterion(
                f"Pain {rules.BUILD_ENTRY_MAX_PAIN}/10 or less for two weeks (now: "
                f"{max(two_weeks) if two_weeks else 'no data'})",
                bool(two_weeks) and max(two_weeks) <= rules.BUILD_ENTRY_MAX_PAIN,
            )
        )
        return NextPhase(Phase.BUILD, tuple(criteria))
    if status.phase is Phase.BUILD:
        return NextPhase(
            Phase.RETURN_TO_RUN,
            (
                Criterion(
                    "Daily-life pain 2/10 or less (RTR-ENTRY)",
                    bool(readings(7)) and max(readings(7)) <= 2,
                ),
                Criterion(
                    "The return-to-run entry check passed: brisk 30-minute walk, step-downs, "
                    "balance, wall sit, no swelling ('kneecap rtr check', RTR-ENTRY)"
                    + (
                        f" (last check {status.entry.date.isoformat()}: still needed "
                        + "; ".join(status.entry.unmet())
                        + ")"
                        if status.entry is not None and not status.entry.passed
                        else ""
                    ),
                    False,
                ),
            ),
        )
    if status.phase is Phase.RETURN_TO_RUN:
        at = rtr.stage(status.stage or 1)
        return NextPhase(
            Phase.MAINTAIN,
            (
                Criterion(
                    f"Walk/run ladder at {at.text()}; {status.stage_passes} of "
                    f"{rtr.PASSES_TO_ADVANCE} passes at this stage (RTR-LADDER)",
                    False,
                ),
                Criterion(
                    f"Stage {len(rtr.LADDER)} (continuous running) passed twice (RTR-RULES)",
                    False,
                ),
            ),
        )
    return NextPhase(None, ())


def _recent_flare(status: Status, today: dt.date) -> bool:
    return any(
        d.action.value == "regress"
        and d.rule in ("PMM-2", "PMM-4")
        and (today - d.date).days < rules.FLARE_WINDOW_DAYS
        for d in status.decisions
    )
