"""The catalogue data: one YAML file per exercise and per education topic, validated at load."""

from __future__ import annotations

from functools import cache
from importlib import resources

from kneecap.core.catalogue import Catalogue, CatalogueError, Exercise
from kneecap.core.education import Topic
from kneecap.documents import DocumentError, parse, validate


def _entries(folder: str) -> list[tuple[str, str]]:
    root = resources.files(__package__).joinpath(folder)
    return sorted(
        (f"catalog/{folder}/{f.name}", f.read_text(encoding="utf-8"))
        for f in root.iterdir()
        if f.name.endswith(".yaml")
    )


def _load(folder: str, model: type[Exercise] | type[Topic]) -> list[Exercise] | list[Topic]:
    items = []
    for source, text in _entries(folder):
        data, lines = parse(text, source)
        item = validate(model, data, source, lines)
        stem = source.rsplit("/", 1)[1].removesuffix(".yaml")
        if item.id != stem:
            raise DocumentError(source, [f"id: '{item.id}' does not match the file name '{stem}'"])
        items.append(item)
    return items


@cache
def load_catalogue() -> Catalogue:
    """Every exercise, validated; raises `DocumentError`/`CatalogueError` naming file and field."""
    exercises = _load("exercises", Exercise)
    return Catalogue(e for e in exercises if isinstance(e, Exercise))


@cache
def load_topics() -> dict[str, Topic]:
    return {t.id: t for t in _load("education", Topic) if isinstance(t, Topic)}


__all__ = ["CatalogueError", "DocumentError", "load_catalogue", "load_topics"]
