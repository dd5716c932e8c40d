"""Red-flag screening and severity triage: decide whether a plan may be given, and where it starts.

Pure: takes the profile and the flags a clinician has cleared, returns a `Screening`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kneecap.core import rules
from kneecap.core.intake import RED_FLAG_QUESTIONS as RED_FLAG_QUESTIONS  # re-exported
from kneecap.core.phases import Phase
from kneecap.core.profile import PainLocation, Profile
from kneecap.core.rulebook import say


class Urgency(StrEnum):
    NONE = "none"
    ROUTINE = "routine"  # see a clinician; the plan goes on
    SOON = "soon"  # book an assessment within days; the plan waits
    URGENT = "urgent"  # same day; the plan waits

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)


@dataclass(frozen=True)
class Reason:
    """One reason behind a referral or a plan decision, traced to its rule."""

    rule: str
    text: str
    action: str | None = None


@dataclass(frozen=True)
class Referral:
    needed: bool  # True: the exercise plan is withheld
    urgency: Urgency
    reasons: tuple[Reason, ...] = ()


class Scope(StrEnum):
    """What the plan is for (CPG-DX): runner's knee, or general knee care while a clinician
    confirms what a pain elsewhere in the knee is."""

    RUNNERS_KNEE = "runners_knee"
    GENERAL_KNEE_CARE = "general_knee_care"


@dataclass(frozen=True)
class Screening:
    referral: Referral
    phase: Phase
    notes: tuple[Reason, ...] = ()
    scope: Scope = Scope.RUNNERS_KNEE


@dataclass(frozen=True)
class _Flag:
    urgency: Urgency
    rule: str
    text: str
    action: str


_SAME_DAY = "Get medical help today (urgent care, your doctor or an emergency department)."
_WITHIN_DAYS = "See a doctor or physiotherapist within the next few days; rest the knee until then."
_BOOK = "Book an appointment with your doctor or a physiotherapist in the coming days."
_X_RAY = "See a doctor within the next few days to have the knee X-rayed; rest it until then."

RED_FLAGS: dict[str, _Flag] = {
    "calf_pain_or_swelling": _Flag(
        Urgency.URGENT,
        "RF-EMERGENCY",
        "Calf or thigh pain, swelling or warmth can be a sign of a blood clot.",
        _SAME_DAY
        + " Call emergency services at once if you are short of breath or have chest pain.",
    ),
    "fever_or_hot_joint": _Flag(
        Urgency.URGENT,
        "RF-EMERGENCY",
        "A hot, red or swollen knee with fever or feeling unwell can mean a joint infection.",
        _SAME_DAY,
    ),
    "numbness_or_tingling": _Flag(
        Urgency.URGENT,
        "RF-EMERGENCY",
        "Numbness, tingling, coldness or weakness in the leg can mean a nerve or "
        "blood-supply problem.",
        _SAME_DAY,
    ),
    "cannot_bear_weight": _Flag(
        Urgency.URGENT,
        "RF-EMERGENCY",
        "Not being able to take four steps on the leg can mean a fracture, dislocation or "
        "tendon injury; after an injury this calls for an X-ray (Ottawa knee rules).",
        _SAME_DAY,
    ),
    "swelling": _Flag(
        Urgency.SOON,
        "RF-URGENT",
        "A visibly swollen knee is not typical of runner's knee and needs examining.",
        _WITHIN_DAYS,
    ),
    "locking": _Flag(
        Urgency.SOON,
        "RF-URGENT",
        "A knee that locks or cannot fully straighten can mean a torn cartilage or a loose body.",
        _WITHIN_DAYS,
    ),
    "giving_way": _Flag(
        Urgency.SOON,
        "RF-URGENT",
        "A knee that gives way can mean kneecap instability or a ligament injury.",
        _WITHIN_DAYS,
    ),
    "recent_trauma": _Flag(
        Urgency.SOON,
        "RF-URGENT",
        "Pain that began with a fall, knock or twist needs checking for structural damage "
        "(Ottawa knee rules decide whether an X-ray is needed).",
        _WITHIN_DAYS,
    ),
    "night_or_rest_pain": _Flag(
        Urgency.SOON,
        "RF-SOON",
        "Constant pain at night or at rest is not typical of runner's knee.",
        _BOOK,
    ),
    "unexplained_weight_loss": _Flag(
        Urgency.SOON,
        "RF-SOON",
        "Unexplained weight loss together with joint pain needs a medical check.",
        _BOOK,
    ),
    "cancer_history": _Flag(
        Urgency.SOON,
        "RF-SOON",
        "With a history of cancer, new joint pain should be checked by a doctor.",
        _BOOK,
    ),
    "morning_stiffness": _Flag(
        Urgency.SOON,
        "RF-SOON",
        "Morning stiffness lasting more than 30 minutes can mean an inflammatory joint "
        "condition rather than runner's knee.",
        _BOOK,
    ),
    "several_painful_joints": _Flag(
        Urgency.SOON,
        "RF-SOON",
        "Pain in several joints at once can mean an inflammatory or general condition rather "
        "than runner's knee.",
        _BOOK,
    ),
    "rapidly_worsening": _Flag(
        Urgency.SOON,
        "RF-SOON",
        "Symptoms that are getting quickly worse are not typical of runner's knee.",
        _BOOK,
    ),
    "ottawa_cannot_bend_90": _Flag(
        Urgency.SOON,
        "RF-URGENT",
        "After an injury, not being able to bend the knee to a right angle means it needs an "
        "X-ray (Ottawa knee rules).",
        _X_RAY,
    ),
    "ottawa_kneecap_tender": _Flag(
        Urgency.SOON,
        "RF-URGENT",
        "After an injury, tenderness on the kneecap itself means it needs an X-ray (Ottawa knee "
        "rules).",
        _X_RAY,
    ),
    "ottawa_fibular_head_tender": _Flag(
        Urgency.SOON,
        "RF-URGENT",
        "After an injury, tenderness at the bony bump on the outer side just below the knee (the "
        "head of the fibula) means it needs an X-ray (Ottawa knee rules).",
        _X_RAY,
    ),
    "ottawa_no_four_steps": _Flag(
        Urgency.SOON,
        "RF-URGENT",
        "Not being able to take four steps right after the injury means the knee needs an "
        "X-ray (Ottawa knee rules).",
        _X_RAY,
    ),
    "tibial_tubercle_pain": _Flag(
        Urgency.SOON,
        "RF-ADOLESCENT",
        "In a young runner, pain at the bony bump below the kneecap is usually a growth-plate "
        "condition (Osgood-Schlatter), managed differently from runner's knee.",
        _BOOK,
    ),
    "kneecap_lower_tip_pain": _Flag(
        Urgency.SOON,
        "RF-ADOLESCENT",
        "In a young runner, pain at the lower tip of the kneecap is usually a growth-plate "
        "condition (Sinding-Larsen-Johansson), managed differently from runner's knee.",
        _BOOK,
    ),
    "clicking_loss_of_extension": _Flag(
        Urgency.SOON,
        "RF-ADOLESCENT",
        "In a young runner, a knee that clicks or catches and will not straighten fully can "
        "mean a cartilage problem that needs examining.",
        _BOOK,
    ),
    "limp_stiff_hip": _Flag(
        Urgency.SOON,
        "RF-ADOLESCENT",
        "In a young runner, knee pain with a limp and a stiff hip can come from the hip itself "
        "(for example a slipped growth plate) and needs examining soon.",
        _WITHIN_DAYS,
    ),
    "no_improvement": _Flag(
        Urgency.SOON,
        "RF-SOON",
        "Six weeks or more of regular rehab have not brought the improvement expected, so a "
        "clinician should look at the knee again.",
        _BOOK,
    ),
}

OTTAWA_AGE_YEARS = 55  # CLINICAL RF-URGENT: Ottawa knee rules, age 55 or over after an injury

# CLINICAL CPG-DX: pain away from the kneecap suggests another condition.
ELSEWHERE: dict[PainLocation, str] = {
    PainLocation.BELOW_KNEECAP: "patellar tendon pain (patellar tendinopathy)",
    PainLocation.OUTER_KNEE: "iliotibial band syndrome",
    PainLocation.INNER_JOINT_LINE: "a meniscus or joint-line problem",
    PainLocation.BACK_OF_KNEE: "a problem at the back of the knee (for example a cyst or a "
    "hamstring or calf tendon)",
}


def _flag_reason(name: str, age_years: int | None, details: dict[str, str]) -> Reason:
    flag = RED_FLAGS[name]
    text = details.get(name, flag.text)
    if name == "recent_trauma" and (age_years or 0) >= OTTAWA_AGE_YEARS:
        text += (
            f" At {age_years}, an injured knee needs an X-ray (Ottawa knee rules: "
            f"age {OTTAWA_AGE_YEARS} or over)."
        )
    return Reason(flag.rule, text, flag.action)


def referral_for(
    flags: frozenset[str], age_years: int | None = None, details: dict[str, str] | None = None
) -> Referral:
    """The referral that red flags on hold call for, most urgent first: also before the rest
    of the intake is known (a first intake stopped at its safety questions)."""
    pending = frozenset(flags) & frozenset(RED_FLAGS)
    if not pending:
        return Referral(False, Urgency.NONE)
    flagged = tuple(
        _flag_reason(name, age_years, details or {})
        for name in sorted(pending, key=lambda n: (-RED_FLAGS[n].urgency.rank, n))
    )
    worst = max((RED_FLAGS[n].urgency for n in pending), key=lambda u: u.rank)
    return Referral(True, worst, flagged)


def screen(
    profile: Profile,
    cleared_flags: frozenset[str] = frozenset(),
    details: dict[str, str] | None = None,
    settled: bool = False,
) -> Screening:
    """Screen for red flags, then triage severity into a starting phase.

    Any raised flag not covered by a recorded clinician clearance withholds the plan.
    `details` replaces a flag's general text with one that quotes the runner's own numbers
    (the no-improvement review, `core.improvement`). `settled`: the logged pain has stayed low
    for two weeks (`rules.R9_SETTLED_*`), so R9's advice about the intake's pain no longer holds.
    """
    raised = profile.red_flags.raised()
    pending = raised - cleared_flags
    scope = _scope(profile)
    if pending:
        referral = referral_for(pending, profile.age_years, details)
        return Screening(referral, _triage_phase(profile), scope=scope)

    notes: list[Reason] = []
    if raised:
        notes.append(
            Reason(
                "RF-SOON",
                "A clinician has cleared the warning signs you reported; "
                "tell them if anything changes.",
            )
        )
    reasons: list[Reason] = []
    if scope is Scope.GENERAL_KNEE_CARE and profile.pain.location is not None:
        reasons.append(
            Reason(
                "CPG-DX",
                f"Pain {_WHERE[profile.pain.location]} is not typical of runner's knee: this "
                f"sounds like {ELSEWHERE[profile.pain.location]}; a physiotherapist should "
                "confirm. Until then the plan is general knee care, not a runner's knee "
                "programme.",
                "Book a physiotherapist to find out what it is; the general plan goes on "
                "meanwhile.",
            )
        )
    pain = profile.pain
    if settled:
        pass  # R9 spoke of the pain at intake; the logged weeks say it has settled
    elif pain.worst_last_week >= rules.SEVERE_PAIN_NRS or pain.at_rest:
        reasons.append(
            Reason(
                "R9",
                (
                    f"You told us your worst pain was {pain.worst_last_week}/10"
                    + (" and that the knee hurts at rest" if pain.at_rest else "")
                    + ": with pain that severe, the plan starts gently and a physiotherapist "
                    "should guide it."
                ),
                "Book a physiotherapist or doctor appointment; you can start the gentle plan now.",
            )
        )
    elif pain.worst_last_week >= rules.MODERATE_PAIN_NRS:
        reasons.append(
            Reason(
                "R9",
                f"You told us your worst pain was {pain.worst_last_week}/10: with pain of "
                + say("$MODERATE_PAIN_NRS or more, a physiotherapist should guide your programme."),
                "Book a physiotherapist if you can; the plan goes on meanwhile.",
            )
        )
    if pain.sharp:
        notes.append(
            Reason(
                "PMM-SHARP",
                "You reported sharp pain: the plan uses easier variants, and any exercise that "
                "brings on sharp pain should be stopped. If sharp pain keeps coming back, see a "
                "clinician.",
            )
        )
    urgency = Urgency.ROUTINE if reasons else Urgency.NONE
    return Screening(
        Referral(False, urgency, tuple(reasons)), _triage_phase(profile), tuple(notes), scope
    )


_WHERE = {
    PainLocation.BELOW_KNEECAP: "below the kneecap",
    PainLocation.OUTER_KNEE: "on the outer side of the knee",
    PainLocation.INNER_JOINT_LINE: "along the inner joint line",
    PainLocation.BACK_OF_KNEE: "at the back of the knee",
}


def _scope(profile: Profile) -> Scope:
    """Runner's knee unless the runner located the pain elsewhere (CPG-DX). Profiles stored
    before the question was asked have no location and keep the runner's knee programme."""
    if profile.pain.location in ELSEWHERE:
        return Scope.GENERAL_KNEE_CARE
    return Scope.RUNNERS_KNEE


def _triage_phase(profile: Profile) -> Phase:
    pain = profile.pain
    if pain.worst_last_week >= rules.SEVERE_PAIN_NRS or pain.at_rest:
        return Phase.SETTLE
    if not profile.symptomatic:
        return Phase.MAINTAIN
    return Phase.STRENGTHEN
