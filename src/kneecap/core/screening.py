"""Red-flag screening and severity triage: decide whether a plan may be given, and where it starts.

Pure: takes the profile and the flags a clinician has cleared, returns a `Screening`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kneecap.core import rules
from kneecap.core.phases import Phase
from kneecap.core.profile import Profile


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


@dataclass(frozen=True)
class Screening:
    referral: Referral
    phase: Phase
    notes: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class _Flag:
    urgency: Urgency
    rule: str
    text: str
    action: str


_SAME_DAY = "Get medical help today (urgent care, your doctor or an emergency department)."
_WITHIN_DAYS = "See a doctor or physiotherapist within the next few days; rest the knee until then."
_BOOK = "Book an appointment with your doctor or a physiotherapist in the coming days."

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
}


def screen(profile: Profile, cleared_flags: frozenset[str] = frozenset()) -> Screening:
    """Screen for red flags, then triage severity into a starting phase.

    Any raised flag not covered by a recorded clinician clearance withholds the plan.
    """
    raised = profile.red_flags.raised()
    pending = raised - cleared_flags
    if pending:
        flagged = tuple(
            Reason(RED_FLAGS[name].rule, RED_FLAGS[name].text, RED_FLAGS[name].action)
            for name in sorted(pending, key=lambda n: (-RED_FLAGS[n].urgency.rank, n))
        )
        worst = max((RED_FLAGS[n].urgency for n in pending), key=lambda u: u.rank)
        return Screening(Referral(True, worst, flagged), _triage_phase(profile))

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
    pain = profile.pain
    if pain.worst_last_week >= rules.SEVERE_PAIN_NRS or pain.at_rest:
        reasons.append(
            Reason(
                "R9",
                "Your pain is severe or present at rest, so the plan starts gently and a "
                "physiotherapist should guide it.",
                "Book a physiotherapist or doctor appointment; you can start the gentle plan now.",
            )
        )
    elif pain.worst_last_week >= rules.MODERATE_PAIN_NRS:
        reasons.append(
            Reason(
                "R9",
                "With moderate pain, a physiotherapist should guide your programme; the plan "
                "uses the physio-style set (low step-ups, chair squats, mobility drills).",
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
    return Screening(Referral(False, urgency, tuple(reasons)), _triage_phase(profile), tuple(notes))


def _triage_phase(profile: Profile) -> Phase:
    pain = profile.pain
    if pain.worst_last_week >= rules.SEVERE_PAIN_NRS or pain.at_rest:
        return Phase.SETTLE
    if not profile.symptomatic:
        return Phase.MAINTAIN
    return Phase.STRENGTHEN


# The red-flag screen as questions, in the order they are asked (urgent first).
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
    "unexplained_weight_loss": "Have you lost weight without trying?",
}
