"""Who may see a program's meetings: the accounts with a confirmed place in it, and no one
else (a request waiting for staff, or another member's place, gives none)."""

from __future__ import annotations

from advocacy.accounts.models import Account
from advocacy.events import finding
from advocacy.extensions import db
from advocacy.programs import services as programs
from tests.support.accounts import make_account
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
