"""Session templates are catalogue data (`catalog/templates.yaml`): adding an exercise to a
session is a YAML edit, checked at load, and the planner names no exercise in its code."""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

import kneecap.catalog
import kneecap.core.planner
from kneecap.catalog import load_catalogue_from
from kneecap.core.catalogue import Catalogue, CatalogueError
from kneecap.core.phases import Phase
from kneecap.core.planner import build_plan
from kneecap.core.screening import screen
from kneecap.documents import DocumentError
from tests.conftest import make_profile

CATALOG = Path(kneecap.catalog.__file__).parent
SOURCE = "catalog/templates.yaml"

SIDE_LYING_LEG_RAISE = """\
id: side-lying-leg-raise
name: Side-lying leg raise
kind: strength
summary: Lying on your side, lift the top leg to work the outer hip.
targets: [hip abductors]
phases: [settle, strengthen, build, return_to_run, maintain]
dose:
  per_side: true
  sets: [2, 3]
  reps: [10, 15]
  source: CPG-EX
steps:
  - Lie on your side with the bottom knee bent and the top leg straight.
  - Lift the top leg a hand's width, toes pointing forward.
  - Lower it slowly and repeat.
cues: [Keep your hips stacked.]
mistakes: [Rolling backwards.]
why: The outer hip keeps the knee in line while you run (CPG-EX).
"""


def copy_catalogue(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    (root / "exercises").mkdir(parents=True)
    for f in (CATALOG / "exercises").glob("*.yaml"):
        shutil.copy(f, root / "exercises" / f.name)
    shutil.copy(CATALOG / "templates.yaml", root / "templates.yaml")
    return root


def templates_data(root: Path) -> dict[str, Any]:
    data = yaml.safe_load((root / "templates.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write_templates(root: Path, data: dict[str, Any]) -> None:
    (root / "templates.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def template(data: dict[str, Any], template_id: str) -> dict[str, Any]:
    (found,) = [t for t in data["strength"] if t["id"] == template_id]
    return found  # type: ignore[no-any-return]


def planned(catalogue: Catalogue, weeks: int = 2) -> set[str]:
    profile = make_profile()
    first = profile.start_date
    plan = build_plan(
        profile, catalogue, screen(profile), first, first + dt.timedelta(days=7 * weeks - 1)
    )
    return {i.exercise for d in plan.days for s in d.sessions for i in s.items}


def test_the_packaged_catalogue_loads_its_templates(catalogue: Catalogue) -> None:
    templates = catalogue.templates
    for phase in Phase:
        assert templates.rotation(phase, physio_set=False)
    assert templates.rotation(Phase.STRENGTHEN, physio_set=True) != templates.rotation(
        Phase.STRENGTHEN, physio_set=False
    )  # R9: the physio-style set
    # No physio-set template for settle: the settle template serves either way.
    assert templates.rotation(Phase.SETTLE, physio_set=True) == templates.rotation(
        Phase.SETTLE, physio_set=False
    )


def test_adding_an_exercise_to_a_session_is_a_yaml_edit(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    root = copy_catalogue(tmp_path)
    (root / "exercises" / "side-lying-leg-raise.yaml").write_text(SIDE_LYING_LEG_RAISE, "utf-8")
    data = templates_data(root)
    session_a = template(data, "strengthen")["sessions"][0]
    session_a[2] = ["side-lying-leg-raise", *session_a[2]]  # preferred over the clamshell
    write_templates(root, data)

    extended = load_catalogue_from(root)

    assert "side-lying-leg-raise" in extended
    assert "side-lying-leg-raise" in planned(extended)
    assert "side-lying-leg-raise" not in planned(catalogue)
    # The session B template, unchanged, still has the clamshell.
    assert "clamshell" in planned(extended)


def test_the_planner_names_no_exercise(catalogue: Catalogue) -> None:
    tree = ast.parse(Path(kneecap.core.planner.__file__).read_text(encoding="utf-8"))
    strings = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not strings & set(catalogue), strings & set(catalogue)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            lambda d: template(d, "build")["sessions"][1][2].append("no-such-exercise"),
            "strength template 'build', session B, slot 3: 'no-such-exercise' is not in the "
            "catalogue",
            id="unknown id",
        ),
        pytest.param(
            lambda d: template(d, "maintain")["sessions"][0][1].insert(0, "lunge"),
            "strength template 'maintain', session A, slot 2: 'lunge' is an avoided movement, "
            "never prescribed (R8)",
            id="avoided",
        ),
        pytest.param(
            lambda d: template(d, "settle")["sessions"][0][3].insert(0, "band-squat"),
            "strength template 'settle', session A, slot 4: 'band-squat' is not allowed in the "
            "settle phase",
            id="wrong phase",
        ),
        pytest.param(
            lambda d: template(d, "strengthen")["sessions"][0][0].append("quad-stretch"),
            "strength template 'strengthen', session A, slot 1: 'quad-stretch' is a 'stretch' "
            "entry, not 'strength'",
            id="wrong kind",
        ),
        pytest.param(
            lambda d: d["stretch"].append("deep-squat"),
            "stretch: 'deep-squat' is an avoided movement",
            id="avoided stretch",
        ),
        pytest.param(
            lambda d: d["cardio"].update(cycling="swimming"),
            "cardio.cycling: 'swimming' needs access to swimming",
            id="cardio access",
        ),
    ],
)
def test_a_bad_template_names_the_file_the_template_and_the_slot(
    tmp_path: Path, edit: Any, message: str
) -> None:
    root = copy_catalogue(tmp_path)
    data = templates_data(root)
    edit(data)
    write_templates(root, data)
    with pytest.raises(CatalogueError) as info:
        load_catalogue_from(root)
    assert str(info.value).startswith(f"{SOURCE}: ")
    assert message in str(info.value)


def test_every_phase_needs_a_strength_template(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    data = templates_data(root)
    data["strength"] = [t for t in data["strength"] if t["id"] != "maintain"]
    write_templates(root, data)
    with pytest.raises(DocumentError, match="no template covers the maintain phase") as info:
        load_catalogue_from(root)
    assert info.value.source == SOURCE


def test_a_malformed_template_names_the_line_and_field(tmp_path: Path) -> None:
    root = copy_catalogue(tmp_path)
    data = templates_data(root)
    template(data, "build")["phases"] = ["build", "sprint"]
    write_templates(root, data)
    with pytest.raises(DocumentError, match=r"strength\.3\.phases\.1") as info:
        load_catalogue_from(root)
    assert info.value.source == SOURCE
