"""The identity check runs in time linear in the text, proved from its structure.

Not a timer. Three facts make the scan O(len(text) × width):
1. every pattern is an RE2 pattern (RE2 never backtracks: linear time per search),
   and the package never imports Python's `re` (a backtracking engine);
2. every pattern has a bounded width (no `*`, `+` or `{n,}`), read from the patterns
   by Python's own regular-expression parser, so a search reads at most that width
   past where a match starts;
3. each search starts where the last finding ended, never again from the start.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re._parser as sre_parse
from pathlib import Path

import pytest
import re2

from advocacy.stories import identity
from advocacy.stories.identity import contact, engine

PACKAGE = Path(identity.__file__).parent
# Every module of the package, found on disk: a new module of rules cannot be left out.
MODULES = (
    identity,
    *(
        importlib.import_module(f"{identity.__name__}.{module.name}")
        for module in pkgutil.iter_modules([str(PACKAGE)])
    ),
)
MAX_WIDTH = 1000  # characters: the widest finding any pattern can match (a link)


def every_pattern() -> list[tuple[str, object]]:
    """Each compiled pattern in the package (rules and checks), named by where it is."""
    found = {}
    for module in MODULES:
        for name, value in vars(module).items():
            if isinstance(value, engine.Rule):
                found[f"{module.__name__}.{name}"] = value.pattern
            elif isinstance(value, re2._Regexp):
                found[f"{module.__name__}.{name}"] = value
    for index, rule in enumerate(identity.RULES):
        found.setdefault(f"RULES[{index}]", rule.pattern)
    found["pseudonym"] = identity.pseudonym_rule("river (member) .*+").pattern
    return sorted(found.items())


PATTERNS = every_pattern()


def python_syntax(pattern: str) -> str:
    """RE2's Unicode classes as one character of the same width, for Python's parser."""
    return pattern.replace(r"\p{Lu}", "A").replace(r"\pL", "a").replace(r"\pN", "0")


def test_every_rule_defined_is_run_and_measured():
    defined = {id(v) for m in MODULES for v in vars(m).values() if isinstance(v, engine.Rule)}
    assert len(defined) >= 25
    assert defined == {id(rule) for rule in identity.RULES}


def test_the_package_never_imports_python_re():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                imported = [node.module or ""]
            else:
                continue
            assert not any(name == "re" or name.startswith("re.") for name in imported), path


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_each_pattern_is_re2_with_a_bounded_width(name, pattern):
    assert isinstance(pattern, re2._Regexp), name
    low, high = sre_parse.parse(python_syntax(pattern.pattern)).getwidth()
    assert high < sre_parse.MAXREPEAT, f"{name} can match without end"
    assert high <= MAX_WIDTH, f"{name} matches up to {high} characters"


def test_width_is_read_from_the_pattern():
    """The measure itself: an unbounded repeat is caught, a bounded one is not."""
    assert sre_parse.parse(python_syntax(r"[\pL\pN]+x")).getwidth()[1] >= sre_parse.MAXREPEAT
    assert sre_parse.parse(python_syntax(r"(?:a{1,3}b?){0,2}")).getwidth()[1] == 8


class Spy:
    """A pattern that records where each search starts."""

    def __init__(self, pattern):
        self.pattern, self.groupindex, self.starts = pattern, pattern.groupindex, []

    def search(self, data, position):
        self.starts.append(position)
        return self.pattern.search(data, position)


def test_each_search_starts_after_the_last_match():
    spy = Spy(contact.PHONE.pattern)
    rule = engine.Rule("phone", spy, contact.PHONE.check)
    text = "call 555-123-4567 " * 200
    found = list(engine.scan(rule, engine.Encoded(text)))
    assert len(found) == 200
    assert len(spy.starts) == 201  # one search a finding, and one that finds nothing
    assert spy.starts == sorted(set(spy.starts))
    steps = [b - a for a, b in zip(spy.starts, spy.starts[1:], strict=False)]
    assert max(steps) <= len("call 555-123-4567 ")


def test_the_next_search_starts_where_the_finding_ended():
    # Two phone numbers in a row: the first is cut at the space after its ten digits
    # (contact.first_number), and the next search starts there, not inside the first.
    spy = Spy(contact.PHONE.pattern)
    rule = engine.Rule("phone", spy, contact.PHONE.check)
    text = "Tel: 555 123 4567 555 987 6543."
    found = list(engine.scan(rule, engine.Encoded(text)))
    assert found == [(5, 17, "phone"), (18, 30, "phone")]
    assert spy.starts == [0, 17, 30]
