"""The printable documents' data: the week's exercise handout and the progress report for a
clinician, gathered from the programme as the view-models `kneecap.render.documents` prints.

Every number in the pain rules comes from the rule registry (`core.rulebook.say`), with the
runner's own limits where a clinician changed them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from kneecap import DISCLAIMER
from kneecap.app import read
from kneecap.app.context import Home
from kneecap.app.errors import BadInput
from kneecap.app.preferences import preferences
from kneecap.core import akps as kujala
from kneecap.core import decisions, rtr
from kneecap.core import progress as prog
from kneecap.core.catalogue import Kind
from kneecap.core.decision import Action, Decision
from kneecap.core.phases import Phase
from kneecap.core.rulebook import Rule, say, with_values
from kneecap.core.running import monday, weekly_load
from kneecap.core.screening import RED_FLAGS
from kneecap.programme import Programme
from kneecap.render.documents.model import (
    A4,
    LETTER,
    AkpsScore,
    ClearanceNote,
    Event,
    Flag,
    Handout,
    HandoutExercise,
    Report,
    ReportWeek,
)
from kneecap.render.units import distance

DEFAULT_USER = "me"  # the name data is kept under when nobody named it (Settings.user)
NOBODY = "Your programme"
REPORT_WEEKS = 8  # the report's period unless asked: the last eight weeks
MAX_REPORT_DAYS = 2 * 366  # at most about two years in one report
EVENTS_SHOWN = 14  # the newest decisions that mattered in a report, then "and N more"
FIGURED = (Kind.STRENGTH, Kind.STRETCH, Kind.SOFT_TISSUE)  # what has a figure (render/figures)


def who(home: Home) -> str:
    """The runner's name on a document: the name the data is kept under, unless it is the
    default one."""
    name = home.store.person_name(home.person).strip()
    return NOBODY if not name or name == DEFAULT_USER else name


def _paper(letter: bool) -> str:
    return LETTER if letter else A4


def pain_rules(p: Programme) -> tuple[tuple[str, str], ...]:
    """The pain-monitoring model in one box (PMM-1..4, PMM-SHARP), in the Learn topic's words,
    with the runner's limit in the current phase and their own step."""
    numbers = with_values(
        PMM1_ACCEPTABLE_PAIN_NRS=p.profile.limit_in(p.status.phase),
        SESSIONS_TO_PROGRESS=p.profile.limits.sessions_to_progress,
    )
    if p.profile.adolescent:
        stricter = " This is the stricter limit for teenagers."
    elif p.status.phase is Phase.SETTLE:
        stricter = " This is the stricter limit of the settle phase."
    else:
        stricter = ""
    return (
        (
            "During exercise",
            say(
                "Pain up to $PMM1_ACCEPTABLE_PAIN_NRS is acceptable: some discomfort is normal "
                "and the work is still helping. Above $PMM1_ACCEPTABLE_PAIN_NRS is too much: "
                "stop that exercise for today.",
                numbers,
            )
            + stricter,
        ),
        (
            "After a session",
            "Pain may reach the same limit, but it should have settled by the next morning. If "
            "the knee is worse the next morning, the load comes down.",
        ),
        (
            "Week to week",
            "Pain and stiffness should not creep up from one week to the next. If they do, the "
            "load is too high, even if each session felt fine.",
        ),
        (
            "Sharp pain",
            "Sharp, stabbing or catching pain means stop that exercise straight away; do not "
            "push through it. If the sharp pain comes back, see a physiotherapist.",
        ),
        (
            "Moving on",
            say(
                "After $SESSIONS_TO_PROGRESS sessions in a row within the limit and settled by "
                "the next morning, the exercise steps up.",
                numbers,
            ),
        ),
    )


def when_to_see() -> str:
    """When to see a clinician (RF-URGENT, RF-SOON), for a document's foot."""
    return say(
        "Get medical help the same day if the knee is hot, red and swollen with a fever, or you "
        "cannot lift the leg straight or take four steps. See a clinician if the knee locks, "
        "gives way or swells, if sharp pain keeps coming back, or if there is no improvement "
        "after $REVIEW_AFTER_DAYS of doing the programme."
    )


def handout(home: Home, letter: bool = False) -> Handout:
    """This week's exercises (Monday to Sunday; the programme's first week before it starts)
    with their doses, cues and figures, and the pain rules."""
    p = read.programme(home)
    today = home.clock.today()
    first = monday(max(today, p.profile.start_date))
    planned = read.plan_for(home, p, first, 7)
    plan = planned.plan
    days: dict[str, list[str]] = defaultdict(list)
    chosen: dict[str, HandoutExercise] = {}
    for day in plan.days:
        for session in day.sessions:
            for item in session.items:
                e = p.catalogue[item.exercise]
                weekday = f"{day.date:%a}"
                if weekday not in days[e.id]:
                    days[e.id].append(weekday)
                if e.id not in chosen:
                    chosen[e.id] = HandoutExercise(
                        e.id,
                        e.name,
                        item.dose(),
                        (),
                        e.summary,
                        tuple(e.cues[:3]),
                        e.kind in FIGURED,
                    )
    out = [
        HandoutExercise(x.id, x.name, x.dose, tuple(days[x.id]), x.summary, x.cues, x.figure)
        for x in chosen.values()
    ]
    on_hold = (
        tuple(f"{r.text} {r.action or ''}".strip() for r in plan.referral.reasons)
        if plan.referral.needed
        else ()
    )
    return Handout(
        who=who(home),
        first=first,
        last=first + dt.timedelta(days=6),
        phase=plan.phase.label,
        purpose=plan.phase.purpose,
        exercises=tuple(x for x in out if x.figure),
        others=tuple(x for x in out if not x.figure),
        pain_rules=pain_rules(p),
        on_hold=on_hold,
        when_to_see=when_to_see(),
        disclaimer=DISCLAIMER,
        paper=_paper(letter),
    )


def report_period(
    p: Programme, today: dt.date, first: dt.date | None, last: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The report's dates: `last` (today unless given) back to `first` (the last eight weeks'
    Monday unless given); both within the data (from the programme's start, or the first
    record, to today) and at most about two years apart. BadInput with the reason."""
    records = [p.profile.start_date, *(s.date for s in p.sessions), *(c.date for c in p.checkins)]
    records += [r.date for r in p.runs] + [d for d, _ in p.akps]
    start = min(records)
    end = today if last is None else last
    problems = []
    if end > today:
        problems.append(f"to: {end.isoformat()} is in the future (today is {today.isoformat()})")
    if end < start:
        problems.append(f"to: {end.isoformat()} is before the first record ({start.isoformat()})")
    if first is None:
        begin = max(start, monday(end) - dt.timedelta(weeks=REPORT_WEEKS - 1))
    else:
        begin = first
        if first < start:
            problems.append(
                f"from: {first.isoformat()} is before the first record ({start.isoformat()})"
            )
        if first > end:
            problems.append(f"from: {first.isoformat()} is after to ({end.isoformat()})")
        if (end - first).days > MAX_REPORT_DAYS:
            problems.append(
                f"from/to: {(end - first).days + 1} days; a report covers two years at most"
            )
    if problems:
        raise BadInput(*problems)
    return begin, end


def _worst(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _name(p: Programme, exercise: str | None) -> str | None:
    if exercise is None:
        return None
    return p.catalogue[exercise].name if exercise in p.catalogue else exercise


def _kind(d: Decision) -> str | None:
    """What a decision that matters to a clinician is called in the report; None for the rest
    (the holds and progressions of every session, the weekly running target)."""
    if d.to_phase is not None:
        if d.rule == Rule.KC_PHASE_FLARE:
            return f"flare-up: back to {d.to_phase.label}"
        if d.to_phase is Phase.RETURN_TO_RUN:
            return "return to running begins"
        if d.from_phase is Phase.RETURN_TO_RUN and d.to_phase is Phase.MAINTAIN:
            return "back to continuous running"
        order = list(Phase)
        back = d.from_phase is not None and order.index(d.to_phase) < order.index(d.from_phase)
        return f"{'phase step back' if back else 'phase change'}: {d.to_phase.label}"
    if d.rule == Rule.PMM_SHARP:
        return "sharp pain"
    if d.rule == Rule.RTR_RULES and d.action is Action.PROGRESS:
        return "ladder stage up"
    if d.rule == Rule.RTR_RULES and d.action is Action.REGRESS:
        return "ladder stage down"
    if d.action is Action.STOP:
        return "stopped"
    if d.action is Action.SUBSTITUTE:
        return "easier variant" if d.to_exercise else "substitute"
    if d.exercise is None and d.action is Action.HOLD:
        return "progress on hold"  # the whole programme: PMM-3, rising pain or stiffness
    if d.action is Action.REGRESS and d.rule == Rule.KC_GAP:
        return "restart after a break"
    if d.action is Action.REGRESS:
        return "load eased"  # pain above the limit, a worse morning, swelling (PMM-2, PMM-4)
    return None


# Kinds whose decisions, exercise after exercise and day after day, are one episode: a bad
# spell eases every exercise done in it, a break restarts every exercise one step lower.
EPISODES = frozenset({"load eased", "restart after a break", "sharp pain"})
EPISODE_GAP_DAYS = 3  # eased loads within three days of one another are one episode
NAMES_SHOWN = 3  # exercises named in one row, then "and N more"


def _names(names: list[str]) -> str:
    if len(names) <= NAMES_SHOWN:
        return ", ".join(names)
    return f"{', '.join(names[:NAMES_SHOWN])} and {len(names) - NAMES_SHOWN} more"


def mattering(
    p: Programme, begin: dt.date, end: dt.date, decided: tuple[Decision, ...]
) -> list[Event]:
    """The decisions that matter to a clinician between `begin` and `end`, oldest first: phase
    changes, flare-ups, sharp pain, easier variants and stops, the ladder's stages, whole-
    programme holds, and spells of eased loads or restarts. Repeated holds are one row with a
    count (`core.decisions.collapse`), and one episode across exercises and nearby days is one
    row naming the exercises."""
    groups: list[tuple[str, list[decisions.DecisionRow]]] = []
    for row in decisions.collapse(decided):
        kind = _kind(row.decision)
        if kind is None or row.last < begin or row.first > end:
            continue
        if groups and groups[-1][0] == kind:
            last = groups[-1][1][-1]
            near = (row.first - last.last).days <= EPISODE_GAP_DAYS
            same = row.first == last.first and row.decision.reason == last.decision.reason
            if (kind in EPISODES and near) or same:
                groups[-1][1].append(row)
                continue
        groups.append((kind, [row]))
    events = []
    for kind, rows in groups:
        d = rows[0].decision
        names: list[str] = []
        for row in rows:
            name = _name(p, row.decision.exercise) or "programme"
            to = row.decision.to_exercise
            if to is not None and to != row.decision.exercise:
                name += f" → {_name(p, to)}"
            if name not in names:
                names.append(name)
        rules = list(dict.fromkeys(str(row.decision.rule) for row in rows))
        days = {row.first for row in rows} | {row.last for row in rows}
        count = rows[0].count if len(rows) == 1 else len(days)
        begun, ended = min(r.first for r in rows), max(r.last for r in rows)
        events.append(Event(begun, ended, count, kind, _names(names), d.reason, ", ".join(rules)))
    return events


def _holds_and_clearances(
    flags: tuple[Flag, ...], clearances: tuple[ClearanceNote, ...], begin: dt.date, end: dt.date
) -> list[Event]:
    """A warning sign raised (the plan waits for a clinician) and each clearance, as events."""
    out = [
        Event(f.raised_on, f.raised_on, 1, "on hold: warning sign", "programme", f.text, f.rule)
        for f in flags
        if f.raised_on is not None and begin <= f.raised_on <= end
    ]
    out += [
        Event(
            c.date,
            c.date,
            1,
            "cleared by a clinician",
            c.clinician + (f", {c.profession}" if c.profession else ""),
            c.note or "",
            ", ".join(c.flags),
        )
        for c in clearances
        if begin <= c.date <= end
    ]
    return out


def report(
    home: Home,
    first: dt.date | None = None,
    last: dt.date | None = None,
    letter: bool = False,
) -> Report:
    """The progress report for `first`..`last` (the last eight weeks unless given)."""
    p = read.programme(home)
    today = home.clock.today()
    begin, end = report_period(p, today, first, last)
    units = preferences(home).units
    weeks = [
        w
        for w in prog.weeks(
            p.profile, p.catalogue, p.screening, p.status, p.sessions, p.checkins, end
        )
        if w.start >= monday(begin)
    ]
    count = (monday(end) - monday(begin)).days // 7 + 1
    runs = [r for r in p.runs if r.is_run and r.date <= end]
    load = {w.start: w for w in weekly_load(runs, [], [], end, count)}
    during: dict[dt.date, list[int | None]] = defaultdict(list)
    for s in p.sessions:
        if begin <= s.date <= end:
            during[monday(s.date)] += [e.pain_during for e in s.entries]
    run_pain: dict[dt.date, list[tuple[int | None, int | None]]] = defaultdict(list)
    for r in runs:
        run_pain[monday(r.date)].append((r.pain_during, r.pain_next_morning))
    rows = []
    for w in weeks:
        lw = load.get(w.start)
        rows.append(
            ReportWeek(
                start=w.start,
                morning=None if w.morning is None else round(w.morning, 1),
                during=_worst(list(during.get(w.start, []))),
                planned=w.planned,
                done=w.done,
                extra=w.extra,
                runs=lw.runs if lw else 0,
                distance=distance(lw.distance_km, units, 1) if lw else 0.0,
                downhill=distance(lw.downhill_km, units, 1) if lw else 0.0,
                run_pain_during=_worst([a for a, _ in run_pain.get(w.start, [])]),
                run_pain_morning=_worst([b for _, b in run_pain.get(w.start, [])]),
            )
        )
    scores, history = [], []
    previous = None
    for date, score in p.akps:
        result = kujala.Result(date, score, previous)
        if date <= end:
            history.append(AkpsScore(date, score, result.change, result.meaningful))
        if begin <= date <= end:
            scores.append(history[-1])
        previous = score
    flags = tuple(
        Flag(
            name,
            RED_FLAGS[name].rule if name in RED_FLAGS else "",
            RED_FLAGS[name].text if name in RED_FLAGS else name.replace("_", " "),
            home.store.flag_raised_on(home.person, name),
            name in p.cleared,
        )
        for name in sorted(p.profile.red_flags.raised())
    )
    clearances = tuple(
        ClearanceNote(day, clinician, profession, tuple(sorted(cleared)), note)
        for day, clinician, profession, cleared, note in home.store.clearance_notes(home.person)
    )
    events = sorted(
        mattering(p, begin, end, p.status.decisions)
        + _holds_and_clearances(flags, clearances, begin, end),
        key=lambda e: e.first,
    )
    shown = events[-EVENTS_SHOWN:]
    stage = None
    if p.status.phase is Phase.RETURN_TO_RUN:
        stage = f"on the walk/run ladder, {rtr.stage(p.status.stage or 1).text()}"
    elif p.status.came_through_ladder:
        stage = "back to continuous running"
    return Report(
        who=who(home),
        first=begin,
        last=end,
        made=today,
        phase=p.status.phase.label,
        phase_since=p.status.phase_since,
        stage=stage,
        weeks=tuple(rows),
        akps=tuple(scores),
        akps_history=tuple(history),
        akps_baseline=p.akps[0][1] if p.akps else None,
        meaningful_change=kujala.MEANINGFUL_CHANGE,
        events=tuple(reversed(shown)),
        events_left_out=len(events) - len(shown),
        flags=flags,
        clearances=clearances,
        units=units,
        disclaimer=DISCLAIMER,
        when_to_see=when_to_see(),
        paper=_paper(letter),
    )
