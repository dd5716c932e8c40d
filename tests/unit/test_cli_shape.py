"""The CLI's commands stay thin: each reads its options, calls one use case (`kneecap.app`,
through `cli.common.use`), hands the answer to one render function (`cli/render*.py`) and ends
with its exit code. Drawing lives in the render modules, questions in `cli/intake.py` and
`cli/guide.py`, decisions in the use cases and the core."""

from __future__ import annotations

import ast
from pathlib import Path

import kneecap.cli

CLI = Path(kneecap.cli.__file__).parent
MOST_STATEMENTS = 10  # the lazy imports included: about two imports, a store, a use, a render

# Commands allowed more, each with its own ceiling and why.
LONGER = {
    "cmd_log.session": (
        11,
        "the guided session: the day's plan read, a day with nothing to guide answered, the "
        "guide (cli/guide.py) run with no store open while the runner exercises, the log saved",
    ),
    "cmd_data.export": (
        16,
        "three exports behind one command (the archive, CSV tables, a FHIR Bundle): which one "
        "is read from the options, then one use case and one render call each",
    ),
}
# Drawing is the render modules' job: a command module imports none of these.
DRAWING = ("rich.table", "rich.text", "rich.panel", "rich.progress", "rich.markup", "rich.tree")


def _is_command(node: ast.FunctionDef) -> bool:
    """Decorated with `@<typer app>.command(...)` or `@<typer app>.callback(...)`."""
    for d in node.decorator_list:
        call = d.func if isinstance(d, ast.Call) else d
        if isinstance(call, ast.Attribute) and call.attr in ("command", "callback"):
            return True
    return False


def _statements(node: ast.FunctionDef) -> int:
    """Every statement in the body, nested ones too, the docstring not."""
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return sum(isinstance(n, ast.stmt) for s in body for n in ast.walk(s))


def _commands() -> dict[str, int]:
    found = {}
    for path in sorted(CLI.glob("cmd_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and _is_command(node):
                found[f"{path.stem}.{node.name}"] = _statements(node)
    return found


def test_every_command_is_options_one_use_case_one_render() -> None:
    commands = _commands()
    assert len(commands) > 20, "cli/cmd_*.py is where the test looks"
    for name, count in commands.items():
        most = LONGER[name][0] if name in LONGER else MOST_STATEMENTS
        assert count <= most, (
            f"{name} has {count} statements (at most {most}): move the drawing into a render "
            "function (cli/render*.py), the questions into cli/intake.py or cli/guide.py, and "
            "the decisions into a use case (kneecap.app) or the core"
        )


def test_the_longer_commands_are_still_there_and_still_longer() -> None:
    commands = _commands()
    for name, (most, why) in LONGER.items():
        assert why
        assert name in commands, f"{name} is gone: take it off LONGER"
        assert MOST_STATEMENTS < commands[name] <= most, (
            f"{name} has {commands[name]} statements: lower its ceiling or take it off LONGER"
        )


def test_command_modules_draw_nothing_themselves() -> None:
    for path in sorted(CLI.glob("cmd_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(DRAWING), (
                    f"{path.name} imports {name}: drawing goes in cli/render*.py"
                )
