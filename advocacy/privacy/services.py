"""Apply the retention rules: purge in batches, erase what SQLite keeps on the side, and
keep when the last purge ran to its end so that a forgotten purge is noticed."""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from advocacy.extensions import db
from advocacy.privacy import registry
from advocacy.privacy.models import LAST_PURGE_ID, PurgeRun
from advocacy.privacy.rules import rule_for

BATCH_SIZE = 500
# A daily purge that has not completed for longer than this is late (the hardening issue:
# a day and a half, so one slow or retried run is not an alarm). Exactly 36 h is on time.
PURGE_LATE_AFTER_HOURS = 36
PURGE_LATE_AFTER = timedelta(hours=PURGE_LATE_AFTER_HOURS)


def purge(now: datetime, *, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Delete every expired record, a batch per transaction; return counts per kind.

    Each batch commits on its own, so no write lock is held for long; rows are
    claimed with SKIP LOCKED on PostgreSQL, so several hosts may run it at once
    without doing the same work twice. Running it again changes nothing but the
    completion time: only a real purge that ran every purger to its end records `now`
    (see last_purge); a dry run, or one that raised part-way, records nothing.
    """
    counts: dict[str, int] = {}
    for purger in registry.purgers():
        days = rule_for(purger.kind).days
        if dry_run:
            counts[purger.name] = purger.count(now, days)
            db.session.rollback()
            continue
        size = min(batch_size, purger.max_batch or batch_size)
        total = 0
        while True:
            deleted = purger.batch(now, days, size)
            db.session.commit()
            total += deleted
            if deleted < size:
                break
            pause_for_other_writers()
        counts[purger.name] = total
    if not dry_run:
        erase_traces()
        record_completed(now)
        db.session.commit()
    return counts


@dataclass(frozen=True)
class LastPurge:
    """When the purge last completed (UTC, None if never) and whether that is too long ago."""

    completed_at: datetime | None
    late: bool

    @property
    def state(self) -> str:
        """One word, all /healthz tells about the purge: "never", "late" or "ok"."""
        if self.completed_at is None:
            return "never"
        return "late" if self.late else "ok"


def last_purge(now: datetime) -> LastPurge:
    """Say when the purge last completed and whether it is late at `now` (timezone-aware).

    Late: never completed, or more than PURGE_LATE_AFTER (36 h) before `now`; 36 h
    exactly is still on time.
    """
    completed_at = db.session.scalar(
        db.select(PurgeRun.completed_at).where(PurgeRun.id == LAST_PURGE_ID)
    )
    late = completed_at is None or now - completed_at > PURGE_LATE_AFTER
    return LastPurge(completed_at, late)


def record_completed(now: datetime) -> None:
    """Keep `now` as the last completed purge, never moving it back (flushes, no commit).

    One upsert, so hosts purging at once neither collide on the first row nor turn the
    time back when a run that started earlier finishes later.
    """
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(PurgeRun).values(id=LAST_PURGE_ID, completed_at=now)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[PurgeRun.id],
            set_={"completed_at": statement.excluded.completed_at},
            where=PurgeRun.completed_at < statement.excluded.completed_at,
        )
    )


def pause_for_other_writers() -> None:
    """On SQLite, leave the write lock free for a moment between batches.

    A waiting writer (a member's request) retries on a timer; without a pause the next
    batch takes the lock again at once and the request waits until the purge ends.
    """
    if db.engine.dialect.name == "sqlite":
        time.sleep(current_app.config["PURGE_PAUSE_MS"] / 1000)


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
        busy, _, _ = connection.connection.driver_connection.execute(
            "PRAGMA wal_checkpoint(TRUNCATE)"
        ).fetchone()
    if busy:
        # A reader held an old snapshot; the next purge (cron) truncates the log.
        current_app.logger.warning("write-ahead log not truncated yet: a reader was busy")


def backup_sqlite(target: Path) -> None:
    """Write a consistent copy of the SQLite database to target (online backup, mode 0600)."""
    if db.engine.dialect.name != "sqlite":
        raise RuntimeError("flask privacy backup is for SQLite; use pg_dump for PostgreSQL")
    # Create the file private from the first byte, never readable by others.
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    source_path = db.engine.url.database
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
