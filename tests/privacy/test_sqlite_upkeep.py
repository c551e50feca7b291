"""What the purge asks of SQLite, seen from outside (issue 17; privacy/services.py):

- between batches, the write-ahead log is folded (a checkpoint that waits at most
  PURGE_CHECKPOINT_WAIT_MS for readers) once the -wal file holds fold_log_at(database)
  bytes: at exactly that size, never a byte before; never for an in-memory database or
  on PostgreSQL, whatever files lie about under those names;
- a checkpoint that waited less than usual gives the connection the app's own busy
  timeout (SQLITE_BUSY_TIMEOUT_MS) back, so members' requests wait as long as before;
- after the purge the planner's statistics are updated with at most 1,000 rows read per
  index: `PRAGMA optimize=0x10002` from SQLite 3.46, `ANALYZE` before it; a SQLite built
  with STAT4 (which keeps sample rows, that could outlive them) is asked nothing more.

Expected sizes and statements are literals from those rules; the SQL is compared without
regard to case, as SQLite reads it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from advocacy.extensions import db
from advocacy.privacy import services

pytestmark = pytest.mark.parametrize(
    "app_overrides", [{"PURGE_CHECKPOINT_WAIT_MS": 125, "SQLITE_BUSY_TIMEOUT_MS": 4321}]
)


def sized(path: Path, size: int) -> None:
    path.write_bytes(b"\0" * size)


@pytest.fixture
def folds(app, monkeypatch) -> list:
    """The checkpoints fold_log asks for (each one's wait), none really run."""
    asked: list = []
    monkeypatch.setattr(services, "checkpoint", lambda wait_ms=None: asked.append(wait_ms))
    return asked


def fold_log_for(app, monkeypatch, url: str, dialect: str = "sqlite") -> None:
    """Run fold_log as if the app's database were at `url`, of `dialect`."""
    with app.app_context():
        monkeypatch.setattr(db.engine, "url", make_url(url))
        monkeypatch.setattr(db.engine.dialect, "name", dialect)
        services.fold_log()


@pytest.mark.parametrize(("logged", "expected"), [(499, []), (500, [125]), (501, [125])])
def test_the_log_is_folded_from_exactly_half_the_database(
    app, monkeypatch, tmp_path, folds, logged, expected
):
    database = tmp_path / "site.sqlite3"
    sized(database, 1001)  # half of it, in whole bytes: 500
    sized(tmp_path / "site.sqlite3-wal", logged)
    fold_log_for(app, monkeypatch, f"sqlite:///{database}")
    assert folds == expected


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_never_folded(app, monkeypatch, tmp_path, folds, url):
    monkeypatch.chdir(tmp_path)  # files that only look like one, beside the process
    sized(tmp_path / ":memory:", 1000)
    sized(tmp_path / ":memory:-wal", 1000)
    fold_log_for(app, monkeypatch, url)
    assert folds == []


def test_postgresql_is_never_folded(app, monkeypatch, tmp_path, folds):
    database = tmp_path / "site"
    sized(database, 1000)
    sized(tmp_path / "site-wal", 1000)
    fold_log_for(app, monkeypatch, f"postgresql+psycopg:///{database}", dialect="postgresql")
    assert folds == []


@pytest.mark.sqlite_only
def test_a_checkpoint_that_waited_less_gives_the_busy_timeout_back(app):
    with app.app_context():
        assert services.checkpoint(wait_ms=5) is True
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321


class Spy:
    """The session's connection, recording each statement; `extra` compile options."""

    def __init__(self, connection, extra: tuple[str, ...]) -> None:
        self.connection, self.extra, self.executed = connection, extra, []

    def exec_driver_sql(self, statement: str):
        self.executed.append(statement.upper())
        result = self.connection.exec_driver_sql(statement)
        if statement.upper() != "PRAGMA COMPILE_OPTIONS":
            return result
        return [*result, *((option,) for option in self.extra)]


def optimized(app, monkeypatch, version: tuple[int, int, int], extra=()) -> list[str]:
    """The statements optimize() runs on a SQLite of `version` with `extra` options."""
    monkeypatch.setattr(sqlite3, "sqlite_version_info", version)
    with app.app_context():
        spy = Spy(db.session.connection(), extra)
        monkeypatch.setattr(db.session, "connection", lambda: spy)
        services.optimize()
    return spy.executed


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("version", "last"),
    [
        ((3, 45, 3), "ANALYZE"),
        ((3, 46, 0), "PRAGMA OPTIMIZE=0X10002"),
        ((3, 47, 2), "PRAGMA OPTIMIZE=0X10002"),
        ((4, 0, 0), "PRAGMA OPTIMIZE=0X10002"),
    ],
)
def test_the_statistics_are_updated_reading_at_most_1000_rows_an_index(
    app, monkeypatch, version, last
):
    executed = optimized(app, monkeypatch, version)
    assert executed == ["PRAGMA COMPILE_OPTIONS", "PRAGMA ANALYSIS_LIMIT=1000", last]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("version", [(3, 45, 3), (3, 46, 0)])
def test_a_sqlite_keeping_sample_rows_is_asked_nothing_more(app, monkeypatch, version):
    executed = optimized(app, monkeypatch, version, extra=("ENABLE_STAT4",))
    assert executed == ["PRAGMA COMPILE_OPTIONS"]
