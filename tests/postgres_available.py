"""Exit 0 if the PostgreSQL of ADVOCACY_TEST_POSTGRES_URL answers, else 1.

Run as `python -m tests.postgres_available`. When the server answers but the test
database does not exist yet (a fresh machine), it is created first.
"""

import os
import sys

import sqlalchemy

from tests.support.ceiling import CEILING_SECONDS
from tests.support.postgres import ensure_database

URL = os.environ.get(
    "ADVOCACY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def main() -> int:
    try:
        if ensure_database(URL):
            print("Created the PostgreSQL test database.")
        engine = sqlalchemy.create_engine(URL, connect_args={"connect_timeout": CEILING_SECONDS})
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        print(f"PostgreSQL check failed: {error.__class__.__name__}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
