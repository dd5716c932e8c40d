"""What moves a runner on to the next phase: each criterion, met or not, with the figures behind
it and what to do about it. The engine moves the runner when every criterion is met, and the
progress view shows the same list, so the two can never disagree.

Pure: everything is passed in, including `today`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kneecap.core import rtr, rules
from kneecap.core.catalogue import Catalogue
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.phases import Phase
from kneecap.core.rulebook import Rule, say
from kneecap.core.symptoms import window


class TrackView(Protocol):
    """What the criteria read of an exercise the runner is doing (the engine's track)."""

    @property
    def root(self) -> str: ...
    @property
    def exercise(self) -> str: ...
    @property
    def stopped(self) -> bool: ...
    @property
    def top_since(self) -> dt.date | None: ...


@dataclass(frozen=True)
class Criterion:
    key: str  # stable id, e.g. "rtr_entry.pain"
    rule: str
    text: str  # what is needed, with the current figures
    met: bool
    todo: str = ""  # what to do about it while unmet

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "criterion": self.text,
            "text": self.text,  # the progress view's name for it
            "rule": str(self.rule),  # the id itself, also for a Rule member
            "met": self.met,
            "reason": self.todo if not self.met else "",
        }


@dataclass(frozen=True)
class NextPhase:
    to: Phase | None
    criteria: tuple[Criterion, ...]

    @property
    def ready(self) -> bool:
        return self.to is not None and all(c.met for c in self.criteria)

    @property
    def unmet(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if not c.met)


@dataclass(frozen=True)
class Facts:
    """The state the criteria are judged on, as of `today`."""

    phase: Phase
    phase_since: dt.date
    tracks: Mapping[str, TrackView]
    flares: Sequence[dt.date]  # one date per flare-up event
    checkins: Sequence[CheckIn]  # in date order
    sessions: Sequence[SessionLog]  # in date order
    today: dt.date
    stage: int | None = None
    stage_passes: int = 0
    entry: rtr.EntryCheck | None = None  # the entry check being judged, or the latest one

    @property
    def days_in_phase(self) -> int:
        return (self.today - self.phase_since).days

    def flares_within(self, days: int) -> list[dt.date]:
        return [f for f in self.flares if 0 <= (self.today - f).days < days]


def next_phase(facts: Facts, catalogue: Catalogue) -> NextPhase:
    """The next phase and its entry criteria, each met or not as of `facts.today`."""
    if facts.phase is Phase.SETTLE:
        return NextPhase(Phase.STRENGTHEN, _settle_exit(facts))
    if facts.phase is Phase.STRENGTHEN:
        return NextPhase(Phase.BUILD, _build_entry(facts, catalogue))
    if facts.phase is Phase.BUILD:
        return NextPhase(Phase.RETURN_TO_RUN, rtr_entry(facts))
    if facts.phase is Phase.RETURN_TO_RUN:
        return NextPhase(Phase.MAINTAIN, _ladder_done(facts))
    return NextPhase(None, ())


def _no_flare(facts: Facts, rule: str) -> Criterion:
    recent = facts.flares_within(rules.FLARE_WINDOW_DAYS)
    return Criterion(
        "no_flare",
        rule,
        say("No flare-up in the last $FLARE_WINDOW_DAYS")
        + (f" (last: {max(recent).isoformat()})" if recent else ""),
        not recent,
        say("Keep the doses where they are until $FLARE_WINDOW_DAYS pass without a flare-up."),
    )


def _days_in_phase(facts: Facts, days: int, rule: str) -> Criterion:
    return Criterion(
        "time_in_phase",
        rule,
        f"At least {days} days in the {facts.phase.label.lower()} phase "
        f"(now: {max(0, facts.days_in_phase)})",
        facts.days_in_phase >= days,
        "Give the knee time to adapt to this phase's load.",
    )


def _pain_over(facts: Facts, days: int, max_pain: int, rule: str, key: str) -> Criterion:
    w = window(facts.checkins, facts.sessions, facts.today, days)
    worst = w.worst
    count = len(w.checkins)
    if worst is None:
        now = "no readings"
    elif w.covered:
        now = f"worst {worst}/10 over {count} check-in{'s' if count != 1 else ''}"
    else:  # the pain may be low enough, but the readings do not cover the window yet
        now = (
            f"worst {worst}/10, but {count} check-in{'s do' if count != 1 else ' does'} not "
            f"yet cover the {days} days"
        )
    return Criterion(
        key,
        rule,
        f"Pain {max_pain}/10 or less over the last {days} days, with morning check-ins on at "
        f"least half of them (now: {now})",
        w.at_most(max_pain),
        "Log the morning check-in every day; the window needs readings across it."
        if not w.covered
        else f"Wait until every reading of {days} days is {max_pain}/10 or less.",
    )


def _settle_exit(facts: Facts) -> tuple[Criterion, ...]:
    w = window(facts.checkins, facts.sessions, facts.today, rules.SETTLE_EXIT_DAYS)
    worst = w.worst
    rule = rules.PHASE_SETTLE_EXIT
    return (
        _days_in_phase(facts, rules.SETTLE_EXIT_DAYS, rule),
        Criterion(
            "settle.worst_pain",
            rule,
            f"Worst pain {rules.SETTLE_EXIT_MAX_PAIN}/10 or less over the last "
            f"{rules.SETTLE_EXIT_DAYS} days (now: "
            f"{f'{worst}/10' if worst is not None else 'no readings'})",
            worst is not None and worst <= rules.SETTLE_EXIT_MAX_PAIN,
            "Keep to the gentle settle work; pain needs to come down first.",
        ),
        Criterion(
            "settle.checkins",
            rule,
            f"At least {rules.SETTLE_EXIT_MIN_CHECKINS} morning check-ins in the last "
            f"{rules.SETTLE_EXIT_DAYS} days (now: {len(w.checkins)})",
            len(w.checkins) >= rules.SETTLE_EXIT_MIN_CHECKINS,
            "Log the morning check-in every day.",
        ),
        _no_flare(facts, rule),
    )


def core_tracks(facts: Facts) -> list[TrackView]:
    """The core exercises the runner is actually doing (their own plan's choices)."""
    return [
        t
        for root, t in sorted(facts.tracks.items())
        if root in rules.CORE_SET_CHOICES and not t.stopped
    ]


def _build_entry(facts: Facts, catalogue: Catalogue) -> tuple[Criterion, ...]:
    rule = rules.PHASE_BUILD_ENTRY
    core = core_tracks(facts)
    criteria = [
        _days_in_phase(facts, rules.BUILD_ENTRY_DAYS, rule),
        Criterion(
            "build.core_count",
            rule,
            f"At least {rules.CORE_EXERCISES_FOR_BUILD} of the core exercises in your sessions "
            f"(now: {len(core)})",
            len(core) >= rules.CORE_EXERCISES_FOR_BUILD,
            "Do the strength sessions as planned: each core exercise needs logging.",
        ),
    ]
    for t in core:
        name = catalogue[t.exercise].name if t.exercise in catalogue else t.exercise
        since = t.top_since
        held = (facts.today - since).days if since is not None else 0
        criteria.append(
            Criterion(
                f"build.top.{t.root}",
                rule,
                f"{name} at the top of its range for {rules.BUILD_ENTRY_DAYS} days "
                + (f"(since {since.isoformat()}: {held} days)" if since else "(not there yet)"),
                since is not None and held >= rules.BUILD_ENTRY_DAYS,
                say(
                    f"Keep progressing {name}: $SESSIONS_TO_PROGRESS settled sessions in a row "
                    "move it up a step."
                ),
            )
        )
    criteria.append(
        _pain_over(facts, rules.BUILD_ENTRY_DAYS, rules.BUILD_ENTRY_MAX_PAIN, rule, "build.pain")
    )
    criteria.append(_no_flare(facts, rule))
    return tuple(criteria)


def rtr_entry(facts: Facts) -> tuple[Criterion, ...]:
    """RTR-ENTRY read from the logged data and the entry check's own tests."""
    w = window(facts.checkins, facts.sessions, facts.today, rtr.ENTRY_DAYS)
    flares_since = [f for f in facts.flares if f >= facts.phase_since]
    build_sessions = [
        s
        for s in facts.sessions
        if facts.phase_since <= s.date <= facts.today
        and any(e.exercise != "running" for e in s.entries)
    ]
    in_build = facts.phase is Phase.BUILD
    tolerated = (
        in_build
        and facts.days_in_phase >= rules.ONE_NEW_LOAD_DAYS
        and len(build_sessions) >= rules.ONE_NEW_LOAD_SESSIONS
        and not flares_since
    )
    entry = facts.entry
    tests_unmet = entry.unmet() if entry is not None else []
    return (
        _pain_over(facts, rtr.ENTRY_DAYS, rtr.ENTRY_MAX_PAIN, Rule.RTR_ENTRY, "rtr_entry.pain"),
        Criterion(
            "rtr_entry.swelling_limp",
            Rule.RTR_ENTRY,
            f"No swelling or limp reported in the last {rtr.ENTRY_DAYS} days"
            + (" (swelling reported)" if w.swelling else "")
            + (" (a limp reported)" if w.limp else ""),
            not w.swelling and not w.limp,
            "Swelling or a limp means the knee is not ready to run: keep to the strength work "
            "and see a clinician if the swelling comes back.",
        ),
        Criterion(
            "rtr_entry.build",
            rules.ONE_NEW_LOAD,
            f"In the build phase for at least {rules.ONE_NEW_LOAD_DAYS} days, its sessions "
            f"(with the band work) done at least {rules.ONE_NEW_LOAD_SESSIONS} times and no "
            "flare-up (now: "
            + (
                f"{facts.days_in_phase} days, {len(build_sessions)} session(s)"
                + (f", {len(flares_since)} flare-up(s)" if flares_since else "")
                if in_build
                else f"{facts.phase.label.lower()} phase"
            )
            + ")",
            tolerated,
            "One new load at a time: the band work must settle before running starts."
            if in_build
            else "Running starts from the build phase, after the band work.",
        ),
        Criterion(
            "rtr_entry.tests",
            Rule.RTR_ENTRY,
            "The entry tests passed: brisk 30-minute walk, "
            f"{rtr.WALL_SIT.hold_s} s wall sit, {rtr.BALANCE.hold_s} s balance and "
            f"{rtr.STEP_DOWNS.reps} step-downs on each leg, pain {rtr.ENTRY_MAX_PAIN}/10 or less"
            + (
                f" (last check {entry.date.isoformat()}: still needed "
                + "; ".join(tests_unmet)
                + ")"
                if entry is not None and tests_unmet
                else ""
            ),
            entry is not None and not tests_unmet,
            "Do the entry check when the other criteria are met.",
        ),
    )


def _ladder_done(facts: Facts) -> tuple[Criterion, ...]:
    at = rtr.stage(facts.stage or 1)
    last = len(rtr.LADDER)
    return (
        Criterion(
            "ladder.stage",
            Rule.RTR_LADDER,
            f"Walk/run ladder at {at.text()}; {facts.stage_passes} of "
            f"{rtr.PASSES_TO_ADVANCE} passes at this stage",
            False,
            say(
                "Each stage passes $PASSES_TO_ADVANCE:times before the next: pain "
                "$PASS_MAX_PAIN or less during the run, settled by the next morning (RTR-RULES)."
            ),
        ),
        Criterion(
            "ladder.last",
            Rule.RTR_RULES,
            say(f"Stage {last} (continuous running) passed $PASSES_TO_ADVANCE:times"),
            False,
            "Log pain during each run and the morning check-in after it.",
        ),
    )
