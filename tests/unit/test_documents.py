"""Profile documents: every mistake is reported with where it is and what is allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kneecap.core.profile import Profile
from kneecap.documents import DocumentError, load
from tests.conftest import profile_data


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_yaml_profile_loads(tmp_path: Path) -> None:
    import yaml

    profile = load(Profile, write(tmp_path, "p.yaml", yaml.safe_dump(profile_data())))
    assert profile.availability.minutes_per_session == 40


def test_pain_out_of_range_names_line_and_field(tmp_path: Path) -> None:
    text = "start_date: 2026-12-07\naffected_side: left\npain:\n  worst_last_week: 11\navailability: {days: [mon], minutes_per_session: 30}\n"
    with pytest.raises(DocumentError) as info:
        load(Profile, write(tmp_path, "p.yaml", text))
    assert "line 4: pain.worst_last_week: Input should be less than or equal to 10 (got 11)" in str(
        info.value
    )


def test_unknown_equipment_lists_the_allowed_values(tmp_path: Path) -> None:
    data = profile_data(equipment=["mat", "dumbbell"])
    with pytest.raises(DocumentError) as info:
        load(Profile, write(tmp_path, "p.json", json.dumps(data, indent=1)))
    message = str(info.value)
    assert "equipment.1" in message
    assert "'foam_roller'" in message
    assert "'dumbbell'" in message


def test_unknown_field_lists_the_known_ones(tmp_path: Path) -> None:
    data = profile_data(pain={"worst_last_week": 3, "throbbing": True})
    with pytest.raises(
        DocumentError,
        match=r"pain.throbbing: unknown field \(allowed: worst_last_week, location, at_rest, sharp, aggravated_by\)",
    ):
        load(Profile, write(tmp_path, "p.json", json.dumps(data)))


def test_broken_yaml_reports_the_line(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"line \d+, column \d+: not valid YAML"):
        load(Profile, write(tmp_path, "p.yaml", "pain: [1, 2\nstart_date: x\n"))


def test_broken_json_reports_the_line(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"line 2, column \d+"):
        load(Profile, write(tmp_path, "p.json", '{"a": 1,\n "b": }'))


def test_nan_is_refused(tmp_path: Path) -> None:
    data = profile_data(running={"weekly_km": float("nan")})
    with pytest.raises(DocumentError, match=r"running\.weekly_km"):
        load(Profile, write(tmp_path, "p.yaml", json.dumps(data).replace("NaN", ".nan")))


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", "#" * 1_000_001)
    with pytest.raises(DocumentError, match="larger than"):
        load(Profile, path)


def test_a_list_whose_items_all_fail_is_reported_by_its_items_alone(tmp_path: Path) -> None:
    """Not also "should have at least 1 item" for a list that has one, broken."""
    from kneecap.core.history import SessionLog

    text = "date: 2026-12-15\nentries:\n  - exercise: wall-sit\n    pain_during: 11\n    sharp: 'yes'\npain_after: 2\n"
    with pytest.raises(DocumentError) as info:
        load(SessionLog, write(tmp_path, "s.yaml", text))
    assert info.value.problems == [
        "line 4: entries.0.pain_during: Input should be less than or equal to 10 (got 11)",
        "line 5: entries.0.sharp: Input should be a valid boolean (got 'yes')",
    ]
    # An empty list is still too short: nothing else says so.
    with pytest.raises(DocumentError) as info:
        load(SessionLog, write(tmp_path, "e.yaml", "date: 2026-12-15\nentries: []\n"))
    assert [p.split(": ", 2)[1] for p in info.value.problems] == ["entries"]
