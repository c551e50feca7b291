"""Migration 0015 counts what the rows kept so far show, so reports start with history.

The rows are written as they stand at 0014 (the tables 0015 leaves alone), then `flask db
upgrade` runs. EXPECTED is worked out by hand from the backfill's rules (the migration's
docstring): each row in the month it shows, in the site's time zone (New York).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from advocacy import create_app
from advocacy.accounts.models import Account
from advocacy.events.models import Event, Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.programs.models import Enrollment, Program
from advocacy.stories.models import Story, StoryReport
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


def rows_before_0015() -> dict[str, int]:
    """Write rows as they stand before counting began; return the program ids."""
    a1, a2, a3 = (
        Account(pseudonym=name, pseudonym_key=name, password_hash="x", role="member", created_at=at)
        for name, at in (
            ("fern", utc(10, 5)),
            ("moss", utc(11, 1, 2)),  # 22:00 on 31 October in New York
            ("reed", utc(11, 20)),
        )
    )
    program = Program(
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
    db.session.add_all([a1, a2, a3, program])
    db.session.flush()
    db.session.add_all(
        [
            Enrollment(
                program_id=program.id,
                account_id=a1.id,
                status="confirmed",
                completed_on=date(2026, 12, 18),
                created_at=utc(10, 10),
            ),
            Enrollment(
                program_id=program.id, account_id=a2.id, status="pending", created_at=utc(10, 11)
            ),
            Enrollment(
                program_id=program.id,
                account_id=a3.id,
                status="waitlisted",
                created_at=utc(11, 3),
            ),
        ]
    )
    circle = event(None)
    meeting = event(program.id)
    first = Occurrence(event=circle, starts_at=utc(10, 20, 22), ends_at=utc(10, 20, 23))
    # 22:00 on 30 November in New York; its RSVPs purged, 7 came.
    purged = Occurrence(
        event=circle, starts_at=utc(12, 1, 3), ends_at=utc(12, 1, 4), attended_count=7
    )
    later = Occurrence(event=circle, starts_at=utc(12, 10), ends_at=utc(12, 10, 13))
    program_meeting = Occurrence(event=meeting, starts_at=utc(11, 10), ends_at=utc(11, 10, 13))
    db.session.add_all([first, purged, later, program_meeting])
    db.session.flush()
    db.session.add_all(
        [
            rsvp(first, a1, True, utc(10, 15)),
            rsvp(first, a2, False, utc(10, 16)),
            rsvp(first, a3, None, utc(10, 17), status="waitlisted"),
            rsvp(later, a1, None, utc(11, 25)),
            # A program's attendance record: not an RSVP.
            rsvp(program_meeting, a1, True, utc(11, 10)),
        ]
    )
    published = story(a1, "published", submitted=utc(10, 3), published=utc(10, 4))
    db.session.add_all(
        [
            published,
            story(a2, "pending", submitted=utc(11, 5)),
            story(a3, "draft"),
        ]
    )
    db.session.flush()
    db.session.add_all(
        [
            report(published, a2, utc(10, 6), resolved=utc(10, 8), outcome="kept"),
            report(published, a3, utc(11, 21)),
        ]
    )
    program_id = program.id
    db.session.commit()
    db.session.remove()  # no transaction left open for the migration to wait on
    return {"program": program_id}


def event(program_id: int | None) -> Event:
    return Event(
        title="Circle", area="Queens", timezone="America/New_York", created_at=utc(9, 1),
        program_id=program_id,
    )  # fmt: skip


def rsvp(occurrence, account, attended, at, status="confirmed") -> Rsvp:
    return Rsvp(
        occurrence_id=occurrence.id,
        account_id=account.id,
        status=status,
        attended=attended,
        created_at=at,
    )


def story(author, status, submitted=None, published=None) -> Story:
    return Story(
        author_id=author.id,
        title="A story",
        body="Words.",
        status=status,
        created_at=utc(9, 1),
        updated_at=utc(9, 1),
        submitted_at=submitted,
        published_at=published,
    )


def report(story_row, reporter, at, resolved=None, outcome=None) -> StoryReport:
    return StoryReport(
        story_id=story_row.id,
        reporter_id=reporter.id,
        category="harmful",
        created_at=at,
        resolved_at=resolved,
        outcome=outcome,
    )


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
