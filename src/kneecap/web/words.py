"""The words a page shows for the values the code keys on: "Monday" for `mon`, "foam roller"
for `foam_roller`. The values themselves stay as they are in forms, URLs and JSON."""

from __future__ import annotations

WEEKDAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}

SPECIAL = {
    "soft-tissue": "soft tissue (self-massage)",
    "water_running": "water running",
    "foam_roller": "foam roller",
}


def label(value: str) -> str:
    """A value in words: its weekday, a special wording, or its underscores as spaces."""
    return WEEKDAYS.get(value) or SPECIAL.get(value) or value.replace("_", " ").replace("-", " ")


def labelled(values: list[str]) -> list[dict[str, str]]:
    """Each value with its words, for a form's options."""
    return [{"value": v, "label": label(v)} for v in values]
