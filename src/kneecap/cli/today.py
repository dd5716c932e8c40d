"""`kneecap today` and `today --json` as typed, answered before the command line library
loads (`cli/entry.py`), when no remembered answer holds: the day's plan read straight from the
embedded SQLite file (`app.quick`) and drawn by the command's own view (`render.today_view`),
so the same bytes and exit code as the command. None when the store must answer: the command
then runs in full."""

from __future__ import annotations

from kneecap.settings import Settings


def answer(s: Settings, as_json: bool) -> int | None:
    """Print today's answer and return its exit code; None, having printed nothing, when the
    command must run in full."""
    from kneecap.app.quick import planned_today

    planned = planned_today(s)
    if planned is None:
        return None
    from kneecap.cli import render

    return render.today_view(planned, as_json)
