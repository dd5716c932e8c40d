"""A planned session in words: its title ("strength session", "stretch and foam roll", ...) and
its exercises as lines, one wording for the CLI, the web and the calendar export."""

from __future__ import annotations

from kneecap.core.catalogue import Catalogue
from kneecap.core.plan import Session


def session_title(session: Session) -> str:
    rolled = any(i.block == "soft-tissue" for i in session.items)
    return {
        "strength": "strength session",
        "mobility": "stretch and foam roll" if rolled else "stretching",
        "cardio": "low-impact cardio",
        "run": "run",
    }.get(session.kind, session.kind)


def session_description(session: Session, catalogue: Catalogue) -> str:
    """One line per exercise: "- name: dose [block]"."""
    lines = []
    for item in session.items:
        name = catalogue[item.exercise].name
        lines.append(f"- {name}: {item.dose()} [{item.block}]")
    return "\n".join(lines)
