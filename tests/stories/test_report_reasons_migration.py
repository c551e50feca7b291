"""Migration 0021: the reasons of reports move to the new set ("It could identify someone"
becomes private details, "hurtful or unsafe" harassment or hate, "not a true story" something
else, kept open for a mentor), and the log gains the warnings a mentor adds. Downgrade
moves them back as far as the old reasons can say, and deletes the notices the old code
cannot word."""

import re
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from advocacy import create_app
from advocacy.extensions import db
from tests.conftest import make_config
from tests.reports.test_backfill import put
from tests.support.database import scratch_url as scratch_url  # noqa: PLC0414 (the fixture)

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
REVISION = "0021_report_reasons"
# The revisions it comes after (one, or the heads it joins), as the migration says.
MIGRATION = next(Path(__file__).parents[2].glob(f"migrations/versions/*{REVISION[4:]}.py"))
SOURCE = MIGRATION.read_text()
PARENTS = re.findall(r'"([^"]+)"', re.search(r"^down_revision = (.*)$", SOURCE, re.M)[1])
# reporter pseudonym -> (category at 0017, resolved, outcome)
AT_0017 = {
    "r-identifies": ("identifies", False, None),
    "r-harmful": ("harmful", True, "kept"),
    "r-not-true": ("not_true", False, None),
    "r-warning": ("missing_warning", False, None),
    "r-other": ("other", True, "removed"),
}
AT_0018 = {
    "r-identifies": "private_details",
    "r-harmful": "harassment",
    "r-not-true": "other",  # still open: a mentor decides, never a migration
    "r-warning": "missing_warning",
    "r-other": "other",
}


def categories(connection) -> dict[str, tuple[str, str | None, bool]]:
    rows = connection.execute(
        text(
            "SELECT a.pseudonym, r.category, r.outcome, r.resolved_at IS NOT NULL"
            " FROM story_reports r JOIN accounts a ON a.id = r.reporter_id"
        )
    )
    return {name: (category, outcome, bool(resolved)) for name, category, outcome, resolved in rows}


def test_upgrade_moves_each_reason_and_downgrade_moves_them_back(scratch_url):
    app = create_app(make_config(scratch_url))
    with app.app_context():
        for parent in PARENTS:  # the schema just before this migration
            upgrade(revision=parent)
        tables = db.MetaData()
        tables.reflect(bind=db.engine)

        def account(name: str) -> int:
            return put(
                tables, "accounts", pseudonym=name, pseudonym_key=name, password_hash="x",
                role="member", created_at=NOW,
            )  # fmt: skip

        author = account("author")
        story = put(
            tables, "stories", author_id=author, title="A story", body="Words.",
            status="published", created_at=NOW, updated_at=NOW, published_at=NOW,
        )  # fmt: skip
        for name, (category, resolved, outcome) in AT_0017.items():
            put(
                tables, "story_reports", story_id=story, reporter_id=account(name),
                category=category, created_at=NOW, resolved_at=NOW if resolved else None,
                outcome=outcome,
            )  # fmt: skip
        db.session.commit()

        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            assert {k: v[0] for k, v in categories(connection).items()} == AT_0018
            # Nothing is decided by the migration: open reports stay open.
            assert {k: v[1:] for k, v in categories(connection).items()} == {
                name: (outcome, resolved) for name, (_, resolved, outcome) in AT_0017.items()
            }
        columns = {c["name"] for c in inspect(db.engine).get_columns("moderation_entries")}
        assert "warnings" in columns

        # Rows only the new code writes, then back down.
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE story_reports SET category = 'spam', outcome = 'warning_added'"
                    " WHERE reporter_id = (SELECT id FROM accounts WHERE pseudonym = 'r-other')"
                )
            )
            connection.execute(
                text(
                    "UPDATE story_reports SET outcome = 'changes_requested'"
                    " WHERE reporter_id = (SELECT id FROM accounts WHERE pseudonym = 'r-harmful')"
                )
            )
            for kind in ("story_taken_down", "report_outcome_kept", "story_warning_added"):
                connection.execute(
                    text(
                        "INSERT INTO notices (account_id, kind, params, created_at)"
                        " VALUES (:account, :kind, '{}', :now)"
                    ),
                    {"account": author, "kind": kind, "now": NOW},
                )
        downgrade(revision=PARENTS[0])
        with db.engine.connect() as connection:
            assert categories(connection) == {
                "r-identifies": ("identifies", None, False),
                "r-harmful": ("harmful", "kept", True),
                "r-not-true": ("other", None, False),  # cannot be told apart any more
                "r-warning": ("missing_warning", None, False),
                "r-other": ("other", "kept", True),
            }
            kinds = connection.execute(text("SELECT kind FROM notices")).scalars().all()
            assert kinds == ["report_outcome_kept"]
        columns = {c["name"] for c in inspect(db.engine).get_columns("moderation_entries")}
        assert "warnings" not in columns
        db.engine.dispose()
