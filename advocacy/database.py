"""Database helpers: UTC timestamps and the SQLite connection settings."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from advocacy.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# GET requests that write: quick exit is a plain link (DESIGN §5) that ends the session.
WRITING_GETS = frozenset({"accounts.quick_exit"})


# Table options for a table whose ids a link can carry (an address, a notice, a calendar's
# UID): SQLite then never gives a deleted row's id to a new row (AUTOINCREMENT), so an old
# link can never open someone else's row. PostgreSQL's sequences never go back anyway.
IDS_NEVER_REUSED = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Set the pragmas on every new SQLite connection and begin writes immediately; a
    write waits up to `busy_timeout_ms` milliseconds for another's lock."""

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, start transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")  # wait, don't fail
        cursor.execute("PRAGMA foreign_keys=ON")  # deleting an account reaches every row
        cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten with zeros
        if optimizes_on_open():
            # The planner's statistics, where missing or stale, on opening (SQLite 3.46+:
            # sqlite.org/pragma.html#pragma_optimize); the daily purge does it too.
            cursor.execute("PRAGMA optimize=0x10002")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Any) -> None:
        # A transaction that reads and then writes must hold the write lock from the start,
        # or SQLite refuses the upgrade with "database is locked". Only GET-like requests,
        # which never write, begin deferred so readers run side by side.
        if (
            has_request_context()
            and request.method in SAFE_METHODS
            and request.endpoint not in WRITING_GETS
        ):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


@cache
def optimizes_on_open() -> bool:
    """Whether this SQLite library checks its statistics on opening (3.46 and later: the
    whole database, within a bounded time) and keeps no sample rows in them (no STAT4,
    whose samples of index keys could outlive deleted rows). Asked once per process."""
    if sqlite3.sqlite_version_info < (3, 46):
        return False
    with sqlite3.connect(":memory:") as probe:
        options = [row[0] for row in probe.execute("PRAGMA compile_options")]
    return "ENABLE_STAT4" not in options


def commit_before_slow_work() -> None:
    """End the request's transaction so far, before seconds of CPU work such as argon2id.

    On SQLite a request that may write holds the write lock from its first statement
    (BEGIN IMMEDIATE, above); a password checked under it would hold every other writer
    back, and on a busy machine past the busy timeout (503s). Whatever was read is
    reloaded, in a new transaction, when next used; callers re-check what they relied on.
    A transaction that has already written stays whole instead (never half-committed):
    the caller still commits or rolls back all of it.
    """
    session = db.session()
    if not (session.info.get(WROTE) or session.new or session.dirty or session.deleted):
        session.commit()


WROTE = "advocacy.wrote"  # set in Session.info once the transaction has flushed a change


@event.listens_for(Session, "after_flush")
def note_write(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def note_statement_write(state: Any) -> None:
    """An UPDATE, DELETE or INSERT sent as a statement writes too (no flush sees it)."""
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def forget_write(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE, None)


def private_sqlite_file(path: str | None) -> None:
    """Create the SQLite file readable by its owner only (0600), or make it so.

    SQLite gives its -wal and -shm files the database file's permissions, so they are
    private too: other users of the machine cannot read members' records.
    """
    if not path or path == ":memory:":
        return
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
    if file.stat().st_uid == os.getuid():
        file.chmod(0o600)


def choose_engine_options(app: Flask) -> None:
    """Before the engine is made: ping a pooled connection before reusing it for a database
    server (PostgreSQL), so a restart of the server goes unnoticed (the dead connection is
    replaced), but not for a SQLite file, which no server holds open: there the ping was
    one more statement on every request (issue 17)."""
    is_sqlite = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        "pool_pre_ping": not is_sqlite,
    }


def register_database(app: Flask) -> None:
    """Configure engine-level behaviour once the engine exists."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            private_sqlite_file(engine.url.database)
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
