"""Every number a rule uses is in one registry (core/rulebook.py), and every sentence the runner
reads that quotes one takes it from there: a sentence writes `$NAME` and `say` fills it in. So a
changed number changes every sentence (shown by rendering the real notes, decisions and
catalogue text with other values), and no sentence types a rule's number itself."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import kneecap.catalog
from kneecap.catalog import load_catalogue_from, load_documents
from kneecap.core import analysis, improvement, profile, rtr, rulebook, rules
from kneecap.core.catalogue import Catalogue
from kneecap.core.decision import Decision
from kneecap.core.education import Topic
from kneecap.core.phases import Phase
from kneecap.core.plan import decision_to_dict, plan_to_dict
from kneecap.core.planner import build_plan
from kneecap.core.profile import Limits
from kneecap.core.progress import next_phase
from kneecap.core.rulebook import NUMBERS, PLACEHOLDER, Number, Rule, Unit, say, with_values
from kneecap.core.screening import screen
from tests.conftest import make_profile
from tests.unit.test_clinical_gates import day, morning, replay, session

SOURCE = Path(kneecap.catalog.__file__).parents[1]
CATALOG = SOURCE / "catalog"

# Numbers that are not one of a rule's: the import's duplicate-file heuristics.
NOT_RULE_NUMBERS = {"DUPLICATE_START_S", "DUPLICATE_DURATION"}
# Numbers the profile carries per runner: the registry holds their defaults.
LIMITS = {
    "SESSIONS_TO_PROGRESS": "sessions_to_progress",
    "MEANINGFUL_CHANGE": "meaningful_change",
    "RESTART_AFTER_DAYS": "restart_after_days",
}


def other(n: Number) -> float:
    """A different value for `n`, one that reads differently."""
    if n.unit is Unit.DAYS:
        return n.value + 7
    if n.unit is Unit.SHARE:
        return round(n.value + 0.11, 2)
    if n.unit is Unit.PERCENT:
        return n.value + 11
    return n.value + 1


OTHER = with_values(**{name: other(n) for name, n in NUMBERS.items()})


# --- the registry --------------------------------------------------------------------------


def test_each_registry_number_is_the_constant_it_is_named_after() -> None:
    for name, n in NUMBERS.items():
        if name in LIMITS:
            assert getattr(Limits(), LIMITS[name]) == n.value, name
            continue
        homes = [m for m in (rules, rtr, improvement, profile) if hasattr(m, name)]
        assert len(homes) == 1, f"{name}: no one constant of that name in core"
        assert getattr(homes[0], name) == n.value, name


def test_every_number_in_core_rules_is_a_registered_rule_number() -> None:
    numbers = {
        name
        for name, value in vars(rules).items()
        if name.isupper() and isinstance(value, int | float) and not isinstance(value, bool)
    }
    missing = numbers - set(NUMBERS) - NOT_RULE_NUMBERS
    assert not missing, (
        f"core/rules.py numbers missing from core/rulebook.py's NUMBERS: {sorted(missing)} "
        "(add each under its rule, with its unit)"
    )


def test_the_profiles_default_limits_are_the_registrys() -> None:
    assert Limits().pain_limit == NUMBERS["PMM1_ACCEPTABLE_PAIN_NRS"].value
    assert Limits().settle_pain_limit == NUMBERS["PMM1_SETTLE_PAIN_NRS"].value


def test_each_rule_lists_its_numbers() -> None:
    assert [n.name for n in Rule.LOAD_SPIKE.numbers] == [
        "LOAD_SPIKE_PCT",
        "RUN_BUILD_STEP",
        "RUN_BUILD_DONE_SHARE",
    ]
    assert Rule.LOAD_SPIKE == "LOAD-SPIKE"  # a member is its id
    assert Rule.R8.numbers == ()


def test_records_carry_the_id_itself(catalogue: Catalogue) -> None:
    """Code passes `Rule` members; the JSON (and YAML) a face writes holds plain ids."""
    plan = build_plan(
        make_profile(),
        catalogue,
        screen(make_profile()),
        make_profile().start_date,
        make_profile().start_date + dt.timedelta(6),
        Phase.MAINTAIN,
    )
    notes = plan_to_dict(plan)["notes"]
    assert {type(n["rule"]) for n in notes} == {str}
    assert "LOAD-SPIKE" in {n["rule"] for n in notes}
    decision = decision_to_dict(
        next(d for d in flare_decisions(catalogue) if d.rule == Rule.KC_PHASE_FLARE)
    )
    assert type(decision["rule"]) is str
    yaml.safe_dump({"notes": notes, "decision": decision})  # a StrEnum would not dump


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("$LOAD_SPIKE_PCT", "30%"),
        ("$CADENCE_FIRST_STEP", "5%"),
        ("$RUN_BUILD_STEP", "15%"),
        ("$PASS_MAX_PAIN", "2/10"),
        ("$PASS_MAX_PAIN:n", "2"),
        ("$FLARE_WINDOW_DAYS", "two weeks"),
        ("$SETTLE_EXIT_DAYS", "a week"),
        ("$DOWNHILL_AFTER_DAYS", "four weeks"),
        ("$REVIEW_AFTER_DAYS", "six weeks"),
        ("$RUN_SPACED_WEEKS", "four weeks"),
        ("$PASSES_TO_ADVANCE", "two"),
        ("$PASSES_TO_ADVANCE:times", "twice"),
        ("$ROLL_BLOCK_MIN", "5 minutes"),
        ("$OVER_DISTANCE", "1.5"),
        ("no jumps over $LOAD_SPIKE_PCT, LOAD-SPIKE.", "no jumps over 30%, LOAD-SPIKE."),
    ],
)
def test_say_quotes_each_number_by_its_unit(text: str, quoted: str) -> None:
    assert say(text) == quoted


def test_say_takes_other_values() -> None:
    numbers = with_values(LOAD_SPIKE_PCT=45, FLARE_WINDOW_DAYS=10, PASSES_TO_ADVANCE=3)
    text = "$LOAD_SPIKE_PCT, $FLARE_WINDOW_DAYS, $PASSES_TO_ADVANCE:times"
    assert say(text, numbers) == "45%, 10 days, three times"


def test_an_unknown_number_or_style_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\$NO_SUCH_NUMBER is not a number"):
        say("$NO_SUCH_NUMBER")
    with pytest.raises(ValueError, match="unknown style"):
        say("$LOAD_SPIKE_PCT:loud")
    with pytest.raises(ValueError, match="only a count"):
        say("$LOAD_SPIKE_PCT:times")
    with pytest.raises(ValueError, match="not numbers in the rule registry"):
        with_values(NO_SUCH_NUMBER=1)


# --- sentences take their numbers from the registry -----------------------------------------


def note(catalogue: Catalogue, rule: str, phase: Phase, **changes: object) -> str:
    p = make_profile(**changes)
    plan = build_plan(p, catalogue, screen(p), p.start_date, p.start_date + dt.timedelta(6), phase)
    (text,) = [n.text for n in plan.notes if n.rule == rule]
    return text


def flare_decisions(catalogue: Catalogue) -> tuple[Decision, ...]:
    bad = [session(n, "glute-bridge", pain=7) for n in (0, 5)]
    return replay(catalogue, bad, [morning(n, 1) for n in range(7)], 7, Phase.BUILD).decisions


def flare_decision(catalogue: Catalogue) -> str:
    return next(d.reason for d in flare_decisions(catalogue) if d.rule == Rule.KC_PHASE_FLARE)


def no_flare_criterion(catalogue: Catalogue) -> str:
    status = replay(catalogue, [], [morning(n, 1) for n in range(3)], 3, Phase.STRENGTHEN)
    nxt = next_phase(status, catalogue, (), (), day(3))
    return next(c.text for c in nxt.criteria if c.key == "no_flare")


RENDERED: dict[str, tuple[str, Callable[[Catalogue], str]]] = {
    "maintain running note": (
        "LOAD_SPIKE_PCT",
        lambda c: note(c, Rule.LOAD_SPIKE, Phase.MAINTAIN),
    ),
    "running meanwhile note": (
        "PMM1_ACCEPTABLE_PAIN_NRS",
        lambda c: note(c, Rule.PMM_1, Phase.STRENGTHEN),
    ),
    "ladder note": ("PASSES_TO_ADVANCE", lambda c: note(c, Rule.RTR_LADDER, Phase.RETURN_TO_RUN)),
    "no roller note": (
        "ROLL_BLOCK_MIN",
        lambda c: note(c, Rule.R6, Phase.STRENGTHEN, equipment=["mat", "chair", "step", "wall"]),
    ),
    "flare-up decision": ("FLARE_WINDOW_DAYS", flare_decision),
    "no-flare criterion": ("FLARE_WINDOW_DAYS", no_flare_criterion),
}


@pytest.mark.parametrize("what", RENDERED)
def test_a_rendered_sentence_quotes_the_registry_and_follows_it(
    what: str, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, render = RENDERED[what]
    assert NUMBERS[name].quote() in render(catalogue)
    monkeypatch.setattr(rulebook, "NUMBERS", OTHER)  # as if the constant had another value
    changed = render(catalogue)
    assert OTHER[name].quote() in changed, changed


def test_catalogue_and_education_text_follow_the_registry() -> None:
    default = load_catalogue_from(CATALOG)["running"].progression
    changed = load_catalogue_from(CATALOG, OTHER)["running"].progression
    assert default is not None
    assert changed is not None
    assert "about 30% from one week" in default
    assert f"about {OTHER['LOAD_SPIKE_PCT'].quote()} from one week" in changed
    assert f"after {OTHER['PASSES_TO_ADVANCE'].quote()} sessions" in changed

    def bodies(numbers: dict[str, Number] | None) -> str:
        topics = load_documents("education", Topic, numbers=numbers)
        return " ".join(s.body for t in topics for s in t.sections)

    assert "It suggests a 5% increase first, then up to 10% if needed." in bodies(None)
    assert (
        f"It suggests a {OTHER['CADENCE_FIRST_STEP'].quote()} increase first, then up to "
        f"{OTHER['CADENCE_MAX_STEP'].quote()} if needed." in bodies(OTHER)
    )


# --- no sentence types a rule's number ------------------------------------------------------


TYPED_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:/10(?!\d)|%)")


@dataclass(frozen=True)
class Typed:
    """A number a sentence may type: not a rule's, or checked against the registry here."""

    text: str
    why: str
    holds: Callable[[], bool] = lambda: True


ALLOWED = (
    Typed(
        "a 10% higher step rate cut the peak force at the joint behind the kneecap by about 14%",
        "a study's finding, not a rule's number",
    ),
    Typed(
        "weeks more than about 30% above the previous week were linked to injuries",
        "the study LOAD-SPIKE rests on: its finding stays if Kneecap's threshold moves",
    ),
    Typed("The popular 10% rule", "a rule Kneecap does not use"),
    Typed(
        "For example, 5% above 158 steps per minute is about 166",
        "a worked example of CAD-1's first step",
        lambda: (
            NUMBERS["CADENCE_FIRST_STEP"].quote() == "5%"
            and round(158 * (1 + NUMBERS["CADENCE_FIRST_STEP"].value)) == 166
        ),
    ),
    Typed(
        "steeper than −3%",
        "LOAD-DOWNHILL's grade, measured by core/analysis.py",
        lambda: analysis.DOWNHILL_GRADE == -0.03,
    ),
    Typed(
        "steeper than 3%",
        "LOAD-DOWNHILL's grade, measured by core/analysis.py",
        lambda: analysis.DOWNHILL_GRADE == -0.03,
    ),
)


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _format_specs(tree: ast.AST) -> set[int]:
    return {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None
        for part in ast.walk(node.format_spec)
    }


def texts() -> Iterator[tuple[str, str, ast.Constant | None]]:
    """(where, text, node) for every string the package can show: Python string literals
    (docstrings and format specs aside) and the lines of its YAML and HTML templates (style
    sheets aside)."""
    for path in sorted(SOURCE.rglob("*")):
        where = str(path.relative_to(SOURCE))
        if path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree) | _format_specs(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in skip
                ):
                    yield f"{where}:{node.lineno}", node.value, node
        elif path.suffix in (".yaml", ".html"):
            styling = False  # a <style> block's lengths (width: 100%) are read by no runner
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                styling = styling or "<style" in line
                if not styling:
                    yield f"{where}:{n}", line, None
                styling = styling and "</style>" not in line


def test_no_sentence_types_a_rules_number() -> None:
    typed = [
        f"{where}: '{m[0]}' in “{text.strip()[:90]}”"
        for where, text, _ in texts()
        for m in TYPED_NUMBER.finditer(text)
        if not any(t.text in text and m[0] in t.text for t in ALLOWED)
    ]
    assert not typed, (
        "sentences that type a number (write $NAME from core/rulebook.py's NUMBERS and pass the "
        "text through rulebook.say; YAML is filled at load):\n  " + "\n  ".join(typed)
    )


@pytest.mark.parametrize("typed", ALLOWED, ids=lambda t: t.text[:30])
def test_each_typed_number_allowed_is_still_there_and_true(typed: Typed) -> None:
    assert any(typed.text in text for _, text, _ in texts()), f"no longer in the code: {typed}"
    assert typed.holds(), f"“{typed.text}” ({typed.why}) no longer matches the registry"


def test_every_placeholder_names_a_registry_number() -> None:
    unknown = [
        f"{where}: ${m[1]}"
        for where, text, _ in texts()
        for m in PLACEHOLDER.finditer(text)
        if m[1] not in NUMBERS
    ]
    assert not unknown, unknown


def test_every_placeholder_in_the_code_goes_through_say() -> None:
    """A `$NAME` never reaches the runner as it is: each literal holding one is inside a
    `say(...)` call (the catalogue's YAML is filled by its loader)."""
    raw = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        said = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and (getattr(node.func, "id", None) == "say" or getattr(node.func, "attr", "") == "say")
            for arg in node.args
            for inner in ast.walk(arg)
        }
        skip = _docstrings(tree)
        raw += [
            f"{path.relative_to(SOURCE)}:{node.lineno}: {node.value[:60]!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and PLACEHOLDER.search(node.value)
            and id(node) not in said | skip
        ]
    assert not raw, "placeholders outside say(...):\n  " + "\n  ".join(raw)
