"""The catalogue data: one YAML file per exercise and per education topic, and the session
templates (`templates.yaml`), validated at load. A text that quotes a rule's number writes
`$NAME` and the loader fills it from the rule registry (`core/rulebook.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

from pydantic import BaseModel

from kneecap.core.catalogue import Catalogue, CatalogueError, Exercise, SessionTemplates
from kneecap.core.education import Topic
from kneecap.core.rulebook import Number, say
from kneecap.documents import DocumentError, parse, validate

M = TypeVar("M", bound=BaseModel)

TEMPLATES = "templates.yaml"


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


def load_documents(
    folder: str,
    model: type[M],
    key: str = "id",
    root: Traversable | None = None,
    numbers: Mapping[str, Number] | None = None,
) -> list[M]:
    """Every YAML file in `folder` of the catalogue (or of `root`), validated as `model`, in
    file-name order: exercises, topics and exercise figures alike, their `$NAME`s filled from
    the rule registry (or `numbers`). Each file's `key` field must match its file name. Raises
    `DocumentError` naming the file, the line and the field."""
    items = []
    for source, text in _entries(_root() if root is None else root, folder):
        data, lines = parse(text, source)
        item = validate(model, _fill(data, source, numbers), source, lines)
        stem = source.rsplit("/", 1)[1].removesuffix(".yaml")
        value = getattr(item, key)
        if value != stem:
            raise DocumentError(source, [f"{key}: '{value}' does not match the file name '{stem}'"])
        items.append(item)
    return items


def load_catalogue_from(
    root: Traversable, numbers: Mapping[str, Number] | None = None
) -> Catalogue:
    """The catalogue in the folder `root` (`exercises/*.yaml` and `templates.yaml`), validated,
    rule numbers from the registry (or `numbers`): raises `DocumentError`/`CatalogueError`
    naming the file, and the field or the template and slot at fault."""
    exercises = load_documents("exercises", Exercise, root=root, numbers=numbers)
    source = f"catalog/{TEMPLATES}"
    data, lines = parse(root.joinpath(TEMPLATES).read_text(encoding="utf-8"), source)
    templates = validate(SessionTemplates, data, source, lines)
    return Catalogue(exercises, templates, templates_source=source)


@cache
def load_catalogue() -> Catalogue:
    """Every exercise and the session templates, validated; raises `DocumentError`/
    `CatalogueError` naming file and field."""
    return load_catalogue_from(_root())


@cache
def load_topics() -> dict[str, Topic]:
    return {t.id: t for t in load_documents("education", Topic)}


__all__ = [
    "CatalogueError",
    "DocumentError",
    "load_catalogue",
    "load_catalogue_from",
    "load_documents",
    "load_topics",
]
