"""The staff home in Chromium on a phone (390x844) with JavaScript off (issue 13, point 1).

A staff member runs a program that meets today, has a request waiting and ends in four
days; another staff member's program is elsewhere on the site. Signed in, the staff
member opens their home from the menu and finds the three, each a link to where the
work is done (the request leads to the roster), and nothing of the other program. The
home and every page on the way pass axe-core with zero violations and fit the screen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Page

from advocacy.extensions import db
from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import follow, main_text, path_of, press
from tests.support.accounts import Clock, MadeAccount, make_account
from tests.support.browser import PHONE
from tests.support.workspace import add_meeting, add_places, add_program

pytestmark = pytest.mark.browser

# Friday 27 November 2026, 10:00 in New York; the program meets at 13:00 and ends Tuesday.
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


def sign_in(page: Page, account: MadeAccount, clock: Clock, check) -> None:
    """Sign in through the forms, with the code the app expects at the app's clock."""
    page.goto("/login")
    page.get_by_label("Pseudonym").fill(account.pseudonym)
    page.get_by_label("Password", exact=True).fill(account.password)
    press(page, "Sign in")
    assert path_of(page) == "/login/code"
    page.get_by_label("6-digit code from your app").fill(account.totp_code(clock()))
    press(page, "Continue")
    assert path_of(page) == "/"
    check(page)


def test_staff_see_a_meeting_today_a_request_and_a_program_ending_soon(app, new_page):
    clock = Clock(NOW)
    app.config["CLOCK"] = clock
    staff = make_account(app, "maple-staff", role="staff")
    rowan = make_account(app, "rowan-staff", role="staff")
    asker = make_account(app, "river-member")
    holder = make_account(app, "cedar-member")
    with app.app_context():
        program = add_program("Healing together", [staff.id], ends_on=date(2026, 12, 1))
        add_places(program, [holder.id])
        add_places(program, [asker.id], status="pending")
        add_meeting("Healing together", datetime(2026, 11, 27, 18, tzinfo=UTC), program_id=program)
        others = add_program("Rowan's leadership group", [rowan.id], ends_on=date(2026, 12, 2))
        add_places(others, [asker.id], status="pending")
        add_meeting(
            "Rowan's leadership group", datetime(2026, 11, 27, 19, tzinfo=UTC), program_id=others
        )
        db.session.commit()

    check = NoScriptPageChecks(new_page)
    page = new_page(javascript=False, viewport=PHONE)
    sign_in(page, staff, clock, check)
    follow(page, "Staff")
    assert path_of(page) == "/staff"
    assert page.get_by_role("heading", level=1).inner_text() == "Staff tools"
    check(page)

    today = page.get_by_role("region", name="Meetings today").inner_text()
    assert "Healing together" in today
    assert "1 confirmed, 0 waiting" in today
    requests = page.get_by_role("region", name="Requests waiting for a decision").inner_text()
    assert "Healing together: 1 request" in requests
    ending = page.get_by_role("region", name="Programs ending within 14 days").inner_text()
    assert "Ends in 4 days" in ending
    text = main_text(page)
    assert "Rowan" not in text
    assert "Nothing is waiting for moderation." in text

    # The request leads to the roster, where it is decided.
    requests_region = page.get_by_role("region", name="Requests waiting for a decision")
    with page.expect_navigation():
        requests_region.get_by_role("link", name="Healing together").click()
    assert path_of(page) == f"/programs/{program}/roster"
    assert "asking for a place" in main_text(page)
    check(page)
