"""SQLite connections: the four pragmas, and writes that never hit "database is locked"."""

import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from advocacy import create_app
from advocacy.database import configure_sqlite
from advocacy.extensions import db
from tests.conftest import make_config
from tests.support.ceiling import CEILING_SECONDS

pytestmark = pytest.mark.sqlite_only


def test_pragmas_are_set_on_a_fresh_pooled_connection(app):
    with app.app_context():
        db.engine.dispose()
        with db.engine.connect() as connection:
            values = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys", "secure_delete")
            }
    assert values["journal_mode"] == "wal"
    assert values["busy_timeout"] >= 5000
    assert values["foreign_keys"] == 1
    assert values["secure_delete"] == 1


def read_then_write(run, errors: list, rounds: int) -> None:
    for _ in range(rounds):
        try:
            run()
        except Exception as error:  # noqa: BLE001 - the test counts every failure
            errors.append(error)


def hammer(make_run, workers: int = 8, rounds: int = 15) -> list:
    errors: list = []
    threads = [
        threading.Thread(target=read_then_write, args=(make_run(), errors, rounds))
        for _ in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_read_then_write_transactions_never_fail_to_lock(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'counter.sqlite3'}")
    configure_sqlite(engine, busy_timeout_ms=CEILING_SECONDS * 1000)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))

    def make_run():
        def run():
            with engine.begin() as connection:
                n = connection.execute(text("SELECT n FROM counter")).scalar()
                time.sleep(0.001)
                connection.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

        return run

    errors = hammer(make_run)
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar() == 8 * 15


def test_negative_control_deferred_transactions_do_fail(tmp_path):
    """Without BEGIN IMMEDIATE the same load loses the lock race: the test can see it."""
    path = tmp_path / "deferred.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE counter (n INTEGER)")
        setup.execute("INSERT INTO counter VALUES (0)")

    def make_run():
        connection = sqlite3.connect(path, timeout=5, check_same_thread=False)
        connection.isolation_level = None

        def run():
            connection.execute("BEGIN")
            try:
                n = connection.execute("SELECT n FROM counter").fetchone()[0]
                time.sleep(0.001)
                connection.execute("UPDATE counter SET n = ?", (n + 1,))
                connection.execute("COMMIT")
            except sqlite3.OperationalError:
                connection.execute("ROLLBACK")
                raise

        return run

    errors = hammer(make_run)
    assert any("locked" in str(error) for error in errors)


@pytest.mark.sqlite_only
def test_the_sqlite_file_and_its_log_are_private_to_their_owner(tmp_path):
    """Mode 0600 for the database, its WAL and its shared-memory file (nobody else reads)."""
    path = tmp_path / "fresh" / "advocacy.sqlite3"
    app = create_app(make_config(f"sqlite:///{path}"))
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        modes = {
            name: stat.S_IMODE(Path(f"{path}{name}").stat().st_mode)
            for name in ("", "-wal", "-shm")
        }
        db.engine.dispose()
    assert modes == {"": 0o600, "-wal": 0o600, "-shm": 0o600}


def test_a_sqlite_file_is_never_pinged_before_a_statement(app):
    # A ping (SELECT 1 before each reuse of a pooled connection) finds a database server
    # restarted; a SQLite file has no server, and the ping was one more statement on every
    # request (issue 17). PostgreSQL's ping: tests/test_postgres_outage.py.
    with app.app_context():
        assert db.engine.pool._pre_ping is False
        db.session.execute(text("SELECT 2")).scalar()
        db.session.remove()
        sent = []
        engine = db.engine
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 3")
        original = engine.dialect.do_ping
        engine.dialect.do_ping = lambda dbapi_connection: (
            sent.append(1) or original(dbapi_connection)
        )
        try:
            with engine.connect() as connection:
                assert connection.exec_driver_sql("SELECT 4").scalar() == 4
        finally:
            del engine.dialect.do_ping
    assert sent == []
