"""Two purges at once (several hosts running cron) share the work without an error, and
a purge beside a member's removal or an account's deletion never deadlocks.

Rows are claimed FOR UPDATE SKIP LOCKED on PostgreSQL and locked in one order, so
neither purge waits for the other's rows nor deadlocks, and every kept count adds up; a
program's row is claimed before its places, as every other write locks them, and a
program someone else holds is passed by until the next run.
"""

from __future__ import annotations

import random
import threading
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


def ended_program_with_places(app, clock, staff_id: int, members: list[int]) -> int:
    """A program that ended ten days after `clock()`, with a place for each member."""
    made = make_program(app, staff_id, now=clock(), starts_in=-1, ends_in=10, meetings=0)
    with app.app_context():
        for member_id in members:
            programs.enroll(db.session.get(Account, member_id), made.id, now=clock())
        db.session.commit()
    return made.id


def places_in(program_id: int) -> int:
    count = select(func.count()).select_from(Enrollment)
    return db.session.scalar(count.where(Enrollment.program_id == program_id))


def test_the_purge_of_places_never_waits_for_a_program_someone_else_holds(app, clock, staff):
    """A member removing an ended program holds its row; deleting a staff account holds the
    programs it ran and those it has places in, in no fixed order (security review). The
    purge never waits for a program another transaction holds, so it can never be part of
    a deadlock with either: it passes that program by (its places go on the next run) and
    takes the others, batch after batch. SQLite writes one at a time: no locks to skip."""
    if not ON_POSTGRES:
        pytest.skip("SQLite lets one write at a time (BEGIN IMMEDIATE): no lock to skip")
    people = [person(app, f"learner-{n}") for n in range(5)]
    held = ended_program_with_places(app, clock, staff.id, people[:2])
    free = ended_program_with_places(app, clock, staff.id, people[2:])
    # A year and a month after the end: the places are past their 365 days.
    later = clock() + 400 * DAY
    with app.app_context():
        lock_program(held)  # a member's removal (or an account's deletion) has begun
        with app.app_context():  # the purge: another session of the same database
            db.session.execute(text("SET LOCAL lock_timeout = '100ms'"))  # a wait fails
            assert [purge_enrollments(later, 365, 2) for _ in range(3)] == [2, 1, 0]
            db.session.commit()
            assert (places_in(held), places_in(free)) == (2, 0)
        db.session.rollback()
        # Once the program is free again, the next run takes its places.
        assert purge_enrollments(later, 365, 2) == 2
        db.session.commit()
        assert places_in(held) == 0
        kept = select(Program.enrolled_count).where(Program.id.in_([held, free]))
        assert sorted(db.session.scalars(kept)) == [2, 3]  # each place counted once


def test_a_member_removing_an_ended_program_while_its_places_are_purged_never_deadlocks(
    app, clock, staff, member
):
    """The removal holds the program and deletes the place; before, the purge locked the
    place first and then waited for the program, and PostgreSQL killed one of the two as
    a deadlock. Here the removal takes the program, the purge runs in between (and passes
    it by), the removal finishes; nothing fails and the place is counted once."""
    if not ON_POSTGRES:
        pytest.skip("SQLite lets one write at a time (BEGIN IMMEDIATE): no lock to order")
    program_id = ended_program_with_places(app, clock, staff.id, [member.id])
    later = clock() + 400 * DAY
    with app.app_context():
        lock_program(program_id)  # the removal has begun
        with app.app_context():
            db.session.execute(text("SET LOCAL lock_timeout = '100ms'"))  # a wait fails
            assert purge_enrollments(later, 365, 100) == 0
            db.session.commit()
        remove_ended(db.session.get(Account, member.id), program_id, now=later)
        db.session.commit()
    with app.app_context():
        assert places_in(program_id) == 0
        assert db.session.get(Program, program_id).enrolled_count == 1  # counted once
