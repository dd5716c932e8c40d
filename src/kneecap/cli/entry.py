"""The `kneecap` program: `kneecap today` answered before the command line library loads, from
its remembered answer when one holds (`cli.answers`), else read straight from the embedded
SQLite file (`cli.today`); anything else, or whatever those cannot answer, by the full command
line (`cli.app`), loaded only then."""

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
    if asked is None:
        from kneecap.cli.app import main as run

        run()
        return
    with answers.remembering(asked):
        from kneecap.cli import today

        answered = today.answer(asked.settings, asked.name == "today-json")
        if answered is not None:
            sys.exit(answered)
        from kneecap.cli.app import main as run

        run()
