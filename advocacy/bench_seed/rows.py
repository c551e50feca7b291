"""Bulk inserts for `flask seed-bench`: one Core INSERT per batch of rows (executemany).

Column defaults (a session token per account, `taken` 0…) are filled per row by
SQLAlchemy as for any insert; nothing bypasses the tables' constraints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import insert

from advocacy.extensions import db

BATCH = 5_000  # rows per INSERT: large enough to be quick, small enough to stay lean


def batches(rows: Iterable[dict], size: int = BATCH) -> Iterator[list[dict]]:
    """Yield lists of at most `size` rows."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_rows(model: type[db.Model], rows: Iterable[dict]) -> int:
    """Insert the rows into the model's table, in batches; return how many."""
    done = 0
    for batch in batches(rows):
        db.session.execute(insert(model.__table__), batch)
        done += len(batch)
    return done


def insert_returning_ids(model: type[db.Model], rows: Iterable[dict]) -> list[int]:
    """Insert the rows in batches; return their new ids, in the rows' order."""
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for batch in batches(rows):
        ids.extend(db.session.execute(statement, batch).scalars())
    return ids
