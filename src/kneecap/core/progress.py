"""Progress: weekly pain trends, adherence, and what the next phase needs.

Pure: computed from the profile, the logged history, the engine's status and `today`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from kneecap.core import criteria
from kneecap.core.catalogue import Catalogue
from kneecap.core.criteria import Facts, NextPhase
from kneecap.core.engine import Status
from kneecap.core.history import CheckIn, SessionLog
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
    # Grouped once by week, so the cost grows with the records, not weeks times records.
    checkins_by: dict[dt.date, list[CheckIn]] = {}
    for c in checkins:
        checkins_by.setdefault(_monday(c.date), []).append(c)
    sessions_by: dict[dt.date, list[SessionLog]] = {}
    for s in sessions:
        sessions_by.setdefault(_monday(s.date), []).append(s)
    planned_by: dict[dt.date, dict[dt.date, int]] = {}
    for d in plan.days:
        if d.date <= today:
            planned_by.setdefault(_monday(d.date), {})[d.date] = len(d.sessions)
    out: list[Week] = []
    monday = first
    while monday <= today:
        cs = checkins_by.get(monday, [])
        ss = sessions_by.get(monday, [])
        readings = [r for c in cs for r in c.readings()] + [
            s.pain_after for s in ss if s.pain_after is not None
        ]
        during = [e.pain_during for s in ss for e in s.entries]
        stiff = [c.stiffness for c in cs if c.stiffness is not None]
        planned = planned_by.get(monday, {})
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


def facts_of(
    status: Status,
    sessions: tuple[SessionLog, ...],
    checkins: tuple[CheckIn, ...],
    today: dt.date,
) -> Facts:
    """The engine's final state as the phase criteria read it."""
    return Facts(
        phase=status.phase,
        phase_since=status.phase_since or today,
        tracks=status.tracks,
        flares=status.flares,
        checkins=checkins,
        sessions=[s for s in sessions if any(e.exercise != "running" for e in s.entries)],
        today=today,
        stage=status.stage,
        stage_passes=status.stage_passes,
        entry=status.entry,
    )


def next_phase(
    status: Status,
    catalogue: Catalogue,
    sessions: tuple[SessionLog, ...],
    checkins: tuple[CheckIn, ...],
    today: dt.date,
) -> NextPhase:
    """The next phase's entry criteria as of `today`: the very list the engine moves on
    (`core.criteria`), judged on the engine's final state."""
    return criteria.next_phase(facts_of(status, sessions, checkins, today), catalogue)
