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
# Between batches the write-ahead log is folded into the database once it holds half the
# database's size or this much, whichever is smaller (issue 17: never beyond twice the
# database; each fold waits for members' reads, so not after every batch).
FOLD_LOG_AT_MOST_BYTES = 64 * 1024 * 1024
# Rows of each index `PRAGMA optimize` reads (sqlite.org/pragma.html#pragma_analysis_limit):
# enough for the planner's estimates, quick on any size of table.
ANALYSIS_LIMIT = 1000
# A daily purge that has not completed for longer than this is late (the hardening issue:
# a day and a half, so one slow or retried run is not an alarm). Exactly 36 h is on time.
PURGE_LATE_AFTER_HOURS = 36
PURGE_LATE_AFTER = timedelta(hours=PURGE_LATE_AFTER_HOURS)


def purge(now: datetime, *, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Delete every expired record, a batch per transaction; return counts per kind.

    Each batch commits on its own, so no write lock is held for long; rows are
    claimed with SKIP LOCKED on PostgreSQL, so several hosts may run it at once
    without doing the same work twice. On SQLite the batches are folded into the database
    file whenever the write-ahead log reaches half the database or 64 MB (fold_log), so
    it never grows past that and one batch however many rows go while members read
    (issue 17: 3.8 GB, 5.4 times the database, for a million rows before), and the
    planner's statistics are brought up to date at the end (optimize). Running it again
    changes nothing but the completion time: only a real purge that ran every purger to
    its end records `now` (see last_purge); a dry run, or one that raised part-way,
    records nothing.
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
            fold_log()
            pause_for_other_writers()
        counts[purger.name] = total
    if not dry_run:
        optimize()
        record_completed(now)
        db.session.commit()
        erase_traces()
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
    if not checkpoint():
        # A reader held an old snapshot; the next purge (cron) truncates the log.
        current_app.logger.warning("write-ahead log not truncated yet: a reader was busy")


def fold_log() -> None:
    """On SQLite, between purge batches: once the write-ahead log holds fold_log_at bytes
    (half the database, at most 64 MB), fold it into the database file and empty it,
    waiting at most PURGE_CHECKPOINT_WAIT_MS for members' reads that began before it (a
    page's read lasts milliseconds).

    SQLite's own checkpoints (every 1,000 pages) never wait: with members always
    reading, the newest pages are never all folded in and the log never starts over, so
    it grew by every deleted page. Folding only past the threshold keeps that wait off
    most batches. If readers outlast the wait, the pages stay in the log until the next
    batch's fold or the final erase_traces.
    """
    path = db.engine.url.database
    if db.engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return
    database = Path(path)
    log = database.with_name(database.name + "-wal")
    try:
        logged, size = log.stat().st_size, database.stat().st_size
    except FileNotFoundError:  # no log yet: nothing to fold
        return
    if logged >= fold_log_at(size):
        checkpoint(wait_ms=current_app.config["PURGE_CHECKPOINT_WAIT_MS"])


def fold_log_at(database_bytes: int) -> int:
    """Return the -wal size in bytes at which the purge folds the log: half the
    database's size or FOLD_LOG_AT_MOST_BYTES (64 MiB), whichever is smaller."""
    return min(database_bytes // 2, FOLD_LOG_AT_MOST_BYTES)


def checkpoint(wait_ms: int | None = None) -> bool:
    """Run `PRAGMA wal_checkpoint(TRUNCATE)` on SQLite (outside any transaction), waiting
    `wait_ms` milliseconds at most for readers (None: the app's busy timeout); return
    whether the log was emptied (False: a reader was still using it)."""
    with db.engine.connect() as connection:
        # Straight to the driver: a checkpoint cannot run inside the transaction that
        # SQLAlchemy would begin first.
        driver = connection.connection.driver_connection
        if wait_ms is not None:
            driver.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        try:
            busy, _, _ = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            if wait_ms is not None:
                timeout = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
                driver.execute(f"PRAGMA busy_timeout={timeout}")
    return not busy


def optimize() -> None:
    """On SQLite, after a purge: bring the planner's statistics up to date, reading at most
    ANALYSIS_LIMIT rows of each index (sqlite.org/lang_analyze.html#approx).

    SQLite 3.46 and later: `PRAGMA optimize=0x10002`, which analyzes the tables of the
    whole database whose statistics are missing or stale. Before 3.46 it only looks at
    the tables its own connection has queried, which is not this one: `ANALYZE`, as
    bounded. sqlite_stat1 holds counts only, never values; a SQLite built with STAT4 would
    keep sample rows of each index, which could outlive their rows: skipped there.
    """
    if db.engine.dialect.name != "sqlite":
        return
    connection = db.session.connection()
    options = {row[0] for row in connection.exec_driver_sql("PRAGMA compile_options")}
    if "ENABLE_STAT4" in options:
        return
    connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    if sqlite3.sqlite_version_info >= (3, 46):
        connection.exec_driver_sql("PRAGMA optimize=0x10002")
    else:
        connection.exec_driver_sql("ANALYZE")


def backup_sqlite(target: Path) -> None:
    """Write a consistent copy of the SQLite database to target (online backup, mode 0600)."""
    if db.engine.dialect.name != "sqlite":
        raise RuntimeError("flask privacy backup is for SQLite; use pg_dump for PostgreSQL")
    # Create the file private from the first byte, never readable by others.
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    source_path = db.engine.url.database
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
