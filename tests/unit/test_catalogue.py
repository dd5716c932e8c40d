"""The catalogue is data with a contract: MISSION's ids, a schema, sound cross-references,
and text in the project's own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kneecap.catalog import load_topics
from kneecap.core.catalogue import Catalogue, CatalogueError, Exercise, Kind
from kneecap.documents import DocumentError, parse, validate

MISSION_IDS = {
    Kind.STRENGTH: "straight-leg-raise glute-bridge clamshell wall-sit step-up low-step-up chair-squat lateral-band-walk monster-walk band-squat",
    Kind.STRETCH: "quad-stretch hamstring-stretch calf-stretch it-band-stretch",
    Kind.MOBILITY: "mobility-drills",
    Kind.SOFT_TISSUE: "foam-roll-it-band foam-roll-quads foam-roll-hamstrings ball-release-glutes ice",
    Kind.AVOID: "deep-squat lunge jump-squat box-jump downhill-running",
}
WARM_UP_OR_CARDIO = [
    "walk",
    "easy-cycling",
    "swimming",
    "water-running",
    "cycling",
    "elliptical",
    "running",
]
GUIDE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "runners-knee-guide.txt"


def test_every_mission_id_exists_with_its_kind(catalogue: Catalogue) -> None:
    for kind, ids in MISSION_IDS.items():
        for exercise_id in ids.split():
            assert catalogue[exercise_id].kind is kind, exercise_id
    for exercise_id in WARM_UP_OR_CARDIO:
        assert catalogue[exercise_id].kind in (Kind.WARM_UP, Kind.CARDIO)


def test_guide_doses_are_encoded(catalogue: Catalogue) -> None:
    def dose(i: str):  # type: ignore[no-untyped-def]
        d = catalogue[i].dose
        assert d is not None
        return d

    assert (dose("straight-leg-raise").sets, dose("straight-leg-raise").reps) == (
        (3, 3),
        (10, 15),
    )  # R4
    assert (dose("glute-bridge").sets, dose("glute-bridge").reps) == ((3, 3), (12, 15))
    assert (dose("clamshell").sets, dose("clamshell").reps) == ((2, 2), (15, 15))
    assert (dose("wall-sit").sets, dose("wall-sit").hold_s) == ((2, 3), (20, 40))
    for s in MISSION_IDS[Kind.STRETCH].split():
        assert dose(s).hold_s == (30, 30)  # R5
    rolling = sum(dose(i).minutes[0] for i in MISSION_IDS[Kind.SOFT_TISSUE].split()[:4])  # type: ignore[index]
    assert rolling == 5  # R6: about five minutes a day


def test_avoid_entries_name_their_reason_and_safe_alternatives(catalogue: Catalogue) -> None:
    for e in catalogue.of_kind(Kind.AVOID):
        assert (e.avoid_reason and "R8" in e.avoid_reason) or "R8" in e.why
        assert e.alternatives
        assert all(catalogue[a].kind is not Kind.AVOID for a in e.alternatives)


def test_band_exercises_need_a_band_and_step_ups_need_a_step(catalogue: Catalogue) -> None:
    for i in ("lateral-band-walk", "monster-walk", "band-squat"):
        assert "band" in catalogue[i].equipment
    for i in ("step-up", "low-step-up", "step-down"):
        assert "step" in catalogue[i].equipment
    for i in MISSION_IDS[Kind.SOFT_TISSUE].split()[:4]:
        assert catalogue[i].equipment
        assert catalogue[i].relief_only


def test_progression_chains_point_both_ways(catalogue: Catalogue) -> None:
    assert "step-up" in catalogue["low-step-up"].harder
    assert "low-step-up" in catalogue["step-up"].easier
    assert "band-squat" in catalogue["chair-squat"].harder


def test_every_entry_has_instructions_cues_mistakes_and_why(catalogue: Catalogue) -> None:
    for e in catalogue.values():
        assert len(e.steps) >= 3, e.id
        assert re.search(r"\((R\d+|[A-Z]+-[A-Z0-9-]+)(, [^)]+)?\)", e.why), e.id
        if e.kind is not Kind.AVOID:
            assert e.cues, e.id
            assert e.mistakes, e.id


def test_education_covers_the_guide_topics() -> None:
    topics = load_topics()
    sources = {s for t in topics.values() for s in t.sources}
    assert {"R1", "R2", "R11", "R12", "CPG-EDU", "CPG-PASSIVE"} <= sources
    assert "what-is-runners-knee" in topics


@pytest.mark.skipif(not GUIDE.exists(), reason="the shared guide is not beside this clone")
def test_no_sentence_is_copied_from_the_guide(catalogue: Catalogue) -> None:
    words = re.findall(r"[a-z']+", GUIDE.read_text(encoding="utf-8").lower().replace("’", "'"))
    guide_runs = {" ".join(words[i : i + 7]) for i in range(len(words) - 6)}
    texts = [yaml.safe_dump(e.model_dump(mode="json")) for e in catalogue.values()]
    texts += [yaml.safe_dump(t.model_dump(mode="json")) for t in load_topics().values()]
    for text in texts:
        ours = re.findall(r"[a-z']+", text.lower())
        copied = {" ".join(ours[i : i + 7]) for i in range(len(ours) - 6)} & guide_runs
        assert not copied, copied


def test_a_malformed_entry_is_reported_with_file_line_and_field() -> None:
    text = "id: bad\nname: Bad\nkind: strength\nsummary: x\nphases: [settle]\ndose:\n  sets: [3, 1]\n  reps: [1, 2]\n  source: R4\nsteps: [a]\nwhy: y\n"
    data, lines = parse(text, "catalog/exercises/bad.yaml")
    with pytest.raises(DocumentError) as info:
        validate(Exercise, data, "catalog/exercises/bad.yaml", lines)
    message = str(info.value)
    assert "catalog/exercises/bad.yaml" in message
    assert "line 6: dose" in message
    assert "min 3 is above max 1" in message


def test_an_unknown_kind_lists_the_allowed_kinds() -> None:
    data, lines = parse("id: x\nname: X\nkind: yoga\nsummary: s\nsteps: [a]\nwhy: w\n", "x.yaml")
    with pytest.raises(DocumentError, match=r"line 3: kind: must be one of .*'strength'"):
        validate(Exercise, data, "x.yaml", lines)


def test_a_dangling_variant_is_refused(catalogue: Catalogue) -> None:
    broken = catalogue["wall-sit"].model_copy(update={"harder": ("no-such-thing",)})
    with pytest.raises(CatalogueError, match="wall-sit: harder names unknown id 'no-such-thing'"):
        Catalogue([*(e for e in catalogue.values() if e.id != "wall-sit"), broken])
