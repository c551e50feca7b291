"""Removing an ended program on a phone (390x844) in Chromium: the program page offers
"Remove this program from your account" (never "Withdraw"), its confirmation page fits
the screen and passes axe-core, and its button removes the place.
"""

from __future__ import annotations

import pytest

from advocacy.accounts.models import Account
from advocacy.database import utcnow
from advocacy.extensions import db
from advocacy.programs import services, sessions
from tests.support.accounts import make_account
from tests.support.browser import PHONE, assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.support.programs import make_program, make_sessions

pytestmark = pytest.mark.browser


def test_a_phone_removes_an_ended_program(app, new_page, tmp_path):
    staff = make_account(app, "maple-staff", role="staff")
    member = make_account(app, "river-member")
    # The live server reads the real clock: two days back in UTC is past in New York too.
    made = make_program(app, staff.id, now=utcnow(), starts_in=-20, ends_in=-2)
    (session_id,) = make_sessions(app, made.id, 1, now=utcnow())
    with app.app_context():
        account = db.session.get(Account, member.id)
        services.enroll(account, made.id, now=utcnow())
        sessions.mark(account, made.id, session_id, done=True)
        db.session.commit()

    page = new_page(viewport=PHONE)
    sign_in(page, member)
    page.goto(f"/programs/{made.id}")
    assert page.get_by_role("link", name="Withdraw", exact=True).count() == 0
    with page.expect_navigation():
        page.get_by_role("link", name="Remove this program from your account").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Remove “")
    assert page.get_by_text("1 session you marked done.").is_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "remove-390.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, remove it").click()
    assert page.get_by_text("The program is removed from your account.").is_visible()
    with app.app_context():
        assert services.enrollment_of(member.id, made.id) is None
