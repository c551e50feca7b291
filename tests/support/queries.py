"""Count the SQL statements a block of code sends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from advocacy.extensions import db


class QueryCount:
    """Holds the statements seen."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(app: Flask | None = None) -> Iterator[QueryCount]:
    """Count statements on the app's engine inside the block (BEGIN/PRAGMA excluded).

    Inside an app context, or given the app when the block runs requests from outside one.
    """
    seen = QueryCount()

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        if not statement.lstrip().upper().startswith(("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK")):
            seen.statements.append(statement)

    if app is None:
        engine = db.engine
    else:
        with app.app_context():
            engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
