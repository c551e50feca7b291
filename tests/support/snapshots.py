"""Whole-database snapshots, to show that a request changed nothing."""

from __future__ import annotations

import json

from flask import Flask
from sqlalchemy import select

from advocacy.extensions import db

Snapshot = dict[str, list[tuple]]


def snapshot(app: Flask) -> Snapshot:
    """Return every row of every mapped table, in primary-key order."""
    with app.app_context():
        tables = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = db.session.execute(select(table).order_by(*order))
            tables[table.name] = [tuple(map(hashable, r)) for r in rows]
        db.session.rollback()
        return tables


def hashable(value):
    """Turn JSON column values (dicts, lists) into a stable, hashable form."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def row_counts(state: Snapshot) -> dict[str, int]:
    """Return the number of rows per table."""
    return {name: len(rows) for name, rows in state.items()}


def differences(before: Snapshot, after: Snapshot) -> dict[str, dict[str, list[tuple]]]:
    """Return, per changed table, the rows that went and the rows that came."""
    changed = {}
    for name in before.keys() | after.keys():
        old, new = set(before.get(name, [])), set(after.get(name, []))
        if old != new:
            changed[name] = {
                "gone": sorted(old - new, key=repr),
                "new": sorted(new - old, key=repr),
            }
    return changed
