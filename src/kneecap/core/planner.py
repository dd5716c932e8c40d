"""The weekly plan generator: profile + catalogue + screening + dates -> Plan.

Pure and deterministic. The rules it follows, each traced to MISSION/CLINICAL ids:
- strength on available days only, never two days in a row (R4 and the MISSION resolution of
  the guide's "every other day" versus "4-5 times a week"), 3 a week where the days allow;
- each strength day follows the guide's session shape (R13): warm-up, 3-4 strength exercises
  (CPG-EDU), stretches (R5), foam rolling (R6), trimmed to fit the runner's minutes;
- other available days get a short stretch + soft-tissue session, and up to two of them
  low-impact cardio the runner has access to (R10);
- equipment and access are respected; avoided movements are never prescribed (R8).

Which exercises fill each session is data: the catalogue's session templates
(`catalog/templates.yaml`, checked at load), so this module names no exercise.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from kneecap.core import rtr, rules
from kneecap.core.catalogue import Catalogue, Exercise, Kind, SessionTemplates, Slot
from kneecap.core.engine import Status
from kneecap.core.phases import Phase
from kneecap.core.plan import Day, Item, Plan, Session
from kneecap.core.prescription import Prescription, minutes, starting
from kneecap.core.profile import CrossTraining, Equipment, Profile, Weekday
from kneecap.core.rulebook import Rule, say
from kneecap.core.screening import Reason, Screening
from kneecap.core.weekly import spread_weekdays, strength_weekdays

_BAND_PHASES = (Phase.BUILD, Phase.RETURN_TO_RUN, Phase.MAINTAIN)
_TEMPLATE_CYCLE_DAYS = 14  # A/B templates alternate by strength day: two weeks show both


@dataclass(frozen=True)
class _Ctx:
    profile: Profile
    catalogue: Catalogue
    phase: Phase
    status: Status | None = None
    cadence_cue: int | None = None
    recent_pain: int | None = None  # worst pain over the last two weeks, when logged across them

    @property
    def templates(self) -> SessionTemplates:
        return self.catalogue.templates

    @property
    def physio_set(self) -> bool:
        pain = self.profile.pain
        return pain.worst_last_week >= rules.MODERATE_PAIN_NRS or pain.sharp

    def usable(self, exercise_id: str) -> Exercise | None:
        e = self.catalogue.get(exercise_id)
        if e is None or e.kind is Kind.AVOID or self.phase not in e.phases:
            return None
        if not e.usable_with(self.profile.equipment, self.profile.cross_training):
            return None
        if self.status is not None and any(
            t.stopped and exercise_id in (t.root, t.exercise) for t in self.status.tracks.values()
        ):
            return None  # stopped after repeated sharp pain (PMM-SHARP)
        if self.status is not None and exercise_id in self.status.clinician.removed:
            return None  # taken out by the clinician (KC-CLINICIAN)
        return e

    def item(
        self, e: Exercise, block: str, sets: int | None = None, minutes_: int | None = None
    ) -> Item:
        """An item at the engine's current dose (or the phase's starting dose), with fewer sets
        or minutes when trimmed to fit; a substitute from the engine takes the exercise's place."""
        banded = self.phase in _BAND_PHASES and Equipment.BAND in self.profile.equipment
        p = starting(e, self.phase, load_index=1 if banded else 0)
        decision = None
        track = self.status.track_for(e.id) if self.status else None
        if track is not None and self.status is not None:
            decision = self.status.latest(e.id)
            doing = self.catalogue.get(track.exercise)
            if doing is not None and doing.usable_with(
                self.profile.equipment, self.profile.cross_training
            ):
                e, p = doing, track.dose
        p = replace(p, sets=sets or p.sets, minutes=minutes_ or p.minutes)
        return Item(e.id, block, p, minutes(e, p), decision)


@dataclass(frozen=True)
class _Draft:
    """A session's blocks before trimming; `trims` says what was cut to fit the minutes."""

    warm_up: tuple[Item, ...] = ()
    strength: tuple[Item, ...] = ()
    stretch: tuple[Item, ...] = ()
    rolling: tuple[Item, ...] = ()
    trims: tuple[str, ...] = field(default=())

    @property
    def items(self) -> tuple[Item, ...]:
        return self.warm_up + self.strength + self.stretch + self.rolling

    @property
    def minutes(self) -> float:
        return sum(i.minutes for i in self.items)


_Trim = tuple[str, Callable[[_Draft, _Ctx], _Draft]]


def _shorter(items: tuple[Item, ...], ctx: _Ctx, minutes_: int) -> tuple[Item, ...]:
    return tuple(ctx.item(ctx.catalogue[i.exercise], i.block, minutes_=minutes_) for i in items)


_STRETCH_ONCE: _Trim = (
    "stretches held once per side instead of twice",
    lambda d, c: replace(
        d,
        stretch=tuple(
            c.item(c.catalogue[i.exercise], i.block, sets=1) if i.prescription.sets else i
            for i in d.stretch
        ),
    ),
)
_NO_DRILLS: _Trim = (
    "mobility drills left out",
    lambda d, c: replace(d, stretch=tuple(i for i in d.stretch if i.block != "mobility")),
)
_STRENGTH_DAY_TRIMS: tuple[_Trim, ...] = (
    _STRETCH_ONCE,
    ("foam rolling cut to two areas", lambda d, c: replace(d, rolling=d.rolling[:2])),
    ("a 3-minute warm-up", lambda d, c: replace(d, warm_up=_shorter(d.warm_up, c, 3))),
    _NO_DRILLS,
    ("three strength exercises instead of four", lambda d, c: replace(d, strength=d.strength[:3])),
    ("two stretches only", lambda d, c: replace(d, stretch=d.stretch[:2])),
    ("no foam rolling in the strength session", lambda d, c: replace(d, rolling=())),
    ("no stretching in the strength session", lambda d, c: replace(d, stretch=())),
    ("a 2-minute warm-up", lambda d, c: replace(d, warm_up=_shorter(d.warm_up, c, 2))),
    ("two strength exercises", lambda d, c: replace(d, strength=d.strength[:2])),
    ("one strength exercise", lambda d, c: replace(d, strength=d.strength[:1])),
)
_MOBILITY_DAY_TRIMS: tuple[_Trim, ...] = (
    _STRETCH_ONCE,
    ("foam rolling cut to two areas", lambda d, c: replace(d, rolling=d.rolling[:2])),
    _NO_DRILLS,
    ("two stretches only", lambda d, c: replace(d, stretch=d.stretch[:2])),
    ("foam rolling cut to one area", lambda d, c: replace(d, rolling=d.rolling[:1])),
    ("no foam rolling", lambda d, c: replace(d, rolling=())),
    ("one stretch only", lambda d, c: replace(d, stretch=d.stretch[:1])),
)


def _fit(draft: _Draft, ctx: _Ctx, budget: float, trims: Sequence[_Trim]) -> _Draft | None:
    """Apply trims in order until the draft fits `budget` minutes; None if it never does."""
    for description, trim in trims:
        if draft.minutes <= budget:
            break
        trimmed = trim(draft, ctx)
        if trimmed.items != draft.items:
            draft = replace(trimmed, trims=(*draft.trims, description))
    return draft if draft.minutes <= budget and draft.items else None


def _strength_items(ctx: _Ctx, slots: tuple[Slot, ...]) -> tuple[Item, ...]:
    chosen: list[Item] = []
    for slot in slots:
        for exercise_id in slot:
            e = ctx.usable(exercise_id)
            if e is None:
                continue
            item = ctx.item(e, "strength")
            if all(i.exercise != item.exercise for i in chosen):
                chosen.append(item)
                break
    chosen = chosen[: rules.EXERCISES_PER_STRENGTH_SESSION]
    for exercise_id in ctx.status.clinician.added if ctx.status else ():
        e = ctx.usable(exercise_id)  # added by the clinician (KC-CLINICIAN)
        if e is not None and all(i.exercise != e.id for i in chosen):
            chosen.append(ctx.item(e, "strength"))
    return tuple(chosen)


def _stretch_and_roll(ctx: _Ctx) -> tuple[tuple[Item, ...], tuple[Item, ...]]:
    stretches = [ctx.item(e, "stretch") for i in ctx.templates.stretch if (e := ctx.usable(i))]
    if ctx.phase is Phase.SETTLE or ctx.physio_set:  # R9: stretching and mobility drills
        stretches += [
            ctx.item(e, "mobility") for i in ctx.templates.mobility if (e := ctx.usable(i))
        ]
    rolling = [ctx.item(e, "soft-tissue") for i in ctx.templates.rolling if (e := ctx.usable(i))]
    return tuple(stretches), tuple(rolling)


def _strength_session(ctx: _Ctx, index: int, budget: int) -> _Draft | None:
    rotation = ctx.templates.rotation(ctx.phase, ctx.physio_set)
    strength = _strength_items(ctx, rotation[index % len(rotation)])
    if not strength:
        return None
    warm = next((e for i in ctx.templates.warm_up if (e := ctx.usable(i))), None)
    stretch, rolling = _stretch_and_roll(ctx)
    draft = _Draft(
        warm_up=(ctx.item(warm, "warm-up"),) if warm else (),
        strength=strength,
        stretch=stretch,
        rolling=rolling,
    )
    return _fit(draft, ctx, budget, _STRENGTH_DAY_TRIMS)


def _mobility_session(ctx: _Ctx, budget: float, minimum_trims: int = 0) -> _Draft | None:
    stretch, rolling = _stretch_and_roll(ctx)
    draft = _Draft(stretch=stretch, rolling=rolling)
    for _description, trim in _MOBILITY_DAY_TRIMS[:minimum_trims]:
        draft = trim(draft, ctx)  # a deliberate shorter stretch beside cardio, not a budget cut
    return _fit(draft, ctx, budget, _MOBILITY_DAY_TRIMS[minimum_trims:])


def _timed_session(ctx: _Ctx, kind: str, exercise_id: str, budget: float) -> Session | None:
    """A cardio or run session. Cardio that does not fit the minutes is left out (and said so);
    a run is never dropped: it is its own session, and the notes say when it is longer than the
    runner's usual minutes (RTR-RULES: running is not silently taken away)."""
    e = ctx.usable(exercise_id)
    if e is None:
        return None
    item = ctx.item(e, kind)
    if kind != "run":
        return Session(kind, (item,)) if item.minutes <= budget else None
    item = replace(item, cadence_spm=ctx.cadence_cue)
    target = ctx.status.run_target if ctx.status else None
    if ctx.phase is Phase.RETURN_TO_RUN:
        at = rtr.stage((ctx.status.stage if ctx.status else None) or 1)
        item = replace(
            item,
            prescription=Prescription(minutes=at.minutes()),
            minutes=at.minutes(),
            run_stage=at,
            decision=ctx.status.latest(exercise_id) if ctx.status else None,
        )
    elif ctx.phase is Phase.MAINTAIN and target is not None:
        run_min = math.ceil(target.per_run_km * 1000 / rtr.RUN_SPEED_MPS / 60)
        item = replace(
            item,
            prescription=Prescription(minutes=run_min),
            minutes=run_min,
            distance_km=target.per_run_km,
            decision=ctx.status.latest(exercise_id) if ctx.status else None,
        )
    return Session(kind, (item,))


def _cardio_ids(ctx: _Ctx) -> list[str]:
    cardio = ctx.templates.cardio
    return [
        cardio[a]
        for a in CrossTraining
        if a in cardio and a in ctx.profile.cross_training and ctx.usable(cardio[a])
    ]


@dataclass(frozen=True)
class _Week:
    strength: tuple[int, ...]
    cardio: tuple[int, ...]
    run: tuple[int, ...]


def _week(ctx: _Ctx, first: dt.date) -> _Week:
    available = {d.number for d in ctx.profile.availability.days}
    target = (
        rules.MAINTAIN_STRENGTH_DAYS if ctx.phase is Phase.MAINTAIN else rules.STRENGTH_DAYS_TARGET
    )
    strength = strength_weekdays(available, target)
    others = available - set(strength)
    run: tuple[int, ...] = ()
    running = ctx.profile.running
    if ctx.phase is Phase.RETURN_TO_RUN and ctx.usable(ctx.templates.run):
        # RTR-LADDER: never two running days in a row, even across the week's end.
        run = strength_weekdays(others, rules.RTR_RUNS_PER_WEEK)
        others -= set(run)
    elif (
        ctx.phase is Phase.MAINTAIN
        and ctx.usable(ctx.templates.run)
        and (
            running.currently_running or (ctx.status is not None and ctx.status.came_through_ladder)
        )
    ):
        build = ctx.status.run_target if ctx.status else None
        if build is not None and build.spaced(first):
            # The first weeks back: never two running days in a row (RTR-RULES).
            run = strength_weekdays(others, build.runs_per_week)
        else:
            count = build.runs_per_week if build is not None else running.runs_per_week
            run = spread_weekdays(others, count, first=strength[0] + 1 if strength else 0)
        others -= set(run)
    cardio: tuple[int, ...] = ()
    if _cardio_ids(ctx):
        count = rules.CARDIO_SESSIONS_PER_WEEK - (1 if run else 0)
        cardio = spread_weekdays(others, count)
    return _Week(strength, cardio, run)


def build_plan(
    profile: Profile,
    catalogue: Catalogue,
    screening: Screening,
    first: dt.date,
    last: dt.date,
    phase: Phase | None = None,
    status: Status | None = None,
    cadence_cue: int | None = None,
    recent_pain: int | None = None,
) -> Plan:
    """The plan for the dates `first`..`last` (inclusive).

    Sessions rotate from `profile.start_date`, so any window of the same plan agrees with the
    whole. The phase is `phase`, else the engine `status`'s, else the screening's; the status
    also sets current doses, substitutes and stopped exercises. A withheld plan has no days.
    """
    phase = phase or (status.phase if status else screening.phase)
    if screening.referral.needed:
        return Plan(phase, screening.referral, (), screening.notes)
    ctx = _Ctx(profile, catalogue, phase, status, cadence_cue, recent_pain)
    week = _week(ctx, first)
    budget = profile.availability.minutes_per_session
    cardio_ids = _cardio_ids(ctx)
    trims: list[tuple[str, str]] = []  # (session kind, what was cut)
    kind_days: dict[str, int] = {}
    days: list[Day] = []
    strength_index = 0
    cardio_index = 0
    dropped_kinds: set[str] = set()
    day = profile.start_date
    while day <= last:
        weekday = day.weekday()
        sessions: list[Session] = []
        if day < first and (day - profile.start_date).days >= _TEMPLATE_CYCLE_DAYS:
            # Before the window only the rotation counters matter: counted, not walked, so the
            # cost does not grow with the time since the start. (The first two weeks are built
            # in full: they hold every template, so the notes match any window's.)
            strength_index += _count_weekdays(day, first, week.strength)
            cardio_index += _count_weekdays(day, first, week.cardio)
            day = first
            continue
        if weekday in week.strength:
            draft = _strength_session(ctx, strength_index, budget)
            strength_index += 1
            if draft is not None:
                sessions.append(Session("strength", draft.items))
                trims.extend(("strength", t) for t in dict.fromkeys(draft.trims))
                kind_days["strength"] = kind_days.get("strength", 0) + 1
        elif Weekday.of(day) in profile.availability.days:
            extra: tuple[str, str] | None = None
            if weekday in week.run:
                extra = ("run", ctx.templates.run)
            elif weekday in week.cardio:
                extra = ("cardio", cardio_ids[cardio_index % len(cardio_ids)])
                cardio_index += 1
            other, other_trims, dropped = _other_day(ctx, budget, extra)
            sessions.extend(other)
            if any(s.kind == "mobility" for s in other):
                trims.extend(("mobility", t) for t in dict.fromkeys(other_trims))
                kind_days["mobility"] = kind_days.get("mobility", 0) + 1
            if dropped is not None:
                dropped_kinds.add(dropped)
            if any(s.kind == "run" and s.minutes > budget for s in other):
                dropped_kinds.add("long-run")
        if day >= first and sessions:
            days.append(Day(day, tuple(sessions)))
        day += dt.timedelta(days=1)
    notes = screening.notes + _notes(
        ctx, week, _trim_words(trims, kind_days), cardio_ids, dropped_kinds
    )
    referral = screening.referral
    if any(r.rule == "R9" for r in referral.reasons):
        week_end = first + dt.timedelta(days=6)
        if last >= week_end:
            this_week = tuple(d for d in days if d.date <= week_end)
        else:  # a shorter window (one day): the set is named from the week it starts
            this_week = build_plan(
                profile, catalogue, screening, first, week_end, phase, status, cadence_cue
            ).days
        referral = replace(
            referral,
            reasons=tuple(
                _r9_reason(r, this_week, catalogue, recent_pain) if r.rule == "R9" else r
                for r in referral.reasons
            ),
        )
    return Plan(phase, referral, tuple(days), notes)


def physio_style(days: Sequence[Day], catalogue: Catalogue) -> tuple[str, ...]:
    """The names of the physio-style exercises (R9: low step-ups, squats to a chair, mobility
    drills) that `days` hold, in the order they first come."""
    ids = dict.fromkeys(
        i.exercise
        for d in days
        for s in d.sessions
        for i in s.items
        if (e := catalogue.get(i.exercise)) is not None and e.dose and e.dose.source == "R9"
    )
    return tuple(catalogue[i].name.lower() for i in ids)


def _r9_reason(
    reason: Reason, week: Sequence[Day], catalogue: Catalogue, recent_pain: int | None
) -> Reason:
    """R9's advice made true of this plan: it names the physio-style exercises this week
    holds (none named when it holds none), and what the check-ins say of the pain now."""
    text = reason.text
    names = physio_style(week, catalogue)
    if names:
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text += f" This week's plan draws on the physio-style set: {listed}."
    if recent_pain is not None and recent_pain < rules.MODERATE_PAIN_NRS:
        text += say(
            f" Your check-ins of the last two weeks put it at {recent_pain}/10 at most; this "
            "advice goes once they stay at $R9_SETTLED_PAIN_NRS or less for $R9_SETTLED_DAYS."
        )
    return replace(reason, text=text)


def _count_weekdays(first: dt.date, end: dt.date, weekdays: tuple[int, ...]) -> int:
    """How many days from `first` up to (not including) `end` fall on `weekdays`."""
    days = (end - first).days
    whole, rest = divmod(days, 7)
    return whole * len(weekdays) + sum(
        1 for n in range(rest) if (first + dt.timedelta(days=n)).weekday() in weekdays
    )


def _other_day(
    ctx: _Ctx, budget: int, extra: tuple[str, str] | None
) -> tuple[list[Session], tuple[str, ...], str | None]:
    """A non-strength day: the stretch + roll session and, when `extra` = (kind, exercise id) is
    given, a cardio or run session beside it. Returns the sessions, the trims made to fit, and
    the kind of extra session that had to be dropped because the minutes were too few."""
    timed = _timed_session(ctx, *extra, budget) if extra else None
    mobility = _mobility_session(ctx, budget - (timed.minutes if timed else 0), 1 if timed else 0)
    if timed is not None and mobility is None and timed.kind != "run":
        mobility = _mobility_session(ctx, budget)
        timed = None
    sessions = [Session("mobility", mobility.items)] if mobility else []
    if timed is not None:
        sessions.append(timed)
    dropped = extra[0] if extra and timed is None else None
    return sessions, mobility.trims if mobility else (), dropped


_KIND_WORDS = {"strength": "strength days", "mobility": "stretch-and-roll days"}


def _trim_words(trims: list[tuple[str, str]], kind_days: dict[str, int]) -> list[str]:
    """What was cut, per kind of session: "on strength days: ..." when every such day had the
    cut, "on some strength days: ..." otherwise, so the note is true of each day it speaks of."""
    out: list[str] = []
    for kind, words in _KIND_WORDS.items():
        counts: dict[str, int] = {}
        for k, t in trims:
            if k == kind:
                counts[t] = counts.get(t, 0) + 1
        every = [t for t, n in counts.items() if n >= kind_days.get(kind, 0)]
        some = [t for t, n in counts.items() if n < kind_days.get(kind, 0)]
        if every:
            out.append(f"on {words}, " + ", ".join(every))
        if some:
            out.append(f"on some {words}, " + ", ".join(some))
    return out


def _notes(
    ctx: _Ctx, week: _Week, trims: list[str], cardio_ids: list[str], dropped: set[str]
) -> tuple[Reason, ...]:
    profile = ctx.profile
    have = set(profile.equipment)
    between = (
        "; the days in between get a short stretch and foam-roll session"
        if len(profile.availability.days) > len(week.strength)
        else ""
    )
    notes: list[Reason] = [
        Reason(
            Rule.R4,
            f"Strength work is never on two days in a row, so muscles recover between sessions{between}.",
        )
    ]
    target = (
        rules.MAINTAIN_STRENGTH_DAYS
        if ctx.phase is Phase.MAINTAIN
        else rules.STRENGTH_DAYS_MIN_ADVISED
    )
    if len(week.strength) < target:
        names = ", ".join(list(Weekday)[d].value for d in week.strength) or "none"
        notes.append(
            Reason(
                Rule.R4,
                f"Only {len(week.strength)} strength day(s) a week ({names}) fit your available "
                f"days without back-to-back sessions; the guide suggests 3-4. Add a day that is "
                "not next to another to get the full dose.",
            )
        )
    if trims:
        cut = "; ".join(trims)
        shortest, longest = rules.SAMPLE_SESSION_MIN
        notes.append(
            Reason(
                Rule.R13,
                f"Your sessions are limited to {profile.availability.minutes_per_session} minutes, "
                f"shorter than the guide's {shortest}-{longest}-minute session, so some were "
                f"trimmed: {cut}.",
            )
        )
    if len(profile.availability.days) < 7:
        notes.append(
            Reason(
                Rule.R5,
                "Stretching works best daily; the plan only uses your available days, so add a "
                "few stretches before bed on the others if you can.",
            )
        )
    if Equipment.FOAM_ROLLER not in have and Equipment.BALL not in have:
        notes.append(
            Reason(
                Rule.R6,
                say(
                    "Without a foam roller or a ball the plan has no self-massage; about "
                    "$ROLL_BLOCK_MIN of rolling a day can ease tight spots."
                ),
            )
        )
    if Equipment.STEP not in have and ctx.phase is not Phase.SETTLE:
        notes.append(
            Reason(Rule.R3, "No step or stairs: step-ups are replaced by other knee exercises.")
        )
    if Equipment.BAND not in have and ctx.phase in _BAND_PHASES:
        notes.append(
            Reason(Rule.R7, "Band exercises need a resistance band; bodyweight versions are used.")
        )
    if "long-run" in dropped:
        budget = profile.availability.minutes_per_session
        notes.append(
            Reason(
                Rule.RTR_RULES,
                f"Your runs now take longer than your {budget}-minute sessions: each run is "
                "planned as its own session, so running is never left out. If that is too long "
                "for your days, you choose: give more minutes "
                "(kneecap profile set availability.minutes_per_session 60), or run the planned "
                "distance over fewer, shorter runs and tell your clinician.",
            )
        )
    for kind in sorted(dropped - {"long-run"}):
        what = "a run" if kind == "run" else "low-impact cardio"
        notes.append(
            Reason(
                Rule.R10 if kind == "cardio" else Rule.R13,
                f"Your {profile.availability.minutes_per_session}-minute sessions leave no room "
                f"for {what} (at least 20 minutes) beside the stretches, so it is left out; on a "
                "free day, a 20-minute session still helps.",
            )
        )
    if not cardio_ids:
        notes.append(
            Reason(
                Rule.R10,
                "Low-impact cardio (swimming, water running, cycling, elliptical) keeps your "
                "fitness while the knee heals; add the ones you can use to your profile.",
            )
        )
    notes.append(_running_note(ctx))
    if profile.symptomatic and ctx.phase is not Phase.MAINTAIN:
        quiet = ctx.recent_pain == 0
        notes.append(
            Reason(
                Rule.R8,
                (
                    "Your knee has been pain-free lately; still, until you are back to running, "
                    if quiet
                    else "While your knee hurts, "
                )
                + "skip deep squats, lunges, jump squats, box jumps and downhill running; "
                "swimming, cycling and the elliptical are safe swaps.",
            )
        )
    notes.append(
        Reason(
            Rule.CPG_PASSIVE,
            "Ice and foam rolling can ease soreness, but they are comfort measures: the "
            "strengthening is what treats runner's knee.",
        )
    )
    if profile.affected_side.value != "both":
        notes.append(
            Reason(
                Rule.CPG_EX,
                f"Your {profile.affected_side.value} knee is the one affected, but both legs "
                "are trained: per-side doses are for each leg.",
            )
        )
    return tuple(notes)


def _running_note(ctx: _Ctx) -> Reason:
    if ctx.phase is Phase.RETURN_TO_RUN:
        cue = (
            f" Aim for about {ctx.cadence_cue} steps a minute: slightly shorter, quicker steps "
            "ease the load on the kneecap (CAD-1)."
            if ctx.cadence_cue
            else ""
        )
        return Reason(
            Rule.RTR_LADDER,
            say(
                "Runs follow the walk/run ladder: easy effort, level ground, never two days in a "
                "row. Log pain during each run and the morning check-in after it: "
                "$PASSES_TO_ADVANCE runs that pass move you up a stage, a flare moves you back "
                "(RTR-RULES)."
            )
            + cue,
        )
    if ctx.phase is Phase.MAINTAIN:
        return Reason(
            Rule.LOAD_SPIKE,
            say(
                "Build weekly distance gradually: jumps of more than about $LOAD_SPIKE_PCT in a "
                "week are linked to injury. Add hills and downhills last."
            ),
        )
    return running_note_before_the_ladder(ctx.phase)


def running_note_before_the_ladder(phase: Phase) -> Reason:
    """The plan's general word on running before the ladder. For a runner who runs on their own
    the programme puts the advice on their own runs in its place (`core.running_advice`)."""
    if phase is Phase.SETTLE:
        return Reason(
            Rule.PMM_1,
            "No running for now: let the pain settle first and use low-impact cardio instead.",
        )
    return Reason(
        Rule.PMM_1,
        say(
            "Running comes back through a walk/run ladder later. If you keep running meanwhile, "
            "stay on level ground, keep pain during at $PMM1_ACCEPTABLE_PAIN_NRS or less, make "
            "sure it settles by the next morning, and cut downhill running first (PMM-2, "
            "LOAD-DOWNHILL)."
        ),
    )
