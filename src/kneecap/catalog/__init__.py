"""The catalogue data: one YAML file per exercise and per education topic, and the session
templates (`templates.yaml`), validated at load. A text that quotes a rule's number writes
`$NAME` and the loader fills it from the rule registry (`core/rulebook.py`).

Parsing the YAML is most of loading the catalogue, so the packaged catalogue's parse is kept
as JSON beside the bytecode (`__pycache__/catalogue.json`), under a key of the stat of every file
it was parsed from and of the parser (PyYAML, `documents.py`), as Python keeps bytecode under
its source's: loading then validates the kept data as it validates the parsed YAML (the
`$NAME`s filled, every model and cross-reference checked), without loading the YAML parser.
Anything amiss (no such file, another key, a folder that cannot be written, data JSON cannot
hold) parses the YAML as before."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from kneecap.core.catalogue import Catalogue, CatalogueError, Exercise, SessionTemplates
from kneecap.core.education import Topic
from kneecap.core.rulebook import Number, say
from kneecap.documents import DocumentError, parse, validate

M = TypeVar("M", bound=BaseModel)

TEMPLATES = "templates.yaml"
KEPT = "catalogue.json"  # the parsed YAML, in __pycache__ (see the module)


def _root() -> Traversable:
    return resources.files(__package__)


def _entries(root: Traversable, folder: str) -> list[tuple[str, str]]:
    return sorted(
        (f"catalog/{folder}/{f.name}", f.read_text(encoding="utf-8"))
        for f in root.joinpath(folder).iterdir()
        if f.name.endswith(".yaml")
    )


def _fill(data: Any, source: str, numbers: Mapping[str, Number] | None) -> Any:
    """Every `$NAME` in the document's text replaced by that rule registry number."""
    try:
        if isinstance(data, str):
            return say(data, numbers)
    except ValueError as exc:
        raise DocumentError(source, [str(exc)]) from None
    if isinstance(data, list):
        return [_fill(v, source, numbers) for v in data]
    if isinstance(data, dict):
        return {k: _fill(v, source, numbers) for k, v in data.items()}
    return data


Parse = Callable[[str, str], tuple[Any, dict[tuple[str, ...], int]]]


def load_documents(
    folder: str,
    model: type[M],
    key: str = "id",
    root: Traversable | None = None,
    numbers: Mapping[str, Number] | None = None,
    read: Parse = parse,
) -> list[M]:
    """Every YAML file in `folder` of the catalogue (or of `root`), validated as `model`, in
    file-name order: exercises, topics and exercise figures alike, their `$NAME`s filled from
    the rule registry (or `numbers`). Each file's `key` field must match its file name. Raises
    `DocumentError` naming the file, the line and the field."""
    items = []
    for source, text in _entries(_root() if root is None else root, folder):
        data, lines = read(text, source)
        item = validate(model, _fill(data, source, numbers), source, lines)
        stem = source.rsplit("/", 1)[1].removesuffix(".yaml")
        value = getattr(item, key)
        if value != stem:
            raise DocumentError(source, [f"{key}: '{value}' does not match the file name '{stem}'"])
        items.append(item)
    return items


def load_catalogue_from(
    root: Traversable, numbers: Mapping[str, Number] | None = None, read: Parse = parse
) -> Catalogue:
    """The catalogue in the folder `root` (`exercises/*.yaml` and `templates.yaml`), validated,
    rule numbers from the registry (or `numbers`): raises `DocumentError`/`CatalogueError`
    naming the file, and the field or the template and slot at fault. `read` parses each file
    (the text, its source) into its data and the lines of its fields."""
    exercises = load_documents("exercises", Exercise, root=root, numbers=numbers, read=read)
    source = f"catalog/{TEMPLATES}"
    data, lines = read(root.joinpath(TEMPLATES).read_text(encoding="utf-8"), source)
    templates = validate(SessionTemplates, data, source, lines)
    return Catalogue(exercises, templates, templates_source=source)


@cache
def load_catalogue() -> Catalogue:
    """Every exercise and the session templates, validated; raises `DocumentError`/
    `CatalogueError` naming file and field. The YAML is parsed once per change of its files
    (see the module)."""
    root = _root()
    if not isinstance(root, Path):  # a package that is not a folder of files: nothing kept
        return load_catalogue_from(root)
    return load_keeping(root)


def load_keeping(root: Path) -> Catalogue:
    """`load_catalogue_from(root)`, its parse kept in `root/__pycache__` and used while the
    files it came from are unchanged (see the module)."""
    kept = _Kept(root)
    found = kept.recall()
    if found is not None:
        try:
            return load_catalogue_from(root, read=lambda _text, source: (found[source], {}))
        except (KeyError, DocumentError, CatalogueError):
            pass  # parsed again below: any problem is then told with its line
    parsed: dict[str, Any] = {}

    def parse_keeping(text: str, source: str) -> tuple[Any, dict[tuple[str, ...], int]]:
        data, lines = parse(text, source)
        parsed[source] = data
        return data, lines

    catalogue = load_catalogue_from(root, read=parse_keeping)
    kept.keep(parsed)
    return catalogue


class _Kept:
    """A catalogue's parsed YAML, kept as JSON in its `__pycache__` folder."""

    def __init__(self, root: Path) -> None:
        self.path = root / "__pycache__" / KEPT
        self.key = self._key(root)

    @staticmethod
    def _key(root: Path) -> str:
        """The stat (name, size, modification time) of every file parsed and of the parser."""
        exercises = (root / "exercises").iterdir()
        files = [*sorted(f for f in exercises if f.name.endswith(".yaml")), root / TEMPLATES]
        files.append(Path(__file__).parent.parent / "documents.py")
        parser = find_spec("yaml")
        if parser is not None and parser.origin is not None:
            files.append(Path(parser.origin))
        stats = [(str(f), f.stat()) for f in files]
        return json.dumps([(n, s.st_size, s.st_mtime_ns) for n, s in stats])

    def recall(self) -> dict[str, Any] | None:
        try:
            kept = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(kept, dict) or kept.get("key") != self.key:
            return None
        found = kept.get("parsed")
        return found if isinstance(found, dict) else None

    def keep(self, parsed: dict[str, Any]) -> None:
        """Write the parse atomically, when JSON holds it exactly; else, or when the folder
        cannot be written, keep nothing."""
        try:
            text = json.dumps({"key": self.key, "parsed": parsed})
            if json.loads(text)["parsed"] != parsed:
                return  # e.g. a date or a number as a key: JSON would not give it back
            self.path.parent.mkdir(exist_ok=True)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, self.path)
        except (OSError, TypeError, ValueError):
            return


@cache
def load_topics() -> dict[str, Topic]:
    return {t.id: t for t in load_documents("education", Topic)}


__all__ = [
    "CatalogueError",
    "DocumentError",
    "load_catalogue",
    "load_catalogue_from",
    "load_documents",
    "load_keeping",
    "load_topics",
]
