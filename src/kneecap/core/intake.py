"""The intake's safety questions, and the rule that every one of them has an explicit answer.

A profile stored before a question existed still loads (the model defaults it), but every new
intake, from a file, the terminal or the web, must answer each question that applies to the
runner: a safety answer is never assumed (issue: red flags defaulted to "no" on Enter).
"""

from __future__ import annotations

from typing import Any

from kneecap.core.profile import ADOLESCENT_BELOW_YEARS, PainLocation

# The red-flag screen as questions, in the order they are asked (urgent first). Every one
# needs an explicit answer at intake (`core.intake.missing_answers`).
RED_FLAG_QUESTIONS: dict[str, str] = {
    "calf_pain_or_swelling": "Is your calf or thigh painful, swollen, warm or tender, or are you short of breath?",
    "fever_or_hot_joint": "Is the knee hot and red, or do you have a fever or feel unwell?",
    "numbness_or_tingling": "Is the leg numb, tingling, cold or weak?",
    "cannot_bear_weight": "Are you unable to take four steps on the leg, or to lift it straight?",
    "swelling": "Is the knee visibly swollen?",
    "locking": "Does the knee lock or get stuck, or can you not straighten it fully?",
    "giving_way": "Does the knee give way, or has the kneecap slipped out of place?",
    "recent_trauma": "Did the pain start with a fall, knock or twist?",
    "night_or_rest_pain": "Is the pain constant, even at night or at rest?",
    "rapidly_worsening": "Is the knee getting quickly worse, week by week or day by day?",
    "unexplained_weight_loss": "Have you lost weight without trying?",
    "cancer_history": "Have you ever had cancer?",
    "morning_stiffness": "When you get up, does the knee stay stiff for more than 30 minutes?",
    "several_painful_joints": "Are several of your joints painful, not just this knee?",
}

# Asked only when the pain started with an injury (Ottawa knee rules, RF-URGENT).
OTTAWA_QUESTIONS: dict[str, str] = {
    "ottawa_no_four_steps": "Right after the injury, were you unable to take four steps on the leg?",
    "ottawa_cannot_bend_90": "Can you not bend the knee to a right angle (90 degrees)?",
    "ottawa_kneecap_tender": "Does pressing on the kneecap itself hurt?",
    "ottawa_fibular_head_tender": "Does pressing on the bony bump on the outer side, just below "
    "the knee, hurt?",
}

# Asked only of runners under 18 (RF-ADOLESCENT).
ADOLESCENT_QUESTIONS: dict[str, str] = {
    "tibial_tubercle_pain": "Does it hurt on the bony bump just below the kneecap?",
    "kneecap_lower_tip_pain": "Does it hurt at the lower tip of the kneecap?",
    "clicking_loss_of_extension": "Does the knee click or catch, and then not straighten fully?",
    "limp_stiff_hip": "Are you limping, with a stiff hip?",
}

# Where the knee hurts (CPG-DX), as asked.
LOCATION_QUESTION = "Where does the knee hurt most?"
LOCATIONS: dict[PainLocation, str] = {
    PainLocation.AROUND_KNEECAP: "around or behind the kneecap",
    PainLocation.BELOW_KNEECAP: "below the kneecap, on the tendon",
    PainLocation.OUTER_KNEE: "on the outer side of the knee",
    PainLocation.INNER_JOINT_LINE: "on the inner side, along the joint line",
    PainLocation.BACK_OF_KNEE: "at the back of the knee",
}


def questions_for(age_years: int | None, recent_trauma: bool) -> dict[str, str]:
    """Every red-flag question a runner of this age, injured or not, must answer."""
    asked = dict(RED_FLAG_QUESTIONS)
    if recent_trauma:
        asked |= OTTAWA_QUESTIONS
    if age_years is not None and age_years < ADOLESCENT_BELOW_YEARS:
        asked |= ADOLESCENT_QUESTIONS
    return asked


AGE_QUESTION = "How old are you (years)?"


def missing_answers(data: dict[str, Any]) -> list[str]:
    """The safety answers absent from a profile's raw data (as read from a file or a form),
    each as "field: what to give", in the order asked. Empty when the intake is complete.

    Only presence is checked here; types and ranges are the schema's job.
    """
    problems: list[str] = []
    age = data.get("age_years")
    if age is None:
        problems.append("age_years: required (your age in years, 10-100)")
    pain = data.get("pain")
    if not isinstance(pain, dict) or pain.get("location") is None:
        problems.append(
            "pain.location: required (where the knee hurts most: "
            + ", ".join(loc.value for loc in PainLocation)
            + ")"
        )
    flags = data.get("red_flags")
    given = flags if isinstance(flags, dict) else {}
    trauma = given.get("recent_trauma") is True
    for name in questions_for(age if isinstance(age, int) else None, trauma):
        if given.get(name) is None:
            problems.append(f"red_flags.{name}: required (true or false)")
    return problems
