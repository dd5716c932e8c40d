"""The rule registry: every rule id Kneecap cites (`Rule`) and the numbers each rule uses
(`NUMBERS`), and `say`, which writes those numbers into the sentences the runner reads.

The ids are MISSION.md's guide requirements (R1-R14), CLINICAL.md's clinical rules and
Kneecap's own KC-* rules; docs/rules.md documents each (a test keeps the two the same). The
numbers are the constants the code decides with (`core/rules.py`, and the few that live beside
their rule: `core/rtr.py`, `core/improvement.py`, the profile's default limits); this table names
each one's rule and unit. A sentence that quotes a rule's number writes `$NAME` (or
`$NAME:style`) and `say` fills it in, so changing a constant changes every sentence quoting it:
code, catalogue and education text alike (the catalogue loader fills its YAML the same way).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from kneecap.core import improvement, rtr, rules
from kneecap.core.profile import ADOLESCENT_BELOW_YEARS, ADOLESCENT_PAIN_LIMIT, Limits


class Rule(StrEnum):
    """Every rule id the code cites. A member is its id as a string (`Rule.PMM_1 == "PMM-1"`),
    so records and JSON carry the id itself."""

    # The guide's requirements (MISSION.md).
    R1 = "R1"
    R2 = "R2"
    R3 = "R3"
    R4 = "R4"
    R5 = "R5"
    R6 = "R6"
    R7 = "R7"
    R8 = "R8"
    R9 = "R9"
    R10 = "R10"
    R11 = "R11"
    R12 = "R12"
    R13 = "R13"
    R14 = "R14"
    # Clinical rules (CLINICAL.md).
    CPG_DX = "CPG-DX"
    CPG_EX = "CPG-EX"
    CPG_EDU = "CPG-EDU"
    CPG_PASSIVE = "CPG-PASSIVE"
    CPG_ORTH = "CPG-ORTH"
    NPRS = "NPRS"
    PMM_1 = "PMM-1"
    PMM_2 = "PMM-2"
    PMM_3 = "PMM-3"
    PMM_4 = "PMM-4"
    PMM_SHARP = "PMM-SHARP"
    RF_EMERGENCY = "RF-EMERGENCY"
    RF_URGENT = "RF-URGENT"
    RF_SOON = "RF-SOON"
    RF_ADOLESCENT = "RF-ADOLESCENT"
    CAD_1 = "CAD-1"
    LOAD_SPIKE = "LOAD-SPIKE"
    LOAD_ACWR = "LOAD-ACWR"
    LOAD_DOWNHILL = "LOAD-DOWNHILL"
    RTR_ENTRY = "RTR-ENTRY"
    RTR_LADDER = "RTR-LADDER"
    RTR_RULES = "RTR-RULES"
    # Kneecap's own rules, where the clinical reference gives no number.
    KC_GAP = "KC-GAP"
    KC_AKPS = "KC-AKPS"
    KC_PHASE_SETTLE = "KC-PHASE-SETTLE"
    KC_PHASE_BUILD = "KC-PHASE-BUILD"
    KC_PHASE_FLARE = "KC-PHASE-FLARE"
    KC_ONE_NEW_LOAD = "KC-ONE-NEW-LOAD"
    KC_RUN_PAUSE = "KC-RUN-PAUSE"
    KC_FORM_VALGUS = "KC-FORM-VALGUS"
    KC_FORM_PELVIS = "KC-FORM-PELVIS"
    KC_FORM_TEMPO = "KC-FORM-TEMPO"
    KC_CLINICIAN = "KC-CLINICIAN"

    @property
    def numbers(self) -> tuple[Number, ...]:
        """The numbers this rule uses, as the registry holds them."""
        return tuple(n for n in NUMBERS.values() if n.rule is self)


class Unit(StrEnum):
    """How a number reads in a sentence."""

    PAIN = "pain"  # an NRS score: 2 -> "2/10"
    PERCENT = "percent"  # already in percent: 30.0 -> "30%"
    SHARE = "share"  # a fraction: 0.05 -> "5%"
    DAYS = "days"  # 14 -> "two weeks", 7 -> "a week", 10 -> "10 days"
    WEEKS = "weeks"  # 4 -> "four weeks"
    MINUTES = "minutes"  # 5 -> "5 minutes"
    COUNT = "count"  # 2 -> "two"
    PLAIN = "plain"  # the number as it is: 1.5 -> "1.5"


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_TIMES = {1: "once", 2: "twice"}


def _words(n: float) -> str:
    return _WORDS[int(n)] if float(n).is_integer() and 0 <= n < len(_WORDS) else f"{n:g}"


def _weeks(weeks: float) -> str:
    return "a week" if weeks == 1 else f"{_words(weeks)} weeks"


@dataclass(frozen=True)
class Number:
    """One number a rule uses: `name` is the constant's (and the placeholder's) name."""

    name: str
    rule: Rule
    value: float
    unit: Unit

    @property
    def bare(self) -> str:
        """The number alone, in the unit's scale ("30" for 30%, "2" for 2/10)."""
        value = round(self.value * 100, 6) if self.unit is Unit.SHARE else self.value
        return f"{value:g}"

    def quote(self, style: str = "") -> str:
        """The number as a sentence quotes it: by its unit ("2/10", "30%", "two weeks"), or
        `style` "n" for the bare number, "times" for a count as "once", "twice", "3 times"."""
        if style == "n":
            return self.bare
        if style == "times":
            if self.unit is not Unit.COUNT:
                raise ValueError(f"${self.name}:times: only a count reads as times")
            return _TIMES.get(int(self.value), f"{_words(self.value)} times")
        if style:
            raise ValueError(f"${self.name}:{style}: unknown style (n or times)")
        if self.unit is Unit.PAIN:
            return f"{self.bare}/10"
        if self.unit in (Unit.PERCENT, Unit.SHARE):
            return f"{self.bare}%"
        if self.unit is Unit.DAYS:
            if self.value % 7 == 0:
                return _weeks(self.value // 7)
            return "a day" if self.value == 1 else f"{self.bare} days"
        if self.unit is Unit.WEEKS:
            return _weeks(self.value)
        if self.unit is Unit.MINUTES:
            return f"{self.bare} minutes"
        if self.unit is Unit.COUNT:
            return _words(self.value)
        return self.bare


def _table(*numbers: Number) -> dict[str, Number]:
    table: dict[str, Number] = {}
    for n in numbers:
        if n.name in table:
            raise ValueError(f"{n.name}: twice in the rule registry")
        table[n.name] = n
    return table


_LIMITS = Limits()

NUMBERS: Mapping[str, Number] = _table(
    # Pain during exercise: the default limit, and the stricter ones (PMM-1).
    Number("PMM1_ACCEPTABLE_PAIN_NRS", Rule.PMM_1, rules.PMM1_ACCEPTABLE_PAIN_NRS, Unit.PAIN),
    Number("PMM1_SETTLE_PAIN_NRS", Rule.PMM_1, rules.PMM1_SETTLE_PAIN_NRS, Unit.PAIN),
    Number("ADOLESCENT_PAIN_LIMIT", Rule.PMM_1, ADOLESCENT_PAIN_LIMIT, Unit.PAIN),
    Number("ADOLESCENT_BELOW_YEARS", Rule.RF_ADOLESCENT, ADOLESCENT_BELOW_YEARS, Unit.PLAIN),
    Number("SESSIONS_TO_PROGRESS", Rule.PMM_4, _LIMITS.sessions_to_progress, Unit.COUNT),
    Number("WEEKLY_RISE", Rule.PMM_3, rules.WEEKLY_RISE, Unit.PLAIN),
    Number("MEANINGFUL_CHANGE", Rule.NPRS, _LIMITS.meaningful_change, Unit.PLAIN),
    Number("RESTART_AFTER_DAYS", Rule.KC_GAP, _LIMITS.restart_after_days, Unit.DAYS),
    # Triage and the physio-style set (R9).
    Number("SEVERE_PAIN_NRS", Rule.R9, rules.SEVERE_PAIN_NRS, Unit.PAIN),
    Number("MODERATE_PAIN_NRS", Rule.R9, rules.MODERATE_PAIN_NRS, Unit.PAIN),
    Number("R9_SETTLED_PAIN_NRS", Rule.R9, rules.R9_SETTLED_PAIN_NRS, Unit.PAIN),
    Number("R9_SETTLED_DAYS", Rule.R9, rules.R9_SETTLED_DAYS, Unit.DAYS),
    # The week's shape and the session's (R4, R10, R12, R13, CPG-EDU).
    Number("STRENGTH_DAYS_TARGET", Rule.R4, rules.STRENGTH_DAYS_TARGET, Unit.COUNT),
    Number("STRENGTH_DAYS_MIN_ADVISED", Rule.R4, rules.STRENGTH_DAYS_MIN_ADVISED, Unit.COUNT),
    Number("MAINTAIN_STRENGTH_DAYS", Rule.R12, rules.MAINTAIN_STRENGTH_DAYS, Unit.COUNT),
    Number(
        "EXERCISES_PER_STRENGTH_SESSION",
        Rule.CPG_EDU,
        rules.EXERCISES_PER_STRENGTH_SESSION,
        Unit.COUNT,
    ),
    Number(
        "MIN_EXERCISES_PER_STRENGTH_SESSION",
        Rule.CPG_EDU,
        rules.MIN_EXERCISES_PER_STRENGTH_SESSION,
        Unit.COUNT,
    ),
    Number("WARM_UP_MIN", Rule.R13, rules.WARM_UP_MIN, Unit.MINUTES),
    Number("STRETCH_BLOCK_MIN", Rule.R13, rules.STRETCH_BLOCK_MIN, Unit.MINUTES),
    Number("ROLL_BLOCK_MIN", Rule.R6, rules.ROLL_BLOCK_MIN, Unit.MINUTES),
    Number("CARDIO_SESSIONS_PER_WEEK", Rule.R10, rules.CARDIO_SESSIONS_PER_WEEK, Unit.COUNT),
    Number("CARDIO_MIN_MINUTES", Rule.R10, rules.CARDIO_MIN_MINUTES, Unit.MINUTES),
    # Phase moves (Kneecap's own).
    Number("SETTLE_EXIT_MAX_PAIN", Rule.KC_PHASE_SETTLE, rules.SETTLE_EXIT_MAX_PAIN, Unit.PAIN),
    Number("SETTLE_EXIT_DAYS", Rule.KC_PHASE_SETTLE, rules.SETTLE_EXIT_DAYS, Unit.DAYS),
    Number(
        "SETTLE_EXIT_MIN_CHECKINS",
        Rule.KC_PHASE_SETTLE,
        rules.SETTLE_EXIT_MIN_CHECKINS,
        Unit.COUNT,
    ),
    Number("BUILD_ENTRY_MAX_PAIN", Rule.KC_PHASE_BUILD, rules.BUILD_ENTRY_MAX_PAIN, Unit.PAIN),
    Number("BUILD_ENTRY_DAYS", Rule.KC_PHASE_BUILD, rules.BUILD_ENTRY_DAYS, Unit.DAYS),
    Number(
        "CORE_EXERCISES_FOR_BUILD",
        Rule.KC_PHASE_BUILD,
        rules.CORE_EXERCISES_FOR_BUILD,
        Unit.COUNT,
    ),
    Number("FLARES_TO_STEP_DOWN", Rule.KC_PHASE_FLARE, rules.FLARES_TO_STEP_DOWN, Unit.COUNT),
    Number("FLARE_WINDOW_DAYS", Rule.KC_PHASE_FLARE, rules.FLARE_WINDOW_DAYS, Unit.DAYS),
    Number("ONE_NEW_LOAD_DAYS", Rule.KC_ONE_NEW_LOAD, rules.ONE_NEW_LOAD_DAYS, Unit.DAYS),
    Number("ONE_NEW_LOAD_SESSIONS", Rule.KC_ONE_NEW_LOAD, rules.ONE_NEW_LOAD_SESSIONS, Unit.COUNT),
    Number("RUN_PAUSE_DAYS", Rule.KC_RUN_PAUSE, rules.RUN_PAUSE_DAYS, Unit.DAYS),
    Number("RUN_PAUSE_BAD_RUNS", Rule.KC_RUN_PAUSE, rules.RUN_PAUSE_BAD_RUNS, Unit.COUNT),
    # The camera form check (core/form.py).
    Number("FORM_VALGUS_DEG", Rule.KC_FORM_VALGUS, rules.FORM_VALGUS_DEG, Unit.PLAIN),
    Number("FORM_PELVIC_DROP_DEG", Rule.KC_FORM_PELVIS, rules.FORM_PELVIC_DROP_DEG, Unit.PLAIN),
    Number("FORM_MIN_LOWERING_S", Rule.KC_FORM_TEMPO, rules.FORM_MIN_LOWERING_S, Unit.PLAIN),
    # Running load and cadence (LOAD-*, CAD-1).
    Number("LOAD_SPIKE_PCT", Rule.LOAD_SPIKE, rules.LOAD_SPIKE_PCT, Unit.PERCENT),
    Number("RUN_BUILD_STEP", Rule.LOAD_SPIKE, rules.RUN_BUILD_STEP, Unit.SHARE),
    Number("RUN_BUILD_DONE_SHARE", Rule.LOAD_SPIKE, rules.RUN_BUILD_DONE_SHARE, Unit.SHARE),
    Number("DOWNHILL_AFTER_DAYS", Rule.LOAD_DOWNHILL, rules.DOWNHILL_AFTER_DAYS, Unit.DAYS),
    Number("MAX_DOWNHILL_M", Rule.LOAD_DOWNHILL, rtr.MAX_DOWNHILL_M, Unit.PLAIN),
    Number("CADENCE_FIRST_STEP", Rule.CAD_1, rules.CADENCE_FIRST_STEP, Unit.SHARE),
    Number("CADENCE_MAX_STEP", Rule.CAD_1, rules.CADENCE_MAX_STEP, Unit.SHARE),
    Number("CADENCE_BASELINE_RUNS", Rule.CAD_1, rules.CADENCE_BASELINE_RUNS, Unit.COUNT),
    Number("CADENCE_TOLERANCE_SPM", Rule.CAD_1, rules.CADENCE_TOLERANCE_SPM, Unit.PLAIN),
    # Return to run (RTR-*).
    Number("ENTRY_MAX_PAIN", Rule.RTR_ENTRY, rtr.ENTRY_MAX_PAIN, Unit.PAIN),
    Number("ENTRY_DAYS", Rule.RTR_ENTRY, rtr.ENTRY_DAYS, Unit.DAYS),
    Number("RTR_RUNS_PER_WEEK", Rule.RTR_LADDER, rules.RTR_RUNS_PER_WEEK, Unit.COUNT),
    Number("PASS_MAX_PAIN", Rule.RTR_RULES, rtr.PASS_MAX_PAIN, Unit.PAIN),
    Number("AMBER_MAX_PAIN", Rule.RTR_RULES, rtr.AMBER_MAX_PAIN, Unit.PAIN),
    Number("PASSES_TO_ADVANCE", Rule.RTR_RULES, rtr.PASSES_TO_ADVANCE, Unit.COUNT),
    Number("OVER_DISTANCE", Rule.RTR_RULES, rtr.OVER_DISTANCE, Unit.PLAIN),
    Number("RUN_SPACED_WEEKS", Rule.RTR_RULES, rules.RUN_SPACED_WEEKS, Unit.WEEKS),
    # The no-improvement review (RF-SOON).
    Number("REVIEW_AFTER_DAYS", Rule.RF_SOON, improvement.REVIEW_AFTER_DAYS, Unit.DAYS),
    Number("MIN_ADHERENCE", Rule.RF_SOON, improvement.MIN_ADHERENCE, Unit.SHARE),
    Number("MIN_PAIN_DROP_NRS", Rule.RF_SOON, improvement.MIN_PAIN_DROP_NRS, Unit.PLAIN),
    Number("MIN_AKPS_RISE", Rule.RF_SOON, improvement.MIN_AKPS_RISE, Unit.PLAIN),
)

PLACEHOLDER = re.compile(r"\$([A-Z][A-Z0-9_]*[A-Z0-9])(?::([a-z]+))?")


def say(text: str, numbers: Mapping[str, Number] | None = None) -> str:
    """`text` with each `$NAME` (or `$NAME:style`) replaced by that registry number as
    `Number.quote` writes it. `numbers` is the registry unless given (a test can pass one with
    other values, `with_values`). Raises `ValueError` naming an unknown number."""
    table = NUMBERS if numbers is None else numbers

    def fill(match: re.Match[str]) -> str:
        number = table.get(match[1])
        if number is None:
            raise ValueError(f"${match[1]} is not a number in the rule registry")
        return number.quote(match[2] or "")

    return PLACEHOLDER.sub(fill, text)


def with_values(**values: float) -> dict[str, Number]:
    """The registry with some numbers changed, by name: what every sentence would say then."""
    unknown = set(values) - set(NUMBERS)
    if unknown:
        raise ValueError(f"not numbers in the rule registry: {sorted(unknown)}")
    return {
        name: replace(n, value=values[name]) if name in values else n for name, n in NUMBERS.items()
    }
