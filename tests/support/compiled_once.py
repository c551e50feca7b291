"""The suite makes many apps (a new one wherever a test could tell a reused one apart:
tests/support/reused_app.py): what every app compiles alike is compiled once per test
process and shared. Tests only: the site makes one app per worker.

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
- SQL. SQLAlchemy keeps compiled statements per engine, keyed by the dialect *object*
  among other things, and every app has an engine (and a dialect) of its own: each test
  compiled every statement it sent anew. Here every engine's cache is one per process,
  and the key names the dialect by its class and its settings (what compiling reads), so
  engines of the same kind, version and options find each other's statements. The ORM's
  INSERT, UPDATE and DELETE statements for a flush, kept per mapper the same way, share it.

Checked by tests/test_compiled_once.py.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType, ModuleType
from typing import Any
from weakref import WeakKeyDictionary

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import Mapper
from sqlalchemy.util import LRUCache
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


def dialect_settings(dialect: Dialect) -> tuple:
    """What compiling a statement reads from a dialect: its class and the values of its
    attributes (server version, flags, paramstyle…); helper objects by their type."""

    def plain(value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str | type):
            return value
        if isinstance(value, tuple) and all(isinstance(v, int | str) for v in value):
            return value
        if isinstance(value, FunctionType | ModuleType):
            return value  # the same module-level object in every engine
        return type(value)

    return (type(dialect), tuple(sorted((k, plain(v)) for k, v in vars(dialect).items())))


class StatementsAcrossEngines:
    """An engine's compiled-statement cache whose keys name the dialect by its settings.

    SQLAlchemy reads it with `get(key)` and fills it with `cache[key] = compiled`, where
    key[0] is the dialect (sqlalchemy/sql/elements.py, `_compile_w_cache`).
    """

    def __init__(self, size: int) -> None:
        self.kept = LRUCache(size)
        self.settings: WeakKeyDictionary[Dialect, tuple] = WeakKeyDictionary()

    def key(self, key: tuple) -> tuple:
        # Read once per dialect, as SQLAlchemy's own key reads it once (its identity). A
        # dialect compiles only once connected, so its settings are complete by then.
        dialect = key[0]
        if dialect not in self.settings:
            self.settings[dialect] = dialect_settings(dialect)
        return (self.settings[dialect], *key[1:])

    def get(self, key: tuple, default: Any = None) -> Any:
        return self.kept.get(self.key(key), default)

    def __setitem__(self, key: tuple, compiled: Any) -> None:
        self.kept[self.key(key)] = compiled


STATEMENTS = StatementsAcrossEngines(size=20_000)
make_engine = SQLAlchemy._make_engine


def _make_engine_sharing_statements(self, bind_key, options, app) -> Engine:
    engine = make_engine(self, bind_key, options, app)
    engine._compiled_cache = STATEMENTS
    return engine


def share_compiled_code() -> None:
    """Make every app of this test process share URL builders, compiled templates and
    compiled SQL."""
    Rule._compile_builder = _compile_builder_once
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": TEMPLATES}
    SQLAlchemy._make_engine = _make_engine_sharing_statements
    Mapper._compiled_cache = STATEMENTS
