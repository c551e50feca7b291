"""Recording attendance takes the program's lock first, as every other write to a
program's places does (a removal from one's account, a completion and its undo, a
decision on a request): a member removing an ended program and staff saving attendance
can never interleave. Without it, on PostgreSQL, staff could read the roster, the removal
commit, and staff then write the removed member's attendance back (security review).
SQLite lets one write at a time anyway (BEGIN IMMEDIATE), so the test is PostgreSQL's.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from advocacy.accounts.models import Account
from advocacy.events.models import Occurrence, Rsvp
from advocacy.extensions import db
from advocacy.programs import attendance, services
from advocacy.programs.models import Program
from tests.conftest import ON_POSTGRES
from tests.support.programs import make_program


def test_recording_attendance_waits_for_the_program_s_lock(app, clock, staff, member):
    if not ON_POSTGRES:
        pytest.skip("SQLite lets one write at a time (BEGIN IMMEDIATE): no lock to wait for")
    made = make_program(app, staff.id, now=clock(), starts_in=-1, ends_in=10, meetings=1)
    with app.app_context():
        services.enroll(db.session.get(Account, member.id), made.id, now=clock())
        db.session.commit()
        meeting = db.session.get(Occurrence, made.meeting_ids[0])
        started = meeting.starts_at
    with app.app_context():
        holder = db.engine.connect()  # another request, holding the program (a removal)
        held = holder.begin()
        holder.execute(select(Program.id).where(Program.id == made.id).with_for_update())
        try:
            db.session.execute(text("SET LOCAL lock_timeout = '100ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                attendance.record_attendance(made.id, made.meeting_ids[0], {member.id}, now=started)
            db.session.rollback()
        finally:
            held.rollback()
            holder.close()
        # The lock free again, the same save goes through.
        attendance.record_attendance(made.id, made.meeting_ids[0], {member.id}, now=started)
        db.session.commit()
        came = db.session.scalars(select(Rsvp.attended).where(Rsvp.account_id == member.id))
        assert list(came) == [True]
