"""Reading YAML/JSON documents into validated models, with errors that say where.

One place for every structured input (profiles, session logs, catalogue entries): a failure
becomes a `DocumentError` naming the file, the line when known, the field and what is allowed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:  # loaded when a document is parsed: a catalogue kept parsed needs none
    import yaml

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=Mapping[str, Any])  # one of pydantic's error details

MAX_DOCUMENT_BYTES = 1_000_000


@cache
def loader() -> type[yaml.SafeLoader]:
    """libyaml's safe loader where PyYAML was built with it (ten times faster on the
    catalogue), else the pure-Python one: the same safe subset of YAML either way."""
    import yaml

    found: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return found


MAX_DEPTH = 20


class DocumentError(ValueError):
    """Bad input: `str()` is a message fit to show the person who gave it."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(
            f"{source}: " + "\n  ".join(problems)
            if len(problems) == 1
            else f"{source}:\n  " + "\n  ".join(problems)
        )


def read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise DocumentError(str(path), [f"file is larger than {MAX_DOCUMENT_BYTES} bytes"])
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DocumentError(str(path), ["no such file"]) from None
    except IsADirectoryError:
        raise DocumentError(str(path), ["is a folder, not a file"]) from None
    except UnicodeDecodeError as exc:
        raise DocumentError(
            str(path), [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from None


def parse(text: str, source: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    """Parse YAML or JSON (JSON is read as JSON when the source ends in .json).

    Returns the data and a map from field paths to 1-based line numbers for error messages.
    """
    import yaml

    _check_structure(text, source)
    if source.endswith(".json"):
        try:
            data = json.loads(text)
        except RecursionError:
            raise DocumentError(source, [f"nested more than {MAX_DEPTH} levels deep"]) from None
        except json.JSONDecodeError as exc:
            raise DocumentError(
                source, [f"line {exc.lineno}, column {exc.colno}: {exc.msg}"]
            ) from None
    else:
        try:
            data = yaml.load(text, Loader=loader())  # a safe loader (`loader`)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise DocumentError(source, [f"{where}not valid YAML ({problem})"]) from None
    return data, _lines(text)


def _check_structure(text: str, source: str) -> None:
    """Refuse YAML anchors/aliases (a few hundred bytes of them can expand to gigabytes) and
    deep nesting before anything is built. JSON is read by YAML's event parser too."""
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader()):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DocumentError(
                    source, [f"line {_line(event)}: YAML anchors and aliases are not allowed"]
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise DocumentError(
                        source, [f"line {_line(event)}: nested more than {MAX_DEPTH} levels deep"]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # reported by the real parser, with its position


def _lines(text: str) -> dict[tuple[str, ...], int]:
    """Field path -> line, from YAML's node marks (JSON is YAML enough for this)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=loader())
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node | None, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, str(key.value))
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                sub = (*path, str(i))
                lines[sub] = value.start_mark.line + 1
                walk(value, sub)

    walk(root, ())
    return lines


def validate(
    model: type[M], data: Any, source: str, lines: Mapping[tuple[str, ...], int] | None = None
) -> M:
    """Validate `data` against `model`, turning pydantic's errors into located messages."""
    if not isinstance(data, dict):
        raise DocumentError(source, [f"expected a mapping of fields, got {type(data).__name__}"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DocumentError(
            source, [_describe(model, e, lines or {}) for e in own_errors(exc.errors())]
        ) from None


def own_errors(errors: Sequence[E]) -> list[E]:
    """pydantic's errors less the ones that only follow from others: a list whose items all
    failed is also "too short" (fewer valid items than its minimum), which the items' own
    errors already say."""
    inner = {tuple(e["loc"][:n]) for e in errors for n in range(len(e["loc"]))}
    return [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in inner)]


def load(model: type[M], path: Path) -> M:
    data, lines = parse(read_text(path), str(path))
    return validate(model, data, str(path), lines)


def _describe(model: type[BaseModel], error: Any, lines: Mapping[tuple[str, ...], int]) -> str:
    loc = tuple(str(p) for p in error["loc"])
    field = ".".join(loc) or "(document)"
    line = None
    for n in range(len(loc), 0, -1):
        if loc[:n] in lines:
            line = lines[loc[:n]]
            break
    where = f"line {line}: " if line else ""
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown field"
        allowed = _allowed_fields(model, loc[:-1])
        if allowed:
            message += f" (allowed: {', '.join(allowed)})"
    elif error["type"] == "enum":
        message = f"must be one of {error['ctx']['expected']}"
    got = error.get("input")
    if error["type"] not in ("missing", "extra_forbidden") and not isinstance(got, dict | list):
        shown = repr(got)  # cut short: a message never carries a whole 10-MB field back
        message += f" (got {shown if len(shown) <= 40 else shown[:39] + '…'})"
    return f"{where}{field}: {message}"


def _allowed_fields(model: type[BaseModel], path: tuple[str, ...]) -> list[str]:
    current: Any = model
    for part in path:
        if part.isdigit():
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _model_of(fields[part].annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def enum_values(enum: type[Enum]) -> str:
    return ", ".join(str(m.value) for m in enum)


def load_many(model: type[M], path: Path) -> list[M]:
    """A file holding one record (a mapping) or several (a list of mappings)."""
    data, lines = parse(read_text(path), str(path))
    if not isinstance(data, list):
        return [validate(model, data, str(path), lines)]
    if not data:
        raise DocumentError(str(path), ["the list is empty"])
    records = []
    for n, item in enumerate(data):
        sub = {k[1:]: v for k, v in lines.items() if k[:1] == (str(n),)}
        records.append(validate(model, item, f"{path} (item {n + 1})", sub))
    return records


def _line(event: yaml.Event) -> str:
    """The 1-based line of a YAML event, or "?" when the parser gave no position."""
    mark = event.start_mark
    return "?" if mark is None else str(mark.line + 1)
