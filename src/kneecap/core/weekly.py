"""Choosing which weekdays carry strength, cardio and run sessions.

Weekdays are 0 (Monday) to 6 (Sunday). A pattern repeats every week, so "never two strength
days in a row" must also hold from Sunday to Monday: the week is treated as a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

SATURDAY = 5


def cyclic_gap(a: int, b: int) -> int:
    d = abs(a - b) % 7
    return min(d, 7 - d)


def _min_gap(days: tuple[int, ...]) -> int:
    if len(days) < 2:
        return 7
    return min(cyclic_gap(a, b) for a, b in combinations(days, 2))


def strength_weekdays(available: Iterable[int], target: int) -> tuple[int, ...]:
    """The largest set of available weekdays (up to `target`) with no two adjacent, even across
    the week's end; ties go to the most evenly spread set, then the earliest days."""
    pool = sorted(set(available))
    for size in range(min(target, len(pool)), 0, -1):
        candidates = [c for c in combinations(pool, size) if _min_gap(c) >= 2]
        if candidates:
            return max(candidates, key=lambda c: (_min_gap(c), [-d for d in c]))
    return ()


def spread_weekdays(available: Iterable[int], count: int, first: int = SATURDAY) -> tuple[int, ...]:
    """Pick `count` days, starting with `first` (or the nearest day after it) and then each time
    the day farthest from those already chosen, so sessions of one kind spread over the week."""
    pool = sorted(set(available))
    chosen: list[int] = []
    if pool and count > 0:
        chosen.append(min(pool, key=lambda d: ((d - first) % 7, d)))
    while len(chosen) < min(count, len(pool)):
        rest = [d for d in pool if d not in chosen]
        chosen.append(max(rest, key=lambda d: (min(cyclic_gap(d, c) for c in chosen), -d)))
    return tuple(sorted(chosen))
