"""Admin and staff pages on a small phone: every button in reach, no sideways scroll, axe.

Tables become stacked cards below 40rem, so nothing hides off the right edge.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from advocacy.accounts.models import Account, Role
from advocacy.database import utcnow
from advocacy.extensions import db
from advocacy.staff.models import AuditEntry
from tests.support.accounts import make_account, make_invite, make_reset_code
from tests.support.browser import (
    PHONE,
    SMALL_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    sign_in,
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


def assert_buttons_in_reach(page: Page, width: int) -> None:
    """Every button and link in the main content lies within the screen's width."""
    for control in page.locator("main button, main a").all():
        box = control.bounding_box()
        assert box is not None, control.inner_text()
        assert box["x"] >= 0, control.inner_text()
        assert box["x"] + box["width"] <= width + 1, (control.inner_text(), box)


# Each data cell of a stacked table, as a phone shows it: its column's name (the ::before
# text, when it has a data-label), where its box lies, and whether it holds its own control.
CELLS = """() => [...document.querySelectorAll("main table td")].map((td) => {
  const box = td.getBoundingClientRect();
  return {label: td.dataset.label || "", before: getComputedStyle(td, "::before").content,
          left: box.left, right: box.right, text: td.innerText.slice(0, 40),
          control: td.querySelector("button, a") !== null,
          shown: getComputedStyle(td).display !== "none", empty: td.innerText.trim() === ""};
})"""


def assert_each_cell_names_its_column(page: Page, width: int) -> int:
    """Every data cell lies within the screen and says which column it is (its data-label
    shown before it), or holds a button or link that names itself; an empty cell is not
    shown (a column name followed by nothing). Returns the count of cells shown."""
    cells = page.evaluate(CELLS)
    empty = [cell for cell in cells if cell["empty"]]
    assert not [cell for cell in empty if cell["shown"]], empty
    cells = [cell for cell in cells if cell["shown"]]
    for cell in cells:
        assert cell["left"] >= 0, cell
        assert cell["right"] <= width + 1, cell
        if cell["label"]:
            assert cell["before"] == f'"{cell["label"]}: "', cell
        else:
            assert cell["control"], f"a cell with no column name: {cell}"
    return len(cells)


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390x844", "320x640"])
def test_admin_pages_fit_a_phone(app, new_page, viewport):
    admin = make_account(app, "wren-admin", role=Role.ADMIN)
    staff = make_account(app, "maple-staff-with-a-long-name", role=Role.STAFF)
    member = make_account(app, "a-member-with-quite-a-long-name")
    make_reset_code(app, member.id, staff.id, now=utcnow())
    make_invite(app, admin.id, now=utcnow())
    # "Make mentor" in reach, and the page that asks first.
    eligible = make_eligible_member(app, "a-mentor-to-be-with-a-long-name")
    with app.app_context():
        db.session.get(Account, member.id).paused_at = utcnow()
        # An audit entry that needed no one's approval: its "Approved by" cell is empty.
        db.session.add(
            AuditEntry(
                actor_id=admin.id,
                target_id=member.id,
                action="account_paused",
                created_at=utcnow(),
            )
        )
        db.session.commit()

    page = new_page(viewport=viewport)
    sign_in(page, admin)
    cells = 0
    asking = [
        f"/admin/accounts/{eligible.id}/mentor",
        f"/admin/accounts/{staff.id}/role?role=member",
    ]
    for path in [*PAGES, *asking]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_no_horizontal_scroll(page)
        assert_buttons_in_reach(page, viewport["width"])
        cells += assert_each_cell_names_its_column(page, viewport["width"])
        assert_accessible(page)
    assert cells > 20
