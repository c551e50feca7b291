"""The suite makes a new app for almost every test: what every app compiles alike is
compiled once per test process and shared. Tests only: the site makes one app per worker.

- URL builders. Werkzeug compiles two Python functions per URL rule as the rule joins an
  app's map (one builds its URL, one also appends unknown arguments as a query string),
  through `ast` and `compile`: about 70 % of `create_app`'s time with ~90 rules. A
  compiled builder depends only on the rule's parsed parts, its defaults and whether it
  appends unknown arguments; the converters it calls are found at call time on the rule
  it is bound to (`self._converters`), so one function serves the same rule in every app.
- Templates. Each app has its own Jinja environment, which compiles every template it
  renders. Jinja's bytecode cache (its public API for this) keeps the compiled code keyed
  by template name and checked against the source's checksum, so a changed template
  compiles anew; every app of the suite has the same Jinja options.

Checked by tests/test_compiled_once.py.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from jinja2.bccache import Bucket, BytecodeCache
from werkzeug.routing.rules import Rule

Builder = Callable[..., tuple[str, str]]
compile_builder = Rule._compile_builder
_builders: dict[tuple, Builder] = {}


def _builder_key(rule: Rule, append_unknown: bool) -> tuple:
    defaults = sorted((name, repr(value)) for name, value in (rule.defaults or {}).items())
    converters = sorted(
        (name, type(c).__qualname__, c.regex) for name, c in rule._converters.items()
    )
    return (rule.rule, tuple(rule._trace), tuple(defaults), tuple(converters), append_unknown)


def _compile_builder_once(rule: Rule, append_unknown: bool = True) -> Builder:
    key = _builder_key(rule, append_unknown)
    if key not in _builders:
        _builders[key] = compile_builder(rule, append_unknown)
    return _builders[key]


class TemplatesInMemory(BytecodeCache):
    """Compiled templates kept in this process's memory: {cache key: marshalled code}."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = TemplatesInMemory()


def share_compiled_code() -> None:
    """Make every app of this test process share URL builders and compiled templates."""
    Rule._compile_builder = _compile_builder_once
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": TEMPLATES}
