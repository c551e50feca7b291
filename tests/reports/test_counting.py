"""count(): one row per month, program and measure, added to in the caller's transaction.

The month is the site's (DEFAULT_TIMEZONE, America/New_York in tests): a request at
03:00 UTC on 1 December is still November there. "No program" is one row too, though SQL
unique indexes never find two NULLs equal. Many counts at once all add up.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest

from advocacy.extensions import db
from advocacy.reports.counting import count
from advocacy.reports.models import Measure
from tests.support.ceiling import CEILING_SECONDS
from tests.support.reports import all_counts

NOV = date(2026, 11, 1)
DEC = date(2026, 12, 1)
MID_NOVEMBER = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)


def counted(app, *calls) -> None:
    """Make the counts, each call (measure, program_id, now, by), in one transaction."""
    with app.app_context():
        for measure, program_id, now, by in calls:
            count(measure, program_id=program_id, now=now, by=by)
        db.session.commit()


def test_counts_add_up_in_one_row_per_month_program_and_measure(app):
    counted(
        app,
        (Measure.REQUESTED, 7, MID_NOVEMBER, 1),
        (Measure.REQUESTED, 7, MID_NOVEMBER, 1),
        (Measure.REQUESTED, 8, MID_NOVEMBER, 1),
        (Measure.WAITLISTED, 7, MID_NOVEMBER, 3),
        (Measure.NEW_MEMBER, None, MID_NOVEMBER, 1),
        (Measure.NEW_MEMBER, None, MID_NOVEMBER, 1),
        (Measure.NEW_MEMBER, None, datetime(2026, 12, 15, tzinfo=UTC), 1),
    )
    counted(app, (Measure.NEW_MEMBER, None, MID_NOVEMBER, 1))
    assert all_counts(app) == {
        (NOV, 7, "requested"): 2,
        (NOV, 8, "requested"): 1,
        (NOV, 7, "waitlisted"): 3,
        (NOV, None, "new_member"): 3,
        (DEC, None, "new_member"): 1,
    }


def test_a_count_can_go_back_and_zero_writes_nothing(app):
    counted(app, (Measure.ATTENDED, 7, MID_NOVEMBER, 6), (Measure.ATTENDED, 7, MID_NOVEMBER, -2))
    counted(app, (Measure.MEETING_HELD, 7, MID_NOVEMBER, 0))
    assert all_counts(app) == {(NOV, 7, "attended"): 4}


@pytest.mark.parametrize(
    ("now", "month"),
    [
        # 2026-12-01 03:00 UTC is 2026-11-30 22:00 in New York (EST, UTC-5).
        (datetime(2026, 12, 1, 3, 0, tzinfo=UTC), NOV),
        (datetime(2026, 12, 1, 4, 59, tzinfo=UTC), NOV),
        (datetime(2026, 12, 1, 5, 0, tzinfo=UTC), DEC),
        # 2026-11-01 03:59 UTC is 23:59 on 31 October (EDT, UTC-4).
        (datetime(2026, 11, 1, 3, 59, tzinfo=UTC), date(2026, 10, 1)),
    ],
)
def test_the_month_is_the_sites_not_utcs(app, now, month):
    counted(app, (Measure.NEW_MEMBER, None, now, 1))
    assert all_counts(app) == {(month, None, "new_member"): 1}


@pytest.mark.parametrize("app_overrides", [{"DEFAULT_TIMEZONE": "Pacific/Kiritimati"}])
def test_the_month_follows_the_configured_time_zone(app):
    # UTC+14: 30 November 10:00 UTC is already 1 December.
    counted(app, (Measure.NEW_MEMBER, None, datetime(2026, 11, 30, 10, 0, tzinfo=UTC), 1))
    assert all_counts(app) == {(DEC, None, "new_member"): 1}


def test_a_rolled_back_transaction_counts_nothing(app):
    with app.app_context():
        count(Measure.STORY_SUBMITTED, program_id=None, now=MID_NOVEMBER)
        count(Measure.REQUESTED, program_id=7, now=MID_NOVEMBER)
        db.session.rollback()
    assert all_counts(app) == {}


THREADS, EACH = 8, 5


def test_counts_made_at_the_same_instant_all_add_up(app):
    """Eight connections count at once, site-wide and for a program, five times each:
    every count lands (no lost update, no duplicate-key error) on SQLite and PostgreSQL."""
    start = threading.Barrier(THREADS, timeout=CEILING_SECONDS)

    def worker(_n: int) -> None:
        with app.app_context():
            start.wait()
            for _ in range(EACH):
                count(Measure.NEW_MEMBER, program_id=None, now=MID_NOVEMBER)
                count(Measure.REQUESTED, program_id=3, now=MID_NOVEMBER)
                db.session.commit()
            db.session.remove()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, range(THREADS)))
    assert all_counts(app) == {
        (NOV, None, "new_member"): THREADS * EACH,
        (NOV, 3, "requested"): THREADS * EACH,
    }
