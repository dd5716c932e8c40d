"""R9's advice as the runner reads it: true of the pain they gave and of this week's plan."""

from __future__ import annotations

import datetime as dt

from kneecap.core.catalogue import Catalogue
from kneecap.core.phases import Phase
from kneecap.core.planner import build_plan, physio_style
from kneecap.core.screening import Reason, screen
from tests.conftest import START, make_profile


def r9(reasons: tuple[Reason, ...]) -> str:
    (text,) = [r.text for r in reasons if r.rule == "R9"]
    return text


def test_r9_names_only_the_physio_style_exercises_this_weeks_plan_holds(
    catalogue: Catalogue,
) -> None:
    profile = make_profile(pain={"worst_last_week": 5})
    s = screen(profile)
    week = build_plan(profile, catalogue, s, START, START + dt.timedelta(days=6))
    text = r9(week.referral.reasons)
    assert text.startswith("You told us your worst pain was 5/10: with pain of 4/10 or more")
    assert "low step-ups, chair squats, mobility drills" not in text
    named = physio_style(week.days, catalogue)
    assert named  # the strengthen phase's physio-style set
    assert "This week's plan draws on the physio-style set: " in text
    for name in named:
        assert name in text
    # Today's banner is the week's words, whatever the day shows
    day = build_plan(profile, catalogue, s, START, START)
    assert r9(day.referral.reasons) == text


def test_r9_names_no_physio_style_exercise_when_the_week_holds_none(
    catalogue: Catalogue,
) -> None:
    from kneecap.core.planner import _r9_reason

    profile = make_profile(pain={"worst_last_week": 5})
    (reason,) = [r for r in screen(profile).referral.reasons if r.rule == "R9"]
    rest_day = build_plan(profile, catalogue, screen(profile), START, START, phase=Phase.BUILD)
    text = _r9_reason(reason, (), catalogue, None).text
    assert "physio-style" not in text
    assert "step-up" not in text
    assert "a physiotherapist should guide your programme" in text
    assert rest_day.referral.reasons  # the advice itself stays while the pain is moderate


def test_r9_says_what_the_checkins_say_of_the_pain_now(catalogue: Catalogue) -> None:
    profile = make_profile(pain={"worst_last_week": 5})
    plan = build_plan(
        profile, catalogue, screen(profile), START, START + dt.timedelta(days=6), recent_pain=3
    )
    text = r9(plan.referral.reasons)
    assert "Your check-ins of the last two weeks put it at 3/10 at most" in text
    assert "2/10 or less for two weeks" in text


def test_r9_is_not_said_once_the_pain_has_settled(catalogue: Catalogue) -> None:
    profile = make_profile(pain={"worst_last_week": 5})
    assert not [r for r in screen(profile, settled=True).referral.reasons if r.rule == "R9"]
