"""The packaged catalogue's parse, kept as JSON beside the bytecode (`kneecap.catalog`): loading
from it gives the catalogue the YAML gives, and any change of a file it was parsed from parses
the YAML again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kneecap import catalog
from kneecap.catalog import _Kept, _root, load_catalogue, load_catalogue_from
from kneecap.core.catalogue import Catalogue


def fresh() -> Catalogue:
    load_catalogue.cache_clear()
    return load_catalogue()


def test_the_kept_parse_gives_the_catalogue_the_yaml_gives() -> None:
    root = _root()
    assert isinstance(root, Path)
    fresh()  # parsed, and kept
    kept = _Kept(root)
    assert kept.recall() is not None
    from_yaml = load_catalogue_from(root)
    from_kept = fresh()
    assert from_kept == from_yaml
    assert from_kept.templates == from_yaml.templates
    assert list(from_kept) == list(from_yaml)


def test_a_changed_file_parses_the_yaml_again() -> None:
    root = _root()
    assert isinstance(root, Path)
    fresh()
    kept = _Kept(root)
    blob = json.loads(kept.path.read_text(encoding="utf-8"))
    blob["parsed"]["catalog/exercises/clamshell.yaml"]["name"] = "Not what the file says"
    kept.path.write_text(json.dumps(blob), encoding="utf-8")
    assert fresh()["clamshell"].name == "Not what the file says"
    source = root / "exercises" / "clamshell.yaml"
    stat = source.stat()
    try:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert fresh()["clamshell"].name != "Not what the file says"
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        fresh()


def test_nothing_is_kept_that_json_would_not_give_back(tmp_path: Path) -> None:
    kept = _Kept.__new__(_Kept)
    kept.path, kept.key = tmp_path / "__pycache__" / catalog.KEPT, "k"
    kept.keep({"a": {1: "a number as a key"}})
    assert not kept.path.exists()
    kept.keep({"a": {"b": [1, 2.5, True, None]}})
    assert kept.recall() == {"a": {"b": [1, 2.5, True, None]}}
