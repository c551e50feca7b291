"""Two purges at once (several hosts running cron) share the work without an error, and
a purge beside a member's own removal never deadlocks.

Rows are claimed FOR UPDATE SKIP LOCKED on PostgreSQL and locked in one order, so
neither purge waits for the other's rows nor deadlocks, and every kept count adds up; a
program's row is locked before its places, by the purge as by every other write.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import func, insert, select, text

from advocacy.accounts.models import Account
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.notices.models import Notice
from advocacy.privacy.services import purge
from advocacy.programs import services as programs
from advocacy.programs.models import Enrollment, Program
from advocacy.programs.privacy import purge_enrollments
from advocacy.programs.removal import remove_ended
from advocacy.programs.services import lock_program
from tests.conftest import ON_POSTGRES
from tests.support.accounts import make_account
from tests.support.ceiling import CEILING_SECONDS
from tests.support.events import make_event
from tests.support.programs import make_program
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


def test_a_member_removing_an_ended_program_while_its_places_are_purged_never_deadlocks(
    app, clock, staff, member
):
    """Both take the program's lock before its places (security review): a removal holds
    the program and deletes the place; a purge that locked the place first and then waited
    for the program made PostgreSQL kill one of them as a deadlock. Here the removal takes
    the program, the purge starts and waits, the removal finishes; the purge then finds
    nothing left to do and fails nothing. SQLite writes one at a time: no lock order."""
    if not ON_POSTGRES:
        pytest.skip("SQLite lets one write at a time (BEGIN IMMEDIATE): no lock to order")
    made = make_program(app, staff.id, now=clock(), starts_in=-1, ends_in=10, meetings=0)
    with app.app_context():
        programs.enroll(db.session.get(Account, member.id), made.id, now=clock())
        db.session.commit()
    # A year and a month after the end: the place is past its 365 days and may be removed.
    later = clock() + 400 * DAY
    purged: list = []

    def run_purge() -> None:
        try:
            with app.app_context():
                purged.append(purge_enrollments(later, 365, 100))
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported by the test
            purged.append(error)

    with app.app_context():
        lock_program(made.id)  # the removal has begun
        purger = threading.Thread(target=run_purge)
        purger.start()
        wait_for_a_lock_wait(app)
        remove_ended(db.session.get(Account, member.id), made.id, now=later)
        db.session.commit()
    purger.join(timeout=CEILING_SECONDS)
    assert not purger.is_alive(), "the purge hung"
    assert purged == [0]  # the removal took the place; nothing failed
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 0
        assert db.session.get(Program, made.id).enrolled_count == 1  # counted once


def wait_for_a_lock_wait(app) -> None:
    """Poll (ceiling CEILING_SECONDS) until another session of this database waits for a
    row lock: the purge thread has reached the lock the removal holds."""
    deadline = time.monotonic() + CEILING_SECONDS
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database()"
    )
    with db.engine.connect() as watcher:
        while not watcher.execute(waiting).scalar():
            assert time.monotonic() < deadline, "the purge never reached the lock"
            time.sleep(0.01)
            watcher.rollback()
