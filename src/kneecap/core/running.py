"""Running load week by week (LOAD-SPIKE, LOAD-ACWR, LOAD-DOWNHILL), the cadence target (CAD-1)
and pain beside load. Pure: stored runs, check-ins and logs in; figures out.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from kneecap.core import rules
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.sport import Sport
from kneecap.core.summary import Summary


@dataclass(frozen=True)
class RunRecord:
    """A stored activity as the load and return-to-run rules see it."""

    id: int
    sport: Sport
    start: dt.datetime  # UTC
    date: dt.date  # the runner's local date
    source: str
    file: str
    summary: Summary
    sub_sport: str | None = None
    pain_during: int | None = None  # how the knee felt during it (0-10), as the runner answered
    pain_next_morning: int | None = None  # ... and the next morning

    @property
    def is_run(self) -> bool:
        return self.sport is Sport.RUNNING

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sport": self.sport.value,
            "sub_sport": self.sub_sport,
            "start": self.start.isoformat().replace("+00:00", "Z"),
            "date": self.date.isoformat(),
            **self.summary.to_dict(),
            "source": self.source,
            "file": self.file,
            "pain_during": self.pain_during,
            "pain_next_morning": self.pain_next_morning,
        }


@dataclass(frozen=True)
class Week:
    start: dt.date  # Monday
    runs: int
    distance_km: float
    time_s: float
    change_pct: float | None  # against the week before; None when that week had no running
    spike: bool  # LOAD-SPIKE
    downhill_km: float
    downhill_share: float | None
    long_run_km: float
    long_run_share: float | None
    acwr: float | None  # LOAD-ACWR, information only
    cadence_spm: float | None
    morning_pain: float | None  # mean of the week's check-ins
    run_pain: float | None  # mean pain during logged runs
    worse_after: tuple[int, ...]  # ids of runs followed by a worse morning

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.start.isoformat(),
            "runs": self.runs,
            "distance_km": round(self.distance_km, 2),
            "time_s": round(self.time_s),
            "change_pct": None if self.change_pct is None else round(self.change_pct, 1),
            "spike": self.spike,
            "downhill_km": round(self.downhill_km, 2),
            "downhill_share": _r(self.downhill_share, 3),
            "long_run_km": round(self.long_run_km, 2),
            "long_run_share": _r(self.long_run_share, 3),
            "acwr": _r(self.acwr, 2),
            "cadence_spm": _r(self.cadence_spm, 1),
            "morning_pain": _r(self.morning_pain, 1),
            "run_pain": _r(self.run_pain, 1),
            "worse_morning_after": list(self.worse_after),
        }


@dataclass(frozen=True)
class CadenceTarget:
    """CAD-1: +5% of the runner's own baseline first, then up to +10%."""

    baseline: float
    current: float
    target: float
    step_pct: int  # 5 or 10

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline_spm": round(self.baseline, 1),
            "current_spm": round(self.current, 1),
            "target_spm": round(self.target),
            "step_pct": self.step_pct,
            "rule": "CAD-1",
        }


def same_activity(
    start_a: dt.datetime, duration_a_s: float, start_b: dt.datetime, duration_b_s: float
) -> bool:
    """The same activity recorded in two files (a watch's FIT and its GPX export): starts within
    `rules.DUPLICATE_START_S` and durations within `rules.DUPLICATE_DURATION` of each other."""
    if abs((start_a - start_b).total_seconds()) > rules.DUPLICATE_START_S:
        return False
    longest = max(duration_a_s, duration_b_s, 1.0)
    return abs(duration_a_s - duration_b_s) <= rules.DUPLICATE_DURATION * longest


def copies(
    start_a: dt.datetime,
    duration_a_s: float,
    sport_a: Sport,
    start_b: dt.datetime,
    duration_b_s: float,
    sport_b: Sport,
) -> bool:
    """The same activity in two files, one of them maybe cut short (a copy made before the
    watch had finished writing it): `same_activity`, or starts within `rules.DUPLICATE_START_S`
    of each other with the same sport, where a cut-short file may have lost its sport ("other")."""
    if same_activity(start_a, duration_a_s, start_b, duration_b_s):
        return True
    if abs((start_a - start_b).total_seconds()) > rules.DUPLICATE_START_S:
        return False
    return sport_a == sport_b or Sport.OTHER in (sport_a, sport_b)


def fuller(duration_new_s: float, duration_stored_s: float) -> bool:
    """Does a new copy of a stored activity hold clearly more of it (so it replaces the stored
    one)? Within `rules.DUPLICATE_DURATION` they are the same recording: the first is kept."""
    return duration_new_s > duration_stored_s * (1 + rules.DUPLICATE_DURATION)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_load(
    runs: list[RunRecord],
    checkins: list[CheckIn],
    sessions: list[SessionLog],
    today: dt.date,
    weeks: int | None = None,
) -> list[Week]:
    """One row per week from the first run (or the last `weeks` weeks) to this week."""
    running = sorted((r for r in runs if r.is_run and r.date <= today), key=lambda r: r.start)
    if not running:
        return []
    first = history_start = monday(running[0].date)
    if weeks is not None:
        first = max(first, monday(today) - dt.timedelta(weeks=weeks - 1))
    worse = set(worse_morning_runs(running, checkins))
    by_week: dict[dt.date, list[RunRecord]] = {}
    for r in running:
        by_week.setdefault(monday(r.date), []).append(r)
    out: list[Week] = []
    start = first
    previous_km = _km(by_week.get(first - dt.timedelta(weeks=1), []))
    while start <= monday(today):
        week = by_week.get(start, [])
        km = _km(week)
        change = (km - previous_km) / previous_km * 100 if previous_km > 0 else None
        downhill = sum((r.summary.downhill_m or 0.0) for r in week) / 1000
        longest = max((r.summary.distance_m for r in week), default=0.0) / 1000
        chronic = [_km(by_week.get(start - dt.timedelta(weeks=i), [])) for i in range(4)]
        mean_chronic = statistics.fmean(chronic)
        end = start + dt.timedelta(days=6)
        out.append(
            Week(
                start=start,
                runs=len(week),
                distance_km=km,
                time_s=sum(r.summary.moving_time_s for r in week),
                change_pct=change,
                spike=change is not None and change > rules.LOAD_SPIKE_PCT,
                downhill_km=downhill,
                downhill_share=downhill / km if km else None,
                long_run_km=longest,
                long_run_share=longest / km if km else None,
                acwr=km / mean_chronic
                if mean_chronic > 0 and start - dt.timedelta(weeks=3) >= history_start
                else None,
                cadence_spm=_weighted_cadence(week),
                morning_pain=_mean(c.morning_pain for c in checkins if start <= c.date <= end),
                run_pain=_mean(
                    e.pain_during
                    for s in sessions
                    if start <= s.date <= end
                    for e in s.entries
                    if e.exercise == "running"
                ),
                worse_after=tuple(r.id for r in week if r.id in worse),
            )
        )
        previous_km = km
        start += dt.timedelta(weeks=1)
    return out


def worse_morning_runs(runs: list[RunRecord], checkins: list[CheckIn]) -> list[int]:
    """Runs after which the next morning's pain was higher than before the run."""
    by_date = {c.date: c for c in checkins}
    out = []
    for r in runs:
        after = by_date.get(r.date + dt.timedelta(days=1))
        before = morning_before(checkins, r.date)
        if after is not None and before is not None and after.morning_pain > before:
            out.append(r.id)
    return out


def morning_before(checkins: list[CheckIn], day: dt.date) -> int | None:
    """The morning pain on `day`, or the latest within three days before it."""
    recent = [c for c in checkins if 0 <= (day - c.date).days <= 3]
    return max(recent, key=lambda c: c.date).morning_pain if recent else None


def cadence_target(runs: list[RunRecord]) -> CadenceTarget | None:
    """CAD-1 from measured cadence: the baseline is the median of the first runs on record, the
    current the median of the latest; +5% until it is reached, then +10%."""
    measured = [
        r.summary.cadence_spm
        for r in sorted(runs, key=lambda r: r.start)
        if r.is_run and r.summary.cadence_spm
    ]
    if len(measured) < 1:
        return None
    baseline = statistics.median(measured[: rules.CADENCE_BASELINE_RUNS])
    current = statistics.median(measured[-rules.CADENCE_BASELINE_RUNS :])
    first = baseline * (1 + rules.CADENCE_FIRST_STEP)
    if current >= first - rules.CADENCE_TOLERANCE_SPM and len(measured) > 1:
        top = baseline * (1 + rules.CADENCE_MAX_STEP)
        return CadenceTarget(baseline, current, top, round(rules.CADENCE_MAX_STEP * 100))
    return CadenceTarget(baseline, current, first, round(rules.CADENCE_FIRST_STEP * 100))


def _km(runs: list[RunRecord]) -> float:
    return sum(r.summary.distance_m for r in runs) / 1000


def _weighted_cadence(runs: list[RunRecord]) -> float | None:
    pairs = [(r.summary.cadence_spm, r.summary.distance_m) for r in runs if r.summary.cadence_spm]
    total = sum(w for _, w in pairs)
    return sum(c * w for c, w in pairs) / total if total else None


def _mean(values: Any) -> float | None:
    got = list(values)
    return statistics.fmean(got) if got else None


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)
