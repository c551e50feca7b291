"""Migration 0025: a role change's audit detail reads as words ("staff to member", never
"staff -> member"), for the entries written before it too; no other entry changes.
Downgrade gives the arrow back.

Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from advocacy import create_app
from advocacy.extensions import db
from tests.conftest import make_config
from tests.support.database import scratch_url as scratch_url  # noqa: PLC0414 (the fixture)

BEFORE, AFTER = "0024_occurrences_of_a_series", "0025_role_changes_in_words"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
# (action, detail as written before) -> the detail after the migration
WORDED = {
    ("role_changed", "staff -> member"): "staff to member",
    ("role_changed", "member -> mentor"): "member to mentor",
    # Not a role change: left as it was, whatever it holds.
    ("hosts_removed", "2 programs -> 1 event"): "2 programs -> 1 event",
    ("posting_stopped", "7 days"): "7 days",
}


def details(connection) -> list[str]:
    rows = connection.execute(text("SELECT detail FROM audit_entries ORDER BY id"))
    return [detail for (detail,) in rows]


def test_role_changes_read_as_words_after_and_with_an_arrow_after_downgrade(scratch_url):
    app = create_app(make_config(scratch_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for action, detail in WORDED:
                connection.execute(
                    text(
                        "INSERT INTO audit_entries (action, detail, created_at)"
                        " VALUES (:action, :detail, :now)"
                    ),
                    {"action": action, "detail": detail, "now": NOW},
                )
        upgrade(revision=AFTER)
        with db.engine.connect() as connection:
            assert details(connection) == list(WORDED.values())
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert details(connection) == [detail for _, detail in WORDED]
        db.engine.dispose()
