"""The catalogue's parse, kept as JSON beside the bytecode (`kneecap.catalog`): loading from it
gives the catalogue the YAML gives, and any change of a file it was parsed from parses the YAML
again. On a copy of the catalogue, so the package's own files are never touched."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kneecap import catalog
from kneecap.catalog import _Kept, _root, load_catalogue_from, load_keeping


@pytest.fixture
def root(tmp_path: Path) -> Path:
    packaged = _root()
    assert isinstance(packaged, Path)
    copy = tmp_path / "catalog"
    shutil.copytree(packaged, copy, ignore=shutil.ignore_patterns("__pycache__", "figures"))
    return copy


def test_the_kept_parse_gives_the_catalogue_the_yaml_gives(root: Path) -> None:
    parsed = load_keeping(root)  # parsed, and kept
    assert _Kept(root).recall() is not None
    kept = load_keeping(root)
    from_yaml = load_catalogue_from(root)
    for found in (parsed, kept):
        assert found == from_yaml
        assert list(found) == list(from_yaml)
        assert found.templates == from_yaml.templates


def test_the_kept_parse_is_what_is_read_while_the_files_are_unchanged(root: Path) -> None:
    load_keeping(root)
    kept = _Kept(root)
    blob = json.loads(kept.path.read_text(encoding="utf-8"))
    blob["parsed"]["catalog/exercises/clamshell.yaml"]["name"] = "Read from the kept parse"
    kept.path.write_text(json.dumps(blob), encoding="utf-8")
    assert load_keeping(root)["clamshell"].name == "Read from the kept parse"


def test_a_changed_file_parses_the_yaml_again(root: Path) -> None:
    load_keeping(root)
    source = root / "exercises" / "clamshell.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("name: Clamshell", "name: Clamshell, side-lying"), "utf-8")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_keeping(root)["clamshell"].name == "Clamshell, side-lying"


def test_nothing_is_kept_that_json_would_not_give_back(tmp_path: Path) -> None:
    kept = _Kept.__new__(_Kept)
    kept.path, kept.key = tmp_path / "__pycache__" / catalog.KEPT, "k"
    kept.keep({"a": {1: "a number as a key"}})
    assert not kept.path.exists()
    kept.keep({"a": {"b": [1, 2.5, True, None]}})
    assert kept.recall() == {"a": {"b": [1, 2.5, True, None]}}
