"""Running on one's own before the walk/run ladder: a runner who still runs (the intake's
"I am still running", or runs imported lately) while the programme is in settle, strengthen or
build has their runs judged by the pain-monitoring model and the load rules, and is told what
to do about running, with the reasons.

Each run is judged by how the knee answered it:

- **over** (PMM-1): pain during above the runner's limit (the settle phase's stricter one there);
- **sharp** (PMM-SHARP): sharp pain during it, from a hand-logged run;
- **worse** (PMM-2, PMM-4): the next morning (the run's own next-morning answer, the morning
  check-in, the worse of the two) swollen, or worse than the usual morning (the median of the
  week's check-ins before it) by the runner's meaningful change; with no usual morning known,
  worse than the pain during the run by that change, or above the limit;
- **slow** (PMM-4): the next morning above the usual (or the pain during) by less than that;
- **settled** (PMM-2): within the limit during and the next morning back to the usual;
- **waiting** / **unanswered**: the next morning, or the pain during, not answered yet.

The advice: the latest answered run decides (PMM-4): settled, keep running at about that load
on level ground, never more than LOAD-SPIKE's step in a week; slow, hold the load; over, sharp
or worse, cut back (shorter, flatter, fewer: downhills first, R2). Two such runs within
`RUN_PAUSE_DAYS` (KC-RUN-PAUSE) pause running until the run check (RTR-ENTRY) and the walk/run
ladder. Pure: the profile, the phase, the runs, logs and check-ins, and today in; the advice out.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kneecap.core import rtr, rules
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.phases import Phase
from kneecap.core.profile import Profile
from kneecap.core.rulebook import Rule, say
from kneecap.core.running import RunRecord, cadence_target
from kneecap.core.screening import Reason

BEFORE_THE_LADDER = (Phase.SETTLE, Phase.STRENGTHEN, Phase.BUILD)
USUAL_MORNING_DAYS = 7  # the usual morning: the check-ins of the week before (as the engine)


class Verdict(StrEnum):
    SETTLED = "settled"
    SLOW = "slow"
    OVER = "over"
    SHARP = "sharp"
    WORSE = "worse"
    WAITING = "waiting"  # pain during answered, the next morning not yet
    UNANSWERED = "unanswered"  # no pain during answered


BAD = frozenset({Verdict.OVER, Verdict.SHARP, Verdict.WORSE})
UNJUDGED = frozenset({Verdict.WAITING, Verdict.UNANSWERED})


class Advice(StrEnum):
    CONTINUE = "continue"  # keep running at about this load, on level ground
    HOLD = "hold"  # keep the load, add nothing
    CUT_BACK = "cut_back"  # shorter, flatter, fewer
    PAUSE = "pause"  # stop running; back through the run check and the ladder
    ANSWER = "answer"  # nothing answered yet: say how the runs went


@dataclass(frozen=True)
class OwnRun:
    """One run as this rule sees it: an imported run (with a hand-logged run of that day for
    its pain and sharpness), or a hand-logged run alone."""

    date: dt.date
    distance_km: float | None
    pain_during: int | None
    sharp: bool
    next_morning: int | None  # the worse of the run's own answer and the next check-in
    swollen_next_morning: bool
    usual: float | None  # the usual morning before it
    downhill_m: float | None


@dataclass(frozen=True)
class JudgedRun:
    run: OwnRun
    verdict: Verdict
    reason: Reason

    def to_dict(self) -> dict[str, Any]:
        r = self.run
        return {
            "date": r.date.isoformat(),
            "distance_km": None if r.distance_km is None else round(r.distance_km, 2),
            "pain_during": r.pain_during,
            "sharp": r.sharp,
            "next_morning": r.next_morning,
            "usual_morning": None if r.usual is None else round(r.usual, 1),
            "downhill_m": None if r.downhill_m is None else round(r.downhill_m),
            "verdict": self.verdict.value,
            "rule": self.reason.rule,
            "text": self.reason.text,
        }


@dataclass(frozen=True)
class RunningAdvice:
    """What a runner who runs on their own is told about running, with its reasons."""

    advice: Advice
    headline: str
    rule: str
    reasons: tuple[Reason, ...]
    runs: tuple[JudgedRun, ...]  # the runs of the last `RUN_PAUSE_DAYS`, newest first
    limit: int  # the pain limit during a run (PMM-1) in this phase
    phase: Phase

    @property
    def note(self) -> Reason:
        """The advice as one plan note."""
        return Reason(self.rule, self.headline)

    def to_dict(self) -> dict[str, Any]:
        return {
            "advice": self.advice.value,
            "headline": self.headline,
            "rule": self.rule,
            "reasons": [{"rule": r.rule, "text": r.text} for r in self.reasons],
            "limit": self.limit,
            "phase": self.phase.value,
            "runs": [j.to_dict() for j in self.runs],
        }


def own_runs(
    runs: list[RunRecord] | tuple[RunRecord, ...],
    sessions: list[SessionLog] | tuple[SessionLog, ...],
    checkins: list[CheckIn] | tuple[CheckIn, ...],
    first: dt.date,
    today: dt.date,
) -> list[OwnRun]:
    """The runs from `first` to `today`, oldest first, each with its next morning and the
    usual morning before it."""
    logged: dict[dt.date, list[Any]] = {}
    for s in sessions:
        if first <= s.date <= today:
            logged.setdefault(s.date, []).extend(e for e in s.entries if e.exercise == "running")
    imported = sorted(
        (r for r in runs if r.is_run and first <= r.date <= today), key=lambda r: r.start
    )
    out: list[OwnRun] = []
    days_with_files = {r.date for r in imported}
    for r in imported:
        entries = logged.get(r.date, [])
        during = r.pain_during
        if during is None:
            during = _worst([e.pain_during for e in entries])
        out.append(
            _own(
                r.date,
                r.summary.distance_m / 1000,
                during,
                any(e.sharp for e in entries),
                r.pain_next_morning,
                r.summary.downhill_m,
                checkins,
            )
        )
    for day, entries in logged.items():
        if day in days_with_files or not entries:
            continue
        distances = [e.distance_km for e in entries if e.distance_km is not None]
        out.append(
            _own(
                day,
                sum(distances) if distances else None,
                _worst([e.pain_during for e in entries]),
                any(e.sharp for e in entries),
                None,
                None,
                checkins,
            )
        )
    return sorted(out, key=lambda o: o.date)


def _own(
    day: dt.date,
    km: float | None,
    during: int | None,
    sharp: bool,
    answered_next: int | None,
    downhill_m: float | None,
    checkins: list[CheckIn] | tuple[CheckIn, ...],
) -> OwnRun:
    after = next((c for c in checkins if c.date == day + dt.timedelta(days=1)), None)
    next_morning = _worst([answered_next, None if after is None else after.morning_pain])
    usual = [
        c.morning_pain for c in checkins if 0 <= (day - c.date).days < USUAL_MORNING_DAYS
    ]  # the week up to the run's own morning: the engine's baseline for the next morning
    return OwnRun(
        date=day,
        distance_km=km,
        pain_during=during,
        sharp=sharp,
        next_morning=next_morning,
        swollen_next_morning=after is not None and after.swelling,
        usual=statistics.median(usual) if usual else None,
        downhill_m=downhill_m,
    )


def _worst(values: list[int | None]) -> int | None:
    answered = [v for v in values if v is not None]
    return max(answered) if answered else None


def judge(run: OwnRun, limit: int, margin: int, settle: bool) -> JudgedRun:
    """One run by the pain-monitoring model: PMM-SHARP, PMM-1 during, then the next morning
    (PMM-2) against the usual morning, or the pain during when no usual morning is known."""
    on = f"Your run of {run.date.isoformat()}"
    where = " in the settle phase" if settle else ""
    if run.sharp:
        return JudgedRun(
            run,
            Verdict.SHARP,
            Reason(Rule.PMM_SHARP, f"{on} brought sharp pain: sharp pain is never run through."),
        )
    if run.pain_during is not None and run.pain_during > limit:
        return JudgedRun(
            run,
            Verdict.OVER,
            Reason(
                Rule.PMM_1,
                f"{on} hurt {run.pain_during}/10 during, above your limit of {limit}/10{where}.",
            ),
        )
    nxt, usual, during = run.next_morning, run.usual, run.pain_during
    morning = f"The morning after your run of {run.date.isoformat()}"
    if run.swollen_next_morning:
        return JudgedRun(run, Verdict.WORSE, Reason(Rule.PMM_2, f"{morning} the knee was swollen."))
    if nxt is not None:
        if usual is not None:
            ref, against = usual, f"{usual:g}/10 on a usual morning"
        elif during is not None:
            ref, against = float(during), f"{during}/10 during the run"
        else:
            ref, against = None, ""
        if ref is not None and nxt >= ref + margin:
            return JudgedRun(
                run,
                Verdict.WORSE,
                Reason(
                    Rule.PMM_2,
                    f"{morning} the knee was {nxt}/10 against {against}: worse, not settled.",
                ),
            )
        if ref is None and nxt > limit:
            return JudgedRun(
                run,
                Verdict.WORSE,
                Reason(
                    Rule.PMM_2,
                    f"{morning} the knee was {nxt}/10, above your limit of {limit}/10: "
                    "not settled.",
                ),
            )
    if during is None:
        return JudgedRun(
            run,
            Verdict.UNANSWERED,
            Reason(
                Rule.PMM_4,
                f"{on}: answer how the knee felt during it and the next morning, on the run's "
                "page or in the morning check-in: that decides the next step.",
            ),
        )
    if nxt is None:
        return JudgedRun(
            run,
            Verdict.WAITING,
            Reason(
                Rule.PMM_2,
                f"{on}: {during}/10 during, within your limit of {limit}/10. The next morning "
                "decides: answer it on the run's page or in the morning check-in.",
            ),
        )
    if nxt > (usual if usual is not None else during):
        return JudgedRun(
            run,
            Verdict.SLOW,
            Reason(
                Rule.PMM_4,
                f"{morning} the knee was {nxt}/10 against {against}: a little slower to settle.",
            ),
        )
    return JudgedRun(
        run,
        Verdict.SETTLED,
        Reason(
            Rule.PMM_2,
            f"{on}: {during}/10 during, within your limit of {limit}/10, and {nxt}/10 the next "
            "morning: settled.",
        ),
    )


def runs_on_their_own(
    profile: Profile, phase: Phase, runs: list[RunRecord] | tuple[RunRecord, ...], today: dt.date
) -> bool:
    """Before the ladder, does the runner run on their own: they said so at the intake, or runs
    were imported in the last `RUN_PAUSE_DAYS`?"""
    if phase not in BEFORE_THE_LADDER:
        return False
    first = today - dt.timedelta(days=rules.RUN_PAUSE_DAYS - 1)
    recent = any(r.is_run and first <= r.date <= today for r in runs)
    return profile.running.currently_running or recent


def advise(
    profile: Profile,
    phase: Phase,
    runs: list[RunRecord] | tuple[RunRecord, ...],
    sessions: list[SessionLog] | tuple[SessionLog, ...],
    checkins: list[CheckIn] | tuple[CheckIn, ...],
    today: dt.date,
) -> RunningAdvice | None:
    """The advice for a runner who runs on their own before the ladder, or None for anyone
    else (not running, on the ladder or past it)."""
    if not runs_on_their_own(profile, phase, runs, today):
        return None
    limit = profile.limit_in(phase)
    margin = profile.limits.meaningful_change
    settle = phase is Phase.SETTLE
    window = dt.timedelta(days=rules.RUN_PAUSE_DAYS)
    since = min(profile.start_date, today - window)
    judged = [
        judge(o, limit, margin, settle) for o in own_runs(runs, sessions, checkins, since, today)
    ]
    recent = [j for j in judged if today - j.run.date < window]
    bad_pair = _two_bad_within(judged, window, profile.start_date)
    reasons: list[Reason] = []
    if bad_pair is not None:
        advice = Advice.PAUSE
        rule: str = Rule.KC_RUN_PAUSE
        first, second = bad_pair
        headline = say(
            f"Pause running: your runs of {first.run.date.isoformat()} and "
            f"{second.run.date.isoformat()} both went beyond what the knee tolerates, "
            "$RUN_PAUSE_BAD_RUNS within $RUN_PAUSE_DAYS. Keep up the strength work; running "
            "comes back through the run check and the walk/run ladder."
        )
        reasons += [first.reason, second.reason]
    else:
        answered = [j for j in recent if j.verdict not in UNJUDGED]
        latest = answered[-1] if answered else None
        advice, rule, headline = _decide(latest, limit, settle)
        reasons += [j.reason for j in recent if j.verdict in BAD and j is not latest]
        if latest is not None:
            reasons.append(latest.reason)
    if recent and recent[-1].verdict in UNJUDGED and recent[-1].reason not in reasons:
        reasons.append(recent[-1].reason)
    reasons.append(_limit_reason(limit, settle))
    reasons.append(_downhill_reason(recent))
    reasons += _load_reasons(advice, recent, profile, today)
    reasons += _after_reasons(advice, runs)
    return RunningAdvice(
        advice,
        headline,
        rule,
        tuple(reasons),
        tuple(reversed(recent)),
        limit,
        phase,
    )


def _two_bad_within(
    judged: list[JudgedRun], window: dt.timedelta, start: dt.date
) -> tuple[JudgedRun, JudgedRun] | None:
    """The latest two runs the knee did not tolerate within `window` of each other, on or
    after the programme's start: the pause stands until the ladder (the run check) takes over."""
    bad = [j for j in judged if j.verdict in BAD and j.run.date >= start]
    for later, earlier in zip(reversed(bad), list(reversed(bad))[1:], strict=False):
        if later.run.date - earlier.run.date < window:
            return earlier, later
    return None


def _decide(latest: JudgedRun | None, limit: int, settle: bool) -> tuple[Advice, str, str]:
    if latest is None:
        return (
            Advice.ANSWER,
            Rule.PMM_4,
            f"You run on your own: keep pain during a run at {limit}/10 or less, make sure it "
            "settles by the next morning, and tell Kneecap how each run went (during, and the "
            "next morning): the next morning decides what running does next.",
        )
    on = latest.run.date.isoformat()
    if latest.verdict in BAD:
        return (
            Advice.CUT_BACK,
            Rule.PMM_4,
            say(
                f"Cut back your running after the run of {on}: shorter, flatter and fewer runs, "
                "the downhills first, until a run stays within your limit and the knee settles "
                "by the next morning. If it happens again within $RUN_PAUSE_DAYS, pause running "
                "until the run check."
            ),
        )
    if latest.verdict is Verdict.SLOW:
        return (
            Advice.HOLD,
            Rule.PMM_4,
            f"Keep running at the load of your run of {on}, on level ground, and add nothing: "
            "the knee was a little slower to settle the morning after.",
        )
    return (
        Advice.CONTINUE,
        Rule.PMM_4,
        f"You may keep running at about this load, on level ground: your run of {on} stayed "
        f"within your limit of {limit}/10{' (the settle phase)' if settle else ''} and the "
        "knee settled by the next morning.",
    )


def _limit_reason(limit: int, settle: bool) -> Reason:
    return Reason(
        Rule.PMM_1,
        f"During a run keep knee pain at {limit}/10 or less"
        + (" while the knee settles (the settle phase's limit)" if settle else "")
        + "; pain after may reach it too, but must settle by the next morning (PMM-2).",
    )


def _downhill_reason(recent: list[JudgedRun]) -> Reason:
    hilly = [j for j in recent if (j.run.downhill_m or 0.0) > rtr.MAX_DOWNHILL_M]
    if hilly:
        j = hilly[-1]
        return Reason(
            Rule.LOAD_DOWNHILL,
            f"Your run of {j.run.date.isoformat()} went {j.run.downhill_m:.0f} m downhill"
            + say(
                " (more than $MAX_DOWNHILL_M m is not level ground): downhill running loads the "
                "front of the knee most, so cut the downhills first and keep to level routes "
                "(R2)."
            ),
        )
    return Reason(
        Rule.LOAD_DOWNHILL,
        "Keep to level routes: downhill running loads the front of the knee most and is the "
        "first thing to cut (R2).",
    )


def _load_reasons(
    advice: Advice, recent: list[JudgedRun], profile: Profile, today: dt.date
) -> list[Reason]:
    """LOAD-SPIKE: the last week against the week before, and how much a week may grow."""
    if advice in (Advice.PAUSE, Advice.CUT_BACK):
        return []
    week = dt.timedelta(days=7)
    this = sum(j.run.distance_km or 0.0 for j in recent if today - j.run.date < week)
    before = sum(j.run.distance_km or 0.0 for j in recent if today - j.run.date >= week)
    if before > 0 and this > before * (1 + rules.LOAD_SPIKE_PCT / 100):
        return [
            Reason(
                Rule.LOAD_SPIKE,
                f"In the last week you ran {this:.1f} km against {before:.1f} km the week "
                + say(
                    "before: more than $LOAD_SPIKE_PCT more. Hold the distance there; jumps like "
                    "that are linked to knee injuries."
                ),
            )
        ]
    if advice is Advice.HOLD:
        return []
    now = (
        f"In the last week you ran {this:.1f} km. "
        if this > 0
        else (
            f"You said you run about {profile.running.weekly_km:g} km a week. "
            if profile.running.weekly_km
            else ""
        )
    )
    return [
        Reason(
            Rule.LOAD_SPIKE,
            now
            + say(
                "Add distance only while runs keep settling, and never more than "
                "$LOAD_SPIKE_PCT over the week before."
            ),
        )
    ]


def _after_reasons(advice: Advice, runs: list[RunRecord] | tuple[RunRecord, ...]) -> list[Reason]:
    if advice is Advice.PAUSE:
        return [
            Reason(
                Rule.R2,
                "Rest from running is not rest from everything: keep the strength sessions and "
                "low-impact cardio going while running pauses.",
            ),
            Reason(
                Rule.RTR_ENTRY,
                say(
                    "Running comes back through the run check: daily pain at $ENTRY_MAX_PAIN or "
                    "less, a brisk walk without pain or a limp, no swelling and the strength "
                    "tests; then the walk/run ladder on level ground (RTR-LADDER)."
                ),
            ),
        ]
    target = cadence_target(list(runs))
    if target is None:
        return []
    step = (
        say("$CADENCE_FIRST_STEP")
        if target.step_pct == round(rules.CADENCE_FIRST_STEP * 100)
        else say("$CADENCE_MAX_STEP")
    )
    return [
        Reason(
            Rule.CAD_1,
            f"Your cadence is about {target.current:.0f} steps a minute: aim for about "
            f"{target.target:.0f}, {step} above your own, with slightly shorter, quicker steps: "
            "they ease the load on the kneecap.",
        )
    ]
