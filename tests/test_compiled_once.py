"""What the suite's apps share (tests/support/compiled_once.py) behaves as compiled afresh:
URL builders build what Werkzeug's own builds; a template changed under the same name
renders its new source; SQL is shared only between dialects that compile alike, and each
app still reads its own database."""

from __future__ import annotations

from jinja2 import DictLoader, Environment
from sqlalchemy import create_engine, select

from advocacy import create_app
from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.conftest import make_config, migrate_database
from tests.support import compiled_once
from tests.support.accounts import make_account

PLAIN = (7, "a", "2026-11")


def value_for(converter):
    """A value the converter takes: one of its choices, else the first plain one it takes."""
    for value in (*getattr(converter, "items", ()), *PLAIN):
        try:
            converter.to_url(value)
        except ValueError:
            continue
        return value
    raise AssertionError(f"no plain value for {converter!r}")


def built(build, rule) -> tuple[str, str]:
    """The URL (domain part, path part) build makes for the rule, plus an unknown argument."""
    arguments = {name: value_for(rule._converters[name]) for name in rule.arguments}
    return build(**arguments, unknown="x y")


def test_every_rule_builds_what_werkzeug_compiles_for_it(tmp_path):
    create_app(make_config(f"sqlite:///{tmp_path}/a.sqlite3"))
    second = create_app(make_config(f"sqlite:///{tmp_path}/b.sqlite3"))
    rules = list(second.url_map.iter_rules())
    assert len(rules) > 50
    for rule in rules:
        fresh = compiled_once.compile_builder(rule, True).__get__(rule, None)
        expected = built(fresh, rule)
        assert built(rule._build_unknown, rule) == expected, rule.rule
        assert expected[1].endswith("unknown=x+y"), expected


def rendered(source: str) -> str:
    loader = DictLoader({"shared-name.html": source})
    environment = Environment(
        loader=loader, autoescape=True, bytecode_cache=compiled_once.TEMPLATES
    )
    return environment.get_template("shared-name.html").render(who="you")


def test_a_template_is_compiled_once_and_again_when_its_source_changes():
    assert rendered("Hello {{ who }}") == "Hello you"
    assert rendered("Hello {{ who }}") == "Hello you"  # from the cache
    assert rendered("Goodbye {{ who }}") == "Goodbye you"
    assert rendered("Hello {{ who }}") == "Hello you"


def test_statements_are_shared_only_between_dialects_that_compile_alike(tmp_path):
    settings = compiled_once.dialect_settings
    first, second = (create_engine(f"sqlite:///{tmp_path}/{name}") for name in "ab")
    named = create_engine(f"sqlite:///{tmp_path}/c", paramstyle="named")
    postgres = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connects
    assert settings(first.dialect) == settings(second.dialect)
    assert settings(first.dialect) != settings(named.dialect)
    assert settings(first.dialect) != settings(postgres.dialect)


def test_each_app_reads_its_own_rows_through_shared_statements(tmp_path):
    apps = {}
    for name in ("cedar-one", "birch-two"):
        url = f"sqlite:///{tmp_path}/{name}.sqlite3"
        migrate_database(url)
        apps[name] = create_app(make_config(url))
        make_account(apps[name], name)
    for name, app in apps.items():
        with app.app_context():
            assert db.engine._compiled_cache is compiled_once.STATEMENTS
            query = select(Account.pseudonym).where(Account.pseudonym.like("%-%"))
            assert db.session.scalars(query).all() == [name]
