"""The Kujala Anterior Knee Pain Scale (AKPS): 13 items, 0-100, higher is better.

Points as published (Kujala et al., Arthroscopy 1993; table in CLINICAL.md). A change of 10
points is clinically meaningful (Crossley 2004). Offered every 2-4 weeks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MEANINGFUL_CHANGE = 10  # points (Crossley 2004; some trials use 8)
OFFER_AFTER_DAYS = 14  # offered every 2-4 weeks
DUE_AFTER_DAYS = 28


@dataclass(frozen=True)
class Item:
    title: str
    options: tuple[tuple[str, int], ...]  # (answer, points), best first

    @property
    def maximum(self) -> int:
        return max(points for _, points in self.options)


ITEMS: tuple[Item, ...] = (
    Item("Limp", (("None", 5), ("Slight or now and then", 3), ("Constant", 0))),
    Item(
        "Support",
        (("Full support without pain", 5), ("Painful", 3), ("Weight-bearing impossible", 0)),
    ),
    Item("Walking", (("Unlimited", 5), ("More than 2 km", 3), ("1-2 km", 2), ("Unable", 0))),
    Item(
        "Stairs",
        (
            ("No difficulty", 10),
            ("Slight pain when going down", 8),
            ("Pain going both down and up", 5),
            ("Unable", 0),
        ),
    ),
    Item(
        "Squatting",
        (
            ("No difficulty", 5),
            ("Repeated squatting painful", 4),
            ("Painful each time", 3),
            ("Possible with partial weight-bearing", 2),
            ("Unable", 0),
        ),
    ),
    Item(
        "Running",
        (
            ("No difficulty", 10),
            ("Pain after more than 2 km", 8),
            ("Slight pain from the start", 6),
            ("Severe pain", 3),
            ("Unable", 0),
        ),
    ),
    Item(
        "Jumping",
        (("No difficulty", 10), ("Slight difficulty", 7), ("Constant pain", 2), ("Unable", 0)),
    ),
    Item(
        "Sitting a long time with knees bent",
        (
            ("No difficulty", 10),
            ("Pain after exercise", 8),
            ("Constant pain", 6),
            ("Pain forces me to straighten the knees now and then", 4),
            ("Unable", 0),
        ),
    ),
    Item(
        "Pain",
        (
            ("None", 10),
            ("Slight and now and then", 8),
            ("Disturbs my sleep", 6),
            ("Occasionally severe", 3),
            ("Constant and severe", 0),
        ),
    ),
    Item(
        "Swelling",
        (
            ("None", 10),
            ("After severe exertion", 8),
            ("After daily activities", 6),
            ("Every evening", 4),
            ("Constant", 0),
        ),
    ),
    Item(
        "Painful kneecap movements (slipping out of place)",
        (
            ("None", 10),
            ("Now and then in sport", 6),
            ("Now and then in daily activities", 4),
            ("At least one documented dislocation", 2),
            ("More than two dislocations", 0),
        ),
    ),
    Item("Thigh muscle wasting", (("None", 5), ("Slight", 3), ("Severe", 0))),
    Item("Difficulty bending the knee fully", (("None", 5), ("Slight", 3), ("Severe", 0))),
)

# Answers that are also red-flag prompts (CLINICAL: items 2, 10, 11).
RED_FLAG_ANSWERS: dict[tuple[int, int], str] = {
    (1, 2): "cannot_bear_weight",
    (9, 4): "swelling",
    (10, 3): "giving_way",
    (10, 4): "giving_way",
}


class AkpsError(ValueError):
    """Answers that do not fit the questionnaire."""


def score(answers: tuple[int, ...] | list[int]) -> int:
    """Total points for 13 option indexes (0-based, in the table's order)."""
    if len(answers) != len(ITEMS):
        raise AkpsError(f"answers: expected {len(ITEMS)} answers, got {len(answers)}")
    total = 0
    for n, (item, answer) in enumerate(zip(ITEMS, answers, strict=True), 1):
        if (
            isinstance(answer, bool)
            or not isinstance(answer, int)
            or not 0 <= answer < len(item.options)
        ):
            raise AkpsError(
                f"answers[{n - 1}] ({item.title}): must be an option index from 0 to {len(item.options) - 1} (got {answer!r})"
            )
        total += item.options[answer][1]
    return total


@dataclass(frozen=True)
class Result:
    date: dt.date
    score: int
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.score - self.previous

    @property
    def meaningful(self) -> bool:
        return self.change is not None and abs(self.change) >= MEANINGFUL_CHANGE


def red_flags_in(answers: tuple[int, ...] | list[int]) -> frozenset[str]:
    return frozenset(
        flag for (item, option), flag in RED_FLAG_ANSWERS.items() if answers[item] == option
    )


def due(last: dt.date | None, today: dt.date) -> str:
    """'due' when never done or 4+ weeks ago, 'offered' after 2 weeks, else 'not yet'."""
    if last is None or (today - last).days >= DUE_AFTER_DAYS:
        return "due"
    if (today - last).days >= OFFER_AFTER_DAYS:
        return "offered"
    return "not yet"
