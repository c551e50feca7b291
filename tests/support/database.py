"""Start again on the same database: every row gone, the schema kept; or an empty
database of its own, for a migration test."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, make_url, text

from advocacy.extensions import db
from tests.conftest import ON_POSTGRES, POSTGRES_URL
from tests.support.postgres import ensure_database


def delete_every_row() -> None:
    """Delete every row of every table (children before parents), in the app's database.

    For tests whose examples each need a clean database: hypothesis runs many examples
    inside one test, on one database. On PostgreSQL a DELETE of a few rows is a hundred
    times quicker than the TRUNCATE the fixtures use between tests (ids do not restart).
    """
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def free_deleted_rows_space(table: str) -> None:
    """Commit the session, then do what PostgreSQL's autovacuum does on a live site: free
    the space the table's deleted rows held, so the next rows are written there, before
    older ones. Nothing more on SQLite, which keeps a table's rows in id order anyway.

    VACUUM cannot run inside a transaction, hence a connection of its own in AUTOCOMMIT.
    """
    db.session.commit()
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'VACUUM "{table}"'))


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of its own (a second PostgreSQL database beside this test
    process's own, so that two processes' migration tests never drop each other's)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    url = make_url(POSTGRES_URL)  # this process's own already (conftest: worker_url)
    ensure_database(url)  # the server connection below starts there
    name = f"{url.database}_migration"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()
