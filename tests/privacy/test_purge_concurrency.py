"""Two purges at once (several hosts running cron) share the work without an error.

Rows are claimed FOR UPDATE SKIP LOCKED on PostgreSQL and locked in one order, so
neither purge waits for the other's rows nor deadlocks, and every kept count adds up.
"""

from __future__ import annotations

import random
import threading
from datetime import datetime

from sqlalchemy import func, insert, select

from advocacy.accounts.models import Account
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.privacy.services import purge
from tests.support.accounts import make_account
from tests.support.ceiling import CEILING_SECONDS
from tests.support.events import make_event
from tests.support.purge import (
    DAY,
    T0,
    keep_signed_in,
    person,
    purge_at,
)


def purge_together(app, now: datetime, *, hosts: int = 2, batch_size: int = 100) -> list:
    """Run `hosts` purges at the same instant, each in its own app context and thread."""
    start = threading.Barrier(hosts, timeout=CEILING_SECONDS)
    results: list = [None] * hosts

    def run(index: int) -> None:
        try:
            with app.app_context():
                start.wait()
                results[index] = purge(now, batch_size=batch_size)
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(hosts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=CEILING_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a purge hung"
    return results


def test_two_purges_at_once_share_2000_expired_notices(app):
    owners = [person(app, f"owner-{n}") for n in range(4)]
    with app.app_context():
        db.session.execute(
            insert(Notice),
            [
                {
                    "account_id": owners[n % 4],
                    "kind": "event_changed",
                    "params": {"title": "Circle"},
                    "created_at": T0 - 100 * DAY,
                }
                for n in range(2000)
            ],
        )
        db.session.commit()
    keep_signed_in(app, T0.date())

    results = purge_together(app, T0)

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    assert sum(result["notices"] for result in results) == 2000
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notice)) == 0
    assert set(purge_at(app, T0).values()) == {0}


def test_two_purges_at_once_keep_every_attendance_count(app):
    """RSVPs of many meetings, interleaved: both purges add to the same counts."""
    organiser = make_account(app, "maple-staff", role="staff").id
    meetings = [
        make_event(app, organiser, now=T0 - 60 * DAY, in_days=1 + n, title=f"Circle {n}").first
        for n in range(12)
    ]
    guests = [person(app, f"guest-{n}") for n in range(50)]
    with app.app_context():
        db.session.execute(
            insert(Rsvp),
            [
                {
                    "occurrence_id": meeting,
                    "account_id": guest,
                    "status": "confirmed",
                    "attended": True,
                    "created_at": T0 - 60 * DAY,
                }
                for guest in guests
                for meeting in meetings
            ],
        )
        db.session.commit()
    keep_signed_in(app, T0.date())

    results = purge_together(app, T0, batch_size=50)

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    assert sum(result["RSVPs"] for result in results) == 600
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rsvp)) == 0
        counts = db.session.scalars(
            select(Occurrence.attended_count).where(Occurrence.id.in_(meetings))
        )
        assert list(counts) == [50] * 12


def test_two_purges_at_once_delete_inactive_accounts_sharing_meetings(app):
    """Inactive members each booked three of eight meetings, in varied orders."""
    organiser = make_account(app, "maple-staff", role="staff").id
    meetings = [
        make_event(app, organiser, now=T0, in_days=5 + n, title=f"Circle {n}").first
        for n in range(8)
    ]
    guests = [person(app, f"guest-{n}") for n in range(200)]
    choose = random.Random(4)
    with app.app_context():
        db.session.execute(
            insert(Rsvp),
            [
                {
                    "occurrence_id": meeting,
                    "account_id": guest,
                    "status": "waitlisted",
                    "created_at": T0 - 600 * DAY,
                }
                for guest in guests
                for meeting in choose.sample(meetings, 3)
            ],
        )
        db.session.commit()
    keep_signed_in(app, T0.date() - 600 * DAY, except_ids=(organiser,))
    keep_signed_in(app, T0.date(), except_ids=tuple(guests))

    results = purge_together(app, T0, batch_size=10)

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    assert sum(result["inactive accounts"] for result in results) == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rsvp)) == 0
        assert db.session.scalar(select(func.count()).select_from(Account)) == 1
