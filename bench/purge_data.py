"""The data of `make bench-purge`: two identical copies of the seeded benchmark database,
each with the same expired notices added, one to purge and one to read without a purge.

Copies, so the database `make bench` measures is never changed (its SQLite file has no
planner statistics until the app makes them, which the purge does). SQLite: files beside
the seeded one, made with SQLite's online backup. PostgreSQL: databases made from the
seeded one as a template, `<name>_purged` and `<name>_quiet`. Both are removed at the end.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from advocacy import create_app
from advocacy.accounts.models import Account
from advocacy.extensions import db
from advocacy.notices.models import Notice
from bench.database import DATABASE_NAME, HarnessConfig, Refused, remove_sqlite
from bench.servers import CEILING_SECONDS

CHUNK = 20_000  # rows per INSERT
# Sent this many days before the purge: past the notice rule's 90 days (DESIGN §4).
SENT_DAYS_AGO = 100


@dataclass(frozen=True)
class Copies:
    """The database the purge runs on and its twin, read without a purge."""

    purged: str
    quiet: str

    def remove(self) -> None:
        """Delete both copies."""
        for url in (self.purged, self.quiet):
            if is_sqlite(url):
                remove_sqlite(Path(make_url(url).database))
            else:
                drop_postgres(url)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def server_engine(url: str):
    """An AUTOCOMMIT engine on the server's `postgres` database (to create and drop)."""
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def drop_postgres(url: str) -> None:
    engine = server_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}"'))
    finally:
        engine.dispose()


def copy_database(source: str, suffix: str) -> str:
    """Copy the database at `source` to a new one named with `suffix`; return its URL."""
    parsed = make_url(source)
    if is_sqlite(source):
        path = Path(parsed.database)
        target = path.with_name(f"{path.stem}-{suffix}{path.suffix}")
        remove_sqlite(target)
        with sqlite3.connect(path) as original, sqlite3.connect(target) as copy:
            original.backup(copy)
        target.chmod(0o600)
        return f"sqlite:///{target}"
    name = f"{parsed.database}_{suffix}"
    if not DATABASE_NAME.match(name):
        raise Refused(f"Cannot make a database named {name!r}.")
    target = parsed.set(database=name).render_as_string(hide_password=False)
    drop_postgres(target)
    create = text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"')
    engine = server_engine(source)
    deadline = time.monotonic() + CEILING_SECONDS
    try:
        with engine.connect() as connection:
            while True:
                try:
                    connection.execute(create)
                    break
                except OperationalError:  # the template in use: autovacuum after a seed,
                    if time.monotonic() > deadline:  # or an engine of ours not yet collected
                        raise
                    gc.collect()
                    time.sleep(1)
    finally:
        engine.dispose()
    return target


def add_expired_notices(url: str, rows: int, now: datetime) -> None:
    """Leave `rows` unread notices, sent SENT_DAYS_AGO days before `now`, spread over the
    members, as `notify` would; then fold SQLite's log in, or let PostgreSQL count the
    table (as autovacuum would soon after)."""
    app = create_app(HarnessConfig(url))
    with app.app_context():
        members = list(db.session.scalars(select(Account.id).where(Account.role == "member")))
        sent = now - timedelta(days=SENT_DAYS_AGO)
        for start in range(0, rows, CHUNK):
            db.session.execute(
                insert(Notice),
                [
                    {
                        "account_id": members[n % len(members)],
                        "kind": "waitlist_promoted",
                        "params": {"title": f"Tuesday peer circle {n % 97}"},
                        "link": f"/events/{n % 500 + 1}",
                        "created_at": sent,
                    }
                    for n in range(start, min(start + CHUNK, rows))
                ],
            )
            db.session.commit()
        db.engine.dispose()
    if is_sqlite(url):
        with sqlite3.connect(make_url(url).database) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text("VACUUM ANALYZE notices"))
        finally:
            engine.dispose()


def make_copies(source: str, rows: int, now: datetime) -> Copies:
    """Copy the seeded database, add the expired notices, and copy that once more."""
    purged = copy_database(source, "purged")
    try:
        add_expired_notices(purged, rows, now)
        quiet = copy_database(purged, "quiet")
    except BaseException:
        Copies(purged, purged).remove()
        raise
    return Copies(purged, quiet)
