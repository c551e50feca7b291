"""Benchmark: purge 100,000 expired RSVPs from a SQLite file without a long write lock.

Builds a fresh SQLite database through the migrations, bulk-inserts expired RSVPs
(many members x many ended meetings, two in three marked as attended), then runs the
same purge as `flask privacy purge` while a second connection keeps writing, as a
member using the site would. Prints the number of batches, the total time, the longest
single write transaction (BEGIN IMMEDIATE to COMMIT: how long the write lock is held
at most), the longest wait of the other writer (and how often it gave up, as a
member's request would), and that the attendance counts kept add up to what the
RSVPs said. Exits non-zero only if RSVPs are left or counts lost.

    .venv/bin/python bench/purge_rsvps.py [--rsvps 100000] [--batch-size 500] [--keep]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from advocacy import create_app  # noqa: E402
from advocacy.accounts.models import Account  # noqa: E402
from advocacy.config import TestConfig  # noqa: E402
from advocacy.events.models import Event, Occurrence, Rsvp  # noqa: E402
from advocacy.extensions import db  # noqa: E402
from advocacy.privacy import registry  # noqa: E402
from advocacy.privacy import services as privacy  # noqa: E402

MEETINGS = 100  # ended meetings; members = RSVPs / MEETINGS
CHUNK = 20_000  # rows per bulk insert


class BenchConfig(TestConfig):
    """The test settings (cheap hashing), on the benchmark's own file."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = url


def build(app, rsvps: int, now: datetime) -> tuple[int, int]:
    """Insert members, ended meetings and their RSVPs; return (rows, attended)."""
    members = -(-rsvps // MEETINGS)
    today = now.date()
    with app.app_context():
        db.session.execute(
            insert(Account),
            [
                {
                    "pseudonym": f"bench-{n}",
                    "pseudonym_key": f"bench-{n}",
                    "password_hash": "not-a-real-hash",
                    # Signed in today: the accounts stay, only their old RSVPs go.
                    "last_login_on": today,
                    "created_at": now - timedelta(days=400),
                }
                for n in range(members)
            ],
        )
        db.session.execute(
            insert(Event),
            [
                {
                    "title": f"Circle {n}",
                    "area": "Brooklyn",
                    "timezone": "America/New_York",
                    "created_at": now - timedelta(days=200),
                }
                for n in range(MEETINGS)
            ],
        )
        event_ids = list(db.session.scalars(select(Event.id).order_by(Event.id)))
        db.session.execute(
            insert(Occurrence),
            [
                {
                    "event_id": event_id,
                    # Ended 40 to 139 days ago: all past the 30-day RSVP period.
                    "starts_at": now - timedelta(days=40 + n, hours=2),
                    "ends_at": now - timedelta(days=40 + n),
                }
                for n, event_id in enumerate(event_ids)
            ],
        )
        db.session.commit()
        account_ids = list(db.session.scalars(select(Account.id).order_by(Account.id)))
        occurrence_ids = list(db.session.scalars(select(Occurrence.id).order_by(Occurrence.id)))
        rows = [
            {
                "occurrence_id": occurrence_ids[n % MEETINGS],
                "account_id": account_ids[n // MEETINGS],
                "status": "confirmed",
                "attended": n % 3 != 0,
                "created_at": now - timedelta(days=150),
            }
            for n in range(rsvps)
        ]
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(Rsvp), rows[start : start + CHUNK])
        db.session.commit()
        attended = sum(1 for row in rows if row["attended"])
        return len(rows), attended


class WriteLocks:
    """Time every transaction of the app's engine, from BEGIN IMMEDIATE to COMMIT."""

    def __init__(self, engine) -> None:
        self.open: dict[int, float] = {}
        self.held: list[float] = []
        # Registered after the app's own "begin" listener, so the lock is already taken.
        event.listen(engine, "begin", self.begin)
        event.listen(Session, "after_commit", self.end)
        event.listen(Session, "after_rollback", self.end)

    def begin(self, connection) -> None:
        self.open[threading.get_ident()] = time.perf_counter()

    def end(self, session) -> None:
        started = self.open.pop(threading.get_ident(), None)
        if started is not None:
            self.held.append(time.perf_counter() - started)


class OtherWriter(threading.Thread):
    """A member's small write every few milliseconds, on its own connection."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.waits: list[float] = []
        self.stop = threading.Event()
        self.errors: list[Exception] = []

    def run(self) -> None:
        # The app's own setting (advocacy/database.py): a request gives up after 10 s.
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        connection.execute("PRAGMA busy_timeout=10000")
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("UPDATE accounts SET is_discreet = is_discreet WHERE id = 1")
                connection.execute("COMMIT")
            except sqlite3.Error as error:
                self.errors.append(error)
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
            self.waits.append(time.perf_counter() - started)
            time.sleep(0.005)
        connection.close()


def timed_batches(name: str) -> list[float]:
    """Wrap one purger's batch (replacing it by name) to time each call."""
    purger = next(p for p in registry.purgers() if p.name == name)
    times: list[float] = []

    def batch(now, days, size):
        started = time.perf_counter()
        deleted = purger.batch(now, days, size)
        times.append(time.perf_counter() - started)
        return deleted

    registry.register_purger(purger.kind, purger.name, count=purger.count, batch=batch)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rsvps", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=privacy.BATCH_SIZE)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="advocacy-bench-"))
    path = folder / "bench.sqlite3"
    url = f"sqlite:///{path}"
    now = datetime.now(UTC)
    app = create_app(BenchConfig(url))

    started = time.perf_counter()
    with app.app_context():
        upgrade()
    rows, attended = build(app, options.rsvps, now)
    print(f"built {rows:,} expired RSVPs ({attended:,} attended) in {path}")
    print(f"  build: {time.perf_counter() - started:.1f} s")

    with app.app_context():
        locks = WriteLocks(db.engine)
        batch_times = timed_batches("RSVPs")
        other = OtherWriter(path)
        other.start()
        started = time.perf_counter()
        counts = privacy.purge(now, batch_size=options.batch_size)
        total = time.perf_counter() - started
        other.stop.set()
        other.join()
        left = db.session.scalar(select(func.count()).select_from(Rsvp))
        kept = db.session.scalar(select(func.sum(Occurrence.attended_count)))
        db.session.commit()

    held = sorted(locks.held)
    print(f"purge (batch size {options.batch_size}):")
    print(f"  RSVPs deleted: {counts['RSVPs']:,}; left: {left:,}")
    print(f"  RSVP batches: {len(batch_times)} (each its own transaction)")
    print(f"  total time: {total:.2f} s (with the WAL checkpoint)")
    print(
        f"  write transactions: {len(held)}; longest {ms(held[-1])}, "
        f"median {ms(statistics.median(held))}, "
        f"95th percentile {ms(held[int(len(held) * 0.95) - 1])}"
    )
    print(f"  longest RSVP batch (work before its commit): {ms(max(batch_times))}")
    print(
        f"  RSVP batches, mean of the first ten {ms(statistics.mean(batch_times[:10]))}, "
        f"of the last ten {ms(statistics.mean(batch_times[-11:-1]))} (cost per batch should "
        "not grow with the rows left)"
    )
    waits = sorted(other.waits)
    print(
        f"  another writer meanwhile: {len(waits)} writes, longest wait {ms(waits[-1])}, "
        f"median {ms(statistics.median(waits))}; gave up (database is locked after the "
        f"app's 10 s busy_timeout): {len(other.errors)}"
    )
    print(f"  attendance kept: {kept:,} in occurrences.attended_count (RSVPs said {attended:,})")
    wal = path.with_name(path.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    print(f"  files after: database {path.stat().st_size:,} bytes, -wal {wal_size:,} bytes")

    ok = left == 0 and kept == attended and counts["RSVPs"] == rows
    if options.keep:
        print(f"kept {path}")
    else:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    if not ok:
        print("FAILED: RSVPs left or attendance counts lost")
        sys.exit(1)


if __name__ == "__main__":
    main()
