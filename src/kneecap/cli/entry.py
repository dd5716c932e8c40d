"""The `kneecap` program: a remembered answer when one holds (`cli.answers`), else the full
command line (`cli.app`), loaded only then."""

from __future__ import annotations

import sys


def main() -> None:
    from kneecap.cli import answers

    asked = answers.question(sys.argv[1:])
    if asked is not None:
        found = answers.recall(asked)
        if found is not None:
            code, printed = found
            sys.stdout.buffer.write(printed)
            sys.stdout.flush()
            sys.exit(code)
    from kneecap.cli.app import main as run

    if asked is None:
        run()
        return
    with answers.remembering(asked):
        run()
