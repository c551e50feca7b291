"""The suite's app reused from test to test (tests/support/reused_app.py) is one no test
could tell from a new app: each test finds an empty database, no rate-limit counts and no
kept page tokens; and an app is not reused when anything a test did could show through."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from advocacy import create_app, csrf_token, i18n, templating
from advocacy.accounts.models import Account
from advocacy.extensions import db, limiter
from tests.conftest import make_config, new_app, restore_sqlite
from tests.support.accounts import Clock, make_account
from tests.support.reused_app import ReusedApps

pytestmark = pytest.mark.sqlite_only  # about the SQLite file the fixtures restore


@pytest.fixture
def apps() -> ReusedApps:
    return ReusedApps(new_app)


@pytest.fixture
def url(migrated_template, tmp_path) -> str:
    restore_sqlite(migrated_template, tmp_path / "reused.sqlite3")
    return f"sqlite:///{tmp_path / 'reused.sqlite3'}"


def used(app: Flask) -> None:
    """What a test may leave behind: a row, its clock, a rate-limit count, a kept page token,
    the catalogues and addresses a page needed."""
    app.config["CLOCK"] = Clock()
    assert app.test_client().get("/?lang=es").status_code == 200
    assert app.extensions[templating.ADDRESSES]
    assert app.extensions[i18n.CACHE]
    make_account(app, "river-member")
    limiter.storage.incr("a-count", 60)
    app.extensions[csrf_token.EXTENSION]["a-session-secret"] = (0.0, "a-token")


def finished(apps: ReusedApps, app: Flask, url: str, template: str) -> None:
    """What the `app` fixture and the next test's `database_url` do between two tests."""
    with app.app_context():
        db.engine.dispose()
    apps.give_back(app)
    restore_sqlite(template, Path(url.removeprefix("sqlite:///")))


def accounts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Account))


def test_the_next_test_gets_the_same_app_with_nothing_left_of_the_last(
    apps, url, migrated_template
):
    first = apps.take(url, {})
    used(first)
    assert accounts(first) == 1
    finished(apps, first, url, migrated_template)

    second = apps.take(url, {})
    assert second is first
    assert accounts(second) == 0
    assert "CLOCK" not in second.config
    assert limiter.storage.get("a-count") == 0
    assert dict(second.extensions[csrf_token.EXTENSION]) == {}
    assert second.extensions[templating.ADDRESSES] == {}
    assert i18n.CACHE not in second.extensions


def test_a_reused_app_may_be_set_up_as_a_new_one_and_is_then_not_reused(
    apps, url, migrated_template
):
    first = apps.take(url, {})
    assert first.test_client().get("/").status_code == 200
    finished(apps, first, url, migrated_template)
    second = apps.take(url, {})
    assert second is first

    @second.get("/a-tests-own-route")  # allowed, as on a new app
    def own() -> str:
        return "own"

    assert second.test_client().get("/a-tests-own-route").get_data(as_text=True) == "own"
    finished(apps, second, url, migrated_template)
    assert apps.take(url, {}) is not second


def test_a_new_app_when_a_test_listened_to_its_database_engine(apps, url, migrated_template):
    first = apps.take(url, {})
    with first.app_context():
        event.listen(db.engine, "connect", lambda _connection, _record: None)
    finished(apps, first, url, migrated_template)
    assert apps.take(url, {}) is not first


def test_the_restored_file_holds_no_byte_of_the_last_tests_rows(apps, url, migrated_template):
    path = Path(url.removeprefix("sqlite:///"))
    left_open = sqlite3.connect(path)  # a connection an earlier test never closed
    left_open.execute("SELECT 1 FROM accounts").fetchall()
    first = apps.take(url, {})
    make_account(first, "unmistakable-pseudonym")
    finished(apps, first, url, migrated_template)
    for file in path.parent.glob(f"{path.name}*"):  # the database, its log and shared memory
        assert b"unmistakable-pseudonym" not in file.read_bytes(), file.name
    assert left_open.execute("SELECT count(*) FROM accounts").fetchone() == (0,)
    left_open.close()


def test_a_new_app_after_another_app_was_made(apps, url, migrated_template, tmp_path):
    first = apps.take(url, {})
    finished(apps, first, url, migrated_template)
    create_app(make_config(f"sqlite:///{tmp_path / 'other.sqlite3'}"))  # points the limiter there
    assert apps.take(url, {}) is not first


def test_a_new_app_when_a_test_changed_its_config(apps, url, migrated_template):
    first = apps.take(url, {})
    first.config["MAX_CONTENT_LENGTH"] = 10
    finished(apps, first, url, migrated_template)
    assert apps.take(url, {}) is not first


def test_a_new_app_for_other_overrides_database_or_environment(
    apps, url, migrated_template, monkeypatch, tmp_path
):
    first = apps.take(url, {})
    finished(apps, first, url, migrated_template)
    other_overrides = apps.take(url, {"WTF_CSRF_ENABLED": True})
    assert other_overrides is not first
    finished(apps, other_overrides, url, migrated_template)

    other = tmp_path / "other.sqlite3"
    restore_sqlite(migrated_template, other)
    other_database = apps.take(f"sqlite:///{other}", {"WTF_CSRF_ENABLED": True})
    assert other_database is not other_overrides
    finished(apps, other_database, f"sqlite:///{other}", migrated_template)

    monkeypatch.setenv("ADVOCACY_FAULT_POINTS", "")
    other_environment = apps.take(f"sqlite:///{other}", {"WTF_CSRF_ENABLED": True})
    assert other_environment is not other_database
    finished(apps, other_environment, f"sqlite:///{other}", migrated_template)

    mutant = "advocacy.security.x_register_security_headers__mutmut_1"
    monkeypatch.setenv("MUTANT_UNDER_TEST", mutant)
    assert apps.take(f"sqlite:///{other}", {"WTF_CSRF_ENABLED": True}) is not other_environment


def test_a_new_app_after_the_limiter_fell_back(apps, url, migrated_template, monkeypatch):
    first = apps.take(url, {})
    monkeypatch.setattr(limiter, "_dead", True)  # its storage stopped answering
    finished(apps, first, url, migrated_template)
    monkeypatch.undo()
    assert apps.take(url, {}) is not first


def test_an_app_whose_config_cannot_be_copied_is_never_reused(apps, url, migrated_template):
    first = apps.take(url, {"A_LOCK": threading.Lock()})
    finished(apps, first, url, migrated_template)
    assert apps.take(url, {"A_LOCK": first.config["A_LOCK"]}) is not first


@pytest.mark.redis
def test_an_app_counting_in_redis_is_never_reused(apps, url, migrated_template):
    """Emptying its counts would empty those of every other process sharing that Redis."""
    shared = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}
    first = apps.take(url, shared)
    finished(apps, first, url, migrated_template)
    assert apps.take(url, shared) is not first


def test_a_database_whose_log_a_reader_holds_is_not_counted_as_restored(
    apps, url, migrated_template
):
    """The log could still hold an earlier test's rows: the fixture then takes a new file."""
    first = apps.take(url, {})
    make_account(first, "unmistakable-pseudonym")
    path = Path(url.removeprefix("sqlite:///"))
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM accounts").fetchone()  # holds a read snapshot
    with first.app_context():
        db.engine.dispose()
    assert restore_sqlite(migrated_template, path) is False
    reader.close()
    assert restore_sqlite(migrated_template, path) is True


@pytest.mark.parametrize(
    "swap",
    [
        lambda app: setattr(app, "wsgi_app", lambda environ, start: []),
        lambda app: app.view_functions.update({"pages.home": lambda: "swapped"}),
        lambda app: app.jinja_env.globals.update({"url_for": lambda *a, **k: "/"}),
        lambda app: app.jinja_env.filters.update({"markdown": str}),
        lambda _app: setattr(limiter, "enabled", False),
    ],
    ids=["wsgi", "view", "template global", "template filter", "limits off"],
)
def test_a_new_app_when_a_test_swapped_part_of_it(apps, url, migrated_template, swap):
    first = apps.take(url, {})
    enabled = limiter.enabled
    swap(first)
    finished(apps, first, url, migrated_template)
    limiter.enabled = enabled
    assert apps.take(url, {}) is not first
