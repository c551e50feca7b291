"""Migration 0015 counts what the rows kept so far show, so reports start with history.

The rows are written as they stand at 0014 (the tables 0015 leaves alone, as reflected
from the database: later migrations change the models), then `flask db upgrade` runs.
EXPECTED is worked out by hand from the backfill's rules (the migration's
docstring): each row in the month it shows, in the site's time zone (New York).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from advocacy import create_app
from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.conftest import ON_POSTGRES, POSTGRES_URL, make_config
from tests.support.postgres import beside, drop_database, ensure_database
from tests.support.reports import all_counts

OCT, NOV, DEC = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)


def utc(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def scratch_app(tmp_path):
    """An app on an empty database of its own, migrated by the test."""
    if ON_POSTGRES:
        url = beside(POSTGRES_URL, "backfill")
        drop_database(url)
        ensure_database(url)
    else:
        url = f"sqlite:///{tmp_path / 'backfill.sqlite3'}"
    app = create_app(make_config(url))
    yield app
    with app.app_context():
        db.engine.dispose()
    if ON_POSTGRES:
        drop_database(url)


# Columns 0014 requires that today's models fill by default, and one today's models lack.
AT_0014 = {("events", "recurrence"): "none"}


def put(tables: db.MetaData, name: str, **values) -> int:
    """Insert one row into the table `name` as `tables` (reflected from the database: later
    migrations change the models) has it, filling the columns it requires from today's
    model defaults or AT_0014; return its id."""
    table, model = tables.tables[name], db.metadata.tables[name]
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        if column.server_default is not None:
            continue
        default = model.c[column.name].default if column.name in model.c else None
        if default is not None:
            values[column.name] = default.arg(None) if default.is_callable else default.arg
        else:
            values[column.name] = AT_0014[name, column.name]
    return db.session.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()


def rows_before_0015() -> dict[str, int]:
    """Write rows as they stand before counting began; return the program ids."""
    tables = db.MetaData()
    tables.reflect(bind=db.engine)  # before any write: on SQLite it would wait for the lock
    a1, a2, a3 = (
        put(tables, "accounts", pseudonym=name, pseudonym_key=name, password_hash="x",
            role="member", created_at=at)
        for name, at in (
            ("fern", utc(10, 5)),
            ("moss", utc(11, 1, 2)),  # 22:00 on 31 October in New York
            ("reed", utc(11, 20)),
        )
    )  # fmt: skip
    program = put(
        tables,
        "programs",
        title="Healing together",
        kind="healing",
        summary="",
        capacity=5,
        enrollment_opens_on=date(2026, 10, 1),
        enrollment_closes_on=date(2026, 10, 31),
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 12, 20),
        # Kept by earlier purges: 4 had a place, 2 finished.
        enrolled_count=4,
        completed_count=2,
        created_at=utc(9, 30),
    )
    put(tables, "enrollments", program_id=program, account_id=a1, status="confirmed",
        completed_on=date(2026, 12, 18), created_at=utc(10, 10))  # fmt: skip
    put(
        tables,
        "enrollments",
        program_id=program,
        account_id=a2,
        status="pending",
        created_at=utc(10, 11),
    )
    put(tables, "enrollments", program_id=program, account_id=a3, status="waitlisted",
        created_at=utc(11, 3))  # fmt: skip
    circle, meeting = event(tables, None), event(tables, program)
    first = put(
        tables, "occurrences", event_id=circle, starts_at=utc(10, 20, 22), ends_at=utc(10, 20, 23)
    )
    # 22:00 on 30 November in New York; its RSVPs purged, 7 came.
    put(tables, "occurrences", event_id=circle, starts_at=utc(12, 1, 3), ends_at=utc(12, 1, 4),
        attended_count=7)  # fmt: skip
    later = put(
        tables, "occurrences", event_id=circle, starts_at=utc(12, 10), ends_at=utc(12, 10, 13)
    )
    program_meeting = put(
        tables, "occurrences", event_id=meeting, starts_at=utc(11, 10), ends_at=utc(11, 10, 13)
    )
    rsvp(tables, first, a1, True, utc(10, 15))
    rsvp(tables, first, a2, False, utc(10, 16))
    rsvp(tables, first, a3, None, utc(10, 17), status="waitlisted")
    rsvp(tables, later, a1, None, utc(11, 25))
    rsvp(tables, program_meeting, a1, True, utc(11, 10))  # a program's attendance record: no RSVP
    published = story(tables, a1, "published", submitted=utc(10, 3), published=utc(10, 4))
    story(tables, a2, "pending", submitted=utc(11, 5))
    story(tables, a3, "draft")
    report(tables, published, a2, utc(10, 6), resolved=utc(10, 8), outcome="kept")
    report(tables, published, a3, utc(11, 21))
    db.session.commit()
    db.session.remove()  # no transaction left open for the migration to wait on
    return {"program": program}


def event(tables: db.MetaData, program_id: int | None) -> int:
    return put(tables, 
        "events", title="Circle", area="Queens", timezone="America/New_York",
        created_at=utc(9, 1), program_id=program_id,
    )  # fmt: skip


def rsvp(tables: db.MetaData, occurrence_id, account_id, attended, at, status="confirmed") -> int:
    return put(tables, 
        "rsvps", occurrence_id=occurrence_id, account_id=account_id, status=status,
        attended=attended, created_at=at,
    )  # fmt: skip


def story(tables: db.MetaData, author_id, status, submitted=None, published=None) -> int:
    return put(tables, 
        "stories", author_id=author_id, title="A story", body="Words.", status=status,
        created_at=utc(9, 1), updated_at=utc(9, 1), submitted_at=submitted,
        published_at=published,
    )  # fmt: skip


def report(tables: db.MetaData, story_id, reporter_id, at, resolved=None, outcome=None) -> int:
    return put(tables, 
        "story_reports", story_id=story_id, reporter_id=reporter_id, category="harmful",
        created_at=at, resolved_at=resolved, outcome=outcome,
    )  # fmt: skip


def test_upgrade_counts_the_rows_that_exist_and_downgrade_drops_the_counts(scratch_app):
    app = scratch_app
    with app.app_context():
        upgrade(revision="0014_completion_undo")
        p = rows_before_0015()["program"]
        upgrade()
    assert all_counts(app) == {
        # Places: 3 requests (October 2, November 1) and the 4 places purged earlier, in
        # the month the program started; the confirmed one and those 4 were given places.
        (OCT, p, "requested"): 2,
        (NOV, p, "requested"): 1 + 4,
        (OCT, p, "place_given"): 1,
        (NOV, p, "place_given"): 4,
        (NOV, p, "waitlisted"): 1,
        # One completion on 18 December and 2 purged, in the month the program ended.
        (DEC, p, "completed"): 1 + 2,
        # The program meeting: attendance recorded, one came.
        (NOV, p, "meeting_held"): 1,
        (NOV, p, "attended"): 1,
        # The circle: 3 RSVPs to its October meeting (held: 1 came), 1 in November to its
        # December one (nothing recorded yet: not held); the purged meeting of 30 November
        # (New York) kept that 7 came.
        (OCT, None, "rsvp"): 3,
        (NOV, None, "rsvp"): 1,
        (OCT, None, "meeting_held"): 1,
        (OCT, None, "attended"): 1,
        (NOV, None, "meeting_held"): 1,
        (NOV, None, "attended"): 7,
        # Joining: 5 October and 31 October (New York) in October, 20 November.
        (OCT, None, "new_member"): 2,
        (NOV, None, "new_member"): 1,
        # Stories: sent in October (published then) and November; a draft is not sent.
        (OCT, None, "story_submitted"): 1,
        (NOV, None, "story_submitted"): 1,
        (OCT, None, "story_published"): 1,
        # Reports: one decided (kept) in October, one open from November.
        (OCT, None, "report_filed"): 1,
        (NOV, None, "report_filed"): 1,
        (OCT, None, "report_kept"): 1,
    }
    with app.app_context():
        downgrade(revision="0014_completion_undo")
        assert "monthly_counts" not in inspect(db.engine).get_table_names()
        assert db.session.scalar(db.select(db.func.count()).select_from(Account)) == 3


def test_an_empty_database_backfills_nothing(scratch_app):
    with scratch_app.app_context():
        upgrade()
    assert all_counts(scratch_app) == {}
