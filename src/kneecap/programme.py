"""The runner's programme as the edges (CLI, later the web app) see it: stored profile and
clearances in, screening and plan out. One place that wires store and core together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kneecap.app.errors import NoProfile
from kneecap.catalog import load_catalogue
from kneecap.core import rules
from kneecap.core.catalogue import Catalogue
from kneecap.core.decisions import DecisionRow, flag_rows, timeline
from kneecap.core.engine import RUNS, Moment, Replayer, Status
from kneecap.core.history import CheckIn, SessionLog
from kneecap.core.overrides import with_pain_limit
from kneecap.core.phases import Phase
from kneecap.core.plan import Plan
from kneecap.core.planner import build_plan, running_note_before_the_ladder
from kneecap.core.profile import Profile
from kneecap.core.rtr import LadderRun
from kneecap.core.rulebook import say
from kneecap.core.running import RunRecord, cadence_target, weekly_load
from kneecap.core.running_advice import RunningAdvice, advise
from kneecap.core.screening import Reason, Screening, screen
from kneecap.core.symptoms import window
from kneecap.reviews import review_progress

if TYPE_CHECKING:  # the store is given; SQLAlchemy is not imported to read it
    from kneecap.store.reads import Reads

RECENT_PAIN_DAYS = 14  # the advice the plan gives is true of the last two weeks


@dataclass(frozen=True)
class Programme:
    profile: Profile
    screening: Screening
    catalogue: Catalogue
    sessions: tuple[SessionLog, ...]
    checkins: tuple[CheckIn, ...]
    status: Status
    akps: tuple[tuple[dt.date, int], ...] = ()
    runs: tuple[RunRecord, ...] = ()
    today: dt.date | None = None
    cleared: frozenset[str] = frozenset()  # red flags a recorded clearance covers
    holds: tuple[DecisionRow, ...] = ()  # the red flags' holds and the clearances, as rows
    due: frozenset[str] = frozenset()  # review flags found due, not stored yet (RF-SOON)
    # The engine's view at other moments of the same replay, asked for by `of(looks=...)`:
    # (day, the last kind of that day's events replayed, `core.engine`) -> the view as of day.
    looked: Mapping[Moment, Status] = field(default_factory=dict, compare=False)

    def timeline(self) -> tuple[DecisionRow, ...]:
        """Why the plan changed, newest first: the engine's decisions, the holds a red flag
        put on the plan and the clearances that lifted them (`core.decisions.timeline`); both
        faces (`kneecap why`, Progress) show these rows."""
        return timeline(self.status.decisions, self.holds)

    @property
    def pending(self) -> list[str]:
        """The red flags on hold: raised and not cleared."""
        return sorted(self.profile.red_flags.raised() - self.cleared)

    @classmethod
    def of(
        cls, store: Reads, person_id: int, today: dt.date, looks: Sequence[Moment] = ()
    ) -> Programme:
        """Everything known about the runner, with the engine's view as of `today` (and at the
        moments `looks`, in the same replay: `looked`); it only reads. The reviews' flags found
        due are in `due`, for the caller to store (`kneecap.app.read.programme`)."""
        profile = store.profile(person_id)
        if profile is None:
            raise NoProfile()
        catalogue = load_catalogue()
        sessions = tuple(store.sessions(person_id))
        checkins = tuple(store.checkins(person_id))
        settled = window(checkins, sessions, today, rules.R9_SETTLED_DAYS).at_most(
            rules.R9_SETTLED_PAIN_NRS
        )
        cleared = store.cleared_flags(person_id)
        screening = screen(profile, cleared, settled=settled)
        runs = tuple(store.activities(person_id))
        replayer = Replayer(
            profile,
            catalogue,
            screening.phase,
            sessions,
            checkins,
            ladder_runs(runs, sessions, profile.start_date),
            store.entry_checks(person_id),
            store.overrides(person_id),
        )
        moments = sorted({*looks, (today, RUNS)})
        looked = {}
        for n, (day, through) in enumerate(moments, 1):
            replayer.play(day, through)
            looked[(day, through)] = replayer.status(day, last=n == len(moments))
        status = looked[(today, RUNS)]
        # the clinician's pain limit is the one every face quotes and checks (KC-CLINICIAN)
        profile = with_pain_limit(profile, status.clinician.pain_limit)
        screening, due = review_progress(  # RF-SOON: no improvement after 6 weeks
            store,
            person_id,
            profile,
            screening,
            catalogue,
            sessions,
            checkins,
            status,
            today,
            cleared,
        )
        return cls(
            profile,
            screening,
            catalogue,
            sessions,
            checkins,
            status,
            tuple(store.akps(person_id)),
            runs,
            today,
            cleared,
            flag_rows(*store.hold_history(person_id)),
            due,
            looked,
        )

    @property
    def recent_pain(self) -> int | None:
        """The worst pain of the last two weeks, when check-ins cover them (else unknown)."""
        if self.today is None:
            return None
        w = window(self.checkins, self.sessions, self.today, RECENT_PAIN_DAYS)
        return w.worst if w.covered else None

    @property
    def cadence_cue(self) -> int | None:
        target = cadence_target(list(self.runs))
        return round(target.target) if target else None

    def plan(self, first: dt.date, last: dt.date) -> Plan:
        plan = build_plan(
            self.profile,
            self.catalogue,
            self.screening,
            first,
            last,
            status=self.status,
            cadence_cue=self.cadence_cue,
            recent_pain=self.recent_pain,
        )
        advice = tuple(Reason("PMM-SHARP", a) for a in self.status.advice)
        notes = plan.notes
        own = self.running_advice
        if own is not None:  # the advice on their own runs in place of the general word
            general = running_note_before_the_ladder(plan.phase)
            notes = tuple(own.note if n == general else n for n in notes)
            if own.note not in notes:
                notes += (own.note,)
        return replace(plan, notes=advice + notes + self._load_notes(), scope=self.screening.scope)

    @property
    def running_advice(self) -> RunningAdvice | None:
        """For a runner who runs on their own before the ladder: what to do about running,
        judged from their runs (`core.running_advice`, KC-RUN-PAUSE); else None."""
        if self.today is None or self.screening.referral.needed:
            return None
        return advise(
            self.profile, self.status.phase, self.runs, self.sessions, self.checkins, self.today
        )

    def _load_notes(self) -> tuple[Reason, ...]:
        """In the maintain phase: this week's running target after the ladder, or a distance
        guard from last week's running."""
        if self.status.phase is not Phase.MAINTAIN or self.today is None:
            return ()
        target = self.status.run_target
        if target is not None:
            spaced = (
                f", on days that are never next to each other until "
                f"{target.spaced_until.isoformat()}"
                if target.spaced(self.today)
                else ""
            )
            return (
                Reason(
                    "LOAD-SPIKE",
                    f"This week's running: {target.weekly_km:.1f} km over "
                    f"{target.runs_per_week} runs (about {target.per_run_km:g} km each){spaced}. "
                    f"It grows about {round(rules.RUN_BUILD_STEP * 100)}% a week while runs "
                    f"stay at {say('$PASS_MAX_PAIN')} or less and the mornings settle, never more than "
                    f"{rules.LOAD_SPIKE_PCT:g}% above what you ran the week before"
                    + (
                        f", and never above {target.weekly_km:g} km, the weekly cap your physio set."
                        if self.status.clinician.weekly_run_cap_km == target.weekly_km
                        else "."
                    ),
                ),
                Reason(
                    "R12",
                    say(
                        "Keep $MAINTAIN_STRENGTH_DAYS strength sessions a week: they are what "
                        "keeps the knee pain-free as the running grows."
                    ),
                ),
            )
        if not self.runs:
            return ()
        weeks = weekly_load(
            list(self.runs), list(self.checkins), list(self.sessions), self.today, 2
        )
        if len(weeks) < 2 or weeks[-2].distance_km <= 0:
            return ()
        last = weeks[-2].distance_km
        cap = last * (1 + rules.LOAD_SPIKE_PCT / 100)
        physio = self.status.clinician.weekly_run_cap_km
        notes = [
            Reason(
                "LOAD-SPIKE",
                f"Last week you ran {last:.1f} km: keep this week under about {cap:.1f} km "
                f"(no more than {say('$LOAD_SPIKE_PCT')} more), and hold the distance if the "
                "knee grumbles.",
            )
            if physio is None or physio >= cap
            else Reason(
                "KC-CLINICIAN",
                f"Last week you ran {last:.1f} km: keep this week under {physio:g} km, the "
                "weekly cap your physio set, and hold the distance if the knee grumbles.",
            )
        ]
        since = self.status.phase_since
        if since is not None and (self.today - since).days < rules.DOWNHILL_AFTER_DAYS:
            notes.append(
                Reason(
                    "LOAD-DOWNHILL",
                    "Keep to level routes for now: downhill running comes back last, after "
                    f"{rules.DOWNHILL_AFTER_DAYS // 7} weeks of running without a flare, a short "
                    "gentle descent at a time.",
                )
            )
        return tuple(notes)


def ladder_runs(
    runs: tuple[RunRecord, ...], sessions: tuple[SessionLog, ...], since: dt.date
) -> list[LadderRun]:
    """Runs as the ladder sees them: an imported run and a hand-logged run on the same day are
    one run (the file gives distance and downhill, the log gives pain)."""
    imported = {r.date: r for r in runs if r.is_run and r.date >= since}
    logged = {
        s.date: e
        for s in sessions
        for e in s.entries
        if e.exercise == "running" and s.date >= since
    }
    out = []
    for day in sorted(set(imported) | set(logged)):
        r, e = imported.get(day), logged.get(day)
        distance = r.summary.distance_m / 1000 if r else (e.distance_km if e else None)
        out.append(
            LadderRun(
                date=day,
                distance_km=distance,
                pain_during=e.pain_during if e else None,
                sharp=e.sharp if e else False,
                downhill_m=r.summary.downhill_m if r else None,
            )
        )
    return out
