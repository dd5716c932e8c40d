"""The runner's record as a FHIR R4B Bundle (type "collection"): plain dicts, no FHIR library.

A Patient (pseudonymous unless a name is given), the Kujala (AKPS) Questionnaire, a
QuestionnaireResponse and an Observation (the total) per stored result, and an Observation per
morning check-in (LOINC 72514-3, the 0-10 pain). Every entry's fullUrl is a `urn:uuid:` made
with uuid5 from the runner's stable key and the record, so the same data gives the same JSON;
only the Bundle's timestamp, given by the caller, tells two exports apart. The mapping is
documented in docs/fhir.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kneecap.core import akps
from kneecap.core.history import CheckIn
from kneecap.core.profile import Side

# The product's own systems and canonicals, all under this one base.
BASE = "https://kneecap.example/fhir"
PATIENT_SYSTEM = f"{BASE}/patient"
CODE_SYSTEM = f"{BASE}/CodeSystem/kneecap"  # the product's own observation codes
ANSWER_SYSTEM = f"{BASE}/CodeSystem/kujala-akps-answer"  # the AKPS answers, "<item>.<option>"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/kujala-akps"
# A new version whenever an item's or option's wording or points change in core/akps.py
# (tests/unit/test_fhir.py pins the items' digest to this version).
QUESTIONNAIRE_VERSION = "1"
QUESTIONNAIRE = f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"

KUJALA_CODE = "kujala-akps-total"
KUJALA_DISPLAY = "Kujala Anterior Knee Pain Scale total score"
LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SNOMED = "http://snomed.info/sct"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
URI_IDENTIFIER = "urn:ietf:rfc:3986"

# The knee the check-in's pain is about: the lateralised SNOMED CT body structures, or the
# knee region alone when both knees hurt.
KNEE_SITES: dict[Side, tuple[str, str, str]] = {
    Side.RIGHT: ("6757004", "Structure of right knee region", "Right knee"),
    Side.LEFT: ("82169009", "Structure of left knee region", "Left knee"),
    Side.BOTH: ("72696002", "Knee region structure", "Both knees"),
}

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


@dataclass(frozen=True)
class Runner:
    """Who the record is about: `key` a stable pseudonym (never a name), `name` only when the
    runner chose to add it, `side` the affected knee (None: leave the body site out)."""

    key: str
    name: str | None = None
    side: Side | None = None


@dataclass(frozen=True)
class AkpsAnswers:
    """A stored Kujala result: its day, the option index chosen for each item, the total."""

    date: dt.date
    answers: tuple[int, ...]
    score: int


def runner_key(seed: str) -> str:
    """A stable pseudonymous key from something stored that never changes for the runner."""
    return str(uuid.uuid5(NAMESPACE, f"runner/{seed}"))


def bundle(
    runner: Runner,
    results: Sequence[AkpsAnswers],
    checkins: Sequence[CheckIn],
    timestamp: dt.datetime,
) -> dict[str, Any]:
    """The Bundle: the Patient, the Questionnaire, each result's response and total, each
    check-in's pain, oldest first within each kind. `timestamp` must be timezone-aware."""
    if timestamp.tzinfo is None:
        raise ValueError("timestamp: must be timezone-aware")
    patient = _urn(runner.key, "Patient")
    entries = [
        (patient, _patient(runner)),
        (_urn("", "Questionnaire", QUESTIONNAIRE), questionnaire()),
    ]
    for result in results:
        response = None
        if _fits(result.answers):
            response = _urn(runner.key, "QuestionnaireResponse", result.date.isoformat())
            entries.append((response, _response(result, patient)))
        observation = _urn(runner.key, "Observation", KUJALA_CODE, result.date.isoformat())
        entries.append((observation, _kujala(result, patient, response)))
    for checkin in checkins:
        observation = _urn(runner.key, "Observation", PAIN_CODE, checkin.date.isoformat())
        entries.append((observation, _pain(checkin, patient, runner.side)))
    entry = [{"fullUrl": url, "resource": resource} for url, resource in entries]
    digest = hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
    return {
        "resourceType": "Bundle",
        "identifier": {
            "system": URI_IDENTIFIER,
            "value": _urn(runner.key, "Bundle", digest),
        },
        "type": "collection",
        "timestamp": _instant(timestamp),
        "entry": entry,
    }


def questionnaire() -> dict[str, Any]:
    """The Kujala score as the product asks it: the 13 items of `core.akps`, each option coded
    `<item>.<option index>` with its points as the ordinal value."""
    return {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "KujalaAKPS",
        "title": "Kujala Anterior Knee Pain Scale (AKPS)",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "The Kujala Anterior Knee Pain Scale (Kujala et al., Arthroscopy 1993): 13 items, "
            "a total from 0 to 100, higher is better; each option's points are its ordinal "
            "value. The items and options are worded as Kneecap asks them."
        ),
        "item": [
            {
                "linkId": str(n),
                "text": item.title,
                "type": "choice",
                "required": True,
                "answerOption": [
                    {"valueCoding": {**_answer(n, i), "extension": [_ordinal(points)]}}
                    for i, (_, points) in enumerate(item.options)
                ],
            }
            for n, item in enumerate(akps.ITEMS, 1)
        ],
    }


def _patient(runner: Runner) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": PATIENT_SYSTEM, "value": runner.key}],
    }
    if runner.name is not None:
        patient["name"] = [{"text": runner.name}]
    return patient


def _response(result: AkpsAnswers, patient: str) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE,
        "status": "completed",
        "subject": {"reference": patient},
        "authored": result.date.isoformat(),
        "item": [
            {
                "linkId": str(n),
                "text": item.title,
                "answer": [{"valueCoding": _answer(n, answer)}],
            }
            for n, (item, answer) in enumerate(zip(akps.ITEMS, result.answers, strict=True), 1)
        ],
    }


def _kujala(result: AkpsAnswers, patient: str, response: str | None) -> dict[str, Any]:
    observation = _survey(
        {"system": CODE_SYSTEM, "code": KUJALA_CODE, "display": KUJALA_DISPLAY},
        patient,
        result.date,
        result.score,
    )
    if response is not None:
        observation["derivedFrom"] = [{"reference": response}]
    return observation


def _pain(checkin: CheckIn, patient: str, side: Side | None) -> dict[str, Any]:
    observation = _survey(
        {"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY},
        patient,
        checkin.date,
        checkin.morning_pain,
    )
    if side is not None:
        code, display, text = KNEE_SITES[side]
        observation["bodySite"] = {
            "coding": [{"system": SNOMED, "code": code, "display": display}],
            "text": text,
        }
    return observation


def _survey(code: dict[str, str], patient: str, day: dt.date, value: int) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {"coding": [{"system": CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}
        ],
        "code": {"coding": [code], "text": code["display"]},
        "subject": {"reference": patient},
        "effectiveDateTime": day.isoformat(),
        "valueInteger": value,
    }


def _answer(item: int, option: int) -> dict[str, str]:
    return {
        "system": ANSWER_SYSTEM,
        "code": f"{item}.{option}",
        "display": akps.ITEMS[item - 1].options[option][0],
    }


def _ordinal(points: int) -> dict[str, Any]:
    return {"url": ORDINAL_VALUE, "valueDecimal": points}


def _fits(answers: Sequence[int]) -> bool:
    """The stored answers are one option of each item (rows kept before answers were stored
    may hold none): only then is there a response to export."""
    try:
        akps.score(list(answers))
    except akps.AkpsError:
        return False
    return True


def _urn(key: str, *record: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join((key, *record)))}"


def _instant(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
