"""Migration 0018: existing notices about a story are tied to it (notices.story_id), those
naming a story no longer there are deleted, the rest are left as they were; on SQLite the
tables whose ids a link carries are made anew with AUTOINCREMENT, every row kept, and the
next id follows the largest one they held. Downgrade drops the column and AUTOINCREMENT,
keeping every row.

Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL (AUTOINCREMENT: SQLite only).
"""

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import JSON, Integer, String, column, inspect, select, table, text

from advocacy import create_app
from advocacy.extensions import db
from tests.conftest import make_config
from tests.support.database import scratch_url as scratch_url  # noqa: PLC0414 (the fixture)

BEFORE, AFTER = "0017_recurrence_rules", "0018_ids_never_reused"
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
AUTHOR, READER = 1, 2
ACCOUNTS = {AUTHOR: "river-member", READER: "cedar-member", 3: "maple-staff"}
# id -> (author, working title, published title)
STORIES = {
    10: (AUTHOR, "Morning light", "Morning light"),
    11: (AUTHOR, "Not this one", None),
    12: (AUTHOR, "New title", None),
}
# id -> (account, kind, link, title or None, the story it is tied to, or GONE)
GONE = "deleted"
NOTICES = {
    100: (AUTHOR, "story_approved", "/stories/10", "Morning light", 10),
    101: (AUTHOR, "story_changes_requested", "/stories/10/edit", "Morning light", 10),
    # "Not published" notices name their story by its title only.
    102: (AUTHOR, "story_declined", "/stories/mine", "Not this one", 11),
    # A title no story of the author's has (now "New title"): the version it names is gone.
    103: (AUTHOR, "story_declined", "/stories/mine", "Old title", GONE),
    # A story withdrawn before the migration: its title stayed behind in the notice.
    104: (AUTHOR, "story_approved", "/stories/99", "Withdrawn story", GONE),
    105: (READER, "report_outcome_kept", "/stories/10", None, 10),
    # A link to an id that a later story could get: deleted.
    106: (READER, "report_outcome_kept", "/stories/99", None, GONE),
    # Names no story: left as it is.
    107: (READER, "report_outcome_removed", None, None, None),
    108: (READER, "enrollment_confirmed", "/programs/10", "Healing", None),
    # Another member's "not published" of the same title is not about the author's story.
    109: (READER, "story_declined", "/stories/mine", "Not this one", GONE),
}

stories = table(
    "stories",
    *(column(name, Integer) for name in ("id", "author_id", "html_version")),
    *(column(name, String) for name in ("title", "published_title", "body", "audience")),
    *(column(name, String) for name in ("warning_note", "status", "review_note")),
    column("warnings", JSON),
    column("is_anonymous"),
    column("created_at"),
    column("updated_at"),
)
notices = table(
    "notices",
    column("id", Integer),
    column("account_id", Integer),
    column("kind", String),
    column("params", JSON),
    column("link", String),
    column("created_at"),
    column("story_id", Integer),
)


def a_story(**fields):
    """The INSERT of a story with `fields` (a draft unless they say otherwise)."""
    defaults = {
        "body": "Words.",
        "warnings": [],
        "warning_note": "",
        "audience": "members",
        "is_anonymous": False,
        "status": "draft",
        "review_note": "",
        "created_at": NOW,
        "updated_at": NOW,
    }
    return stories.insert().values(defaults | fields)


def insert_rows(connection) -> None:
    for account_id, pseudonym in ACCOUNTS.items():
        connection.execute(
            text(
                "INSERT INTO accounts (id, pseudonym, pseudonym_key, password_hash, role,"
                " session_token, is_discreet, created_at)"
                " VALUES (:id, :pseudonym, :pseudonym, 'x', 'member', :token, false, :now)"
            ),
            {"id": account_id, "pseudonym": pseudonym, "token": f"t{account_id}", "now": NOW},
        )
    for story_id, (author, title, published) in STORIES.items():
        connection.execute(
            a_story(
                id=story_id,
                author_id=author,
                title=title,
                published_title=published,
                status="published" if published else "declined",
            )
        )
    for notice_id, (account, kind, link, title, _tied) in NOTICES.items():
        params = {"title": title} if title else {}
        connection.execute(
            notices.insert().values(
                id=notice_id,
                account_id=account,
                kind=kind,
                params=params,
                link=link,
                created_at=NOW,
            )
        )


@pytest.fixture
def migrated(scratch_url):
    """An app whose database held the rows above at 0017 and was then upgraded."""
    app = create_app(make_config(scratch_url))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            insert_rows(connection)
        upgrade(revision=AFTER)
        yield app
        db.engine.dispose()


def test_notices_about_a_story_are_tied_to_it_those_about_a_gone_story_deleted(migrated):
    with db.engine.connect() as connection:
        tied = dict(connection.execute(select(notices.c.id, notices.c.story_id)).all())
        kinds = dict(connection.execute(select(notices.c.id, notices.c.kind)).all())
    expected = {notice_id: story for notice_id, (*_, story) in NOTICES.items() if story != GONE}
    assert tied == expected
    assert sorted(set(NOTICES) - set(tied)) == [103, 104, 106, 109]
    assert kinds == {notice_id: NOTICES[notice_id][1] for notice_id in expected}

    # A story deleted after the migration takes its notices with it.
    with db.engine.begin() as connection:
        connection.execute(stories.delete().where(stories.c.id == 10))
    with db.engine.connect() as connection:
        left = set(connection.execute(select(notices.c.id)).scalars())
    assert left == {102, 107, 108}


def sqlite_tables(connection) -> dict[str, str]:
    rows = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    return dict(rows.all())


@pytest.mark.sqlite_only
def test_on_sqlite_the_tables_are_made_anew_never_reusing_ids_with_every_row(migrated):
    with db.engine.begin() as connection:
        made = sqlite_tables(connection)
        never_reused = {name for name, sql in made.items() if "AUTOINCREMENT" in sql}
        assert never_reused == {
            "accounts",
            "enrollments",
            "events",
            "invites",
            "notices",
            "occurrences",
            "programs",
            "reset_codes",
            "stories",
        }
        for name, rows in {"accounts": 3, "notices": 6, "stories": 3}.items():
            counted = connection.execute(text(f"SELECT count(*) FROM {name}")).scalar()  # noqa: S608
            assert (name, counted) == (name, rows)
        # The next story follows the largest id held, even once that story is gone.
        connection.execute(stories.delete().where(stories.c.id == 12))
        connection.execute(a_story(author_id=READER, title="Someone's next story"))
        assert connection.execute(select(stories.c.id).order_by(stories.c.id)).scalars().all() == [
            10,
            11,
            13,
        ]


def test_downgrade_drops_the_tie_and_keeps_every_row(migrated):
    downgrade(revision=BEFORE)
    columns = {c["name"] for c in inspect(db.engine).get_columns("notices")}
    assert "story_id" not in columns
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notices")).scalar() == 6
        assert connection.execute(text("SELECT count(*) FROM stories")).scalar() == 3
        if connection.dialect.name == "sqlite":
            assert not [sql for sql in sqlite_tables(connection).values() if "AUTOINCREMENT" in sql]
    upgrade(revision=AFTER)
