"""flask seed-demo lets staff try the roster as it is meant to be used (issue 13, a
newcomer's try: the demo's one completion was dated earlier, so nothing could be recorded
or undone today, and no attendance was recorded).

Seeded: the leadership program that ended last week has its attendance recorded at all
eight meetings, demo-member came to 7 (and completed it, last week: the mentor pathway)
and demo-member2 came to 6, with a place and no completion. So demo-staff can record
demo-member2's completion today, and undo it today; demo-member's stays (recorded on
another day).
"""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from advocacy import clock as site_clock
from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.programs.models import Enrollment, Program
from tests.support.accounts import MadeAccount

TITLE = "Survivor leadership (last season)"


def seeded(runner) -> tuple[str, str]:
    """Seed the demo; return the shared password and demo-staff's TOTP secret."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password for all: ")[1].split("\n")[0]
    secret = result.output.split("demo-staff")[1].split("TOTP secret: ")[1].split("\n")[0]
    return password, secret


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def place_of(pseudonym: str) -> Enrollment:
    return db.session.scalar(
        select(Enrollment)
        .join(Account, Account.id == Enrollment.account_id)
        .join(Program, Program.id == Enrollment.program_id)
        .where(Account.pseudonym == pseudonym, Program.title == TITLE)
    )


def test_demo_staff_record_and_undo_a_completion_today_with_attendance_recorded(app, runner, auth):
    password, secret = seeded(runner)
    with app.app_context():
        program_id = db.session.scalar(select(Program.id).where(Program.title == TITLE))
        staff_id = db.session.scalar(select(Account.id).where(Account.pseudonym == "demo-staff"))
        done, open_place = place_of("demo-member"), place_of("demo-member2")
        assert done.completed_on < site_clock.local_date(site_clock.now())  # last week
        assert open_place.status == "confirmed"
        assert open_place.completed_on is None
        open_id = open_place.id
    auth.login(MadeAccount(staff_id, "demo-staff", Role.STAFF, password, secret))
    roster_path = f"/programs/{program_id}/roster"
    roster = words(auth.client.get(roster_path).get_data(as_text=True))
    assert "Came to 7 of 8 meetings" in roster
    assert "Came to 6 of 8 meetings" in roster
    assert "Record completion for demo-member2" in roster
    assert "Record completion for demo-member " not in roster + " "  # already completed

    confirm = auth.client.get(f"{roster_path}/{open_id}/completion")
    assert confirm.status_code == 200
    recorded = auth.client.post(f"{roster_path}/{open_id}/complete", data={"confirm": "yes"})
    assert recorded.status_code == 303
    with app.app_context():
        today = site_clock.local_date(site_clock.now())
        assert db.session.get(Enrollment, open_id).completed_on == today
    roster = words(auth.client.get(roster_path).get_data(as_text=True))
    assert "Undo completion for demo-member2" in roster
    assert "Undo completion for demo-member " not in roster + " "  # recorded another day

    undone = auth.client.post(f"{roster_path}/{open_id}/undo", data={"confirm": "yes"})
    assert undone.status_code == 303
    with app.app_context():
        assert db.session.get(Enrollment, open_id).completed_on is None
        assert place_of("demo-member").completed_on is not None
