"""Exit 0 if the PostgreSQL of ADVOCACY_TEST_POSTGRES_URL answers, else 1.

When the server answers but the test database does not exist yet (a fresh machine),
create it through the server's `postgres` database first.
"""

import os
import sys

import sqlalchemy
from sqlalchemy.engine import make_url

url = make_url(
    os.environ.get(
        "ADVOCACY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
)


def answers(target) -> None:
    engine = sqlalchemy.create_engine(target, connect_args={"connect_timeout": 5})
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text("SELECT 1"))
    engine.dispose()


def create_database() -> None:
    """Create the test database (CREATE DATABASE cannot run inside a transaction)."""
    server = sqlalchemy.create_engine(
        url.set(database="postgres"),
        connect_args={"connect_timeout": 5},
        isolation_level="AUTOCOMMIT",
    )
    with server.connect() as connection:
        exists = connection.execute(
            sqlalchemy.text("SELECT 1 FROM pg_database WHERE datname = :name"),
            {"name": url.database},
        ).scalar()
        if not exists:
            quoted = connection.dialect.identifier_preparer.quote(url.database)
            connection.execute(sqlalchemy.text(f"CREATE DATABASE {quoted}"))
            print(f"Created the PostgreSQL test database {url.database!r}.")
    server.dispose()


try:
    create_database()
    answers(url)
except Exception as error:  # noqa: BLE001 - any failure means "not available"
    print(f"PostgreSQL check failed: {error.__class__.__name__}", file=sys.stderr)
    sys.exit(1)
