"""The story body's character counter says its numbers as the page's language writes
them (`<html lang>`), as the server's own words beside it do, whatever the browser's
language: a member who chose Spanish on an English browser reads 20.000, one who chose
English on a German browser 20,000. Once typing starts, the hint says no other count: the
server's "you have written N" (what it was sent) is hidden, the counter says it instead.
"""

from __future__ import annotations

import re

import pytest

from advocacy.accounts.models import Account
from advocacy.extensions import db
from tests.support.accounts import make_account
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser

TYPED = 12_345


@pytest.mark.parametrize(
    ("browser_locale", "page_language", "counted"),
    [("en-US", "es", "12.345 / 20.000"), ("de-DE", "en", "12,345 / 20,000")],
)
def test_the_counter_writes_numbers_in_the_page_s_language(
    app, new_page, browser_locale, page_language, counted
):
    member = make_account(app, "river-member")
    with app.app_context():
        db.session.get(Account, member.id).locale = page_language  # the member's choice
        db.session.commit()
    page = new_page(locale=browser_locale)
    sign_in(page, member)
    page.goto("/stories/new")
    assert page.locator("html").get_attribute("lang") == page_language
    body = page.locator("textarea[data-counter]")
    body.fill("a" * TYPED)
    assert page.locator(".counter").inner_text() == counted
    # The hint agrees with the counter: its only numbers are the limit and the counter's.
    typed, limit = counted.split(" / ")
    assert page.locator("#body-hint .written").is_hidden()
    assert re.findall(r"\d[\d.,]*\d", page.locator("#body-hint").inner_text()) == [
        limit,
        typed,
        limit,
    ]
