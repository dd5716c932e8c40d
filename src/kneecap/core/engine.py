"""The progression engine: from the logged history to the next prescription of every exercise,
with every decision explained (CLINICAL PMM-1..4, PMM-SHARP; phase rules in docs/rules.md).

Pure: `decide(profile, catalogue, start_phase, sessions, checkins, today)` replays the history
in date order (a morning check-in before that day's session) and returns a `Status`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import replace

from kneecap.core import rules
from kneecap.core.catalogue import Catalogue, Exercise
from kneecap.core.criteria import next_phase
from kneecap.core.decision import Action, Decision, Status, Track
from kneecap.core.engine_clinic import on_override
from kneecap.core.engine_running import (
    close_weeks,
    ladder_morning,
    on_entry_check,
    on_run,
    overdue_mornings,
)
from kneecap.core.history import CheckIn, Difficulty, Entry, SessionLog
from kneecap.core.overrides import Override
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription, starting
from kneecap.core.profile import Profile
from kneecap.core.replay import PHASE_ORDER, RUNNING, MutableTrack, Replay, flare, set_phase
from kneecap.core.rtr import (
    EntryCheck,
    LadderRun,
)
from kneecap.core.rulebook import Rule, say
from kneecap.core.run_build import RunTarget
from kneecap.core.stepping import about, gap_check, hold, progress, step, switch, variant

__all__ = ["Action", "Decision", "Moment", "Replayer", "Status", "Track", "decide"]


# The order of a day's events: the clinician's overrides first (in the order recorded), then
# its check-in, then an entry check, then the sessions and runs.
OVERRIDES, MORNING, ENTRY_CHECK, SESSIONS, RUNS = -1, 0, 1, 2, 3
Event = Override | CheckIn | EntryCheck | SessionLog | LadderRun
Moment = tuple[dt.date, int]  # a day, and the last kind of its events replayed


def decide(
    profile: Profile,
    catalogue: Catalogue,
    start_phase: Phase,
    sessions: Sequence[SessionLog],
    checkins: Sequence[CheckIn],
    today: dt.date,
    runs: Sequence[LadderRun] = (),
    entry_checks: Sequence[EntryCheck] = (),
    overrides: Sequence[Override] = (),
) -> Status:
    """Replays the history in date order, each day's events in the order above, and returns
    the engine's view as of `today`."""
    replayer = Replayer(
        profile, catalogue, start_phase, sessions, checkins, runs, entry_checks, overrides
    )
    replayer.play(today)
    return replayer.status(today, last=True)


class Replayer:
    """`decide`'s replay in steps, for the views of one history at several moments in one pass
    (what a check-in changed: the morning with it and without it, and the day before):
    `play` replays the events up to a moment, `status` is the view as of a day had the history
    stopped there, and the replay goes on from where it was."""

    def __init__(
        self,
        profile: Profile,
        catalogue: Catalogue,
        start_phase: Phase,
        sessions: Sequence[SessionLog],
        checkins: Sequence[CheckIn],
        runs: Sequence[LadderRun] = (),
        entry_checks: Sequence[EntryCheck] = (),
        overrides: Sequence[Override] = (),
    ) -> None:
        self.run = Replay(profile, catalogue, start_phase, phase_since=profile.start_date)
        events: list[tuple[dt.date, int, Event]] = [(o.day, OVERRIDES, o) for o in overrides]
        events += [(c.date, MORNING, c) for c in checkins]
        events += [(e.date, ENTRY_CHECK, e) for e in entry_checks]
        events += [(s.date, SESSIONS, s) for s in sessions]
        events += [(r.date, RUNS, r) for r in runs]
        events.sort(key=lambda e: (e[0], e[1]))  # stable: the same day's runs in their order
        self.events = events
        self.next = 0

    def play(self, day: dt.date, through: int = RUNS) -> None:
        """Replay every event before `day`, and `day`'s own up to the kind `through`."""
        run, events = self.run, self.events
        while self.next < len(events):
            when, kind, event = events[self.next]
            if (when, kind) > (day, through):
                return
            self.next += 1
            if isinstance(event, Override):
                on_override(run, event)
                continue
            overdue_mornings(run, when)
            close_weeks(run, when)
            if isinstance(event, CheckIn):
                _on_checkin(run, event)
                _phase_check(run, when)
            elif isinstance(event, EntryCheck):
                on_entry_check(run, event)
            elif isinstance(event, SessionLog):
                _on_session(run, event)
            else:
                on_run(run, event)

    def status(self, today: dt.date, last: bool = False) -> Status:
        """The engine's view as of `today` of what was replayed so far; the replay can go on,
        unless this is the `last` look (its state is then used up, not copied)."""
        return _view(self.run if last else self.run.fork(), today)


def _view(run: Replay, today: dt.date) -> Status:
    """The days up to `today` closed (mornings overdue, weeks ended, a gap, the phase), and
    the replay's state frozen."""
    overdue_mornings(run, today)
    close_weeks(run, today)
    gap_check(run, today)
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
        run_target=_capped(run),
        clinician=run.clinic.frozen(),
    )


def _capped(run: Replay) -> RunTarget | None:
    """This week's running target, never above the clinician's weekly cap (KC-CLINICIAN)."""
    cap, target = run.clinic.weekly_run_cap_km, run.run_target
    if cap is None or target is None or target.weekly_km <= cap:
        return target
    return replace(target, weekly_km=cap)


def _on_session(run: Replay, log: SessionLog) -> None:
    """PMM-1..4 and PMM-SHARP for each exercise done. Runs are judged by RTR-RULES alone
    (`on_run`): one engine per kind of item."""
    if not _exercises(log):
        return
    gap_check(run, log.date)
    run.sessions.append(log)
    run.pending = []
    run.breach = None
    for entry in _exercises(log):
        exercise = run.catalogue.get(entry.exercise)
        if exercise is None or exercise.dose is None:
            continue
        track = _track(run, exercise)
        hurt = _hurt(entry, exercise.name, run.limit)
        if hurt is not None:
            run.breach = run.breach or hurt
            if not entry.sharp:
                flare(run, log.date)  # one event for the day, however many exercises hurt
        if track.stopped:  # done anyway: its dose stays stopped, but the knee's pain counts
            continue
        if entry.sharp:
            _sharp(run, track, log.date)
        elif entry.pain_during > run.limit:
            step(
                run,
                track,
                log.date,
                -1,
                Rule.PMM_4,
                f"Pain reached {entry.pain_during}/10 during it, above your limit of {run.limit}/10: "
                "stop it for the day if it happens again, and it is eased next time.",
            )
        elif not _done(entry, track.dose):
            hold(
                run,
                track,
                log.date,
                Rule.PMM_4,
                "The dose was not completed, so it stays the same next time.",
            )
        elif entry.difficulty is Difficulty.HARD:
            hold(
                run,
                track,
                log.date,
                Rule.PMM_4,
                "It felt hard, so it stays the same until it feels manageable.",
            )
        else:
            run.pending.append(track.root)
    if log.pain_after is not None and log.pain_after > run.limit:
        run.breach = run.breach or (
            f"pain after the session {log.pain_after}/10, above your limit of {run.limit}/10"
        )
        run.pending = []
        flare(run, log.date)
        for track in _done_tracks(run, log):
            step(
                run,
                track,
                log.date,
                -1,
                Rule.PMM_2,
                f"Pain after the session was {log.pain_after}/10, above your limit of "
                f"{run.limit}/10, so the session is eased next time.",
            )


def _hurt(entry: Entry, name: str, limit: int) -> str | None:
    """What in this entry breached a limit (PMM-SHARP, PMM-1), in words; None if nothing."""
    if entry.sharp:
        return f"sharp pain during {name}"
    if entry.pain_during > limit:
        return f"pain {entry.pain_during}/10 during {name}, above your limit of {limit}/10"
    return None


def _exercises(log: SessionLog) -> tuple[Entry, ...]:
    """The session's exercises other than running (RTR-RULES judges runs)."""
    return tuple(e for e in log.entries if e.exercise != RUNNING)


def _track(run: Replay, exercise: Exercise) -> MutableTrack:
    for t in run.tracks.values():
        if t.exercise == exercise.id:
            return t
    if exercise.id in run.tracks:  # the planned exercise done instead of its current variant
        return run.tracks[exercise.id]
    t = MutableTrack(exercise.id, exercise.id, starting(exercise, run.phase, run.load_index()))
    run.tracks[exercise.id] = t
    return t


def _done_tracks(run: Replay, log: SessionLog) -> list[MutableTrack]:
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


def _sharp(run: Replay, track: MutableTrack, day: dt.date) -> None:
    track.sharp += 1
    track.successes = 0
    name = run.catalogue[track.exercise].name
    if track.sharp >= 2:
        track.stopped = True
        run.decide(
            about(
                track,
                day,
                Action.STOP,
                Rule.PMM_SHARP,
                f"Sharp pain again ({name}): it is stopped. Please see a physiotherapist "
                "or doctor about the sharp pain before trying it again.",
                from_dose=track.dose,
            )
        )
        run.advice.append(
            f"Sharp pain came back with {name}: see a physiotherapist or doctor (PMM-SHARP)."
        )
        return
    easier = variant(run, run.catalogue[track.exercise].easier)
    if easier is None:
        step(
            run,
            track,
            day,
            -1,
            Rule.PMM_SHARP,
            f"Sharp pain during {name}: it is eased next time. Never push through sharp pain.",
        )
        return
    was = track.exercise
    before = switch(run, track, easier)
    run.decide(
        about(
            track,
            day,
            Action.SUBSTITUTE,
            Rule.PMM_SHARP,
            f"Sharp pain during {name}: next time {easier.name} takes its place. Never "
            "push through sharp pain; if it comes back, the exercise stops.",
            was=was,
            from_dose=before,
            to_dose=track.dose,
            to_exercise=easier.id,
        )
    )


def _on_checkin(run: Replay, c: CheckIn) -> None:
    """PMM-2/PMM-4: the morning after a session decides it. Worse means worse than the runner's
    own recent mornings by the meaningful change, so a steady baseline is never a flare."""
    baseline = _baseline(run.recent_checkins(), c.date)
    run.checkins.append(c)
    ladder_morning(run, c)
    yesterday = (
        run.sessions[-1]
        if run.sessions and run.sessions[-1].date == c.date - dt.timedelta(days=1)
        else None
    )
    why = _worse_morning(run, c, baseline)
    if yesterday is not None and why is not None:
        flare(run, yesterday.date)  # the session and this morning are one event
        for track in _done_tracks(run, yesterday):
            step(run, track, c.date, -1, Rule.PMM_2, why)
        run.pending = []
    elif yesterday is not None and run.pending:
        _confirm(run, c.date)
    _weekly_trend(run, c.date)


def _worse_morning(run: Replay, c: CheckIn, baseline: float | None) -> str | None:
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


def _confirm(run: Replay, day: dt.date) -> None:
    """Yesterday's sessions were tolerated and the knee settled overnight (PMM-4)."""
    needed = run.profile.limits.sessions_to_progress
    for root in run.pending:
        track = run.tracks[root]
        track.successes += 1
        if run.breach is not None:
            hold(
                run,
                track,
                day,
                Rule.PMM_4,
                f"A limit was breached in the same session ({run.breach}), so nothing "
                "progresses today.",
            )
        elif run.holding:
            continue
        elif track.successes >= needed:
            track.successes = 0
            progress(run, track, day)
    run.pending = []


def _weekly_trend(run: Replay, day: dt.date) -> None:
    """PMM-3: pain and stiffness must not rise from week to week."""
    # this week's and last week's readings of each, in one pass over the recent check-ins
    weeks: dict[str, tuple[list[int], list[int]]] = {
        "morning_pain": ([], []),
        "stiffness": ([], []),
    }
    for c in reversed(run.recent_checkins()):  # in date order: read back two weeks only
        age = (day - c.date).days
        if age >= 14:
            break
        if age < 0:
            continue
        for attr, (this_week, last_week) in weeks.items():
            value = getattr(c, attr)
            if value is not None:
                (this_week if age < 7 else last_week).append(value)

    def mean(values: list[int]) -> float | None:
        return statistics.fmean(values) if len(values) >= 3 else None

    rising = []
    for attr, label in (("morning_pain", "morning pain"), ("stiffness", "stiffness")):
        this, last = mean(weeks[attr][0]), mean(weeks[attr][1])
        if this is not None and last is not None and this >= last + rules.WEEKLY_RISE:
            rising.append(f"{label} {last:.1f} → {this:.1f}")
    if rising and not run.holding:
        run.decide(
            Decision(
                day,
                None,
                Action.HOLD,
                Rule.PMM_3,
                "Your weekly average rose (" + ", ".join(rising) + "): progression is on hold "
                "until it comes back down.",
            )
        )
    run.holding = bool(rising)


def _phase_check(run: Replay, day: dt.date) -> None:
    """Back a phase after repeated flare-ups; forward when every criterion of the next phase is
    met (`core.criteria`, the same list the progress view shows). Return to run starts only
    from an entry check (`on_entry_check`), the maintain phase from the ladder."""
    recent_flares = [f for f in run.flares if 0 <= (day - f).days < rules.FLARE_WINDOW_DAYS]
    if len(recent_flares) >= rules.FLARES_TO_STEP_DOWN and run.phase is not Phase.SETTLE:
        down = PHASE_ORDER[PHASE_ORDER.index(run.phase) - 1]
        dates = ", ".join(f.isoformat() for f in recent_flares)
        set_phase(
            run,
            day,
            down,
            Action.REGRESS,
            rules.PHASE_FLARE,
            say(
                f"{len(recent_flares)} flare-ups in $FLARE_WINDOW_DAYS ({dates}): back to the "
                f"{down.label} phase until the knee settles."
            ),
        )
        return
    if run.phase not in (Phase.SETTLE, Phase.STRENGTHEN):
        return
    nxt = next_phase(run.facts(day), run.catalogue)
    if nxt.to is None or not nxt.ready:
        return
    if run.phase is Phase.SETTLE:
        why = say(
            "Worst pain $SETTLE_EXIT_MAX_PAIN or less for $SETTLE_EXIT_DAYS, with the morning "
            "check-ins to show it and no flare-up: on to the strengthen phase."
        )
        rule = rules.PHASE_SETTLE_EXIT
    else:
        why = say(
            "The core exercises have been at the top of their range for $BUILD_ENTRY_DAYS, with "
            "pain at $BUILD_ENTRY_MAX_PAIN or less across those weeks: resistance-band work "
            "starts (R7)."
        )
        rule = rules.PHASE_BUILD_ENTRY
    set_phase(run, day, nxt.to, Action.PROGRESS, rule, why, nxt.criteria)
