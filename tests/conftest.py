"""Shared fixtures: the real catalogue, profile builders, the installed `kneecap` command (in
this process, or as the console script in a child process) and new databases on each engine
(SQLite and a real PostgreSQL server: tests/postgres.py)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from click import formatting
from click.testing import CliRunner

from kneecap.catalog import load_catalogue
from kneecap.core.catalogue import Catalogue
from kneecap.core.intake import RED_FLAG_QUESTIONS
from kneecap.core.profile import Profile
from tests import postgres

START = dt.date(2026, 12, 7)  # a Monday
ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ALL_EQUIPMENT = ["mat", "band", "foam_roller", "ball", "chair", "step", "wall"]


def profile_data(**changes: Any) -> dict[str, Any]:
    """A valid profile as plain data (Sam's, from MISSION's first journey), with changes merged.
    Every safety answer is stated, as an intake requires (age, where it hurts, each red flag)."""
    data: dict[str, Any] = {
        "start_date": START.isoformat(),
        "age_years": 34,
        "affected_side": "right",
        "pain": {
            "worst_last_week": 3,
            "location": "around_kneecap",
            "at_rest": False,
            "sharp": False,
            "aggravated_by": ["stairs"],
        },
        "red_flags": dict.fromkeys(RED_FLAG_QUESTIONS, False),
        "equipment": list(ALL_EQUIPMENT),
        "availability": {"days": list(ALL_DAYS), "minutes_per_session": 40},
        "cross_training": ["swimming"],
        "running": {"currently_running": True, "weekly_km": 30, "runs_per_week": 4},
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def entry_check_data(**changes: Any) -> dict[str, Any]:
    """Answers that pass the return-to-run entry check (RTR-ENTRY), with changes merged."""
    answers: dict[str, Any] = {
        "date": START.isoformat(),
        "daily_pain": 1,
        "brisk_walk_30_min": True,
        "swelling": False,
        "wall_sit_s": 60,
        "wall_sit_pain": 0,
        "balance_left_s": 30,
        "balance_right_s": 30,
        "balance_pain": 0,
        "step_downs_left": 10,
        "step_downs_right": 10,
        "step_down_pain": 0,
    }
    return {**answers, **changes}


def make_profile(**changes: Any) -> Profile:
    return Profile.model_validate(profile_data(**changes))


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Cli:
    """Runs `kneecap` against a throwaway data folder, "today" pinned (KNEECAP_TODAY).

    In this process by default: the installed console script's entry point, called with its own
    argv, environment, stdin, stdout and stderr (click's CliRunner isolation), so each step costs
    milliseconds instead of an interpreter's start. With `process=True` (the `binary` fixture),
    the installed console script in a child process: for the thin set of true end-to-end tests."""

    home: Path
    today: str = START.isoformat()
    process: bool = False

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        pinned = {"KNEECAP_HOME": str(self.home), "KNEECAP_TODAY": self.today, "COLUMNS": "120"}
        if self.process:
            return _spawn(args, input, {**pinned, **(env or {})})
        return _invoke(args, input, {**pinned, "KNEECAP_DB": None, **(env or {})})


def _spawn(args: tuple[str, ...], input: str | None, env: dict[str, str]) -> Result:
    exe = Path(sys.executable).parent / "kneecap"
    full_env = {**os.environ, **env}
    if "KNEECAP_DB" not in env:
        full_env.pop("KNEECAP_DB", None)
    proc = subprocess.run(
        [str(exe), *args],
        input=input,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@cache
def console_script() -> Callable[[], int | str | None]:
    """The function the installed `kneecap` console script calls."""
    (entry,) = entry_points(group="console_scripts", name="kneecap")
    main: Callable[[], int | str | None] = entry.load()
    return main


def _invoke(args: tuple[str, ...], input: str | None, env: dict[str, str | None]) -> Result:
    """`kneecap ARGS` in this process, as the console script runs it: its exit code, what it
    printed on stdout and on stderr (an escaped exception's traceback too, as Python prints it)."""
    main = console_script()
    argv, hook = sys.argv, sys.excepthook
    with CliRunner().isolation(input=input, env=env) as (stdout, stderr, _), _plain_consoles():
        formatting.FORCED_WIDTH = None  # help wraps to the terminal's width, as in a process
        sys.argv = ["kneecap", *args]
        code = 0
        try:
            sys.exit(main())  # as the console script's wrapper does
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:
            traceback.print_exc()
            code = 1
        finally:
            sys.argv, sys.excepthook = argv, hook  # Typer sets its own hook when it runs
            sys.stdout.flush()
            sys.stderr.flush()
        return Result(code, stdout.getvalue().decode(), stderr.getvalue().decode())


@contextmanager
def _plain_consoles() -> Iterator[None]:
    """The CLI's Rich consoles as a child process with a pipe for stdout would make them: the
    width from COLUMNS at each call and no colour, whatever the terminal pytest was started in
    (a console detects both when it is made, at import)."""
    from kneecap.cli.common import err, out

    consoles = (out, err)
    kept = [(c._width, c._height, c._color_system, c._force_terminal) for c in consoles]
    for console in consoles:
        console._width = console._height = None
        console._color_system = None
        console._force_terminal = None
    try:
        yield
    finally:
        for console, (width, height, colours, terminal) in zip(consoles, kept, strict=True):
            console._width, console._height = width, height
            console._color_system, console._force_terminal = colours, terminal


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "home")


@pytest.fixture
def binary(tmp_path: Path) -> Cli:
    """The installed `kneecap` console script in a child process (end-to-end tests)."""
    return Cli(tmp_path / "home", process=True)


CORPUS = Path(
    os.environ.get("KNEECAP_CORPUS", Path(__file__).parents[1].parent / "shared" / "corpus")
)


def corpus_files(*suffixes: str) -> list[Path]:
    """The shared corpus's files ending in any of `suffixes` (case-insensitive), or [] if absent.
    The corpus is never committed (some files carry copyleft licences); it sits beside the clone."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.name.lower().endswith(suffixes))


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"activity corpus not found at {CORPUS} (set KNEECAP_CORPUS to its folder)")
    return CORPUS


def corpus_params(*suffixes: str) -> list[Any]:
    """`corpus_files` as pytest parameters (ids = file names), or one skipped parameter saying why."""
    files = corpus_files(*suffixes)
    if not files:
        reason = f"activity corpus not found at {CORPUS} (set KNEECAP_CORPUS to its folder)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-corpus")]
    return [pytest.param(p, id=p.name) for p in files]


# --- databases --------------------------------------------------------------------------------

ENGINES = ("sqlite", "postgresql")
NO_POSTGRES = (
    "PostgreSQL is not installed (no initdb and pg_ctl on the PATH or in "
    "/usr/lib/postgresql/*/bin): install Debian's postgresql package"
)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.Server]:
    """This test process's own PostgreSQL server (tests/postgres.py says why one per process)."""
    if postgres.binaries() is None:
        pytest.skip(NO_POSTGRES)
    server = postgres.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest schema once, copied for each test that needs one."""
    from kneecap.store.engine import make_engine, migrate

    path = tmp_path_factory.mktemp("template") / "head.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    """Each engine in turn: a test using it (or a fixture below) runs once on each."""
    name: str = request.param
    return name


@pytest.fixture
def db_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new database at the newest schema, on SQLite and on PostgreSQL in turn. The
    test runs as the local person acts (`store.engine.acting`: the CLI and personal mode), whom
    PostgreSQL's row-level security lets see every row."""
    from kneecap.store.engine import acting

    if engine_name == "sqlite":
        path = tmp_path / "k.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        with acting(local=True, account=None):
            yield f"sqlite:///{path}"
        return
    server: postgres.Server = request.getfixturevalue("postgres_server")
    url = server.fresh()
    with acting(local=True, account=None):
        yield url
    server.drop(url)


@pytest.fixture
def empty_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new database without a schema, on each engine in turn (as `db_url`)."""
    from kneecap.store.engine import acting

    if engine_name == "sqlite":
        with acting(local=True, account=None):
            yield f"sqlite:///{tmp_path / 'new.sqlite3'}"
        return
    server: postgres.Server = request.getfixturevalue("postgres_server")
    url = server.empty()
    with acting(local=True, account=None):
        yield url
    server.drop(url)
