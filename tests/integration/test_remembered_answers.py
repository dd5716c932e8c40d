"""`kneecap today` remembered: the same bytes and exit code while nothing it depends on has
changed, a new answer as soon as anything does (a write, the date, the terminal, the schema),
and the remembered path loads none of the heavy libraries (cli/answers.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kneecap.cli import answers
from tests.conftest import Cli

REPO = Path(__file__).resolve().parents[2]
SAM_YAML = REPO / "docs" / "examples" / "sam.yaml"
SWELLING_CHECKIN = ["checkin", "--morning-pain", "2", "--swelling"]


@pytest.fixture
def sam(cli: Cli) -> Cli:
    assert cli("init", "--profile", str(SAM_YAML)).code == 0
    return cli


def kept(cli: Cli, name: str = "today") -> Path:
    return cli.home / answers.FOLDER / name


def test_an_unchanged_today_is_answered_from_the_remembered_copy(sam: Cli) -> None:
    first = sam("today")
    assert first.code == 0
    assert "Morning check-in" in first.out
    assert kept(sam).is_file()
    assert kept(sam).stat().st_mode & 0o777 == 0o600  # health data, like the database
    # The remembered copy is what is printed: marking it shows it is read, not recomputed.
    head, _, body = kept(sam).read_bytes().partition(b"\n")
    kept(sam).write_bytes(head + b"\n" + body.replace(b"Morning check-in", b"MORNING CHECK-IN"))
    again = sam("today")
    assert again.code == 0
    assert again.out == first.out.replace("Morning check-in", "MORNING CHECK-IN")


def test_a_write_gives_a_new_answer(sam: Cli) -> None:
    assert "Morning check-in" in sam("today").out
    assert sam("checkin", "--morning-pain", "2").code == 0
    after = sam("today")
    assert after.code == 0
    assert "Morning check-in" not in after.out  # the check-in is done: no reminder


def test_another_day_gives_a_new_answer(sam: Cli) -> None:
    monday = sam("today", "--json")
    sam.today = "2026-12-08"
    tuesday = sam("today", "--json")
    assert json.loads(monday.out)["date"] == "2026-12-07"
    assert json.loads(tuesday.out)["date"] == "2026-12-08"


def test_text_and_json_are_remembered_apart_and_json_stays_json_alone(sam: Cli) -> None:
    text = sam("today")
    first = sam("today", "--json")
    second = sam("today", "--json")
    assert kept(sam, "today").is_file()
    assert kept(sam, "today-json").is_file()
    assert second.out == first.out != text.out
    assert json.loads(second.out)["phase"] == "strengthen"


def test_a_plan_on_hold_is_remembered_with_its_exit_code(sam: Cli) -> None:
    assert sam(*SWELLING_CHECKIN).code == 3
    first = sam("today")
    second = sam("today")
    assert first.code == second.code == 3
    assert second.out == first.out
    assert "See a clinician" in second.out


def test_the_terminal_width_is_part_of_the_answer(sam: Cli) -> None:
    wide = sam("today", env={"COLUMNS": "160"})
    narrow = sam("today", env={"COLUMNS": "60"})
    assert max(map(len, narrow.out.splitlines())) <= 60 < max(map(len, wide.out.splitlines()))


def test_a_schema_change_gives_a_new_answer(sam: Cli) -> None:
    sam("today")
    env = {**os.environ, "KNEECAP_HOME": str(sam.home), "KNEECAP_TODAY": sam.today}
    before = answers.question(["today"], env)
    database = sam.home / "kneecap.sqlite3"
    with sqlite3.connect(database) as db:  # as a newer Kneecap would have left it
        (stored,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    db.close()
    after = answers.question(["today"], env)
    assert before is not None
    assert after is not None
    assert after.key != before.key  # the remembered answer no longer holds
    assert answers.recall(after) is None
    refused = sam("today")  # and the full command says why it cannot open the database
    assert refused.code == 2
    assert "newer than this Kneecap knows" in refused.err
    with sqlite3.connect(database) as db:
        db.execute("UPDATE alembic_version SET version_num = ?", (stored,))
    db.close()
    assert sam("today").code == 0


def test_nothing_is_remembered_for_an_error_or_another_option(sam: Cli) -> None:
    assert sam("today", "--date", "2026-12-09").code == 0
    assert not kept(sam).exists()
    assert sam("today", env={"KNEECAP_TODAY": "not-a-date"}).code != 0
    assert not kept(sam).exists()


def test_a_server_database_is_never_answered_from_a_copy(sam: Cli) -> None:
    url = "postgresql+psycopg://kneecap@localhost/kneecap"
    assert answers.question(["today"], {"KNEECAP_HOME": str(sam.home), "KNEECAP_DB": url}) is None
    asked = answers.question(["today"], {"KNEECAP_HOME": str(sam.home)})
    assert asked is not None
    assert answers.question(["today", "--json", "--date", "2026-12-08"], {}) is None


def test_no_answer_is_asked_before_there_is_a_runner(cli: Cli) -> None:
    assert answers.question(["today"], {"KNEECAP_HOME": str(cli.home)}) is None
    assert cli("today").code == 1  # no profile yet
    assert not kept(cli).exists()


LOADED = """
import sys
sys.argv = ["kneecap", "today"]
from kneecap.cli.entry import main
try:
    main()
except SystemExit:
    pass
heavy = ("sqlalchemy", "typer", "rich", "pydantic", "numpy", "yaml", "kneecap.cli.app")
print(" ".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def test_a_remembered_answer_loads_no_heavy_library(sam: Cli) -> None:
    printed = sam("today").out
    env = {**os.environ, "KNEECAP_HOME": str(sam.home), "KNEECAP_TODAY": sam.today}
    env |= {"COLUMNS": "120"}  # as the `sam` runs it
    done = subprocess.run(
        [sys.executable, "-c", LOADED], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stderr.strip() == ""
    assert done.stdout == printed
