"""Migration 0008: existing accounts get look-alike keys; the newer of two look-alikes
gets a key no typed name reaches."""

from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from advocacy import create_app
from advocacy.extensions import db
from tests.conftest import make_config
from tests.support.database import scratch_url as scratch_url  # noqa: PLC0414 (the fixture)

# (id, pseudonym, key before 0008) in order of joining; keys written from each rule.
BEFORE = [
    (1, "demo-mentor", "demo-mentor"),
    (2, "demo-m\u0435ntor", "demo-m\u0435ntor"),
    (3, "Quiet Fern", "quiet fern"),
    (4, "quiet_fern", "quiet_fern"),
    (5, "river", "river"),
]
AFTER = {1: "demo-mentor", 2: "demo-mentor#2", 3: "qulet-fem", 4: "qulet-fem#4", 5: "rlver"}


def keys(connection) -> dict[int, str]:
    rows = connection.execute(text("SELECT id, pseudonym_key FROM accounts ORDER BY id"))
    return dict(rows.all())


def test_upgrade_rekeys_accounts_and_marks_the_newer_look_alike(scratch_url, capsys):
    app = create_app(make_config(scratch_url))
    with app.app_context():
        upgrade(revision="0007_account_safety")
        with db.engine.begin() as connection:
            for account_id, pseudonym, key in BEFORE:
                connection.execute(
                    text(
                        "INSERT INTO accounts (id, pseudonym, pseudonym_key, password_hash, role,"
                        " session_token, is_discreet, created_at)"
                        " VALUES (:id, :pseudonym, :key, 'x', 'member', :token, false, :now)"
                    ),
                    {
                        "id": account_id,
                        "pseudonym": pseudonym,
                        "key": key,
                        "token": f"token-{account_id}",
                        "now": datetime(2026, 1, account_id, tzinfo=UTC),
                    },
                )
        upgrade()
        with db.engine.connect() as connection:
            assert keys(connection) == AFTER
        printed = capsys.readouterr().out
        assert "0008: 2 look-alike account(s)" in printed
        assert "mentor" not in printed
        assert "fern" not in printed.casefold()

        downgrade(revision="0007_account_safety")
        with db.engine.connect() as connection:
            assert keys(connection) == {account_id: key for account_id, _, key in BEFORE}
        db.engine.dispose()
