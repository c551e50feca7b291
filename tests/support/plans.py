"""SQLite's plan of a statement as the code sends it (EXPLAIN QUERY PLAN with its
parameters bound, never written into the text: an index on an expression is used only
when the statement says the same expression)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event

from advocacy.extensions import db


def plan_of_sent(action: Callable[[], object], table: str) -> str:
    """Run `action`; return SQLite's plan (one line a step) of the one statement it sent
    that reads FROM `table`."""
    sent = []

    def keep(_connection, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    [(statement, parameters)] = [(s, p) for s, p in sent if f"FROM {table}" in s]
    driver = db.session.connection().connection.driver_connection
    rows = driver.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return "\n".join(row[-1] for row in rows)
