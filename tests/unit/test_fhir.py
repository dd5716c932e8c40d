"""The FHIR mapping (`kneecap.core.fhir`) on plain data: the Questionnaire follows the
questions as asked, the knee's side becomes the body site, uuids are deterministic."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from kneecap.core import akps, fhir
from kneecap.core.history import CheckIn
from kneecap.core.profile import Side

DAY = dt.date(2027, 1, 4)
NOW = dt.datetime(2027, 1, 4, 7, 30, tzinfo=dt.UTC)


def one_of_each(side: Side | None, key: str = "k") -> dict[str, Any]:
    answers = (0, 1, 1, 1, 2, 2, 1, 1, 1, 0, 0, 0, 2)
    return fhir.bundle(
        fhir.Runner(key, side=side),
        [fhir.AkpsAnswers(DAY, answers, akps.score(answers))],
        [CheckIn(date=DAY, morning_pain=3)],
        NOW,
    )


def test_the_questionnaire_version_moves_with_its_wording() -> None:
    """Changed an item's wording or points in core/akps.py? Give the Questionnaire a new
    `QUESTIONNAIRE_VERSION` (a stored response names the version it answered) and pin the new
    digest here."""
    wording = json.dumps([[item.title, item.options] for item in akps.ITEMS])
    assert (fhir.QUESTIONNAIRE_VERSION, hashlib.sha256(wording.encode()).hexdigest()[:16]) == (
        "1",
        "521d46c87f403e93",
    )


@pytest.mark.parametrize(
    ("side", "site"),
    [
        (Side.LEFT, ("82169009", "Structure of left knee region")),
        (Side.RIGHT, ("6757004", "Structure of right knee region")),
        (Side.BOTH, ("72696002", "Knee region structure")),
    ],
)
def test_the_affected_side_is_the_pain_observations_body_site(
    side: Side, site: tuple[str, str]
) -> None:
    data = one_of_each(side)
    Bundle.model_validate(data)
    (pain,) = [e["resource"] for e in data["entry"] if "bodySite" in e["resource"]]
    assert pain["bodySite"]["coding"] == [
        {"system": "http://snomed.info/sct", "code": site[0], "display": site[1]}
    ]


def test_without_a_known_side_the_body_site_is_left_out() -> None:
    assert "bodySite" not in json.dumps(one_of_each(None))


def test_the_uuids_come_from_the_runners_key_and_the_record() -> None:
    def urls(data: dict[str, Any]) -> list[str]:
        return [e["fullUrl"] for e in data["entry"]]

    assert urls(one_of_each(Side.LEFT)) == urls(one_of_each(Side.LEFT))
    mine, theirs = urls(one_of_each(Side.LEFT)), urls(one_of_each(Side.LEFT, key="other"))
    assert mine[1] == theirs[1]  # the one Questionnaire
    assert not set(mine[:1] + mine[2:]) & set(theirs)


def test_the_timestamp_is_an_instant_in_utc_and_must_have_a_zone() -> None:
    assert one_of_each(None)["timestamp"] == "2027-01-04T07:30:00Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        fhir.bundle(fhir.Runner("k"), [], [], NOW.replace(tzinfo=None))
