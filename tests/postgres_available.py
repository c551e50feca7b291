"""Exit 0 if the PostgreSQL of ADVOCACY_TEST_POSTGRES_URL answers, else 1."""

import os
import sys

import sqlalchemy

url = os.environ.get(
    "ADVOCACY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
try:
    engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 5})
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text("SELECT 1"))
except Exception as error:  # noqa: BLE001 - any failure means "not available"
    print(f"PostgreSQL check failed: {error.__class__.__name__}", file=sys.stderr)
    sys.exit(1)
