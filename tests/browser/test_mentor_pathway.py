"""The mentor pathway in Chromium on a phone (390x844) with JavaScript off (issue 13, 6).

A member who completed a leadership program finds the notice, follows it to their account
page and says they are interested. An admin finds them in the accounts list (search and
role filter), sees them under "Eligible to mentor" and makes them a mentor with one
button. The new mentor signs in, sets up a second factor, reads how moderation works here
and goes on to the queue. Every page on the way passes axe-core (zero violations) and
fits the screen.
"""

from __future__ import annotations

import pytest

from advocacy.accounts import mentoring
from advocacy.database import utcnow
from advocacy.extensions import db
from tests.browser.test_accounts_journey import turn_on_second_factor
from tests.events.browser_checks import NoScriptPageChecks
from tests.events.test_browser_journey import (
    flashes,
    follow,
    main_text,
    path_of,
    press,
    sign_in,
)
from tests.support.accounts import make_account
from tests.support.browser import PHONE

pytestmark = pytest.mark.browser


def test_an_admin_makes_an_interested_member_a_mentor(app, new_page):
    admin = make_account(app, "wren-admin", role="admin")
    member = make_account(app, "Quiet Heron")
    make_account(app, "quiet-fern")
    with app.app_context():
        mentoring.mark_eligible(member.id, now=utcnow())  # a leadership program completed
        db.session.commit()
    check = NoScriptPageChecks(new_page)

    # The member is told, and says they are interested.
    page = new_page(javascript=False, viewport=PHONE)
    sign_in(page, member, check)
    page.goto("/notices")
    assert "you may become a peer mentor" in main_text(page)
    check(page)
    press(page, "See details")
    assert path_of(page) == "/account"
    assert page.get_by_role("heading", name="Becoming a peer mentor").is_visible()
    assert "You haven't answered yet." in main_text(page)
    check(page)
    press(page, "I'm interested")
    assert "Admins can now see that you are interested" in flashes(page)
    assert "Your answer: you are interested." in main_text(page)
    check(page)

    # The admin finds them, and makes them a mentor.
    admin_page = new_page(javascript=False, viewport=PHONE)
    sign_in(admin_page, admin, check)
    admin_page.goto("/admin")
    eligible = admin_page.locator("section", has=admin_page.locator("#h-eligible"))
    assert "Quiet Heron: interested" in eligible.inner_text()
    check(admin_page)
    admin_page.get_by_label("Pseudonym, or part of it").fill("QUIET")
    admin_page.get_by_label("Role", exact=True).select_option("member")
    press(admin_page, "Show accounts")
    rows = admin_page.locator("table tbody th").all_inner_texts()
    assert rows == ["Quiet Heron", "quiet-fern"]
    assert "Eligible to mentor" not in main_text(admin_page)
    check(admin_page)
    admin_page.goto("/admin")
    follow(admin_page, "Make mentor Quiet Heron")  # asked first, on a page of its own
    assert admin_page.get_by_role("heading", level=1).inner_text() == "Make Quiet Heron a mentor?"
    assert "how moderation works here" in main_text(admin_page)
    check(admin_page)
    press(admin_page, "Yes, make them a mentor")
    assert path_of(admin_page) == "/admin"
    assert "Quiet Heron is now a mentor." in flashes(admin_page)
    assert "Nobody at the moment." in main_text(admin_page)
    check(admin_page)
    admin_page.goto("/admin/audit")
    assert "role changed (member to mentor)" in main_text(admin_page)

    # The new mentor: signed out, then a second factor, then the guide, then the queue.
    page.goto("/account")
    assert path_of(page) == "/login"
    page.get_by_label("Pseudonym").fill(member.pseudonym)
    page.get_by_label("Password", exact=True).fill(member.password)
    press(page, "Sign in")
    assert path_of(page) == "/account/two-factor"
    check(page)
    turn_on_second_factor(page)
    assert path_of(page) == "/moderation/guide"
    assert page.get_by_role("heading", level=1).inner_text() == "How moderation works here"
    for part in ("What you see", "Your own stories", "Reports are anonymous"):
        assert page.get_by_role("heading", name=part).is_visible()
    check(page)
    page.goto("/moderation")
    assert path_of(page) == "/moderation/guide"  # read it first
    press(page, "I've read this: go to the moderation queue")
    assert path_of(page) == "/moderation"
    assert page.get_by_role("heading", level=1).inner_text() == "Moderation"
    check(page)
    page.goto("/notices")
    assert "an admin made you a peer mentor" in main_text(page)
    check(page)
