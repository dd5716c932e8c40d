"""Parser fuzzing in every `make test`: mutated FIT, GPX, TCX, gzip, zip and Strava exports, and
only the project's own `ActivityFileError` may leave an importer, also under `python -O` (which
strips the `assert`s a third-party parser might validate with). `make fuzz` runs the long version
(KNEECAP_FUZZ_EXAMPLES cases per importer)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import fuzzing

EXAMPLES = int(os.environ.get("KNEECAP_FUZZ_EXAMPLES", "150"))
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("importer", sorted(fuzzing.targets()))
def test_only_activity_file_errors_escape_a_mutated_file(importer: str) -> None:
    fuzzing.fuzz(importer, EXAMPLES)


def test_only_activity_file_errors_escape_under_python_optimised() -> None:
    done = subprocess.run(
        [sys.executable, "-O", "-m", "tests.fuzzing", "--examples", str(max(EXAMPLES // 5, 20))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "optimised (python -O): True" in done.stdout
