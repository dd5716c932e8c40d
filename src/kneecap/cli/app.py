"""The `kneecap` command: the Typer app with every command module registered."""

from __future__ import annotations

import sys

from kneecap.cli import (
    cmd_data,
    cmd_db,
    cmd_documents,
    cmd_form,
    cmd_library,
    cmd_log,
    cmd_plan,
    cmd_progress,
    cmd_rtr,
    cmd_running,
    cmd_serve,
    cmd_users,
    cmd_worker,
)
from kneecap.cli.common import EXIT_BAD_INPUT, app, err

COMMANDS = (
    cmd_plan,
    cmd_log,
    cmd_progress,
    cmd_running,
    cmd_rtr,
    cmd_serve,
    cmd_library,
    cmd_documents,
    cmd_form,
    cmd_data,
    cmd_db,
    cmd_users,
    cmd_worker,
)


def main() -> None:
    try:
        app()
    except Exception as exc:
        from kneecap.documents import DocumentError

        if not isinstance(exc, DocumentError):
            raise
        err.print(f"error: {exc}")  # catalogue data broken in an installed copy
        sys.exit(EXIT_BAD_INPUT)


__all__ = ["COMMANDS", "app", "main"]
