"""Imports point inward: core uses only the standard library, pydantic, numpy and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import kneecap.core

ALLOWED = {"pydantic", "numpy", "kneecap"}


def test_core_imports_nothing_outward() -> None:
    core = Path(kneecap.core.__file__).parent
    for path in core.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in ALLOWED, (
                    f"{path.name} imports {name}"
                )
                if top == "kneecap":
                    assert name.startswith("kneecap.core"), f"{path.name} imports {name}"


def test_core_never_reads_the_clock() -> None:
    core = Path(kneecap.core.__file__).parent
    for path in core.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("date.today(", "datetime.now(", "time.time("):
            assert banned not in text, f"{path.name} calls {banned}"
