"""Where the runner stands on the way back to running: the read-model behind `kneecap rtr`
(and its `--json`). Before the ladder: the RTR-ENTRY criteria, each met or not, and for a runner
who runs on their own the advice on their runs (`own_running`, `core.running_advice`). On the
ladder: the stage, the passes at it, the next run and what moves it on. After it: this week's
target."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecap.core import criteria, rtr
from kneecap.core.phases import Phase
from kneecap.core.progress import facts_of
from kneecap.core.rulebook import say
from kneecap.core.running_advice import Advice, RunningAdvice
from kneecap.programme import Programme

LOOK_AHEAD_DAYS = 14  # how far the next run is looked for in the plan

MOVES_ON = (
    f"Two runs that pass move you up a stage: pain {rtr.PASS_MAX_PAIN}/10 or less during, "
    "settled by the next morning, no swelling or limp (log the morning check-in).",
    f"An amber run (pain {rtr.PASS_MAX_PAIN + 1}-{rtr.AMBER_MAX_PAIN}/10, slower to settle, a "
    "hilly or over-long route, or no morning check-in) repeats the stage.",
    f"A red one (pain above {rtr.AMBER_MAX_PAIN}/10, sharp pain, swelling, a limp or a worse "
    "morning) drops you back one stage; it is one flare-up, however it shows.",
)


def running_status(p: Programme, today: dt.date) -> dict[str, Any]:
    status = p.status
    view: dict[str, Any] = {
        "date": today.isoformat(),
        "phase": status.phase.value,
        "stage": status.stage,
        "stage_text": None,
        "passes": None,
        "passes_needed": rtr.PASSES_TO_ADVANCE,
        "next_run": _next_run(p, today),
        "moves_on": [],
        "latest": None,
        "criteria": [],
        "weekly_target": None if status.run_target is None else status.run_target.to_dict(),
        "headline": "",
        "lines": [],
        "own_running": None,
    }
    latest = status.latest("running")
    view["latest"] = (
        None if latest is None else {"date": latest.date.isoformat(), "reason": latest.reason}
    )
    lines: list[str] = []
    if status.phase is Phase.RETURN_TO_RUN:
        at = rtr.stage(status.stage or 1)
        view.update(stage_text=at.text(), passes=status.stage_passes, moves_on=list(MOVES_ON))
        view["headline"] = f"Return to run, {at.text()}."
        lines.append(
            f"Passes at this stage: {status.stage_passes} of {rtr.PASSES_TO_ADVANCE}"
            + (
                " (the last stage: two passes and you are back to continuous running)"
                if at.number == len(rtr.LADDER)
                else ""
            )
        )
        lines += list(MOVES_ON)
    elif status.phase is Phase.MAINTAIN:
        view["headline"] = "Back to running: the maintain phase."
        target = status.run_target
        if target is not None:
            lines.append(
                f"This week: {target.weekly_km:.1f} km over {target.runs_per_week} runs "
                f"(about {target.per_run_km:g} km each)."
            )
            if target.spaced(today):
                lines.append(
                    "Runs stay on days that are never next to each other until "
                    f"{target.spaced_until.isoformat()}."
                )
        lines.append(
            say("Keep $MAINTAIN_STRENGTH_DAYS strength sessions a week (R12); ")
            + "bring downhills back last."
        )
    elif (own := p.running_advice) is not None:
        view["own_running"] = own_running(own)
        view["headline"] = (
            f"You run on your own in the {status.phase.label.lower()} phase. {own.headline}"
        )
        lines += view["own_running"]["lines"]
        facts = facts_of(status, p.sessions, p.checkins, today)
        view["criteria"] = [c.to_dict() for c in criteria.rtr_entry(facts)]
    else:
        view["headline"] = (
            f"Not running yet: the {status.phase.label.lower()} phase. Running comes back "
            "through the walk/run ladder, after the build phase and the entry check."
        )
        facts = facts_of(status, p.sessions, p.checkins, today)
        view["criteria"] = [c.to_dict() for c in criteria.rtr_entry(facts)]
    nxt = view["next_run"]
    if nxt is not None:
        when = dt.date.fromisoformat(nxt["date"])
        lines.insert(
            0 if status.phase is not Phase.RETURN_TO_RUN else 1,
            f"Next run: {'today' if when == today else when.strftime('%a %d %b')}, {nxt['dose']}.",
        )
    if latest is not None:
        lines.append(f"Latest ({latest.date.isoformat()}): {latest.reason}")
    view["lines"] = lines
    return view


THE_WAY_BACK = (
    "the walk/run ladder is the way back: after the build phase and the run check (RTR-ENTRY), "
    "easy runs on level ground, stage by stage (RTR-LADDER)."
)


def own_running(advice: RunningAdvice) -> dict[str, Any]:
    """The advice for a runner who runs on their own before the ladder, as every face shows it
    (docs/json.md): `advice`, `headline` and `rule`, the `reasons` with their rules, the runs
    judged, and `lines`, the reasons in words with their rule ids (the terminal's)."""
    view = advice.to_dict()
    paused = advice.advice is Advice.PAUSE
    view["ladder"] = ("While running pauses, " if paused else "If running has to pause, ") + (
        THE_WAY_BACK
    )
    view["lines"] = [f"{r['text']} ({r['rule']})" for r in view["reasons"]] + [view["ladder"]]
    return view


def own_running_of(p: Programme) -> dict[str, Any] | None:
    """`own_running` for Today and Runs: None unless the runner runs on their own before the
    ladder."""
    advice = p.running_advice
    return None if advice is None else own_running(advice)


def _next_run(p: Programme, today: dt.date) -> dict[str, Any] | None:
    if p.status.phase not in (Phase.RETURN_TO_RUN, Phase.MAINTAIN):
        return None
    plan = p.plan(today, today + dt.timedelta(days=LOOK_AHEAD_DAYS - 1))
    for day in plan.days:
        for session in day.sessions:
            if session.kind == "run":
                item = session.items[0]
                return {
                    "date": day.date.isoformat(),
                    "dose": item.dose(),
                    "minutes": item.minutes,
                    "distance_km": item.distance_km,
                    "stage": None if item.run_stage is None else item.run_stage.number,
                    "cadence_spm": item.cadence_spm,
                }
    return None


ENTRY_RESULT_KEYS = ("date", "passed", "unmet", "faults", "phase", "stage", "rule")  # the JSON


def entry_result(p: Programme, entry: rtr.EntryCheck) -> dict[str, Any]:
    """What a recorded entry check (RTR-ENTRY) comes to, read back from the programme: passed
    only when the walk/run ladder has started on it; else the criteria still unmet, each with
    what to do; and any movement-quality fault with the exercise to go back to. The CLI's
    `rtr check` and the web's run check say the same."""
    status = p.status
    criteria = status.entry_criteria
    unmet = [c for c in criteria if not c.met]
    return {
        "date": entry.date.isoformat(),
        "passed": status.phase is Phase.RETURN_TO_RUN and status.entry == entry and not unmet,
        "unmet": [
            {k: v for k, v in c.to_dict().items() if k in ("id", "criterion", "rule", "reason")}
            for c in unmet
        ],
        "faults": [
            {
                "fault": f.key,
                "exercise": f.exercise,
                "text": f"{f.seen.capitalize()}: it does not fail the check, but go back to the "
                f"{f.exercise.replace('-', ' ')} in your sessions ({f.cue}).",
            }
            for f in entry.faults()
        ],
        "phase": status.phase.value,
        "stage": status.stage,
        "rule": "RTR-ENTRY",
        "already": not criteria,  # already past the check: nothing left to judge
        "first_stage": rtr.stage(1).text(),
    }
