"""A member's own data, in Chromium on a 390x844 phone: see it, download it, delete it.

The member signs in, reads "What we hold about you" (with the date the account would go),
opens the privacy page, downloads the export (a JSON file with their pseudonym), deletes
the account choosing what happens to their published story, lands on the signed-out
page, and cannot sign in again. Every page passes axe-core and fits the screen.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from advocacy.accounts.models import Account, Role
from advocacy.events import rsvps as event_rsvps
from advocacy.extensions import db
from tests.support.accounts import make_account
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll, open_menu_holding
from tests.support.dates import english_date
from tests.support.events import make_event
from tests.support.stories import make_story

pytestmark = pytest.mark.browser

PSEUDONYM = "Quiet Heron"
# DESIGN §4: an account is kept until "18 months without a login" (548 days), counted
# from the last sign-in, or from joining if it never signed in.
INACTIVE_ACCOUNT_DAYS = 548
WRONG_PASSWORD_MESSAGE = "That pseudonym and password don't match"


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def press(page: Page, button: str) -> None:
    """Click a submit button and wait for the page it leads to."""
    open_menu_holding(page, "button", button)
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


class Checks:
    """axe-core (zero violations) and no sideways scroll on every page visited."""

    def __init__(self) -> None:
        self.checked: list[str] = []

    def __call__(self, page: Page) -> None:
        self.checked.append(path_of(page))
        assert_no_horizontal_scroll(page)
        assert_accessible(page)


def sign_in(page: Page, pseudonym: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Pseudonym").fill(pseudonym)
    page.get_by_label("Password", exact=True).fill(password)
    press(page, "Sign in")


def test_a_member_sees_downloads_and_deletes_their_data(app, clock, page, tmp_path: Path):
    now = clock()
    member = make_account(app, PSEUDONYM)
    staff = make_account(app, "maple-staff", role=Role.STAFF)
    story_id = make_story(app, member.id, title="Spring again", body="The river thawed.", now=now)
    event = make_event(app, staff.id, title="Evening circle", now=now)
    with app.app_context():
        event_rsvps.rsvp(db.session.get(Account, member.id), event.first, now=now)
        db.session.commit()
    check = Checks()

    sign_in(page, PSEUDONYM, member.password)
    assert path_of(page) == "/"
    check(page)

    # What we hold about you, and when it goes.
    page.goto("/account")
    with app.app_context():
        signed_in_on = db.session.get(Account, member.id).last_login_on
    assert signed_in_on == now.date()  # the sign-in just now, by the app's clock
    goes = english_date(signed_in_on + timedelta(days=INACTIVE_ACCOUNT_DAYS))
    held = page.locator("section", has=page.get_by_role("heading", name="What we hold about you"))
    assert held.is_visible()
    held_text = held.inner_text()
    assert f"on {goes} unless you sign in before then" in held_text, held_text
    assert "RSVPs to events: 1" in held_text, held_text
    check(page)

    # The privacy page it links to.
    with page.expect_navigation():
        held.get_by_role("link", name="How long we keep each thing").click()
    assert path_of(page) == "/privacy"
    assert page.get_by_role("heading", level=1).inner_text() == "What we keep, and for how long"
    check(page)

    # Download everything: a JSON file with the member's pseudonym and story.
    page.goto("/account")
    with page.expect_navigation():
        page.get_by_role("link", name="Download everything we hold about you").click()
    assert path_of(page) == "/account/export"
    check(page)
    page.get_by_label("Your password").fill(member.password)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == "my-data.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["account"]["pseudonym"] == PSEUDONYM
    assert [story["id"] for story in data["stories"]["stories"]] == [story_id]
    assert [rsvp["event"] for rsvp in data["events"]["rsvps"]] == ["Evening circle"]
    check(page)

    # Delete the account; the published story goes too (the member's choice).
    page.goto("/account")
    with page.expect_navigation():
        page.get_by_role("link", name="Delete your account").click()
    assert path_of(page) == "/account/delete"
    check(page)
    choices = page.get_by_role("group", name="Your published stories")
    choices.get_by_label("Delete them with my account").check()
    page.get_by_label("Your password").fill(member.password)
    press(page, "Delete my account")
    assert path_of(page) == "/signed-out"
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Your account and everything linked to it have been deleted."
    check(page)
    with app.app_context():
        assert db.session.get(Account, member.id) is None

    # The account is gone: signing in fails with the usual, generic message.
    sign_in(page, PSEUDONYM, member.password)
    assert path_of(page) == "/login"
    assert WRONG_PASSWORD_MESSAGE in page.locator("main").inner_text()
    check(page)
    page.goto("/account")
    assert path_of(page) == "/login"

    assert check.checked == [
        "/",
        "/account",
        "/privacy",
        "/account/export",
        "/account/export",
        "/account/delete",
        "/signed-out",
        "/login",
    ]
