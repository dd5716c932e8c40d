"""Return to run in the web: the entry check (RTR-ENTRY) with its timed tests, and where the
runner stands on the walk/run ladder.

The check is one form that works without JavaScript (the runner times the tests and types the
seconds and reps); with it, each test has its timer in the player (player.js), which fills the
fields in. The result says what `kneecap rtr check` says: passed, or the criteria still unmet
with what to do about each, and any movement-quality fault (`running_status.entry_result`).
The ladder's runs themselves are timed on Today, in the run session's player: the walk and run
intervals, the cadence metronome, then the run's pain, saved with the session form.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from kneecap.app import rtr as rtr_cases
from kneecap.core import rtr
from kneecap.core.phases import Phase
from kneecap.documents import DocumentError, validate
from kneecap.running_status import ENTRY_RESULT_KEYS, entry_result, running_status
from kneecap.web import security
from kneecap.web.context import WRITE, ctx, page, programme, today, twin, use
from kneecap.web.onboarding import number as _number
from kneecap.web.views import GET_READY_S

router = APIRouter()

STEP_DOWN_PACE_S = 3  # "lower for a slow count of three": the player paces one step-down
SOURCE = "run check"

YES_NO = (
    ("brisk_walk_30_min", "Can you walk briskly for 30 minutes without pain or a limp?"),
    ("swelling", "Is the knee swollen?"),
)


def _test(
    t: rtr.EntryTest,
    how: str,
    fields: list[dict[str, Any]],
    pain: tuple[str, str],
) -> dict[str, Any]:
    return {
        "key": t.key,
        "name": t.name,
        "target": f"{t.hold_s} s" if t.hold_s else f"{t.reps} reps",
        "each_side": t.per_side,
        "how": how,
        "timing": {
            "sides": 2 if t.per_side else 1,
            "hold_s": t.hold_s,
            "reps": t.reps,
            "pace_s": STEP_DOWN_PACE_S,
            "ready_s": GET_READY_S,
        },
        "fields": fields,
        "pain": {"name": pain[0], "label": pain[1]},
    }


def entry_tests() -> list[dict[str, Any]]:
    """The three timed tests as the page and its timers show them, with the same wording as
    the CLI's check."""
    seconds = {"max": 600, "unit": "s"}
    reps = {"max": 100, "unit": "reps"}
    wall, bal, steps = rtr.WALL_SIT, rtr.BALANCE, rtr.STEP_DOWNS
    return [
        _test(
            wall,
            "Back flat on the wall, slide down to a pain-free bend (thighs no lower than "
            "parallel), knees over your toes.",
            [{"name": "wall_sit_s", "label": "Seconds you held it", **seconds}],
            ("wall_sit_pain", "Worst knee pain during the wall sit (0-10)"),
        ),
        _test(
            bal,
            "Stand tall on one leg, the other foot off the floor, hands on hips; a wall within "
            "reach. The right leg first, then the left.",
            [
                {"name": f"balance_{side}_s", "label": f"Seconds on your {side} leg", **seconds}
                for side in ("right", "left")
            ],
            ("balance_pain", "Worst knee pain during the balance test (0-10)"),
        ),
        _test(
            steps,
            "From a low step, lower the other heel slowly to the floor and rise again, on the "
            f"standing leg alone: one every {STEP_DOWN_PACE_S} s with the timer. The right leg "
            "first, then the left.",
            [
                {
                    "name": f"step_downs_{side}",
                    "label": f"Slow step-downs on your {side} leg",
                    **reps,
                }
                for side in ("right", "left")
            ],
            ("step_down_pain", "Worst knee pain during the step-downs (0-10)"),
        ),
    ]


def check_view(request: Request) -> dict[str, Any]:
    p = programme(request)
    day = today(request)
    status = running_status(p, day)
    before = p.status.phase not in (Phase.RETURN_TO_RUN, Phase.MAINTAIN)
    return {
        "date": day.isoformat(),
        "phase": p.status.phase.value,
        "headline": status["headline"],
        "lines": status["lines"],
        "criteria": status["criteria"],
        "next_run": status["next_run"],
        "own_running": status["own_running"],  # a runner who runs on their own, before the ladder
        "checking": before,  # the check is offered until the ladder has started
        "max_pain": rtr.ENTRY_MAX_PAIN,
        "questions": [{"name": n, "question": q} for n, q in YES_NO],
        "tests": entry_tests(),
        "faults": [
            {"key": f.key, "question": f.question, "fault_answer": f.fault_answer}
            for f in rtr.FAULTS
        ],
        "result": None,
        "errors": [],
        "entered": {},
    }


@twin(
    router,
    "/run-check",
    "rtr.html",
    name="run_check",
    summary="Return to run: where you stand, and the entry check's tests (RTR-ENTRY)",
)
def run_check_model(
    request: Request, knee_caved_in: str | None = None, pelvis_dropped: str | None = None
) -> dict[str, Any]:
    """The movement questions may come filled in from a form-check clip (web/form.py): the
    runner confirms them by saving the check."""
    view = check_view(request)
    camera = {"knee_caved_in": knee_caved_in, "pelvis_dropped": pelvis_dropped}
    view["entered"] = {k: a for k, a in camera.items() if a in ("yes", "no")}
    view["from_camera"] = bool(view["entered"])
    return view


def entry_from_form(form: FormData, day: str) -> dict[str, Any]:
    """The form's answers as the entry check's fields (validation names what is wrong)."""
    data: dict[str, Any] = {"date": day, "daily_pain": _number(form, "daily_pain")}
    for name, _question in YES_NO:
        answer = form.get(name)
        data[name] = None if answer not in ("yes", "no") else answer == "yes"
    for t in entry_tests():
        for f in t["fields"]:
            data[f["name"]] = _number(form, f["name"])
        data[t["pain"]["name"]] = _number(form, t["pain"]["name"])
    for fault in rtr.FAULTS:
        answer = form.get(fault.key)
        if answer in ("yes", "no"):
            data[fault.key] = (answer == "yes") == fault.fault_answer
    return {k: v for k, v in data.items() if v is not None}


def _record(request: Request, entry: rtr.EntryCheck) -> dict[str, Any]:
    use(rtr_cases.record_entry_check, ctx(request).home, entry)
    return entry_result(ctx(request).programme(), entry)


@router.post("/run-check", include_in_schema=False)
async def run_check_form(request: Request) -> Response:
    form = await security.checked_form(request)
    view = check_view(request)
    try:
        entry = validate(rtr.EntryCheck, entry_from_form(form, view["date"]), SOURCE)
    except DocumentError as exc:
        view["errors"] = exc.problems
        view["entered"] = {k: v for k, v in form.items() if k != security.FIELD}
        return page(request, "rtr.html", view, 422)
    result = _record(request, entry)
    view = check_view(request)
    view["result"] = result
    return page(request, "rtr.html", view)


@router.post(
    "/api/run-check",
    summary="Record a return-to-run entry check; the result as `kneecap rtr check --json`",
    status_code=201,
)
def run_check_json(request: Request, entry: rtr.EntryCheck) -> dict[str, Any]:
    programme(request, WRITE)
    result = _record(request, entry)
    return {k: result[k] for k in ENTRY_RESULT_KEYS}
