"""`kneecap export`, `restore` and `forget` through the installed command: exit codes, what
they say, and `--json` printing JSON alone."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Cli

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sam.yaml"


@pytest.fixture
def runner(cli: Cli) -> Cli:
    assert cli("init", "--profile", str(EXAMPLE)).code == 0
    assert cli("checkin", "--morning-pain", "2").code == 0
    return cli


def test_export_writes_a_private_archive_and_says_what_it_holds(
    runner: Cli, tmp_path: Path
) -> None:
    file = tmp_path / "mine.zip"
    r = runner("export", str(file))
    assert r.code == 0, r.err
    assert "Exported 1 profile version, 1 check-in" in r.out
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    with zipfile.ZipFile(file) as zf:
        assert json.loads(zf.read("manifest.json"))["format"] == "kneecap-export"
    again = runner("export", str(file), "--json")
    assert again.code == 2
    assert "exists" in again.err
    assert again.out == ""
    forced = runner("export", str(file), "--force", "--json")
    assert forced.code == 0
    assert json.loads(forced.out)["records"] == {"profiles": 1, "checkins": 1}


def test_export_names_the_kept_form_clips_it_leaves_out(runner: Cli, tmp_path: Path) -> None:
    from kneecap.app.form import CLIPS

    clips = runner.home / CLIPS / "1"
    clips.mkdir(parents=True)
    (clips / "20261207T080000-0a1b2c3d.webm").write_bytes(b"a kept video")
    (clips / "20261207T080000-0a1b2c3d.json").write_text("{}")
    r = runner("export", str(tmp_path / "mine.zip"))
    assert r.code == 0, r.err
    assert "1 form-check clip(s) you kept are not in the archive" in r.out
    done = runner("export", str(tmp_path / "again.zip"), "--json")
    assert json.loads(done.out)["form_clips_not_included"] == ["20261207T080000-0a1b2c3d.webm"]
    with zipfile.ZipFile(tmp_path / "again.zip") as zf:
        (note,) = json.loads(zf.read("manifest.json"))["notes"]
        assert "(20261207T080000-0a1b2c3d.webm) is not in this archive" in note
        assert not [n for n in zf.namelist() if n.endswith(".webm")]


def test_restore_into_a_new_person_and_refuse_over_existing_data(
    runner: Cli, tmp_path: Path
) -> None:
    file = tmp_path / "mine.zip"
    assert runner("export", str(file)).code == 0
    mine = runner("plan", "--json").out
    r = runner("--user", "again", "restore", str(file), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["records"] == {"profiles": 1, "checkins": 1}
    assert runner("--user", "again", "plan", "--json").out == mine
    refused = runner("restore", str(file))
    assert refused.code == 2
    assert "refusing to restore over existing data" in refused.err
    assert "1 profile version, 1 check-in" in refused.err


def test_a_foreign_archive_is_refused_with_the_reason(runner: Cli, tmp_path: Path) -> None:
    foreign = tmp_path / "photos.zip"
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr("cat.jpg", b"\xff\xd8")
    r = runner("--user", "new", "restore", str(foreign), "--json")
    assert r.code == 2
    assert "not a Kneecap export" in r.err
    assert r.out == ""


def test_forget_without_yes_says_what_it_would_delete_and_deletes_nothing(runner: Cli) -> None:
    r = runner("forget")
    assert r.code == 2
    assert "would delete everything of 'me': 1 profile version, 1 check-in" in r.err
    assert "forget --yes" in r.err
    assert runner("plan", "--json").code == 0  # still there


def test_forget_yes_deletes_everything_and_the_next_command_starts_over(runner: Cli) -> None:
    assert runner("today").code == 0
    r = runner("forget", "--yes", "--json")
    assert r.code == 0, r.err
    gone = json.loads(r.out)
    assert gone["person"] == "me"
    assert gone["records"] == {"profiles": 1, "checkins": 1}
    assert runner("plan").code == 1  # no profile yet
    assert not (runner.home / "answers").exists()


def test_csv_export_refuses_a_full_folder_without_force(runner: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "sheets"
    r = runner("export", "--csv", str(folder), "--json")
    assert r.code == 0, r.err
    assert [Path(p).name for p in json.loads(r.out)["files"]] == [
        "checkins.csv",
        "sessions.csv",
        "runs.csv",
    ]
    assert (
        (folder / "checkins.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1]
        .startswith("2026-12-07,2,")
    )
    refused = runner("export", "--csv", str(folder))
    assert refused.code == 2
    assert "not empty" in refused.err
    assert runner("export", "--csv", str(folder), "--force").code == 0


def test_export_needs_a_file_or_a_folder(runner: Cli) -> None:
    r = runner("export")
    assert r.code == 2
    assert "one of FILE.zip, --csv DIR or --fhir FILE.json" in r.err


def test_export_fhir_writes_the_bundle_privately(runner: Cli, tmp_path: Path) -> None:
    file = tmp_path / "bundle.json"
    r = runner("export", "--fhir", str(file), "--name", "Sam Runner", "--json")
    assert r.code == 0, r.err
    said = json.loads(r.out)
    bundle = json.loads(file.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    assert said["entries"] == len(bundle["entry"])
    assert "Sam Runner" in file.read_text(encoding="utf-8")
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    again = runner("export", "--fhir", str(file))
    assert again.code == 2
    assert "exists" in again.err
    assert runner("export", str(tmp_path / "a.zip"), "--name", "Sam").code == 2


def test_the_console_script_exports_and_restores(binary: Cli, tmp_path: Path) -> None:
    assert binary("init", "--profile", str(EXAMPLE)).code == 0
    file = tmp_path / "mine.zip"
    assert binary("export", str(file)).code == 0
    r = binary("--user", "copy", "restore", str(file))
    assert r.code == 0, r.err
    assert "Restored 1 profile version" in r.out


def test_forget_for_another_person_says_the_command_as_it_must_be_typed(runner: Cli) -> None:
    assert runner("--user", "Sam Two", "init", "--profile", str(EXAMPLE)).code == 0
    r = runner("--user", "Sam Two", "forget")
    assert r.code == 2
    assert "'kneecap --user 'Sam Two' forget --yes'" in r.err
