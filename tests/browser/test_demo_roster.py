"""The demo on the smallest phone (320x640), JavaScript off (issue 13, a newcomer's try):
after `flask seed-demo`, demo-staff opens the roster of the leadership program that ended
last week, reads each member's attendance, records demo-member2's completion today and
undoes it; demo-member2's home then says the program ended, with its last day. Every
page fits the screen and passes axe-core.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from advocacy.accounts.models import Account, Role
from advocacy.extensions import db
from advocacy.programs.models import Program
from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import flashes, follow, main_text, path_of, press, sign_in
from tests.support.accounts import MadeAccount
from tests.support.browser import SMALL_PHONE

pytestmark = pytest.mark.browser

TITLE = "Survivor leadership (last season)"


def test_demo_staff_record_and_undo_a_completion_on_a_small_phone(app, runner, new_page):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password for all: ")[1].split("\n")[0]
    secret = result.output.split("demo-staff")[1].split("TOTP secret: ")[1].split("\n")[0]
    with app.app_context():
        ids = dict(db.session.execute(select(Account.pseudonym, Account.id)).all())
        program_id = db.session.scalar(select(Program.id).where(Program.title == TITLE))
    staff = MadeAccount(ids["demo-staff"], "demo-staff", Role.STAFF, password, secret)
    member2 = MadeAccount(ids["demo-member2"], "demo-member2", Role.MEMBER, password, None)
    check = NoScriptPageChecks(new_page)

    page = new_page(javascript=False, viewport=SMALL_PHONE)
    sign_in(page, staff, check)
    page.goto(f"/programs/{program_id}/roster")
    check(page)
    roster = main_text(page)
    assert "Came to 7 of 8 meetings" in roster
    assert "Came to 6 of 8 meetings" in roster
    follow(page, "Record completion for demo-member2")
    check(page)
    press(page, "Yes, record completion")
    assert "Completion is recorded, and the member has been told." in flashes(page)
    check(page)
    follow(page, "Undo completion for demo-member2…")
    check(page)
    press(page, "Yes, undo completion")
    assert path_of(page) == f"/programs/{program_id}/roster"
    assert "Completion is undone." in flashes(page)
    assert "Record completion for demo-member2" in main_text(page)
    check(page)

    home = new_page(javascript=False, viewport=SMALL_PHONE)
    sign_in(home, member2, check)
    check(home)
    said = re.search(rf"{re.escape(TITLE)} \(([^)]*)\)", main_text(home))
    assert said is not None, main_text(home)
    assert re.fullmatch(r"it ended on [0-9]{1,2} [A-Z][a-z]+ [0-9]{4}", said.group(1))
