"""PostgreSQL for the tests: one database per test process, created when missing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy
from sqlalchemy.engine import URL, make_url

from tests.support.ceiling import CEILING_SECONDS


def worker_url(base: str) -> str:
    """Return base, or under pytest-xdist a database of this worker's own (test_gw0…)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return base
    return beside(base, worker)


def beside(base: str, suffix: str) -> str:
    """Return the URL of a database named after base's, plus `_suffix` (test → test_matrix)."""
    url = make_url(base)
    return url.set(database=f"{url.database}_{suffix}").render_as_string(hide_password=False)


@contextmanager
def server_connection(url: URL) -> Iterator[sqlalchemy.Connection]:
    """A connection to the server's `postgres` database, outside any transaction.

    CREATE and DROP DATABASE cannot run inside a transaction, hence AUTOCOMMIT.
    """
    server = sqlalchemy.create_engine(
        url.set(database="postgres"),
        connect_args={"connect_timeout": CEILING_SECONDS},
        isolation_level="AUTOCOMMIT",
    )
    try:
        with server.connect() as connection:
            yield connection
    finally:
        server.dispose()


def ensure_database(url: str | URL) -> bool:
    """Create the database of url; True if it is new.

    Its commits do not wait for the disk (synchronous_commit off, for its new sessions):
    only a crash of the server could lose the last of them, and a test database is made
    anew after one. Every commit still happens, in order, as the app sees it.
    """
    url = make_url(url)
    with server_connection(url) as connection:
        exists = connection.execute(
            sqlalchemy.text("SELECT 1 FROM pg_database WHERE datname = :name"),
            {"name": url.database},
        ).scalar()
        quoted = connection.dialect.identifier_preparer.quote(url.database)
        if not exists:
            connection.execute(sqlalchemy.text(f"CREATE DATABASE {quoted}"))
        connection.execute(sqlalchemy.text(f"ALTER DATABASE {quoted} SET synchronous_commit = off"))
        return not exists


def drop_database(url: str | URL) -> None:
    """Drop the database of url (nothing may still be connected to it)."""
    url = make_url(url)
    with server_connection(url) as connection:
        quoted = connection.dialect.identifier_preparer.quote(url.database)
        connection.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {quoted}"))


def read_as_stored() -> None:
    """On PostgreSQL, make the rest of the current transaction read tables as stored, as
    at scale (no index walks that happen to give id order): a query's order is then only
    what its ORDER BY says. Nothing on SQLite."""
    from advocacy.extensions import db  # the app's session, for tests that run one

    if db.engine.dialect.name != "postgresql":
        return
    for plan in ("indexscan", "indexonlyscan", "bitmapscan"):
        db.session.execute(sqlalchemy.text(f"SET LOCAL enable_{plan} = off"))
