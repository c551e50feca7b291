"""Who may see a program's meetings: the accounts with a confirmed place in it, and no one
else (a request waiting for staff, or another member's place, gives none). The other way
round, the members of a program (whose place stands for an RSVP to each of its meetings)
are the accounts with a confirmed place in that program only, in the order they asked
for it, whatever order staff confirmed them in."""

from __future__ import annotations

from sqlalchemy import select

from advocacy.accounts.models import Account
from advocacy.events import finding
from advocacy.extensions import db
from advocacy.programs import services as programs
from advocacy.programs.models import Enrollment
from tests.support.accounts import make_account
from tests.support.postgres import read_as_stored
from tests.support.privacy_world import NOW
from tests.support.programs import make_program


def test_only_a_confirmed_place_shows_a_programs_meetings(app):
    staff = make_account(app, "maple-staff", role="staff")
    member = make_account(app, "river-member")
    other = make_account(app, "heron-other")
    placed = make_program(app, staff.id, title="Placed", now=NOW)
    asked = make_program(app, staff.id, title="Asked", now=NOW, needs_approval=True)
    theirs = make_program(app, staff.id, title="Theirs", now=NOW)
    with app.app_context():
        you, them = db.session.get(Account, member.id), db.session.get(Account, other.id)
        programs.enroll(you, placed.id, now=NOW)
        programs.enroll(you, asked.id, now=NOW)  # waits for staff: not a place
        programs.enroll(them, theirs.id, now=NOW)
        programs.enroll(them, asked.id, now=NOW)
        db.session.commit()
        visible = set(db.session.scalars(finding.visible_programs(member.id)))
        assert visible == {placed.id}
        assert set(db.session.scalars(finding.visible_programs(other.id))) == {theirs.id}


def test_a_programs_members_are_its_confirmed_places_in_the_order_they_asked(app):
    staff = make_account(app, "maple-staff", role="staff")
    # Made in the opposite order to the one they ask in: ids never stand in for it.
    third, second, first, waiting, elsewhere = (
        make_account(app, f"{name}-member").id
        for name in ("wren", "heron", "river", "fern", "gale")
    )
    asked = make_program(app, staff.id, title="Asked", now=NOW, needs_approval=True)
    theirs = make_program(app, staff.id, title="Theirs", now=NOW)
    with app.app_context():
        requests = [
            programs.enroll(db.session.get(Account, who), asked.id, now=NOW).id
            for who in (first, second, waiting, third)
        ]
        programs.enroll(db.session.get(Account, elsewhere), theirs.id, now=NOW)
        db.session.commit()
        # Staff confirm the last request first; fern's still waits for them.
        for request in (requests[3], requests[1], requests[0]):
            programs.approve(asked.id, request, note="", now=NOW)
            db.session.commit()
        statuses = db.session.scalars(select(Enrollment.status).order_by(Enrollment.id))
        assert list(statuses) == ["confirmed", "confirmed", "pending", "confirmed", "confirmed"]
        read_as_stored()  # on PostgreSQL each confirmation stored its row anew, last
        assert finding.program_places(asked.id) == [first, second, third]
        assert finding.program_places(theirs.id) == [elsewhere]
