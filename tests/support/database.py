"""Start again on the same database: every row gone, the schema kept."""

from __future__ import annotations

from advocacy.extensions import db


def delete_every_row() -> None:
    """Delete every row of every table (children before parents), in the app's database.

    For tests whose examples each need a clean database: hypothesis runs many examples
    inside one test, on one database. On PostgreSQL a DELETE of a few rows is a hundred
    times quicker than the TRUNCATE the fixtures use between tests (ids do not restart).
    """
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
