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
from kneecap.core.dose_words import dose_text
from kneecap.core.history import CheckIn, Difficulty, Entry, SessionLog
from kneecap.core.ladder import ladder, position
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription, starting
from kneecap.core.profile import Equipment, Profile
from kneecap.core.rtr import (
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
    exercise: str | None  # None: the whole programme (phase changes, PMM-3 holds)
    action: Action
    rule: str
    reason: str
    from_dose: Prescription | None = None
    to_dose: Prescription | None = None
    to_exercise: str | None = None
    from_phase: Phase | None = None
    to_phase: Phase | None = None


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

    @property
    def came_through_ladder(self) -> bool:
        """Back to continuous running through the walk/run ladder (RTR-RULES)."""
        return any(d.rule == "RTR-RULES" and d.to_phase is Phase.MAINTAIN for d in self.decisions)

    def track_for(self, exercise_id: str) -> Track | None:
        return self.tracks.get(exercise_id)

    def latest(self, exercise_id: str) -> Decision | None:
        for d in reversed(self.decisions):
            if d.exercise == exercise_id:
                return d
        return None


RECENT = 3 * rules.BUILD_ENTRY_DAYS  # entries kept in view: more than any rule's look-back
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

    @property
    def limit(self) -> int:
        limits = self.profile.limits
        return limits.settle_pain_limit if self.phase is Phase.SETTLE else limits.pain_limit

    def load_index(self) -> int:
        return 1 if self.phase in _BAND_PHASES and Equipment.BAND in self.profile.equipment else 0

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
    )


# --- sessions ---------------------------------------------------------------------------------


def _on_session(run: _Run, log: SessionLog) -> None:
    _gap_check(run, log.date)
    run.sessions.append(log)
    run.pending = []
    run.pending_breach = False
    for entry in log.entries:
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
            _flare(run, log.date)
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
    done = {e.exercise for e in log.entries}
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


def _sharp(run: _Run, track: _MutableTrack, day: dt.date) -> None:
    track.sharp += 1
    track.successes = 0
    name = run.catalogue[track.exercise].name
    if track.sharp >= 2:
        track.stopped = True
        run.decide(
            Decision(
                day,
                track.root,
                Action.STOP,
                "PMM-SHARP",
                f"Sharp pain again ({name}): it is stopped. Please see a physiotherapist or "
                "doctor about the sharp pain before trying it again.",
                from_dose=track.dose,
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
    before = _switch(run, track, easier)
    run.decide(
        Decision(
            day,
            track.root,
            Action.SUBSTITUTE,
            "PMM-SHARP",
            f"Sharp pain during {name}: next time {easier.name} takes its place. Never push "
            "through sharp pain; if it comes back, the exercise stops.",
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
    baseline = _baseline(run.recent_checkins(), c.date)
    run.checkins.append(c)
    _ladder_morning(run, c)
    yesterday = (
        run.sessions[-1]
        if run.sessions and run.sessions[-1].date == c.date - dt.timedelta(days=1)
        else None
    )
    margin = run.profile.limits.meaningful_change
    worse = baseline is not None and c.morning_pain >= baseline + margin
    if yesterday is not None and (worse or c.morning_pain > run.limit or c.swelling):
        _flare(run, c.date)
        why = (
            f"Your knee was worse this morning ({c.morning_pain}/10"
            + (f" against a usual {baseline:g}/10" if baseline is not None else "")
            + ("; swelling" if c.swelling else "")
            + "): the whole next session is eased."
        )
        for track in _done_tracks(run, yesterday):
            _step(run, track, c.date, -1, "PMM-2", why)
        run.pending = []
    elif yesterday is not None and run.pending:
        _confirm(run, c.date)
    _weekly_trend(run, c.date)


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
        Decision(day, track.root, action, rule, reason, from_dose=before, to_dose=track.dose)
    )


def _hold(run: _Run, track: _MutableTrack, day: dt.date, rule: str, reason: str) -> None:
    run.decide(
        Decision(
            day, track.root, Action.HOLD, rule, reason, from_dose=track.dose, to_dose=track.dose
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
        before = _switch(run, track, harder)
        run.decide(
            Decision(
                day,
                track.root,
                Action.PROGRESS,
                "PMM-4",
                f"{exercise.name} is comfortable at the top of its range: moving on to "
                f"{harder.name}.",
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
                track.root,
                Action.HOLD,
                "R4",
                f"{exercise.name} is at the top of the guide's range ({dose_text(track.dose)}); "
                f"it stays there.{later}",
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


def _flare(run: _Run, day: dt.date) -> None:
    run.flares.append(day)


def _pain_readings(run: _Run, day: dt.date, days: int) -> list[int]:
    values: list[int] = []
    for c in run.recent_checkins():
        if 0 <= (day - c.date).days < days:
            values += c.readings()
    for s in run.sessions[-RECENT:]:
        if 0 <= (day - s.date).days < days:
            values += [e.pain_during for e in s.entries]
            values += [s.pain_after] if s.pain_after is not None else []
    return values


def _set_phase(run: _Run, day: dt.date, to: Phase, action: Action, rule: str, reason: str) -> None:
    run.decide(Decision(day, None, action, rule, reason, from_phase=run.phase, to_phase=to))
    run.phase = to
    run.phase_since = day
    run.flares = []
    run.stage = 1 if to is Phase.RETURN_TO_RUN else 0
    run.stage_passes = 0
    run.awaiting = []
    for track in run.tracks.values():
        track.top_since, track.top_noted = None, False
        rungs = _rungs(run, track)
        track.dose = replace(
            rungs[position(rungs, track.dose)],
            load=starting(run.catalogue[track.exercise], run.phase, run.load_index()).load,
        )


def _phase_check(run: _Run, day: dt.date) -> None:
    recent_flares = [f for f in run.flares if (day - f).days < rules.FLARE_WINDOW_DAYS]
    if len(recent_flares) >= rules.FLARES_TO_STEP_DOWN and run.phase is not Phase.SETTLE:
        down = _PHASE_ORDER[_PHASE_ORDER.index(run.phase) - 1]
        _set_phase(
            run,
            day,
            down,
            Action.REGRESS,
            rules.PHASE_FLARE,
            f"{len(recent_flares)} flare-ups in two weeks: back to the {down.label} phase until "
            "the knee settles.",
        )
        return
    since = (day - run.phase_since).days if run.phase_since else 0
    if run.phase is Phase.SETTLE and since >= rules.SETTLE_EXIT_DAYS:
        week = [
            c for c in run.recent_checkins() if 0 <= (day - c.date).days < rules.SETTLE_EXIT_DAYS
        ]
        pain = _pain_readings(run, day, rules.SETTLE_EXIT_DAYS)
        if (
            len(week) >= rules.SETTLE_EXIT_MIN_CHECKINS
            and max(pain) <= rules.SETTLE_EXIT_MAX_PAIN
            and not recent_flares
        ):
            _set_phase(
                run,
                day,
                Phase.STRENGTHEN,
                Action.PROGRESS,
                rules.PHASE_SETTLE_EXIT,
                f"Worst pain {max(pain)}/10 or less for a week with no flare-up: on to the "
                "strengthen phase.",
            )
    elif run.phase is Phase.STRENGTHEN and since >= rules.BUILD_ENTRY_DAYS:
        core = [t for r, t in run.tracks.items() if r in rules.CORE_SET and not t.stopped]
        pain = _pain_readings(run, day, rules.BUILD_ENTRY_DAYS)
        at_top = all(
            t.top_since is not None and (day - t.top_since).days >= rules.BUILD_ENTRY_DAYS
            for t in core
        )
        if len(core) >= 3 and at_top and pain and max(pain) <= rules.BUILD_ENTRY_MAX_PAIN:
            _set_phase(
                run,
                day,
                Phase.BUILD,
                Action.PROGRESS,
                rules.PHASE_BUILD_ENTRY,
                "The core exercises have been at the top of their range for two weeks with pain "
                f"at {max(pain)}/10 or less: resistance-band work starts (R7).",
            )


# --- return to run (RTR-ENTRY, RTR-LADDER, RTR-RULES) -------------------------------------------


def _on_entry_check(run: _Run, check: EntryCheck) -> None:
    run.entry = check
    if run.phase in (Phase.RETURN_TO_RUN, Phase.MAINTAIN):
        return
    unmet = check.unmet()
    if unmet or run.phase is Phase.SETTLE:
        reason = (
            "Not ready to start running yet: still needed: " + "; ".join(unmet) + "."
            if unmet
            else "The entry check is passed, but the knee is still in the settle phase: running "
            "waits until the strengthen phase."
        )
        run.decide(Decision(check.date, None, Action.HOLD, "RTR-ENTRY", reason))
        return
    _set_phase(
        run,
        check.date,
        Phase.RETURN_TO_RUN,
        Action.PROGRESS,
        "RTR-ENTRY",
        "Entry check passed: daily pain 2/10 or less, brisk walking without pain, no swelling "
        f"and the strength checks done. The walk/run ladder starts at {stage(1).text()}.",
    )


def _on_run(run: _Run, r: LadderRun) -> None:
    if run.phase is not Phase.RETURN_TO_RUN:
        return
    early = judge_run(r, stage(run.stage))
    if early is not None and early.verdict is Verdict.RED:
        _flare(run, r.date)
        _ladder_step(run, r.date, -1, early.reasons)
        return
    run.awaiting.append((r, early, morning_before(run.checkins, r.date)))


def _ladder_morning(run: _Run, c: CheckIn) -> None:
    """The morning after a ladder run decides it (PMM-2, RTR-RULES)."""
    due = [a for a in run.awaiting if a[0].date == c.date - dt.timedelta(days=1)]
    run.awaiting = [a for a in run.awaiting if a not in due]
    for r, early, before in due:
        if run.phase is not Phase.RETURN_TO_RUN:
            return
        morning = judge_morning(
            r, before, c.morning_pain, c.swelling, c.limp, run.profile.limits.meaningful_change
        )
        if morning.verdict is Verdict.RED:
            _flare(run, c.date)
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
