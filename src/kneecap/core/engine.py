"""The progression engine: from the logged history to the next prescription of every exercise,
with every decision explained (CLINICAL PMM-1..4, PMM-SHARP; phase rules in docs/rules.md).

Pure: `decide(profile, catalogue, start_phase, sessions, checkins, today)` replays the history
in date order (a morning check-in before that day's session) and returns a `Status`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kneecap.core import rules
from kneecap.core.catalogue import Catalogue, Exercise
from kneecap.core.criteria import Criterion, Facts, next_phase, rtr_entry
from kneecap.core.dose_words import dose_text
from kneecap.core.history import CheckIn, Difficulty, Entry, SessionLog
from kneecap.core.ladder import ladder, position
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription, starting
from kneecap.core.profile import Equipment, Profile
from kneecap.core.rtr import (
    ENTRY_MAX_PAIN,
    LADDER,
    PASSES_TO_ADVANCE,
    EntryCheck,
    Judgement,
    LadderRun,
    Verdict,
    judge_morning,
    judge_run,
    stage,
)
from kneecap.core.run_build import RunTarget, WeekRun, close_week, first_target, monday
from kneecap.core.running import morning_before


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    SUBSTITUTE = "substitute"
    STOP = "stop"


@dataclass(frozen=True)
class Decision:
    date: dt.date
    exercise: str | None  # what the runner was doing; None: the whole programme (phases, PMM-3)
    action: Action
    rule: str
    reason: str
    from_dose: Prescription | None = None
    to_dose: Prescription | None = None
    to_exercise: str | None = None
    from_phase: Phase | None = None
    to_phase: Phase | None = None
    root: str | None = None  # the exercise the plan chose, when another is done in its place
    criteria: tuple[Criterion, ...] = ()  # a phase change: the criteria it was judged on


@dataclass(frozen=True)
class Track:
    """One planned exercise's state: what is done instead of it (if anything) and at what dose."""

    root: str  # the exercise the plan chose
    exercise: str  # what the runner does now (the root, an easier or a harder variant)
    dose: Prescription
    stopped: bool = False
    top_since: dt.date | None = None  # at the top of its range since this day


@dataclass(frozen=True)
class Status:
    phase: Phase
    tracks: dict[str, Track]
    decisions: tuple[Decision, ...]
    advice: tuple[str, ...] = ()
    holding: bool = False  # PMM-3: progression on hold while pain or stiffness rises
    stage: int | None = None  # the walk/run ladder's stage in the return-to-run phase
    stage_passes: int = 0
    entry: EntryCheck | None = None  # the latest return-to-run entry check
    phase_since: dt.date | None = None
    flares: tuple[dt.date, ...] = ()  # flare-up events in the current phase, one per bad day
    entry_criteria: tuple[Criterion, ...] = ()  # how the latest entry check was judged
    run_target: RunTarget | None = None  # after the ladder: this week's running (run_build)

    @property
    def came_through_ladder(self) -> bool:
        """Back to continuous running through the walk/run ladder (RTR-RULES)."""
        return any(d.rule == "RTR-RULES" and d.to_phase is Phase.MAINTAIN for d in self.decisions)

    def track_for(self, exercise_id: str) -> Track | None:
        return self.tracks.get(exercise_id)

    def latest(self, exercise_id: str) -> Decision | None:
        """The newest decision about the planned exercise `exercise_id` (or what replaced it)."""
        for d in reversed(self.decisions):
            if (d.root or d.exercise) == exercise_id:
                return d
        return None


RECENT = 3 * rules.BUILD_ENTRY_DAYS  # entries kept in view: more than any rule's look-back
RUNNING = "running"
_BAND_PHASES = (Phase.BUILD, Phase.RETURN_TO_RUN, Phase.MAINTAIN)
_PHASE_ORDER = list(Phase)


@dataclass
class _Run:
    """Mutable replay state; only `decide` sees it."""

    profile: Profile
    catalogue: Catalogue
    phase: Phase
    tracks: dict[str, _MutableTrack] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    sessions: list[SessionLog] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # roots awaiting tomorrow's check-in
    pending_breach: bool = False
    flares: list[dt.date] = field(default_factory=list)
    holding: bool = False
    last_gap_restart: dt.date | None = None
    phase_since: dt.date | None = None
    stage: int = 0  # 0: not on the ladder
    stage_passes: int = 0
    awaiting: list[tuple[LadderRun, Judgement | None, int | None]] = field(default_factory=list)
    entry: EntryCheck | None = None
    entry_criteria: tuple[Criterion, ...] = ()
    run_target: RunTarget | None = None
    week_runs: list[WeekRun] = field(default_factory=list)

    @property
    def limit(self) -> int:
        limits = self.profile.limits
        return limits.settle_pain_limit if self.phase is Phase.SETTLE else self.profile.pain_limit

    def load_index(self) -> int:
        return 1 if self.phase in _BAND_PHASES and Equipment.BAND in self.profile.equipment else 0

    def facts(self, day: dt.date, entry: EntryCheck | None = None) -> Facts:
        """The state the phase criteria judge, as of `day`."""
        return Facts(
            phase=self.phase,
            phase_since=self.phase_since or self.profile.start_date,
            tracks=self.tracks,
            flares=tuple(self.flares),
            checkins=self.recent_checkins(),
            sessions=self.sessions[-RECENT:],
            today=day,
            stage=self.stage or None,
            stage_passes=self.stage_passes,
            entry=entry if entry is not None else self.entry,
        )

    def decide(self, d: Decision) -> None:
        self.decisions.append(d)

    def recent_checkins(self) -> list[CheckIn]:
        """The latest check-ins: every rule looks back two weeks at most, and there is at most
        one check-in a day, so the replay stays linear in the length of the history."""
        return self.checkins[-RECENT:]


@dataclass
class _MutableTrack:
    root: str
    exercise: str
    dose: Prescription
    successes: int = 0
    sharp: int = 0
    stopped: bool = False
    top_since: dt.date | None = None
    top_noted: bool = False


def decide(
    profile: Profile,
    catalogue: Catalogue,
    start_phase: Phase,
    sessions: list[SessionLog] | tuple[SessionLog, ...],
    checkins: list[CheckIn] | tuple[CheckIn, ...],
    today: dt.date,
    runs: list[LadderRun] | tuple[LadderRun, ...] = (),
    entry_checks: list[EntryCheck] | tuple[EntryCheck, ...] = (),
) -> Status:
    """Replays the history in date order: each day's check-in first, then an entry check, then
    the sessions and runs."""
    run = _Run(profile, catalogue, start_phase, phase_since=profile.start_date)
    Event = CheckIn | EntryCheck | SessionLog | LadderRun
    events: list[tuple[dt.date, int, Event]] = [(c.date, 0, c) for c in checkins]
    events += [(e.date, 1, e) for e in entry_checks]
    events += [(s.date, 2, s) for s in sessions]
    events += [(r.date, 3, r) for r in runs]
    for day, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        if day > today:
            break
        _overdue_mornings(run, day)
        _close_weeks(run, day)
        if isinstance(event, CheckIn):
            _on_checkin(run, event)
            _phase_check(run, day)
        elif isinstance(event, EntryCheck):
            _on_entry_check(run, event)
        elif isinstance(event, SessionLog):
            _on_session(run, event)
        else:
            _on_run(run, event)
    _overdue_mornings(run, today)
    _close_weeks(run, today)
    _gap_check(run, today)
    _phase_check(run, today)
    return Status(
        phase=run.phase,
        tracks={
            r: Track(t.root, t.exercise, t.dose, t.stopped, t.top_since)
            for r, t in sorted(run.tracks.items())
        },
        decisions=tuple(run.decisions),
        advice=tuple(dict.fromkeys(run.advice)),
        holding=run.holding,
        stage=run.stage or None,
        stage_passes=run.stage_passes,
        entry=run.entry,
        phase_since=run.phase_since,
        flares=tuple(run.flares),
        entry_criteria=run.entry_criteria,
        run_target=run.run_target,
    )


# --- sessions ---------------------------------------------------------------------------------


def _on_session(run: _Run, log: SessionLog) -> None:
    """PMM-1..4 and PMM-SHARP for each exercise done. Runs are judged by RTR-RULES alone
    (`_on_run`): one engine per kind of item."""
    if not _exercises(log):
        return
    _gap_check(run, log.date)
    run.sessions.append(log)
    run.pending = []
    run.pending_breach = False
    for entry in _exercises(log):
        exercise = run.catalogue.get(entry.exercise)
        if exercise is None or exercise.dose is None:
            continue
        track = _track(run, exercise)
        if track.stopped:
            continue
        if entry.sharp:
            _sharp(run, track, log.date)
            run.pending_breach = True
        elif entry.pain_during > run.limit:
            run.pending_breach = True
            _flare(run, log.date)  # one event for the day, however many exercises hurt
            _step(
                run,
                track,
                log.date,
                -1,
                "PMM-4",
                f"Pain reached {entry.pain_during}/10 during it, above your limit of {run.limit}/10: "
                "stop it for the day if it happens again, and it is eased next time.",
            )
        elif not _done(entry, track.dose):
            _hold(
                run,
                track,
                log.date,
                "PMM-4",
                "The dose was not completed, so it stays the same next time.",
            )
        elif entry.difficulty is Difficulty.HARD:
            _hold(
                run,
                track,
                log.date,
                "PMM-4",
                "It felt hard, so it stays the same until it feels manageable.",
            )
        else:
            run.pending.append(track.root)
    if log.pain_after is not None and log.pain_after > run.limit:
        run.pending_breach = True
        run.pending = []
        _flare(run, log.date)
        for track in _done_tracks(run, log):
            _step(
                run,
                track,
                log.date,
                -1,
                "PMM-2",
                f"Pain after the session was {log.pain_after}/10, above your limit of "
                f"{run.limit}/10, so the session is eased next time.",
            )


def _exercises(log: SessionLog) -> tuple[Entry, ...]:
    """The session's exercises other than running (RTR-RULES judges runs)."""
    return tuple(e for e in log.entries if e.exercise != RUNNING)


def _track(run: _Run, exercise: Exercise) -> _MutableTrack:
    for t in run.tracks.values():
        if t.exercise == exercise.id:
            return t
    if exercise.id in run.tracks:  # the planned exercise done instead of its current variant
        return run.tracks[exercise.id]
    t = _MutableTrack(exercise.id, exercise.id, starting(exercise, run.phase, run.load_index()))
    run.tracks[exercise.id] = t
    return t


def _done_tracks(run: _Run, log: SessionLog) -> list[_MutableTrack]:
    done = {e.exercise for e in _exercises(log)}
    return [t for t in run.tracks.values() if t.exercise in done and not t.stopped]


def _done(entry: Entry, dose: Prescription) -> bool:
    """Unrecorded amounts count as done as prescribed."""
    pairs = (
        (entry.sets_done, dose.sets),
        (entry.reps_done, dose.reps),
        (entry.hold_s_done, dose.hold_s),
        (entry.minutes_done, dose.minutes),
    )
    return all(done is None or target is None or done >= target for done, target in pairs)


def _about(track: _MutableTrack) -> tuple[str, str | None]:
    """A decision's subject: the exercise done now, and the planned one when it differs."""
    return track.exercise, track.root if track.root != track.exercise else None


def _sharp(run: _Run, track: _MutableTrack, day: dt.date) -> None:
    track.sharp += 1
    track.successes = 0
    name = run.catalogue[track.exercise].name
    if track.sharp >= 2:
        track.stopped = True
        run.decide(
            Decision(
                day,
                action=Action.STOP,
                rule="PMM-SHARP",
                reason=f"Sharp pain again ({name}): it is stopped. Please see a physiotherapist "
                "or doctor about the sharp pain before trying it again.",
                from_dose=track.dose,
                exercise=_about(track)[0],
                root=_about(track)[1],
            )
        )
        run.advice.append(
            f"Sharp pain came back with {name}: see a physiotherapist or doctor (PMM-SHARP)."
        )
        return
    easier = _variant(run, run.catalogue[track.exercise].easier)
    if easier is None:
        _step(
            run,
            track,
            day,
            -1,
            "PMM-SHARP",
            f"Sharp pain during {name}: it is eased next time. Never push through sharp pain.",
        )
        return
    about = _about(track)
    before = _switch(run, track, easier)
    run.decide(
        Decision(
            day,
            action=Action.SUBSTITUTE,
            rule="PMM-SHARP",
            reason=f"Sharp pain during {name}: next time {easier.name} takes its place. Never "
            "push through sharp pain; if it comes back, the exercise stops.",
            exercise=about[0],
            root=about[1],
            from_dose=before,
            to_dose=track.dose,
            to_exercise=easier.id,
        )
    )


def _switch(run: _Run, track: _MutableTrack, variant: Exercise) -> Prescription:
    """Put `variant` in the track's place at its starting dose; returns the dose it replaced."""
    before = track.dose
    track.exercise, track.dose = variant.id, starting(variant, run.phase, run.load_index())
    track.successes, track.top_since, track.top_noted = 0, None, False
    return before


def _variant(run: _Run, ids: tuple[str, ...]) -> Exercise | None:
    in_use = {t.exercise for t in run.tracks.values() if not t.stopped}
    for i in ids:
        e = run.catalogue.get(i)
        if (
            e is not None
            and e.dose is not None
            and run.phase in e.phases
            and e.usable_with(run.profile.equipment, run.profile.cross_training)
            and i not in in_use
        ):
            return e
    return None


# --- check-ins --------------------------------------------------------------------------------


def _on_checkin(run: _Run, c: CheckIn) -> None:
    """PMM-2/PMM-4: the morning after a session decides it. Worse means worse than the runner's
    own recent mornings by the meaningful change, so a steady baseline is never a flare."""
    baseline = _baseline(run.recent_checkins(), c.date)
    run.checkins.append(c)
    _ladder_morning(run, c)
    yesterday = (
        run.sessions[-1]
        if run.sessions and run.sessions[-1].date == c.date - dt.timedelta(days=1)
        else None
    )
    why = _worse_morning(run, c, baseline)
    if yesterday is not None and why is not None:
        _flare(run, yesterday.date)  # the session and this morning are one event
        for track in _done_tracks(run, yesterday):
            _step(run, track, c.date, -1, "PMM-2", why)
        run.pending = []
    elif yesterday is not None and run.pending:
        _confirm(run, c.date)
    _weekly_trend(run, c.date)


def _worse_morning(run: _Run, c: CheckIn, baseline: float | None) -> str | None:
    """Why this morning says yesterday's load did not settle (PMM-2), or None if it settled.
    Every figure quoted is the one the rule compared."""
    margin = run.profile.limits.meaningful_change
    ease = "the exercises done yesterday are eased next time."
    if c.swelling:
        return f"Swelling this morning after yesterday's session: {ease}"
    if baseline is not None:
        if c.morning_pain >= baseline + margin:
            return (
                f"Your knee was worse this morning: {c.morning_pain}/10 against your usual "
                f"{baseline:g}/10 over the past week ({margin} points or more is a meaningful "
                f"change): {ease}"
            )
        return None
    if c.morning_pain > run.limit:
        return (
            f"Your knee had not settled this morning: {c.morning_pain}/10, above your limit of "
            f"{run.limit}/10, with no recent mornings to compare: {ease}"
        )
    return None


def _baseline(checkins: list[CheckIn], day: dt.date) -> float | None:
    recent = [c.morning_pain for c in checkins if 1 <= (day - c.date).days <= 7]
    return statistics.median(recent) if recent else None


def _confirm(run: _Run, day: dt.date) -> None:
    """Yesterday's sessions were tolerated and the knee settled overnight (PMM-4)."""
    needed = run.profile.limits.sessions_to_progress
    for root in run.pending:
        track = run.tracks[root]
        track.successes += 1
        if run.pending_breach:
            _hold(
                run,
                track,
                day,
                "PMM-4",
                "A limit was breached in the same session, so nothing progresses today.",
            )
        elif run.holding:
            continue
        elif track.successes >= needed:
            track.successes = 0
            _progress(run, track, day)
    run.pending = []


def _weekly_trend(run: _Run, day: dt.date) -> None:
    """PMM-3: pain and stiffness must not rise from week to week."""

    def mean(days: range, attr: str) -> float | None:
        values = [
            getattr(c, attr)
            for c in run.recent_checkins()
            if (day - c.date).days in days and getattr(c, attr) is not None
        ]
        return statistics.fmean(values) if len(values) >= 3 else None

    rising = []
    for attr, label in (("morning_pain", "morning pain"), ("stiffness", "stiffness")):
        this, last = mean(range(7), attr), mean(range(7, 14), attr)
        if this is not None and last is not None and this >= last + rules.WEEKLY_RISE:
            rising.append(f"{label} {last:.1f} → {this:.1f}")
    if rising and not run.holding:
        run.decide(
            Decision(
                day,
                None,
                Action.HOLD,
                "PMM-3",
                "Your weekly average rose (" + ", ".join(rising) + "): progression is on hold "
                "until it comes back down.",
            )
        )
    run.holding = bool(rising)


# --- stepping ---------------------------------------------------------------------------------


def _rungs(run: _Run, track: _MutableTrack) -> tuple[Prescription, ...]:
    return ladder(run.catalogue[track.exercise], run.phase, run.load_index())


def _step(run: _Run, track: _MutableTrack, day: dt.date, by: int, rule: str, reason: str) -> None:
    rungs = _rungs(run, track)
    before = track.dose
    at = position(rungs, before)
    track.dose = rungs[max(0, min(len(rungs) - 1, at + by))]
    track.successes = 0
    track.top_since, track.top_noted = None, False
    action = Action.REGRESS if by < 0 else Action.PROGRESS
    if track.dose == before:
        action = Action.HOLD
        reason += " (It is already at its lowest dose.)" if by < 0 else ""
    run.decide(
        Decision(
            day,
            action=action,
            rule=rule,
            reason=reason,
            from_dose=before,
            to_dose=track.dose,
            exercise=_about(track)[0],
            root=_about(track)[1],
        )
    )


def _hold(run: _Run, track: _MutableTrack, day: dt.date, rule: str, reason: str) -> None:
    run.decide(
        Decision(
            day,
            action=Action.HOLD,
            rule=rule,
            reason=reason,
            from_dose=track.dose,
            to_dose=track.dose,
            exercise=_about(track)[0],
            root=_about(track)[1],
        )
    )


def _progress(run: _Run, track: _MutableTrack, day: dt.date) -> None:
    rungs = _rungs(run, track)
    at = position(rungs, track.dose)
    exercise = run.catalogue[track.exercise]
    n = run.profile.limits.sessions_to_progress
    if at < len(rungs) - 1:
        _step(
            run,
            track,
            day,
            +1,
            "PMM-4",
            f"{n} sessions in a row within your pain limit and settled by the next morning: "
            f"one step up to {dose_text(rungs[at + 1])}.",
        )
        if position(rungs, track.dose) == len(rungs) - 1:
            track.top_since = day
        return
    harder = _variant(run, exercise.harder)  # variants' phases keep band work for build (R7)
    if harder is not None:
        about = _about(track)
        before = _switch(run, track, harder)
        run.decide(
            Decision(
                day,
                action=Action.PROGRESS,
                rule="PMM-4",
                reason=f"{exercise.name} is comfortable at the top of its range: moving on to "
                f"{harder.name}.",
                exercise=about[0],
                root=about[1],
                from_dose=before,
                to_dose=track.dose,
                to_exercise=harder.id,
            )
        )
        return
    if track.top_since is None:
        track.top_since = day
    if not track.top_noted:
        track.top_noted = True
        later = (
            " Band work comes with the build phase (R7)."
            if run.phase in (Phase.SETTLE, Phase.STRENGTHEN)
            else ""
        )
        run.decide(
            Decision(
                day,
                action=Action.HOLD,
                rule="R4",
                reason=f"{exercise.name} is at the top of the guide's range "
                f"({dose_text(track.dose)}); it stays there.{later}",
                exercise=_about(track)[0],
                root=_about(track)[1],
                from_dose=track.dose,
                to_dose=track.dose,
            )
        )


def _gap_check(run: _Run, day: dt.date) -> None:
    if not run.sessions:
        return
    last = run.sessions[-1].date
    gap = (day - last).days
    if gap < run.profile.limits.restart_after_days or run.last_gap_restart == last:
        return
    run.last_gap_restart = last
    for track in run.tracks.values():
        if not track.stopped:
            _step(
                run,
                track,
                day,
                -1,
                rules.GAP_RULE,
                f"{gap} days since your last session: restarting one step lower rather than "
                "where you left off.",
            )


# --- phases -----------------------------------------------------------------------------------


def _flare(run: _Run, event_day: dt.date) -> None:
    """Count a flare-up event once: a bad session, the runs of that day and the worse morning
    after it are one event, dated by the day of the load (KC-PHASE-FLARE)."""
    if event_day not in run.flares:
        run.flares.append(event_day)


def _set_phase(
    run: _Run,
    day: dt.date,
    to: Phase,
    action: Action,
    rule: str,
    reason: str,
    criteria: tuple[Criterion, ...] = (),
) -> None:
    run.decide(
        Decision(
            day,
            None,
            action,
            rule,
            reason,
            from_phase=run.phase,
            to_phase=to,
            criteria=criteria,
        )
    )
    run.phase = to
    run.phase_since = day
    run.flares = []
    run.stage = 1 if to is Phase.RETURN_TO_RUN else 0
    run.stage_passes = 0
    run.awaiting = []
    run.run_target = None
    run.week_runs = []
    for track in run.tracks.values():
        track.top_since, track.top_noted = None, False
        rungs = _rungs(run, track)
        track.dose = replace(
            rungs[position(rungs, track.dose)],
            load=starting(run.catalogue[track.exercise], run.phase, run.load_index()).load,
        )


def _phase_check(run: _Run, day: dt.date) -> None:
    """Back a phase after repeated flare-ups; forward when every criterion of the next phase is
    met (`core.criteria`, the same list the progress view shows). Return to run starts only
    from an entry check (`_on_entry_check`), the maintain phase from the ladder."""
    recent_flares = [f for f in run.flares if 0 <= (day - f).days < rules.FLARE_WINDOW_DAYS]
    if len(recent_flares) >= rules.FLARES_TO_STEP_DOWN and run.phase is not Phase.SETTLE:
        down = _PHASE_ORDER[_PHASE_ORDER.index(run.phase) - 1]
        dates = ", ".join(f.isoformat() for f in recent_flares)
        _set_phase(
            run,
            day,
            down,
            Action.REGRESS,
            rules.PHASE_FLARE,
            f"{len(recent_flares)} flare-ups in two weeks ({dates}): back to the {down.label} "
            "phase until the knee settles.",
        )
        return
    if run.phase not in (Phase.SETTLE, Phase.STRENGTHEN):
        return
    nxt = next_phase(run.facts(day), run.catalogue)
    if nxt.to is None or not nxt.ready:
        return
    if run.phase is Phase.SETTLE:
        why = (
            f"Worst pain {rules.SETTLE_EXIT_MAX_PAIN}/10 or less for a week, with the morning "
            "check-ins to show it and no flare-up: on to the strengthen phase."
        )
        rule = rules.PHASE_SETTLE_EXIT
    else:
        why = (
            "The core exercises have been at the top of their range for two weeks, with pain "
            f"at {rules.BUILD_ENTRY_MAX_PAIN}/10 or less across those weeks: resistance-band "
            "work starts (R7)."
        )
        rule = rules.PHASE_BUILD_ENTRY
    _set_phase(run, day, nxt.to, Action.PROGRESS, rule, why, nxt.criteria)


# --- return to run (RTR-ENTRY, RTR-LADDER, RTR-RULES) -------------------------------------------


def _on_entry_check(run: _Run, check: EntryCheck) -> None:
    """RTR-ENTRY: the check's own tests and the logged week before it. A movement-quality fault
    does not fail the check; it sends the runner back to the exercise that trains it."""
    run.entry = check
    if run.phase in (Phase.RETURN_TO_RUN, Phase.MAINTAIN):
        run.entry_criteria = ()
        return
    criteria = rtr_entry(run.facts(check.date, check))
    run.entry_criteria = criteria
    for fault in check.faults():
        exercise = run.catalogue.get(fault.exercise)
        name = exercise.name if exercise is not None else fault.exercise
        run.decide(
            Decision(
                check.date,
                fault.exercise,
                Action.HOLD,
                "RTR-ENTRY",
                f"In the entry check {fault.seen}: keep working on {name} ({fault.cue}). This "
                "does not fail the check, but it is the control running needs.",
            )
        )
    unmet = [c for c in criteria if not c.met]
    if unmet:
        run.decide(
            Decision(
                check.date,
                None,
                Action.HOLD,
                "RTR-ENTRY",
                "Not ready to start running yet. Still needed: "
                + "; ".join(c.text for c in unmet)
                + ".",
            )
        )
        return
    _set_phase(
        run,
        check.date,
        Phase.RETURN_TO_RUN,
        Action.PROGRESS,
        "RTR-ENTRY",
        f"Entry check passed: daily pain and a logged week at {ENTRY_MAX_PAIN}/10 or less, "
        "no swelling or limp, the band work settled, a brisk 30-minute walk, and the wall sit, "
        "balance and step-down tests without pain. The walk/run ladder starts at "
        f"{stage(1).text()}.",
        criteria,
    )


def _on_run(run: _Run, r: LadderRun) -> None:
    if run.phase is Phase.MAINTAIN and run.run_target is not None:
        _maintain_run(run, r)
        return
    if run.phase is not Phase.RETURN_TO_RUN:
        return
    early = judge_run(r, stage(run.stage))
    if early is not None and early.verdict is Verdict.RED:
        _flare(run, r.date)  # the worse morning that may follow is the same event
        _ladder_step(run, r.date, -1, early.reasons)
        return
    run.awaiting.append((r, early, morning_before(run.checkins, r.date)))


def _ladder_morning(run: _Run, c: CheckIn) -> None:
    """The morning after a ladder run decides it (PMM-2, RTR-RULES)."""
    _maintain_morning(run, c)
    due = [a for a in run.awaiting if a[0].date == c.date - dt.timedelta(days=1)]
    run.awaiting = [a for a in run.awaiting if a not in due]
    for r, early, before in due:
        if run.phase is not Phase.RETURN_TO_RUN:
            return
        morning = judge_morning(
            r, before, c.morning_pain, c.swelling, c.limp, run.profile.limits.meaningful_change
        )
        if morning.verdict is Verdict.RED:
            _flare(run, r.date)
            _ladder_step(run, c.date, -1, morning.reasons)
        elif morning.verdict is Verdict.AMBER or early is not None:
            reasons = morning.reasons if morning.verdict is Verdict.AMBER else ()
            _ladder_hold(run, c.date, (early.reasons if early else ()) + reasons)
        else:
            run.stage_passes += 1
            if run.stage_passes >= PASSES_TO_ADVANCE:
                _ladder_step(run, c.date, +1, morning.reasons)
            else:
                _ladder_hold(
                    run,
                    c.date,
                    morning.reasons,
                    f"one pass of {PASSES_TO_ADVANCE} at this stage",
                    action=Action.HOLD,
                )


def _overdue_mornings(run: _Run, day: dt.date) -> None:
    """A ladder run with no check-in the morning after cannot pass: the stage holds."""
    late = [a for a in run.awaiting if (day - a[0].date).days >= 2]
    run.awaiting = [a for a in run.awaiting if a not in late]
    for r, _, _ in late:
        _ladder_hold(
            run,
            r.date + dt.timedelta(days=1),
            (f"no morning check-in after the run on {r.date.isoformat()}",),
            "log the check-in the morning after each run so the ladder can move",
        )


def _ladder_hold(
    run: _Run,
    day: dt.date,
    reasons: tuple[str, ...],
    then: str = "this stage is repeated",
    action: Action = Action.HOLD,
) -> None:
    at = stage(run.stage)
    run.decide(
        Decision(
            day,
            "running",
            action,
            "RTR-RULES",
            f"{'; '.join(reasons).capitalize()}: {then} ({at.text()}).",
        )
    )


def _ladder_step(run: _Run, day: dt.date, by: int, reasons: tuple[str, ...]) -> None:
    why = "; ".join(reasons).capitalize()
    if by > 0 and run.stage >= len(LADDER):
        _set_phase(
            run,
            day,
            Phase.MAINTAIN,
            Action.PROGRESS,
            "RTR-RULES",
            f"{why}: the last stage is passed twice. You are back to continuous running: build "
            "your weekly distance gradually (no jumps over 30%, LOAD-SPIKE), keep two strength "
            "sessions a week and bring downhills back last.",
        )
        run.run_target = first_target(day)
        return
    before = run.stage
    run.stage = max(1, min(len(LADDER), run.stage + by))
    run.stage_passes = 0
    if by > 0:
        action, then = Action.PROGRESS, f"two passes: up to {stage(run.stage).text()}"
    elif run.stage < before:
        action, then = Action.REGRESS, f"back one stage to {stage(run.stage).text()}"
    else:
        action, then = Action.HOLD, f"already at the first stage: {stage(run.stage).text()}"
    run.decide(Decision(day, "running", action, "RTR-RULES", f"{why}: {then}."))


# --- after the ladder: the weekly build (RTR-RULES, LOAD-SPIKE) ----------------------------------


def _maintain_run(run: _Run, r: LadderRun) -> None:
    """A run in the weekly build: counted toward its week; sharp pain or pain above the limit
    is a flare-up event (the same event as a worse morning after it)."""
    if run.run_target is None or r.date < run.run_target.since:
        return
    run.week_runs.append(WeekRun(r.date, r.distance_km, r.pain_during, r.sharp))
    if r.sharp or (r.pain_during is not None and r.pain_during > run.limit):
        _flare(run, r.date)


def _maintain_morning(run: _Run, c: CheckIn) -> None:
    """The morning after a run in the weekly build: a red morning is a flare-up (PMM-2)."""
    if run.phase is not Phase.MAINTAIN or run.run_target is None:
        return
    yesterday = c.date - dt.timedelta(days=1)
    for r in run.week_runs:
        if r.date != yesterday:
            continue
        before = morning_before(run.checkins[:-1], r.date)
        verdict = judge_morning(
            LadderRun(r.date, r.distance_km, r.pain_during, r.sharp),
            before,
            c.morning_pain,
            c.swelling,
            c.limp,
            run.profile.limits.meaningful_change,
        )
        if verdict.verdict is Verdict.RED:
            _flare(run, r.date)


def _close_weeks(run: _Run, day: dt.date) -> None:
    """Close every finished week of the build before `day`, setting the next week's target."""
    while run.run_target is not None and monday(day) > run.run_target.week_start:
        target = run.run_target
        end = target.week_start + dt.timedelta(days=7)
        runs = [r for r in run.week_runs if target.week_start <= r.date < end]
        flared = any(target.week_start <= f < end for f in run.flares)
        verdict = close_week(target, runs, flared, run.limit)
        run.run_target = verdict.target
        run.week_runs = [r for r in run.week_runs if r.date >= end]
        action = {"progress": Action.PROGRESS, "hold": Action.HOLD}.get(
            verdict.change, Action.REGRESS
        )
        run.decide(Decision(end, RUNNING, action, "LOAD-SPIKE", verdict.reason))
