"""JSON request bodies read strictly, before any route sees them.

Python's `json` reads more than JSON: `NaN`, `Infinity` and `1e309` (which becomes infinity)
arrive as floats no record can hold and no response can write back; a 5,000-digit integer
raises ValueError (the int-from-string limit); a deeply nested value raises RecursionError; and
`"\\ud800"` arrives as a lone surrogate that no database or page can encode. Each of those was a
500. Here every one is a `BadJSON` naming the field (`entries.0.sets_done`, as validation names
fields) and the rule, so the answer is a 422 that says what to fix. The limits are generous
bounds on shape only; each field's own range is the record's to check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 16  # the deepest record (a session's entries) is 3 levels deep
MAX_INT_DIGITS = 18  # any int a record holds fits in 64 bits
MAX_STRING_CHARS = 10_000
MAX_ITEMS = 1_000  # per list or object; records set tighter caps (a session's 40 entries)

_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


@dataclass(frozen=True)
class BadJSON(Exception):
    """Why a body is refused: the field (dotted path, "" for the whole body), the rule broken
    (a short id such as `finite_number`) and a message fit to show."""

    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.field or 'body'}: {self.message}"


@dataclass(frozen=True)
class _Refused:
    """A value JSON syntax allows but a record cannot hold, kept until its path is known."""

    rule: str
    message: str


def _constant(text: str) -> _Refused:
    return _Refused("finite_number", f"{text} is not a number a record can hold (finite only)")


def _float(text: str) -> float | _Refused:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        return _Refused("finite_number", "the number is too large (finite numbers only)")
    return value


def _int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return _Refused("int_too_long", f"an integer of more than {MAX_INT_DIGITS} digits")
    return int(text)


def depth(body: bytes) -> int:
    """How deeply `body`'s arrays and objects nest, counted without parsing (so a value nested
    a million levels deep costs one pass over the bytes, not a RecursionError)."""
    deepest = level = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def loads(body: bytes) -> Any:
    """The value in `body`, or BadJSON: the body must be UTF-8 JSON with finite numbers, short
    integers, valid Unicode, at most MAX_DEPTH levels, MAX_ITEMS items per container and
    MAX_STRING_CHARS characters per string."""
    if depth(body) > MAX_DEPTH:
        raise BadJSON("", "too_deep", f"nested more than {MAX_DEPTH} levels deep")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadJSON("", "utf8", f"not UTF-8 text (byte {e.start})") from None
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as e:
        raise BadJSON(
            "", "json_invalid", f"not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        ) from None
    except RecursionError:  # the depth scan makes this unreachable; kept as a backstop
        raise BadJSON("", "too_deep", f"nested more than {MAX_DEPTH} levels deep") from None
    _walk(value, ())
    return value


def _walk(value: Any, path: tuple[str, ...]) -> None:
    field = ".".join(path)
    if isinstance(value, _Refused):
        raise BadJSON(field, value.rule, value.message)
    if isinstance(value, str):
        _text(value, field)
    elif isinstance(value, list | dict):
        if len(value) > MAX_ITEMS:
            raise BadJSON(field, "too_many_items", f"more than {MAX_ITEMS} items")
        if isinstance(value, dict):
            for key, item in value.items():
                _text(key, field, "a field name")
                _walk(item, (*path, key[:40]))
        else:
            for n, item in enumerate(value):
                _walk(item, (*path, str(n)))


def _text(value: str, field: str, what: str = "text") -> None:
    if len(value) > MAX_STRING_CHARS:
        raise BadJSON(field, "string_too_long", f"{what} longer than {MAX_STRING_CHARS} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadJSON(
            field, "invalid_unicode", f"{what} with an unpaired surrogate (not valid Unicode)"
        ) from None
