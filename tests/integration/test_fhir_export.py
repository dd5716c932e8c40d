"""The FHIR export (`kneecap.app.fhir.bundle`) of a year of history on a real SQLite file: a
valid R4B Bundle (checked with fhir.resources), one response and total per Kujala result, one
pain observation per morning check-in, references that resolve inside the Bundle, the same JSON
for the same data, and no name unless the runner adds one."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from kneecap.app import Actor, BadInput, Clock, Forbidden, Home, diary, fhir, profile
from kneecap.app.home import opened
from kneecap.core import akps
from kneecap.core.history import CheckIn
from kneecap.settings import Settings
from tests.conftest import START, make_profile

YEAR = 365
AKPS_EVERY = 28  # days
LAST = START + dt.timedelta(days=YEAR - 1)
USER = "samrunner"  # the name the person is stored under: never in the export
SURVEY = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "survey",
    "display": "Survey",
}


def answers_on(n: int) -> list[int]:
    """The n-th result's answers: worse at first, better as the weeks go by."""
    worst = [len(item.options) - 1 for item in akps.ITEMS]
    return [max(0, w - 1 - n // 3) if w else 0 for w in worst]


def history(home: Home) -> None:
    """A year: a check-in every morning, the Kujala questionnaire every four weeks."""
    profile.save_profile(home, make_profile(affected_side="left"))
    days = [START + dt.timedelta(days=d) for d in range(YEAR)]
    diary.record_checkins(
        home, [CheckIn(date=day, morning_pain=(7 - i // 60) % 11) for i, day in enumerate(days)]
    )
    with home.store.transaction(home.person) as w:  # the results of days gone by
        for n, day in enumerate(days[::AKPS_EVERY]):
            answers = answers_on(n)
            w.add_akps(day, answers, akps.score(answers), home.clock.now())


def open_home(folder: Path, today: dt.date = LAST) -> Iterator[Home]:
    clock = Clock(today)
    settings = Settings(folder, f"sqlite:///{folder / 'k.sqlite3'}", user=USER, clock=clock)
    with opened(settings, clock) as home:
        yield home


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Home]:
    yield from open_home(tmp_path)


@pytest.fixture
def year(home: Home) -> dict[str, Any]:
    history(home)
    return fhir.bundle(home)


def resources(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def by_url(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["fullUrl"]: e["resource"] for e in data["entry"]}


def test_a_year_of_history_is_a_valid_r4b_collection_bundle(year: dict[str, Any]) -> None:
    parsed = Bundle.model_validate(year)
    assert parsed.type == "collection"
    assert year["timestamp"] == "2027-12-06T12:00:00Z"  # the clock's now, noon of the pinned day
    assert year["identifier"]["system"] == "urn:ietf:rfc:3986"
    assert year["identifier"]["value"].startswith("urn:uuid:")
    assert json.loads(parsed.model_dump_json(exclude_none=True)) == year  # nothing dropped


def test_a_year_counts_one_patient_one_questionnaire_and_a_resource_per_record(
    year: dict[str, Any],
) -> None:
    kinds = Counter(e["resource"]["resourceType"] for e in year["entry"])
    assert kinds == {
        "Patient": 1,
        "Questionnaire": 1,
        "QuestionnaireResponse": 14,  # day 0, 28, ..., 364: every four weeks for a year
        "Observation": 14 + YEAR,
    }
    codes = Counter(r["code"]["coding"][0]["code"] for r in resources(year, "Observation"))
    assert codes == {"kujala-akps-total": 14, "72514-3": YEAR}


def test_every_entry_has_a_unique_urn_uuid_and_every_reference_resolves(
    year: dict[str, Any],
) -> None:
    urls = [e["fullUrl"] for e in year["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(u.startswith("urn:uuid:") and len(u) == len("urn:uuid:") + 36 for u in urls)
    found = by_url(year)

    def references(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "reference":
                    yield value
                else:
                    yield from references(value)
        elif isinstance(node, list):
            for value in node:
                yield from references(value)

    refs = list(references(year["entry"]))
    assert len(refs) == 14 + (14 + YEAR) + 14  # subjects and derivedFrom
    (patient,) = [u for u, r in found.items() if r["resourceType"] == "Patient"]
    for resource in found.values():
        if resource["resourceType"] in ("QuestionnaireResponse", "Observation"):
            assert resource["subject"] == {"reference": patient}
    assert all(ref in found for ref in refs)


def test_the_pain_observations_are_loinc_72514_3_surveys_of_the_left_knee(
    year: dict[str, Any],
) -> None:
    pains = [
        r
        for r in resources(year, "Observation")
        if r["code"]["coding"][0]["system"] == "http://loinc.org"
    ]
    assert [p["effectiveDateTime"] for p in pains] == [
        (START + dt.timedelta(days=d)).isoformat() for d in range(YEAR)
    ]
    for i, pain in enumerate(pains):
        assert pain["status"] == "final"
        assert pain["category"] == [{"coding": [SURVEY]}]
        assert pain["code"]["coding"] == [
            {
                "system": "http://loinc.org",
                "code": "72514-3",
                "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            }
        ]
        assert pain["valueInteger"] == (7 - i // 60) % 11
        assert pain["bodySite"]["coding"] == [
            {
                "system": "http://snomed.info/sct",
                "code": "82169009",
                "display": "Structure of left knee region",
            }
        ]


def test_each_kujala_total_is_derived_from_its_own_response(year: dict[str, Any]) -> None:
    found = by_url(year)
    totals = [r for r in resources(year, "Observation") if "derivedFrom" in r]
    assert len(totals) == 14
    for n, total in enumerate(totals):
        day = (START + dt.timedelta(days=n * AKPS_EVERY)).isoformat()
        assert total["status"] == "final"
        assert total["category"] == [{"coding": [SURVEY]}]
        assert total["code"]["coding"] == [
            {
                "system": "https://kneecap.example/fhir/CodeSystem/kneecap",
                "code": "kujala-akps-total",
                "display": "Kujala Anterior Knee Pain Scale total score",
            }
        ]
        assert total["effectiveDateTime"] == day
        assert 0 <= total["valueInteger"] <= 100
        (ref,) = total["derivedFrom"]
        response = found[ref["reference"]]
        assert response["resourceType"] == "QuestionnaireResponse"
        assert response["authored"] == day
        assert (
            response["questionnaire"] == "https://kneecap.example/fhir/Questionnaire/kujala-akps|1"
        )
        assert response["status"] == "completed"
        chosen = [
            int(i["answer"][0]["valueCoding"]["code"].split(".")[1]) for i in response["item"]
        ]
        assert chosen == answers_on(n)
        assert akps.score(chosen) == total["valueInteger"]


def test_the_questionnaire_holds_the_13_items_as_asked_with_their_points(
    year: dict[str, Any],
) -> None:
    (q,) = resources(year, "Questionnaire")
    assert q["url"] == "https://kneecap.example/fhir/Questionnaire/kujala-akps"
    assert (q["version"], q["status"]) == ("1", "active")
    assert [i["text"] for i in q["item"]] == [item.title for item in akps.ITEMS]
    for item, asked in zip(q["item"], akps.ITEMS, strict=True):
        assert item["type"] == "choice"
        assert [
            (o["valueCoding"]["display"], o["valueCoding"]["extension"][0]["valueDecimal"])
            for o in item["answerOption"]
        ] == list(asked.options)
    answer_codes = {
        (item["linkId"], o["valueCoding"]["code"])
        for item in q["item"]
        for o in item["answerOption"]
    }
    for response in resources(year, "QuestionnaireResponse"):
        for item in response["item"]:
            assert (item["linkId"], item["answer"][0]["valueCoding"]["code"]) in answer_codes


def test_two_exports_differ_only_in_the_timestamp(tmp_path: Path, year: dict[str, Any]) -> None:
    (later,) = [fhir.bundle(h) for h in open_home(tmp_path, LAST + dt.timedelta(days=3))]
    assert later["timestamp"] != year["timestamp"]
    assert json.dumps({**later, "timestamp": None}, sort_keys=True) == json.dumps(
        {**year, "timestamp": None}, sort_keys=True
    )


def test_no_name_appears_unless_the_runner_adds_one(home: Home) -> None:
    history(home)
    text = json.dumps(fhir.bundle(home))
    assert USER not in text.lower()
    assert "birthDate" not in text
    assert '"name": [' not in text
    (patient,) = resources(json.loads(text), "Patient")
    assert set(patient) == {"resourceType", "identifier"}
    (identifier,) = patient["identifier"]
    assert identifier["system"] == "https://kneecap.example/fhir/patient"

    named = fhir.bundle(home, name="  Sam   Runner ")
    Bundle.model_validate(named)
    (patient,) = resources(named, "Patient")
    assert patient["name"] == [{"text": "Sam Runner"}]
    assert patient["identifier"] == [identifier]  # the same runner, named
    assert json.dumps(named).count("Sam Runner") == 1


def test_only_who_may_read_the_runners_data_may_export_it(home: Home) -> None:
    stranger = Home(home.store, home.person, Actor("someone else"), home.clock)
    with pytest.raises(Forbidden):
        fhir.bundle(stranger)


def test_a_blank_name_is_refused(home: Home) -> None:
    with pytest.raises(BadInput, match="name: must not be blank"):
        fhir.bundle(home, name="   ")


def test_with_no_records_the_bundle_holds_the_patient_and_the_questionnaire(home: Home) -> None:
    data = fhir.bundle(home)
    Bundle.model_validate(data)
    assert [e["resource"]["resourceType"] for e in data["entry"]] == ["Patient", "Questionnaire"]


def test_a_result_stored_without_its_answers_exports_its_total_alone(home: Home) -> None:
    with home.store.transaction(home.person) as w:  # as stored before the answers were
        w.add_akps(START, [], 70, home.clock.now())
    data = fhir.bundle(home)
    Bundle.model_validate(data)
    assert resources(data, "QuestionnaireResponse") == []
    (total,) = resources(data, "Observation")
    assert total["valueInteger"] == 70
    assert "derivedFrom" not in total
