"""Shared fixtures: a migrated database per test, the app on it, its test client and CLI
runner (more in tests/support/: accounts and sign-in, the browser, the route walk)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from itertools import count
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from advocacy import create_app
from advocacy.config import TestConfig
from advocacy.extensions import db
from tests.support.compiled_once import share_compiled_code
from tests.support.postgres import beside, ensure_database, worker_url
from tests.support.reused_app import ReusedApps, number_apps_made

share_compiled_code()
number_apps_made()

# Under pytest-xdist each worker has a database of its own (test_gw0, test_gw1…).
POSTGRES_URL = (
    worker_url(os.environ["ADVOCACY_TEST_DATABASE_URL"])
    if os.environ.get("ADVOCACY_TEST_DATABASE_URL")
    else None
)
ON_POSTGRES = bool(POSTGRES_URL)

pytest_plugins = ["tests.support.browser", "tests.support.accounts", "tests.support.matrix"]


# Every way a test reaches a database: the PostgreSQL pass runs the tests that use one.
DATABASE_FIXTURES = {"migrated_template", "scratch_url", "scratch_app"}


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL pass, skip the SQLite-specific tests and leave out (deselect) the
    tests that use no database: their SQLite run already says all they can."""
    if not ON_POSTGRES:
        return
    uses = {item: bool(DATABASE_FIXTURES & set(item.fixturenames)) for item in items}
    config.hook.pytest_deselected(items=[item for item in items if not uses[item]])
    items[:] = [item for item in items if uses[item]]
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="SQLite-specific; this is the PostgreSQL pass"))


def make_config(database_url: str, **overrides) -> TestConfig:
    """Return a TestConfig for database_url with overrides applied."""
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


def migrate_database(database_url: str) -> None:
    """Build the schema by running every Alembic migration."""
    app = create_app(make_config(database_url))
    with app.app_context():
        if ON_POSTGRES:
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()


def own_postgres_database(suffix: str) -> str:
    """Create and migrate a PostgreSQL database of its own, beside this process's one.

    For a fixture that outlives one test: the `app` fixture empties the shared database
    after every test, so data made once for a whole module must live elsewhere.
    """
    url = beside(POSTGRES_URL, suffix)
    ensure_database(url)
    migrate_database(url)
    return url


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> str:
    """Migrate once per run: a SQLite file to copy per test, or the PostgreSQL database."""
    if ON_POSTGRES:
        ensure_database(POSTGRES_URL)
        migrate_database(POSTGRES_URL)
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate_database(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return str(path)


def restore_sqlite(template: str, path: Path) -> bool:
    """Make path's database a copy of the template, through SQLite's backup API (so a
    connection an earlier test left open sees the copy, never half a file); its write-ahead
    log is emptied, so no earlier test's rows stay in the file's bytes. False if an open
    connection holds it locked or keeps the log from being emptied."""
    try:
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as to:
            source.backup(to)
            busy, _, _ = to.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        return False
    return not busy  # 1: a reader held the log, which may still hold earlier rows


SQLITE_FILES = count()


@pytest.fixture(scope="session")
def sqlite_folder(tmp_path_factory) -> Path:
    """Where this process's tests' SQLite databases live."""
    return tmp_path_factory.mktemp("databases")


@pytest.fixture
def database_url(migrated_template, sqlite_folder) -> str:
    """Return a fresh, migrated database for this test.

    On SQLite, the same file as the test before, restored (so its app may be reused:
    tests/support/reused_app.py); a new file if that one is held locked.
    """
    if ON_POSTGRES:
        return migrated_template
    path = sqlite_folder / "test.sqlite3"
    if not restore_sqlite(migrated_template, path):
        path = sqlite_folder / f"test-{next(SQLITE_FILES)}.sqlite3"
        assert restore_sqlite(migrated_template, path), f"{path} is new, yet locked"
    return f"sqlite:///{path}"


def empty_postgres_tables() -> None:
    """Delete every row (not the schema) and restart every id sequence, so the next test
    starts as on a new database.

    DELETE, children before parents, rather than TRUNCATE: TRUNCATE makes new files for
    every table and index, ~80 ms per test against ~5 ms for a few rows to delete.
    """
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        connection.execute(text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))


@pytest.fixture
def app_overrides() -> dict:
    """Config overrides for this test's app; override the fixture to change settings."""
    return {}


def new_app(database_url: str, overrides: dict) -> Flask:
    """A new app on database_url, with the config overrides applied."""
    return create_app(make_config(database_url, **overrides))


APPS = ReusedApps(new_app)


@pytest.fixture
def app(database_url, app_overrides):
    """The application, on its own fresh database (the test before's app where no test
    could tell: tests/support/reused_app.py).

    No app context stays pushed: requests would share it, and with it `g`.
    """
    app = APPS.take(database_url, app_overrides)
    yield app
    with app.app_context():
        if ON_POSTGRES:
            empty_postgres_tables()
        db.engine.dispose()
    APPS.give_back(app)


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def database_file(database_url) -> Path:
    """The SQLite file of this test's database."""
    if ON_POSTGRES:
        # Tests that need the file must be marked sqlite_only; never skip one silently.
        pytest.fail("a test using database_file must be marked sqlite_only")
    return Path(database_url.removeprefix("sqlite:///"))
