"""A CLI that starts in a blink: `--help` and `--version` load none of the heavy libraries, and a
command loads only what it uses (the benchmark is bench/cli_startup.py); `--version`; boolean
options are shown as flags."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kneecap.cli.app import app
from tests.conftest import Cli

REPO = Path(__file__).resolve().parents[2]
SAM_YAML = REPO / "docs" / "examples" / "sam.yaml"

# Never needed to list the commands or print the version. (Typer itself loads pydantic to read
# some options, so the guard on the models is Kneecap's own modules that define them.)
HEAVY = (
    "sqlalchemy",
    "alembic",
    "numpy",
    "lxml",
    "fastapi",
    "uvicorn",
    "starlette",
    "jinja2",
    "icalendar",
    "yaml",
    "rich.table",
    "kneecap.core.schema",
    "kneecap.documents",
    "kneecap.store",
    "kneecap.catalog",
    "kneecap.programme",
    "kneecap.importers.sources",
    "kneecap.web.app",
    "weasyprint",
    "kneecap.render.documents",
)
# What `today` does not need either: the web app, the importers and their numpy, the calendar,
# the migrations.
NOT_FOR_TODAY = ("alembic", "numpy", "fastapi", "uvicorn", "lxml", "icalendar", "kneecap.web.app")

# What `kneecap today` never loads when it reads the embedded SQLite file straight (its schema
# current: app/quick.py): the store's SQLAlchemy, the command line library, the YAML parser
# (the catalogue's parse is kept, kneecap.catalog).
NOT_FOR_TODAY_READ_STRAIGHT = (
    *NOT_FOR_TODAY,
    "sqlalchemy",
    "kneecap.store.repository",
    "typer",
    "click",
    "kneecap.cli.app",
    "kneecap.cli.common",
    "yaml",
)

LOADED = """
import sys
heavy = {heavy!r}
sys.argv = ["kneecap", *sys.argv[1:]]
from kneecap.cli.app import main
try:
    main()
except SystemExit:
    pass
print(" ".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def loaded(
    args: list[str],
    heavy: tuple[str, ...],
    env: dict[str, str] | None = None,
    entry: str = "kneecap.cli.app",
) -> str:
    """The modules of `heavy` that `kneecap ARGS` imported, in a fresh interpreter, started at
    the command line (`kneecap.cli.app`) or, as the installed program, at `kneecap.cli.entry`."""
    script = LOADED.format(heavy=heavy).replace(
        "from kneecap.cli.app import", f"from {entry} import"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = done.stderr.splitlines()
    return lines[-1].strip() if lines else ""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["today", "--help"], ["db", "--help"]], ids=" ".join
)
def test_help_and_version_load_no_heavy_library(args: list[str]) -> None:
    assert loaded(args, HEAVY) == ""


def test_today_loads_neither_the_web_app_nor_the_migrations(cli: Cli) -> None:
    assert cli("init", "--profile", str(SAM_YAML)).code == 0
    env = {"KNEECAP_HOME": str(cli.home), "KNEECAP_TODAY": cli.today, "PATH": ""}
    assert loaded(["today"], NOT_FOR_TODAY, env) == ""


def test_today_after_a_change_reads_the_file_without_sqlalchemy_or_the_command_line(
    cli: Cli,
) -> None:
    assert cli("init", "--profile", str(SAM_YAML)).code == 0
    env = {"KNEECAP_HOME": str(cli.home), "KNEECAP_TODAY": cli.today, "PATH": ""}
    for args in (["today"], ["today", "--json"]):
        shutil.rmtree(cli.home / "answers", ignore_errors=True)  # nothing remembered
        assert loaded(args, NOT_FOR_TODAY_READ_STRAIGHT, env, "kneecap.cli.entry") == ""
        assert (cli.home / "answers" / ("today-json" if "--json" in args else "today")).is_file()


def test_version_prints_the_installed_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"kneecap {importlib.metadata.version('kneecap')}"


def _paths(command: typer.core.TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, sub in command.commands.items():
        if isinstance(sub, typer.core.TyperGroup):
            paths += _paths(sub, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


ROOT = typer.main.get_command(app)
assert isinstance(ROOT, typer.core.TyperGroup)
PATHS = _paths(ROOT)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "kneecap")
def test_help_shows_boolean_options_as_flags(path: tuple[str, ...]) -> None:
    shown = CliRunner().invoke(app, [*path, "--help"], terminal_width=120)
    assert shown.exit_code == 0, shown.output
    assert "<bool>" not in shown.output
    assert re.search(r"^\s+--help\s+Show this message and exit\.$", shown.output, re.M)


def test_json_is_shown_as_a_flag_and_a_value_after_it_is_refused() -> None:
    shown = CliRunner().invoke(app, ["today", "--help"], terminal_width=120)
    assert re.search(r"^\s+--json\s+Machine-readable output", shown.output, re.M)
    refused = CliRunner().invoke(app, ["today", "--json", "true"])
    assert refused.exit_code == 2
    assert "unexpected extra argument" in refused.output


def test_help_lists_every_command() -> None:
    shown = CliRunner().invoke(app, ["--help"], terminal_width=120).output
    listed = re.findall(r"^  (\S+)\s", shown.split("Commands:", 1)[1], re.M)
    assert sorted(listed) == sorted(ROOT.commands)
    assert {"today", "plan", "import", "serve", "db", "profile", "rtr", "runs"} <= set(listed)
