"""docs/rules.md documents the rule registry: every id the code cites is there (as a string or
as a `Rule` member of core/rulebook.py), every id there is cited by the code, the code's `Rule`
enum and the page list the same ids, and each row names the code that carries the rule and a
real test.

A failure names the id and what to add, so whoever introduces a rule id can document it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kneecap.core.rulebook import NUMBERS, Rule

ROOT = Path(__file__).parents[2]
SOURCE = ROOT / "src" / "kneecap"
REGISTRY = ROOT / "docs" / "rules.md"
RULEBOOK = SOURCE / "core" / "rulebook.py"
SCANNED = ("*.py", "*.yaml", "*.yml", "*.html")

# The id forms: CLINICAL.md's PMM-*, RF-*, CPG-*, CAD-1, LOAD-*, RTR-*, NPRS; MISSION's R1-R14;
# Kneecap's own KC-* (several words allowed: KC-PHASE-FLARE).
RULE_ID = re.compile(
    r"(?<!\w)(?:PMM-(?:[0-9]+|[A-Z]+)|RF-[A-Z]+|CPG-[A-Z]+|CAD-[0-9]+|LOAD-[A-Z]+|RTR-[A-Z]+"
    r"|NPRS|R(?:1[0-4]|[1-9])|KC-[A-Z0-9]+(?:-[A-Z0-9]+)*)(?!\w)"
)
# A `Rule` member cites its id: Rule.PMM_1 is PMM-1.
MEMBER = re.compile(r"(?<![\w.])Rule\.([A-Z][A-Z0-9_]*)(?!\w)")
ROW = "| `ID` | what it means in Kneecap | `core/module.py` | `tests/unit/test_x.py::test_rule` |"


def cited(text: str) -> list[str]:
    """The rule ids a line or file cites, as ids or as `Rule` members."""
    return RULE_ID.findall(text) + [
        Rule[m].value for m in MEMBER.findall(text) if m in Rule.__members__
    ]


@dataclass(frozen=True)
class Row:
    rule: str
    meaning: str
    code: tuple[str, ...]  # paths under src/kneecap/ (a folder ends in '/')
    tests: tuple[str, ...]  # tests/...py::test_name
    line: int


def used_ids() -> dict[str, list[str]]:
    """Every rule id in the package's Python, YAML and templates, with where it occurs. The
    registry itself (core/rulebook.py, which lists them all) does not count as a use."""
    found: dict[str, list[str]] = {}
    for pattern in SCANNED:
        for path in sorted(SOURCE.rglob(pattern)):
            if path == RULEBOOK:
                continue
            text = path.read_text(encoding="utf-8")
            for n, line in enumerate(text.splitlines(), 1):
                for rule in cited(line):
                    found.setdefault(rule, []).append(f"{path.relative_to(ROOT)}:{n}")
    return found


def registry() -> list[Row]:
    """The table rows of docs/rules.md whose first cell is one id in backticks (examples in
    fenced code blocks left out)."""
    rows = []
    fenced = False
    for n, line in enumerate(REGISTRY.read_text(encoding="utf-8").splitlines(), 1):
        fenced ^= line.startswith("```")
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if fenced or not line.startswith("| `") or len(cells) < 4:
            continue
        rows.append(
            Row(
                cells[0].strip("`"),
                cells[1],
                tuple(re.findall(r"`([^`]+)`", cells[2])),
                tuple(re.findall(r"`([^`]+)`", cells[3])),
                n,
            )
        )
    return rows


def test_the_registry_has_rows() -> None:
    rows = registry()
    assert len(rows) >= 30, f"docs/rules.md: expected the registry table, rows like {ROW}"
    bad = [r.rule for r in rows if not RULE_ID.fullmatch(r.rule)]
    assert not bad, f"docs/rules.md: not a rule id in the id column: {bad}"


def test_every_rule_id_in_the_code_is_documented() -> None:
    documented = {r.rule for r in registry()}
    missing = {rule: where for rule, where in used_ids().items() if rule not in documented}
    assert not missing, (
        "rule ids used in src/kneecap but missing from docs/rules.md:\n"
        + "\n".join(
            f"  {rule} (used at {', '.join(where[:3])}{' …' if len(where) > 3 else ''}): "
            f"add the row {ROW.replace('ID', rule, 1)}"
            for rule, where in sorted(missing.items())
        )
    )


def test_every_documented_rule_id_is_used_in_the_code() -> None:
    used = used_ids()
    unused = [r for r in registry() if r.rule not in used]
    assert not unused, "rule ids in docs/rules.md that nothing in src/kneecap cites:\n" + "\n".join(
        f"  {r.rule} (docs/rules.md line {r.line}): cite it where the rule is applied, "
        "or remove the row"
        for r in unused
    )


def test_each_rule_id_has_one_row() -> None:
    twice = [rule for rule, n in Counter(r.rule for r in registry()).items() if n > 1]
    assert not twice, f"docs/rules.md lists these ids more than once: {twice}"


def test_each_row_names_code_that_carries_the_rule() -> None:
    problems = []
    for r in registry():
        if not r.code:
            problems.append(f"{r.rule}: no module named (third column, e.g. `core/engine.py`)")
        paths = [SOURCE / c for c in r.code]
        for c, path in zip(r.code, paths, strict=True):
            if not path.exists():
                problems.append(f"{r.rule}: src/kneecap/{c} does not exist")
        texts = [
            p.read_text(encoding="utf-8")
            for path in paths
            for p in ([path] if path.is_file() else sorted(path.rglob("*.*")))
            if p.is_file() and p.suffix in {".py", ".yaml", ".yml", ".html"}
        ]
        if r.code and not any(r.rule in cited(t) for t in texts):
            problems.append(f"{r.rule}: none of {', '.join(r.code)} cites {r.rule}")
    assert not problems, "docs/rules.md, the code column:\n  " + "\n  ".join(problems)


def test_each_row_names_a_test_that_exists() -> None:
    problems = []
    for r in registry():
        if not r.tests:
            problems.append(f"{r.rule}: no test named (fourth column, `tests/...py::test_name`)")
        for t in r.tests:
            file, _, name = t.partition("::")
            path = ROOT / file
            if not name or not path.is_file():
                problems.append(f"{r.rule}: {t} is not an existing tests/...py::test_name")
            elif not re.search(rf"^def {re.escape(name)}\(", path.read_text("utf-8"), re.M):
                problems.append(f"{r.rule}: {file} has no test {name}")
    assert not problems, "docs/rules.md, the test column:\n  " + "\n  ".join(problems)


def test_the_code_registry_and_the_page_list_the_same_ids() -> None:
    documented = {r.rule for r in registry()}
    in_code = {r.value for r in Rule}
    assert not in_code - documented, (
        "ids in core/rulebook.py's Rule but missing from docs/rules.md: "
        f"{sorted(in_code - documented)}: add a row for each, {ROW}"
    )
    assert not documented - in_code, (
        "ids in docs/rules.md missing from core/rulebook.py's Rule: "
        f"{sorted(documented - in_code)}: add a member for each (PMM-1 is PMM_1)"
    )


def test_every_rule_number_belongs_to_a_documented_rule() -> None:
    documented = {r.rule for r in registry()}
    orphans = [n.name for n in NUMBERS.values() if n.rule not in documented]
    assert not orphans, f"rule numbers whose rule docs/rules.md does not document: {orphans}"


def test_every_rule_member_the_code_names_exists() -> None:
    """mypy checks core; this covers the faces too (an unknown member is an AttributeError)."""
    named = {m for path in SOURCE.rglob("*.py") for m in MEMBER.findall(path.read_text("utf-8"))}
    assert named <= set(Rule.__members__), sorted(named - set(Rule.__members__))
