"""The engine's mutable replay state, and the moves every rule shares: counting a flare-up
event and changing phase. Only the engine's modules see it; `decide` returns a frozen `Status`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from kneecap.core import rules
from kneecap.core.catalogue import Catalogue
from kneecap.core.criteria import Criterion, Facts
from kneecap.core.decision import Action, Decision
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.ladder import ladder, position
from kneecap.core.overrides import ClinicState, with_pain_limit
from kneecap.core.phases import Phase
from kneecap.core.prescription import Prescription, starting
from kneecap.core.profile import Equipment, Profile
from kneecap.core.rtr import (
    EntryCheck,
    Judgement,
    LadderRun,
)
from kneecap.core.run_build import RunTarget, WeekRun

RECENT = 3 * rules.BUILD_ENTRY_DAYS  # entries kept in view: more than any rule's look-back
RUNNING = "running"
BAND_PHASES = (Phase.BUILD, Phase.RETURN_TO_RUN, Phase.MAINTAIN)
PHASE_ORDER = list(Phase)


@dataclass
class Replay:
    """Mutable replay state: the engine's modules change it; `decide` returns a frozen `Status`."""

    profile: Profile
    catalogue: Catalogue
    phase: Phase
    tracks: dict[str, MutableTrack] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    sessions: list[SessionLog] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # roots awaiting tomorrow's check-in
    breach: str | None = None  # what breached a limit in the latest session, in words (PMM-4)
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
    clinic: ClinicState = field(default_factory=ClinicState)  # the clinician's overrides

    @property
    def limit(self) -> int:
        """PMM-1's limit in this phase: the clinician's when one is set (KC-CLINICIAN)."""
        return with_pain_limit(self.profile, self.clinic.pain_limit).limit_in(self.phase)

    def load_index(self) -> int:
        return 1 if self.phase in BAND_PHASES and Equipment.BAND in self.profile.equipment else 0

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

    def fork(self) -> Replay:
        """A copy that replays on alone: the containers copied, what they hold is immutable
        (the tracks are copied one by one)."""
        return replace(
            self,
            tracks={r: replace(t) for r, t in self.tracks.items()},
            decisions=list(self.decisions),
            advice=list(self.advice),
            checkins=list(self.checkins),
            sessions=list(self.sessions),
            pending=list(self.pending),
            flares=list(self.flares),
            awaiting=list(self.awaiting),
            week_runs=list(self.week_runs),
            clinic=self.clinic.fork(),
        )

    def recent_checkins(self) -> list[CheckIn]:
        """The latest check-ins: every rule looks back two weeks at most, and there is at most
        one check-in a day, so the replay stays linear in the length of the history."""
        return self.checkins[-RECENT:]


@dataclass
class MutableTrack:
    root: str
    exercise: str
    dose: Prescription
    successes: int = 0
    sharp: int = 0
    stopped: bool = False
    top_since: dt.date | None = None
    top_noted: bool = False


def flare(run: Replay, event_day: dt.date) -> None:
    """Count a flare-up event once: a bad session, the runs of that day and the worse morning
    after it are one event, dated by the day of the load (KC-PHASE-FLARE)."""
    if event_day not in run.flares:
        run.flares.append(event_day)


def set_phase(
    run: Replay,
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
        rungs = rungs_of(run, track)
        track.dose = replace(
            rungs[position(rungs, track.dose)],
            load=starting(run.catalogue[track.exercise], run.phase, run.load_index()).load,
        )


def rungs_of(run: Replay, track: MutableTrack) -> tuple[Prescription, ...]:
    return ladder(run.catalogue[track.exercise], run.phase, run.load_index())
