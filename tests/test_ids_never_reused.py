"""An id that a link can carry is never given to another row (issue 15, item 4).

A link kept anywhere (a notice, a bookmark, a calendar's UID, a browser's history, an
export) names a row by its id. SQLite, without AUTOINCREMENT, gives a new row the largest
id in use plus one: delete the newest story and the next story written gets its id, so an
old link opens someone else's story. PostgreSQL's sequences never go back. So every table
whose id an address carries (each `<int:…>` in the route table) or a calendar names (the
series' UID is made from the event's id) never reuses one, on both.

The behaviour is checked on a copy of a real row of each table: the newest row is deleted
and written again without its id; it must get a larger one. On SQLite the migrated schema
says AUTOINCREMENT for exactly these tables (tests/test_schema.py compares it with the
models).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from advocacy.accounts import invites
from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.notices.services import notify
from advocacy.programs import services as programs
from advocacy.programs import sessions
from advocacy.staff import services as staff
from advocacy.stories import services as stories
from tests.support.accounts import make_account
from tests.support.events import make_event
from tests.support.help import make_resource
from tests.support.programs import make_program
from tests.support.stories import make_story

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

# Each id an address carries, and the table it names.
ADDRESS_IDS = {
    "account_id": "accounts",
    "code_id": "reset_codes",
    "enrollment_id": "enrollments",
    "invite_id": "invites",
    "notice_id": "notices",
    "occurrence_id": "occurrences",
    "program_id": "programs",
    "resource_id": "help_resources",
    "session_id": "program_sessions",
    "story_id": "stories",
}
# Ids a calendar file names: a series' UID is made from its event's id.
CALENDAR_IDS = {"events"}
NEVER_REUSED = sorted(set(ADDRESS_IDS.values()) | CALENDAR_IDS)


def test_every_id_in_an_address_names_a_table_listed_here(app):
    ids = app.url_map.converters["int"]
    found = {
        argument
        for rule in app.url_map.iter_rules()
        for argument, converter in rule._converters.items()
        if isinstance(converter, ids)
    }
    assert found, "no id found in the route table: the walk is broken"
    assert found == set(ADDRESS_IDS), (
        "an address carries an id of a table not named here: add it to ADDRESS_IDS, give "
        "its model sqlite_autoincrement=True, and rebuild the table in a migration"
    )


def test_the_models_say_autoincrement_for_each_of_those_tables():
    says = {
        table.name
        for table in db.metadata.sorted_tables
        if table.dialect_options["sqlite"]["autoincrement"]
    }
    assert says >= set(NEVER_REUSED)


def one_of_each(app) -> None:
    """At least one row in each of those tables, made through the services."""
    admin = make_account(app, "wren-admin", role=Role.ADMIN)
    member = make_account(app, "river-member")
    staff_member = make_account(app, "maple-staff", role=Role.STAFF)
    make_story(app, member.id, title="Morning light", now=NOW)
    make_event(app, staff_member.id, now=NOW)
    make_resource(app)
    program = make_program(app, staff_member.id, now=NOW)
    with app.app_context():
        account = db.session.get(Account, member.id)
        programs.enroll(account, program.id, now=NOW)
        sessions.add_session(
            program.id, sessions.SessionDetails("Arriving", "Breathe.", "", None), now=NOW
        )
        notify(member.id, "password_changed", now=NOW)
        by_admin = db.session.get(Account, admin.id)
        invites.create_invite(
            role=Role.MEMBER, uses=1, expires_in=timedelta(days=7), now=NOW, inviter=by_admin
        )
        staff.issue_reset_code(by_admin, member.pseudonym, now=NOW, hours=24)
        db.session.commit()


@pytest.mark.parametrize("table_name", NEVER_REUSED)
def test_a_row_written_after_the_newest_is_deleted_gets_a_larger_id(app, table_name):
    one_of_each(app)
    table = db.metadata.tables[table_name]
    with app.app_context(), db.engine.begin() as connection:
        newest = (
            connection.execute(select(table).order_by(table.c.id.desc()).limit(1)).mappings().one()
        )
        connection.execute(table.delete().where(table.c.id == newest["id"]))
        again = connection.execute(
            table.insert().values({k: v for k, v in newest.items() if k != "id"})
        ).inserted_primary_key[0]
    assert again > newest["id"]


def test_a_story_written_after_one_is_withdrawn_never_opens_at_the_old_address(app, client, auth):
    author = make_account(app, "river-member")
    reader = make_account(app, "cedar-member")
    first = make_story(app, author.id, title="Morning light", now=NOW)
    with app.app_context():
        stories.withdraw(db.session.get(Account, author.id), first)
        db.session.commit()
    second = make_story(app, reader.id, title="Someone else's story", now=NOW)
    assert second > first
    auth.login(author)
    assert client.get(f"/stories/{first}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(stories.Story.id).where(stories.Story.id == first)) is None
