"""The no-improvement review (CLINICAL RF-SOON): six weeks or more of adherent rehab without a
meaningful change calls for a clinician's assessment.

Adherent: at least 70% of the planned sessions done. No meaningful change: morning pain down by
less than 2 points (NPRS, Farrar 2001) and the AKPS up by less than 10 points. Either one
improving is progress, and the programme goes on. Pure: `today` is passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

REVIEW_AFTER_DAYS = 42  # RF-SOON: "no improvement after 6-8 weeks"; reviewed from week 6 on
MIN_ADHERENCE = 0.70  # RF-SOON: "adherent": at least 70% of planned sessions done
MIN_PAIN_DROP_NRS = 2  # NPRS meaningful change (Farrar 2001), as the rule states
MIN_AKPS_RISE = 10  # AKPS meaningful change, 8-10 points (Crossley 2004)
WINDOW_DAYS = 7  # morning pain is averaged over a week, so one odd morning decides nothing
AKPS_BASELINE_BEFORE_DAYS = 14  # a questionnaire up to two weeks before the start is a baseline


@dataclass(frozen=True)
class Review:
    """The evidence for (or against) "no improvement", as of `today`."""

    since: dt.date  # the start of the rehab (or of the last clearance of this flag)
    today: dt.date
    morning_before: float  # mean morning pain in the first week
    morning_now: float  # mean morning pain in the last week
    akps_before: int | None  # None: fewer than two questionnaires to compare
    akps_now: int | None
    planned: int  # sessions planned since `since`
    done: int  # sessions logged since `since`

    @property
    def weeks(self) -> int:
        return (self.today - self.since).days // 7

    @property
    def adherence(self) -> float:
        return 0.0 if self.planned == 0 else min(1.0, self.done / self.planned)

    @property
    def pain_improved(self) -> bool:
        return self.morning_before - self.morning_now >= MIN_PAIN_DROP_NRS

    @property
    def akps_improved(self) -> bool:
        if self.akps_before is None or self.akps_now is None:
            return False
        return self.akps_now - self.akps_before >= MIN_AKPS_RISE

    @property
    def measures_stalled(self) -> bool:
        """Long enough, and neither measure moved enough (adherence not yet considered: it is
        the costly part to count, so callers check this first)."""
        return (
            (self.today - self.since).days >= REVIEW_AFTER_DAYS
            and not self.pain_improved
            and not self.akps_improved
        )

    @property
    def no_improvement(self) -> bool:
        """RF-SOON: long enough, adherent enough, and neither measure moved enough."""
        return self.measures_stalled and self.planned > 0 and self.adherence >= MIN_ADHERENCE

    def text(self) -> str:
        """The reason the runner reads, true of the numbers it quotes."""
        if self.akps_before is None or self.akps_now is None:
            akps = "and there are not two knee questionnaires (AKPS) to compare"
        else:
            akps = (
                f"and your knee score (AKPS) went from {self.akps_before} to {self.akps_now} "
                f"(a rise of less than {MIN_AKPS_RISE})"
            )
        return (
            f"In the {self.weeks} weeks since {self.since:%d %B %Y} you did {self.done} of "
            f"{self.planned} planned sessions ({self.adherence:.0%}), yet your morning pain went "
            f"from {self.morning_before:.1f}/10 to {self.morning_now:.1f}/10 (down by less than "
            f"{MIN_PAIN_DROP_NRS} points) {akps}. That is not the improvement expected after "
            "this much rehab: a clinician should assess the knee before the programme goes on."
        )


def review(
    since: dt.date,
    today: dt.date,
    morning: Sequence[tuple[dt.date, int]],
    akps: Sequence[tuple[dt.date, int]],
    planned: int,
    done: int,
) -> Review | None:
    """The review as of `today`, or None when there is not the data to judge: morning check-ins
    in the first week from `since` and in the last week up to `today` are both needed.

    `morning` holds (date, morning pain) per check-in, `akps` (date, score) per questionnaire.
    """
    first = [p for d, p in morning if since <= d < since + dt.timedelta(days=WINDOW_DAYS)]
    last = [p for d, p in morning if today - dt.timedelta(days=WINDOW_DAYS) < d <= today]
    if not first or not last or today - since < dt.timedelta(days=WINDOW_DAYS * 2):
        return None
    scores = sorted(
        (d, s)
        for d, s in akps
        if since - dt.timedelta(days=AKPS_BASELINE_BEFORE_DAYS) <= d <= today
    )
    before = now = None
    if len(scores) >= 2:
        before, now = scores[0][1], scores[-1][1]
    return Review(
        since=since,
        today=today,
        morning_before=sum(first) / len(first),
        morning_now=sum(last) / len(last),
        akps_before=before,
        akps_now=now,
        planned=planned,
        done=done,
    )
