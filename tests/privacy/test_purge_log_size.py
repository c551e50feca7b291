"""A purge that does not let SQLite's write-ahead log grow while members read (issue 17,
item 4): between batches the log is folded into the database and emptied once it holds
half the database's size or 64 MB, whichever is smaller (not after every batch: each
fold waits for members' reads), so it never grows beyond twice the database, and the
planner's statistics are brought up to date at the end (PRAGMA optimize).

The readers here are a second connection reading across each batch's commit, as members'
pages do all the time: while one is open, SQLite's own checkpoints (every 1,000 pages)
cannot fold the newest pages in, and the log never starts again from its beginning.
Each read ends right after the commit, as a page's does within milliseconds. Nothing
here is timed: only file sizes are read.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.privacy import registry, services
from tests.support.purge import T0, keep_signed_in, purge_at

pytestmark = pytest.mark.sqlite_only

NOTICES = 6_000  # expired: sent more than 90 days before T0 (DESIGN §4)
KEPT = 500  # sent the day before: they stay
BATCH = 200
BOUND = 2  # the log never grows beyond twice the database
MiB = 1024 * 1024


def fill(app, member_id: int, path: Path) -> None:
    with app.app_context():
        rows = [
            {
                "account_id": member_id,
                "kind": "waitlist_promoted",
                "params": {"title": f"Tuesday circle number {n} in the spring"},
                "link": f"/events/{n}",
                "created_at": T0 - timedelta(days=100 if n < NOTICES else 1),
            }
            for n in range(NOTICES + KEPT)
        ]
        db.session.execute(insert(Notice), rows)
        db.session.commit()
    with sqlite3.connect(path) as connection:  # start from an empty log
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class Reader:
    """A member's page reading across the purge's commits, one read per batch."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.reading = False

    def begin(self) -> None:
        self.connection.execute("BEGIN")
        self.connection.execute("SELECT count(*) FROM notices").fetchone()
        self.reading = True

    def end(self) -> None:
        if self.reading:
            self.connection.execute("COMMIT")
            self.reading = False


class Sizes:
    """The log's and the database's sizes after each commit (the log's largest moment),
    and the log's size as each batch begins (after any fold)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: list[tuple[int, int]] = []
        self.at_start: list[int] = []

    def log(self) -> int:
        wal = self.path.with_name(self.path.name + "-wal")
        return wal.stat().st_size if wal.exists() else 0

    def note(self) -> None:
        self.seen.append((self.log(), self.path.stat().st_size))

    def folds(self, threshold) -> list[tuple[bool, bool]]:
        """For each commit followed by another batch: (whether the log had reached
        threshold(database size) then, whether it was emptied before the next batch)."""
        return [
            (logged >= threshold(database), self.at_start[n + 1] == 0)
            for n, (logged, database) in enumerate(self.seen)
            if n + 1 < len(self.at_start)
        ]


def replace_batch(purger: registry.Purger, batch) -> None:
    """Register `purger` again with another batch function (same place, same limits)."""
    registry.register_purger(
        purger.kind, purger.name, count=purger.count, batch=batch, max_batch=purger.max_batch
    )


@pytest.fixture
def reading_purge(app, database_file, member):
    """Run the purge in batches of BATCH with a reader open across each notice batch's
    commit; return the sizes seen (Sizes)."""
    fill(app, member.id, database_file)
    keep_signed_in(app, T0.date())
    reader, sizes = Reader(database_file), Sizes(database_file)
    notices = next(p for p in registry.purgers() if p.name == "notices")

    def batch(now, days, size):
        sizes.at_start.append(sizes.log())
        reader.begin()  # a page starts reading before the batch
        return notices.batch(now, days, size)

    def after_commit(_session):
        sizes.note()
        reader.end()  # and is done right after the commit

    replace_batch(notices, batch)
    event.listen(Session, "after_commit", after_commit)
    try:
        counts = purge_at(app, T0, batch_size=BATCH)
    finally:
        event.remove(Session, "after_commit", after_commit)
        replace_batch(notices, notices.batch)
        reader.connection.close()
    assert counts["notices"] == NOTICES
    return sizes


def test_the_log_is_folded_once_it_holds_half_the_database(reading_purge):
    seen = reading_purge.folds(lambda database: database // 2)
    assert (True, True) in seen  # folded mid-purge, at half the database
    assert (False, False) in seen  # and let grow below it: not after every batch
    assert all(reached == folded for reached, folded in seen), seen


@pytest.mark.parametrize("cap", [256 * 1024])
def test_the_log_is_folded_at_the_cap_when_that_is_smaller(
    monkeypatch, request, cap, app, database_file, member
):
    # 64 MB in production; a cap below half this test's database stands in for it.
    monkeypatch.setattr(services, "FOLD_LOG_AT_MOST_BYTES", cap)
    sizes = request.getfixturevalue("reading_purge")
    assert all(cap < database // 2 for _, database in sizes.seen)
    seen = sizes.folds(lambda _database: cap)
    assert (True, True) in seen
    assert (False, False) in seen
    assert all(reached == folded for reached, folded in seen), seen


@pytest.mark.parametrize(
    ("database", "fold_at"),
    [
        (1_000_000, 500_000),  # half the database
        (100 * MiB, 50 * MiB),
        (128 * MiB, 64 * MiB),  # both the same
        (1024 * MiB, 64 * MiB),  # 64 MB, smaller than half
    ],
)
def test_the_fold_threshold_is_half_the_database_or_64_mb(database, fold_at):
    assert services.fold_log_at(database) == fold_at


def test_the_log_never_grows_beyond_twice_the_database(reading_purge):
    batches = NOTICES // BATCH
    assert len(reading_purge.seen) > batches  # a size after every batch's commit
    largest = max(wal for wal, _ in reading_purge.seen)
    assert largest > 0  # the batches did write to the log
    for wal, database in reading_purge.seen:
        assert wal <= BOUND * database, (wal, database)


def test_the_log_is_empty_and_the_statistics_fresh_after_the_purge(
    reading_purge, app, database_file
):
    wal = database_file.with_name(database_file.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with app.app_context():
        analysed = set(db.session.scalars(db.text("SELECT tbl FROM sqlite_stat1")))
    assert "notices" in analysed
