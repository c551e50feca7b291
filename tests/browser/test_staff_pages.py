"""Admin and staff pages on a small phone: every button in reach, no sideways scroll, axe.

Tables become stacked cards below 40rem, so nothing hides off the right edge.
"""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import Page

from advocacy.accounts.models import Account, Role
from advocacy.database import utcnow
from advocacy.extensions import db
from tests.support.accounts import make_account, make_invite, make_reset_code
from tests.support.browser import (
    PHONE,
    SMALL_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
)
from tests.support.pathway import make_eligible_member

pytestmark = pytest.mark.browser

PAGES = [
    "/admin",
    "/admin?q=member&role=member",
    "/staff/reset-codes/pending",
    "/invites",
    "/admin/audit",
    "/moderation/guide",
    "/privacy",
    "/staff/reports",
]


def sign_in(page: Page, account) -> None:
    page.goto("/login")
    page.get_by_label("Pseudonym").fill(account.pseudonym)
    page.get_by_label("Password", exact=True).fill(account.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_label("6-digit code from your app").fill(pyotp.TOTP(account.totp_secret).now())
    with page.expect_navigation():
        page.get_by_role("button", name="Continue", exact=True).click()


def assert_buttons_in_reach(page: Page, width: int) -> None:
    """Every button and link in the main content lies within the screen's width."""
    for control in page.locator("main button, main a").all():
        box = control.bounding_box()
        assert box is not None, control.inner_text()
        assert box["x"] >= 0, control.inner_text()
        assert box["x"] + box["width"] <= width + 1, (control.inner_text(), box)


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390x844", "320x640"])
def test_admin_pages_fit_a_phone(app, new_page, viewport):
    admin = make_account(app, "wren-admin", role=Role.ADMIN)
    staff = make_account(app, "maple-staff-with-a-long-name", role=Role.STAFF)
    member = make_account(app, "a-member-with-quite-a-long-name")
    make_reset_code(app, member.id, staff.id, now=utcnow())
    make_invite(app, admin.id, now=utcnow())
    make_eligible_member(app, "a-mentor-to-be-with-a-long-name")  # "Make mentor" in reach
    with app.app_context():
        db.session.get(Account, member.id).paused_at = utcnow()
        db.session.commit()

    page = new_page(viewport=viewport)
    sign_in(page, admin)
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert_no_horizontal_scroll(page)
        assert_buttons_in_reach(page, viewport["width"])
        assert_accessible(page)
