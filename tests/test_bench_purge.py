"""`make bench-purge`'s own parts (bench/purge_data.py, bench/purge_readers.py): the
expired rows it adds are what the purge takes, its copies go afterwards, its settings
refuse what it cannot use, and its table sits beside make bench's. Nothing here is timed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.privacy.services import purge
from bench import purge_data, purge_readers, table
from bench.settings import SettingProblem
from tests.support.accounts import make_account

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def notices(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Notice))


def test_the_expired_notices_are_all_the_purge_takes(app, database_url):
    make_account(app, "river-member")
    make_account(app, "cedar-member")
    purge_data.add_expired_notices(database_url, 45, NOW)
    assert notices(app) == 45
    with app.app_context():
        sent = set(db.session.scalars(select(Notice.created_at)))
        owners = set(db.session.scalars(select(Notice.account_id)))
        assert sent == {NOW - timedelta(days=100)}  # past the 90 days of DESIGN §4
        assert len(owners) == 2  # spread over the members
        assert purge(NOW)["notices"] == 45
    assert notices(app) == 0


@pytest.mark.sqlite_only
def test_the_copies_hold_the_rows_and_go_afterwards(app, database_file, tmp_path):
    source = tmp_path / "bench-scale-1.sqlite3"
    database_file.rename(source)
    seeded = f"sqlite:///{source}"
    copies = purge_data.make_copies(seeded, 0, NOW)
    files = [
        tmp_path / "bench-scale-1-purged.sqlite3",
        tmp_path / "bench-scale-1-purged-quiet.sqlite3",
    ]
    assert [copies.purged, copies.quiet] == [f"sqlite:///{path}" for path in files]
    assert all(path.exists() for path in files)
    copies.remove()
    assert not any(path.exists() for path in files)
    assert source.exists()  # the seeded database is never changed


@pytest.mark.parametrize(
    ("variable", "raw"),
    [("BENCH_PURGE_ROWS", "0"), ("BENCH_PURGE_ROWS", "a lot"), ("BENCH_PURGE_READERS", "999")],
)
def test_settings_refuse_what_cannot_be_used(monkeypatch, variable, raw):
    monkeypatch.setenv(variable, raw)
    with pytest.raises(SettingProblem, match=variable):
        purge_readers.PurgeSettings.from_environment()


def test_settings_read_a_quick_run(monkeypatch):
    monkeypatch.setenv("BENCH_PURGE_ROWS", "100_000")
    assert purge_readers.PurgeSettings.from_environment() == purge_readers.PurgeSettings(
        rows=100_000, readers=4
    )


def test_its_table_sits_beside_make_benchs(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n")
    table.write_readme("sqlite", "pages", readme)
    table.write_readme("sqlite", "purge, first", readme, command="make bench-purge")
    table.write_readme("sqlite", "purge, again", readme, command="make bench-purge")
    text = readme.read_text()
    assert "<!-- make bench: sqlite -->\npages\n<!-- end make bench: sqlite -->" in text
    assert (
        "<!-- make bench-purge: sqlite -->\npurge, again\n<!-- end make bench-purge: sqlite -->"
        in text
    )
    assert "purge, first" not in text
