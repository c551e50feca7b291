"""Apply the retention rules: purge in batches, and erase what SQLite keeps on the side."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy.rules import rule_for

BATCH_SIZE = 500


def purge(now: datetime, *, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Delete every expired record, a batch per transaction; return counts per kind.

    Each batch commits on its own, so no write lock is held for long; rows are
    claimed with SKIP LOCKED on PostgreSQL, so several hosts may run it at once
    without doing the same work twice. Running it again changes nothing.
    """
    counts: dict[str, int] = {}
    for purger in registry.purgers():
        days = rule_for(purger.kind).days
        if dry_run:
            counts[purger.name] = purger.count(now, days)
            db.session.rollback()
            continue
        total = 0
        while True:
            deleted = purger.batch(now, days, batch_size)
            db.session.commit()
            total += deleted
            if deleted < batch_size:
                break
        counts[purger.name] = total
    if not dry_run:
        erase_traces()
    return counts


def erase_traces() -> None:
    """On SQLite, fold the write-ahead log into the file and truncate it.

    Deleted rows are zeroed in the database file (secure_delete), but older copies
    of their pages can linger in the -wal file until a checkpoint truncates it.
    """
    if db.engine.dialect.name != "sqlite":
        return
    db.session.commit()
    with db.engine.connect() as connection:
        # Straight to the driver: a checkpoint cannot run inside the transaction that
        # SQLAlchemy would begin first.
        connection.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def backup_sqlite(target: Path) -> None:
    """Write a consistent copy of the SQLite database to target (online backup)."""
    if db.engine.dialect.name != "sqlite":
        raise RuntimeError("flask privacy backup is for SQLite; use pg_dump for PostgreSQL")
    source_path = db.engine.url.database
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
