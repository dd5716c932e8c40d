"""Settings: the week (training days, minutes per session), the equipment and the cardio the
runner can do, which shape the plan, and the preferences that do not (reminder time, units,
theme).

Saving a change to the week, the equipment or the cardio stores a new profile version through
the intake's use case, so the plan re-plans at once; the other answers (age, the knee, the
warning signs) are kept as they are. Warning signs are shown, never changed here: only a
clinician's recorded clearance lifts a hold (`/referral`). A rejected form stores nothing and
shows each problem next to its field, with what was typed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from kneecap.app import BadInput
from kneecap.app import preferences as prefs
from kneecap.app import profile as intake_cases
from kneecap.core.profile import CrossTraining, Equipment, Profile, Weekday
from kneecap.core.screening import RED_FLAGS
from kneecap.documents import DocumentError, validate
from kneecap.programme import Programme
from kneecap.web import security, words
from kneecap.web.context import ctx, page, programme, twin, use
from kneecap.web.onboarding import number, text
from kneecap.web.problems import field_errors

router = APIRouter()


def current(request: Request) -> prefs.Preferences:
    """The runner's preferences, for every page (the theme, the units); the defaults when they
    cannot be read."""
    try:
        found: prefs.Preferences = ctx(request).memo(
            "preferences", lambda: prefs.preferences(ctx(request).home)
        )
    except Exception:  # a page must never fail for its colours
        return prefs.DEFAULTS
    return found


def _week(profile: Profile) -> dict[str, Any]:
    return {
        "days": [d.value for d in profile.availability.days],
        "minutes_per_session": profile.availability.minutes_per_session,
        "equipment": [e.value for e in profile.equipment],
        "cross_training": [c.value for c in profile.cross_training],
        "start_date": profile.start_date.isoformat(),
    }


def settings_view(p: Programme, chosen: prefs.Preferences) -> dict[str, Any]:
    raised = sorted(p.profile.red_flags.raised())
    pending = set(p.pending)
    return {
        "profile": _week(p.profile),
        "preferences": chosen.to_dict(),
        "red_flags": [
            {
                "flag": f,
                "text": RED_FLAGS[f].text if f in RED_FLAGS else words.label(f),
                "rule": RED_FLAGS[f].rule if f in RED_FLAGS else "",
                "on_hold": f in pending,
            }
            for f in raised
        ],
        "options": {
            "days": words.labelled([d.value for d in Weekday]),
            "equipment": words.labelled([e.value for e in Equipment]),
            "cross_training": words.labelled([c.value for c in CrossTraining]),
            "units": [{"value": k, "label": v} for k, v in prefs.UNITS.items()],
            "themes": [{"value": k, "label": v} for k, v in prefs.THEMES.items()],
        },
    }


def _page_only(request: Request, view: dict[str, Any]) -> dict[str, Any]:
    saved = request.query_params.get("saved") == "1"
    return {**view, "entered": view["profile"] | view["preferences"], "errors": {}, "saved": saved}


@twin(
    router,
    "/settings",
    "settings.html",
    name="settings",
    summary="Settings: the week, equipment, cardio and preferences (the page's view-model)",
    decorate=_page_only,
)
def settings_model(request: Request) -> dict[str, Any]:
    return settings_view(programme(request), current(request))


def _typed(form: FormData) -> dict[str, Any]:
    """What the form sent, as typed (to show again when something needs changing)."""

    def chosen(name: str) -> list[str]:
        return [v for v in form.getlist(name) if isinstance(v, str)]

    return {
        "days": chosen("days"),
        "minutes_per_session": text(form, "minutes_per_session") or "",
        "equipment": chosen("equipment"),
        "cross_training": chosen("cross_training"),
        "start_date": text(form, "start_date") or "",
        "reminder_time": text(form, "reminder_time") or "",
        "units": text(form, "units") or "",
        "theme": text(form, "theme") or "",
    }


@router.post("/settings", include_in_schema=False)
async def settings_form(request: Request) -> Response:
    form = await security.checked_form(request)
    p = programme(request)
    typed = _typed(form)
    problems: list[str] = []
    data = p.profile.model_dump(mode="json")
    data.update(
        availability={
            "days": [d.value for d in Weekday if d.value in typed["days"]]
            + [d for d in typed["days"] if d not in {w.value for w in Weekday}],
            "minutes_per_session": number(form, "minutes_per_session"),
        },
        equipment=typed["equipment"],
        cross_training=typed["cross_training"],
        start_date=typed["start_date"] or p.profile.start_date.isoformat(),
    )
    profile: Profile | None = None
    try:
        profile = validate(Profile, data, "settings")
    except DocumentError as exc:
        problems.extend(exc.problems)
    chosen: prefs.Preferences | None = None
    try:
        chosen = prefs.checked(typed["reminder_time"], typed["units"], typed["theme"])
    except BadInput as exc:
        problems.extend(exc.problems)
    if problems or profile is None or chosen is None:
        view = settings_view(p, current(request))
        view.update(entered=typed, errors=field_errors(problems), saved=False)
        return page(request, "settings.html", view, 422)
    home = ctx(request).home
    if profile != p.profile:  # a new version only for a change: the plan re-plans from it
        try:
            intake_cases.save_profile(home, profile, p.profile)
        except BadInput as exc:  # the start date's bounds
            view = settings_view(p, current(request))
            view.update(entered=typed, errors=field_errors(list(exc.problems)), saved=False)
            return page(request, "settings.html", view, 422)
    if chosen != current(request):
        use(prefs.save_preferences, home, chosen)
    return RedirectResponse("/settings?saved=1", status_code=303)
