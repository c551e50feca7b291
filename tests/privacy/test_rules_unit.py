"""The privacy machinery one function at a time: registry, batches, purge loop, pauses, backup.

test_purge.py proves the retention rules end to end; these focused tests pin the parts
every domain relies on: a registered holder or purger is kept as given, an account's
deletion gives each domain the member's choice (or its default), a batch deletes at
most its size, lowest ids first, claiming rows with SKIP LOCKED, the purge loop runs
until a batch comes back short, rests between batches on SQLite only, and a backup is
a private (0600) copy that never overwrites a file. Expected values come from DESIGN
§4 and §7, written here as literals.
"""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert, select

from advocacy import clock
from advocacy.accounts.models import RetiredName
from advocacy.extensions import db
from advocacy.privacy import registry, services
from advocacy.privacy.registry import DeletionChoice, Held
from tests.conftest import ON_POSTGRES
from tests.support.purge import spy_on_reads

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.fixture
def own_registry(monkeypatch):
    """Empty holders, purgers and handovers for one test; the real ones come back afterwards."""
    monkeypatch.setattr(registry, "_holders", {})
    monkeypatch.setattr(registry, "_purgers", {})
    monkeypatch.setattr(registry, "_handovers", [])


def nothing(*_args) -> None:
    """An export, delete or summary that does nothing."""


# Registering


def test_a_holder_is_kept_as_registered_and_replaced_by_name(own_registry):
    def export(_account):
        return ["row"]

    def summary(_account):
        return [Held("Notes", 2, "in 30 days")]

    choice = DeletionChoice("keep", "Keep them?", (("yes", "Yes"), ("no", "No")), "no")
    registry.register("first", export=nothing, delete=nothing)
    registry.register("notes", export=export, delete=nothing, summary=summary, choice=choice)

    first, notes = registry.holders()
    assert (first.name, first.export, first.delete) == ("first", nothing, nothing)
    assert (first.summary, first.choice) == (None, None)
    assert (notes.name, notes.export, notes.delete) == ("notes", export, nothing)
    assert (notes.summary, notes.choice) == (summary, choice)
    assert registry.deletion_choices() == [choice]
    assert registry.summarize_account("anyone") == [Held("Notes", 2, "in 30 days")]

    registry.register("first", export=export, delete=nothing)
    assert [holder.name for holder in registry.holders()] == ["first", "notes"]
    assert registry.holders()[0].export is export


def test_a_purger_is_kept_as_registered_and_replaced_by_name(own_registry):
    def count(_now, _days):
        return 0

    def batch(_now, _days, _size):
        return 0

    registry.register_purger("log", "admin log entries", count=count, batch=batch)
    registry.register_purger("rsvp", "RSVPs", count=count, batch=batch, max_batch=7)

    logs, rsvps = registry.purgers()
    assert (logs.kind, logs.name, logs.count, logs.batch) == (
        "log",
        "admin log entries",
        count,
        batch,
    )
    assert logs.max_batch is None
    assert (rsvps.kind, rsvps.name, rsvps.max_batch) == ("rsvp", "RSVPs", 7)

    registry.register_purger("log", "admin log entries", count=count, batch=batch, max_batch=3)
    assert [(p.name, p.max_batch) for p in registry.purgers()] == [
        ("admin log entries", 3),
        ("RSVPs", 7),
    ]


def test_export_is_stamped_with_the_moment_and_holds_every_domain(own_registry):
    registry.register("notes", export=lambda account: [f"note of {account}"], delete=nothing)
    assert registry.export_account("fern", now=NOW) == {
        "exported_at": "2026-11-27T12:00:00+00:00",
        "notes": ["note of fern"],
    }


# Deleting an account


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        (None, "anonymous"),
        ({}, "anonymous"),
        ({"other": "x"}, "anonymous"),
        ({"keep": "delete"}, "delete"),
    ],
)
def test_deletion_gives_each_domain_the_choice_or_its_default(app, own_registry, choices, expected):
    calls = []
    choice = DeletionChoice(
        "keep", "Stories", (("anonymous", "Keep"), ("delete", "Delete")), "anonymous"
    )
    registry.register(
        "plain", export=nothing, delete=lambda account: calls.append(("plain", account))
    )
    registry.register(
        "stories",
        export=nothing,
        delete=lambda account, chosen: calls.append(("stories", account, chosen)),
        choice=choice,
    )
    with app.app_context():
        registry.delete_account("fern", choices)
    # Reverse order of registration: later domains may hang off earlier ones.
    assert calls == [("stories", "fern", expected), ("plain", "fern")]


def test_handovers_run_before_any_domain_deletes_with_the_time_and_who_removes(
    app, own_registry, monkeypatch
):
    calls = []
    clock_says = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: clock_says)
    registry.register("plain", export=nothing, delete=lambda account: calls.append(("plain",)))
    registry.register_handover(lambda account, now, by: calls.append(("handover", now, by)))
    registry.register_handover(registry._handovers[0])  # registered once only
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    with app.app_context():
        registry.delete_account("fern", now=now, by="wren")
        registry.delete_account("fern", now=now)
        registry.delete_account("fern")  # without a time: the clock's
    assert calls == [
        ("handover", now, "wren"),
        ("plain",),
        ("handover", now, None),
        ("plain",),
        ("handover", clock_says, None),
        ("plain",),
    ]


# One batch


def retired_names(app, count: int) -> list[int]:
    """Insert expired retired names whose ids run opposite to their (indexed) expiry."""
    with app.app_context():
        rows = [
            {"key_hash": f"{n:064x}", "retired_until": NOW - timedelta(days=n + 1)}
            for n in range(count)
        ]
        db.session.execute(insert(RetiredName), rows)
        db.session.commit()
        return list(db.session.scalars(select(RetiredName.id).order_by(RetiredName.id)))


def test_a_batch_deletes_at_most_its_size_lowest_ids_first(app):
    ids = retired_names(app, 5)
    with app.app_context():
        expired = RetiredName.retired_until < NOW
        assert registry.count_where(RetiredName, expired) == 5
        assert registry.delete_batch(RetiredName, expired, 2) == ids[:2]
        db.session.commit()
        left = list(db.session.scalars(select(RetiredName.id).order_by(RetiredName.id)))
        assert left == ids[2:]
        assert registry.delete_batch(RetiredName, expired, 10) == ids[2:]
        assert registry.delete_batch(RetiredName, expired, 10) == []
        assert registry.count_where(RetiredName, expired) == 0


def test_a_batch_claims_its_rows_skipping_locked_ones(app, monkeypatch):
    """On PostgreSQL two purges never take the same rows: FOR UPDATE SKIP LOCKED."""
    retired_names(app, 1)
    with app.app_context():
        claimed = spy_on_reads(monkeypatch)
        registry.delete_batch(RetiredName, RetiredName.retired_until < NOW, 1)
    assert len(claimed) == 1
    assert claimed[0].endswith("FOR UPDATE SKIP LOCKED")


# The purge loop


class FakePurger:
    """Deletes `pending` rows, at most `size` a call, and records each call's arguments."""

    def __init__(self, pending: int) -> None:
        self.pending = pending
        self.calls: list[tuple] = []

    def batch(self, now, days, size) -> int:
        self.calls.append((now, days, size))
        deleted = min(self.pending, size)
        self.pending -= deleted
        return deleted

    def count(self, now, days) -> int:
        self.calls.append((now, days))
        return self.pending


def test_purge_runs_batches_of_the_size_until_one_comes_back_short(app, own_registry, monkeypatch):
    logs, rsvps = FakePurger(5), FakePurger(4)
    registry.register_purger("log", "logs", count=logs.count, batch=logs.batch)
    registry.register_purger("rsvp", "rsvps", count=rsvps.count, batch=rsvps.batch, max_batch=3)
    erased = []
    monkeypatch.setattr(services, "erase_traces", lambda: erased.append(True))
    with app.app_context():
        assert services.purge(NOW, batch_size=2) == {"logs": 5, "rsvps": 4}
    # Logs are kept 180 days, RSVPs 30 (DESIGN §4); a full batch means "maybe more".
    assert logs.calls == [(NOW, 180, 2)] * 3
    assert rsvps.calls == [(NOW, 30, 2)] * 3
    assert erased == [True]


def test_purge_batches_are_capped_by_the_purgers_own_limit(app, own_registry, monkeypatch):
    rsvps = FakePurger(4)
    registry.register_purger("rsvp", "rsvps", count=rsvps.count, batch=rsvps.batch, max_batch=3)
    monkeypatch.setattr(services, "erase_traces", lambda: None)
    with app.app_context():
        assert services.purge(NOW) == {"rsvps": 4}
    assert rsvps.calls == [(NOW, 30, 3), (NOW, 30, 3)]


def test_a_dry_run_only_counts_and_erases_nothing(app, own_registry, monkeypatch):
    logs = FakePurger(5)
    registry.register_purger("log", "logs", count=logs.count, batch=logs.batch)
    erased = []
    monkeypatch.setattr(services, "erase_traces", lambda: erased.append(True))
    with app.app_context():
        assert services.purge(NOW, dry_run=True) == {"logs": 5}
    assert logs.calls == [(NOW, 180)]
    assert logs.pending == 5
    assert erased == []


@pytest.mark.parametrize("app_overrides", [{"PURGE_PAUSE_MS": 250}])
def test_the_purge_rests_between_batches_on_sqlite_only(app, monkeypatch):
    """SQLite locks the whole file, so members' writes get a turn; PostgreSQL locks rows."""
    pauses = []
    monkeypatch.setattr(services.time, "sleep", pauses.append)
    with app.app_context():
        services.pause_for_other_writers()
    assert pauses == ([] if ON_POSTGRES else [0.25])


# Backups


@pytest.mark.sqlite_only
def test_a_backup_is_a_private_copy_of_the_database(app, tmp_path):
    target = tmp_path / "copy.sqlite3"
    retired_names(app, 2)
    with app.app_context():
        services.backup_sqlite(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM retired_names").fetchone() == (2,)


@pytest.mark.sqlite_only
def test_a_backup_never_overwrites_a_file(app, tmp_path):
    target = tmp_path / "taken.sqlite3"
    target.write_bytes(b"someone else's file")
    with app.app_context(), pytest.raises(FileExistsError):
        services.backup_sqlite(target)
    assert target.read_bytes() == b"someone else's file"


def test_a_backup_is_refused_on_postgresql(app, tmp_path, monkeypatch):
    target = tmp_path / "copy.sqlite3"
    with app.app_context():
        if not ON_POSTGRES:
            monkeypatch.setattr(db.engine.dialect, "name", "postgresql")
        with pytest.raises(RuntimeError) as refused:
            services.backup_sqlite(target)
    assert str(refused.value) == "flask privacy backup is for SQLite; use pg_dump for PostgreSQL"
    assert not target.exists()


# The write-ahead log


@pytest.mark.sqlite_only
def test_a_busy_reader_leaves_the_log_for_the_next_purge_and_says_so(app, database_file, caplog):
    """A reader on an old snapshot keeps the -wal file; the purge warns, never fails."""
    with app.app_context():
        # Fail at once instead of waiting 10 s for the reader (the app's busy_timeout).
        event.listen(
            db.engine, "connect", lambda connection, _: connection.execute("PRAGMA busy_timeout=0")
        )
        db.engine.dispose()
    retired_names(app, 1)
    wal = database_file.with_name(f"{database_file.name}-wal")
    reader = sqlite3.connect(database_file, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM retired_names").fetchone()
        with app.app_context():
            services.erase_traces()
        assert caplog.messages == ["write-ahead log not truncated yet: a reader was busy"]
        assert wal.stat().st_size > 0
    finally:
        reader.close()
    caplog.clear()
    with app.app_context():
        services.erase_traces()
    assert caplog.messages == []
    assert wal.stat().st_size == 0
