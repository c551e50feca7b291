"""Migration 0026: a hand-over that happened by itself (no actor, an admin taking over)
becomes "hosts_handed_over"; one by the admin who removed the account stays
"hosts_taken_over"; one whose actor and admin are both gone cannot be told apart and
stays too, as do other actions. Downgrade gives back the one action.

Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from advocacy import create_app
from advocacy.extensions import db
from tests.conftest import make_config
from tests.reports.test_backfill import put
from tests.support.database import scratch_url as scratch_url  # noqa: PLC0414 (the fixture)

BEFORE, AFTER = "0025_role_changes_in_words", "0026_hosts_handed_over"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ADMIN = "the admin"  # an account that is still there


def actions(connection) -> list[str]:
    return [a for (a,) in connection.execute(text("SELECT action FROM audit_entries ORDER BY id"))]


def test_hand_overs_by_nobody_get_their_own_action_and_downgrade_gives_it_back(scratch_url):
    app = create_app(make_config(scratch_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        tables = db.MetaData()
        tables.reflect(bind=db.engine)
        admin = put(
            tables, "accounts", pseudonym="wren-admin", pseudonym_key="wren-admin",
            password_hash="x", role="admin", created_at=NOW,
        )  # fmt: skip
        # (actor, action, target) -> the action after the migration
        rows = {
            (None, "hosts_taken_over", admin): "hosts_handed_over",  # by itself
            (admin, "hosts_taken_over", admin): "hosts_taken_over",  # by the remover
            (None, "hosts_taken_over", None): "hosts_taken_over",  # both gone: unknown
            (None, "hosts_left_unstaffed", None): "hosts_left_unstaffed",
            (None, "account_removed", admin): "account_removed",
        }
        for actor, action, target in rows:
            put(
                tables, "audit_entries", actor_id=actor, action=action, target_id=target,
                detail="1 program", created_at=NOW,
            )  # fmt: skip
        db.session.commit()
        upgrade(revision=AFTER)
        with db.engine.connect() as connection:
            assert actions(connection) == list(rows.values())
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert actions(connection) == [action for _, action, _ in rows]
        db.engine.dispose()
