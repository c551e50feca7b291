"""Accounts in Chromium, on a phone, with JavaScript on and off.

Join with an invite, keep the recovery codes, sign out (and Back shows nothing private),
sign in, recover with a code, set up a staff second factor, and leave by quick exit.
Every page on the way must pass axe-core and fit the screen.

With JavaScript off, Playwright's `page.evaluate` (and so axe) never returns: scripts run
through the DevTools protocol instead, and axe checks a twin of the page: the same HTML,
written into a page of our origin (same stylesheet, same CSP) with JavaScript on.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import Page

from advocacy.accounts import recovery
from advocacy.accounts.invites import create_invite
from advocacy.accounts.models import Account, Role
from advocacy.database import utcnow
from advocacy.extensions import db
from tests.support.accounts import PASSWORD, make_account
from tests.support.browser import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    open_menu_holding,
)
from tests.support.ceiling import CEILING_SECONDS

pytestmark = pytest.mark.browser

NEW_PASSWORD = "amber kettle harbour violet"
OTHER_PASSWORD = "copper meadow thistle lantern"
# Recovery codes: 4 groups of 4 (80 bits).
CODE_PATTERN = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
WRONG_PASSWORD_MESSAGE = "That pseudonym and password don't match"


# Helpers


def evaluate(page: Page, expression: str):
    """Evaluate in the page over the DevTools protocol: works with JavaScript off too."""
    session = page.context.new_cdp_session(page)
    try:
        result = session.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
    finally:
        session.detach()
    assert "exceptionDetails" not in result, result
    return result["result"].get("value")


class PageChecks:
    """axe-core (zero violations) and no sideways scroll, for a page with JavaScript on or off."""

    def __init__(self, new_page, javascript: bool) -> None:
        self.new_page = new_page
        self.javascript = javascript
        self.twin: Page | None = None
        self.checked: list[str] = []

    def __call__(self, page: Page) -> None:
        self.checked.append(urlsplit(page.url).path)
        if self.javascript:
            assert_no_horizontal_scroll(page)
            assert_accessible(page)
            return
        overflow = evaluate(
            page, "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
        assert_accessible(self.twin_of(page))

    def twin_of(self, page: Page) -> Page:
        """Write the page's HTML into a same-origin page where axe can run."""
        html = "<!doctype html>" + evaluate(page, "document.documentElement.outerHTML")
        if self.twin is None:
            self.twin = self.new_page(javascript=True, viewport=PHONE)
        # A page of ours first, so the twin has our origin and our CSP.
        self.twin.goto("/privacy")
        self.twin.set_content(html)
        return self.twin


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture
def phone(new_page, javascript) -> Page:
    """A 390x844 page with JavaScript on or off."""
    return new_page(javascript=javascript, viewport=PHONE)


@pytest.fixture
def check(new_page, javascript) -> PageChecks:
    return PageChecks(new_page, javascript)


def press(page: Page, button: str) -> None:
    """Click a submit button and wait for the page it leads to."""
    open_menu_holding(page, "button", button)
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def flashes(page: Page) -> str:
    return " ".join(page.locator(".flashes, .flash").all_inner_texts())


def sign_in(page: Page, pseudonym: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Pseudonym").fill(pseudonym)
    page.get_by_label("Password", exact=True).fill(password)
    press(page, "Sign in")


def sign_out(page: Page) -> None:
    press(page, "Sign out")
    assert path_of(page) == "/signed-out"
    assert page.get_by_role("heading", level=1).inner_text() == "You are signed out."


def open_account(page: Page, pseudonym: str) -> None:
    page.goto("/account")
    assert path_of(page) == "/account"
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert f"Signed in as {pseudonym}." in page.locator("main").inner_text()


def assert_account_not_shown(page: Page, pseudonym: str) -> None:
    """Nothing of the signed-in account: not its page, not its name, not a signed-in header."""
    html = page.content()
    assert "Your account" not in html, f"Back showed the account page at {page.url}"
    assert pseudonym not in html, f"Back showed the pseudonym at {page.url}"
    assert 'action="/logout"' not in html, f"Back showed a signed-in page at {page.url}"


def go_back(page: Page) -> None:
    """Back, as a person would press it; return once the page shown has finished loading.

    A page restored from the back/forward cache fires no load event, but its readyState is
    already "complete"; a page fetched again reaches "complete" when it has loaded. Polled
    from here: with JavaScript off, Playwright's in-page wait_for_function never re-checks.
    """
    page.go_back(wait_until="commit")
    deadline = time.monotonic() + CEILING_SECONDS
    while page.evaluate("() => document.readyState") != "complete":
        assert time.monotonic() < deadline, f"{page.url} never finished loading"
        time.sleep(0.05)


def session_cookies(page: Page) -> list:
    return [c for c in page.context.cookies() if c["name"] == "advocacy_session"]


def new_invite(app) -> str:
    with app.app_context():
        code = create_invite(
            role=Role.MEMBER, uses=1, expires_in=timedelta(days=14), now=utcnow(), inviter=None
        )
        db.session.commit()
        return code


# 1-4: join, sign out and Back, sign in, recover


def test_join_sign_out_sign_in_and_recover(app, phone, check):
    page = phone
    invite = new_invite(app)

    # 1. Join: the suggestion buttons re-render the form and keep what was typed.
    page.goto("/join")
    check(page)
    # The Enter key's default button is there for the keyboard only, never seen.
    assert not page.locator('button[value="join"][hidden]').is_visible()
    page.get_by_label("Invite code").fill(invite)
    page.get_by_label("Pseudonym").fill("Quiet Fern")
    press(page, "Suggest a pseudonym")
    pseudonym = page.get_by_label("Pseudonym").input_value()
    assert re.fullmatch(r"[A-Za-z]+\d{2}", pseudonym), pseudonym
    assert page.get_by_label("Invite code").input_value() == invite

    press(page, "Suggest a passphrase")
    passphrase = page.locator(".passphrase").inner_text().strip()
    assert len(passphrase.split()) == 5, passphrase
    assert page.get_by_label("Pseudonym").input_value() == pseudonym
    assert page.get_by_label("Invite code").input_value() == invite
    assert page.get_by_label("Password", exact=True).input_value() == passphrase
    assert page.get_by_label("Password again").input_value() == passphrase
    check(page)

    # Enter in a field (a phone keyboard's "Go") joins: it never presses a suggestion
    # button, which would replace the pseudonym typed and empty the passwords.
    with page.expect_navigation():
        page.get_by_label("Password again").press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    codes = shown_codes(page)
    assert len(codes) == 10, codes
    assert all(CODE_PATTERN.fullmatch(code) for code in codes), codes
    assert len(set(codes)) == 10
    saved_code = codes[3]
    check(page)

    # Continue without the tick: the same codes again, and the page says so; Reload too.
    press(page, "Continue")
    assert path_of(page) == "/account/recovery-codes"
    assert "these are still your codes" in flashes(page)
    assert shown_codes(page) == codes
    check(page)
    page.reload()
    assert shown_codes(page) == codes

    page.get_by_label("I have saved these codes").check()
    press(page, "Continue")
    assert path_of(page) == "/"
    assert "Your recovery codes are set." in flashes(page)
    check(page)
    # Back: the codes are never shown again once kept.
    go_back(page)
    assert not CODE_PATTERN.search(page.content())
    open_account(page, pseudonym)
    check(page)

    # 2. Sign out; Back must not bring the account page back (bfcache is on).
    sign_out(page)
    check(page)
    go_back(page)
    assert_account_not_shown(page, pseudonym)

    # 3. Sign in again (pseudonyms are case-insensitive). Back asked the server for
    # /account again, which sent it to sign in first: signing in now goes there.
    page.goto("/login")
    check(page)
    sign_in(page, pseudonym.lower(), passphrase)
    assert path_of(page) == "/account"
    open_account(page, pseudonym)

    # 4. Recover with a saved code and a new password.
    sign_out(page)
    page.goto("/recover")
    check(page)
    fill_recovery(page, pseudonym, saved_code, NEW_PASSWORD)
    press(page, "Set new password")
    assert path_of(page) == "/"  # signed in on this browser, every other session ended
    assert "Your password is changed" in flashes(page)
    sign_out(page)

    sign_in(page, pseudonym, passphrase)
    assert path_of(page) == "/login"
    assert WRONG_PASSWORD_MESSAGE in page.locator("main").inner_text()
    check(page)

    sign_in(page, pseudonym, NEW_PASSWORD)
    assert path_of(page) == "/"
    open_account(page, pseudonym)

    # The code was spent: it cannot be used again.
    sign_out(page)
    page.goto("/recover")
    fill_recovery(page, pseudonym, saved_code, OTHER_PASSWORD)
    press(page, "Set new password")
    assert path_of(page) == "/recover"
    assert "That code didn't work" in page.locator("main").inner_text()
    check(page)
    sign_in(page, pseudonym, OTHER_PASSWORD)
    assert WRONG_PASSWORD_MESSAGE in page.locator("main").inner_text()

    assert set(check.checked) >= {"/join", "/", "/account", "/login", "/recover"}


def shown_codes(page: Page) -> list[str]:
    items = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    return [text.strip() for text in items.all_inner_texts()]


def fill_recovery(page: Page, pseudonym: str, code: str, password: str) -> None:
    page.get_by_label("Pseudonym").fill(pseudonym)
    page.get_by_label("Recovery code or reset code").fill(code)
    page.get_by_label("New password").fill(password)
    page.get_by_label("Password again").fill(password)


# 5: staff must set up a second factor before any staff page


def test_staff_sets_up_two_factor_before_staff_pages(app, phone, check):
    page = phone
    staff = make_account(app, "maple-staff", role=Role.STAFF, two_factor=False)
    qr_responses = []
    page.on(
        "response",
        lambda response: qr_responses.append(response) if "qr.svg" in response.url else None,
    )

    sign_in(page, staff.pseudonym, staff.password)
    assert path_of(page) == "/account/two-factor"
    assert "needs a second factor" in flashes(page)
    page.goto("/staff")
    assert path_of(page) == "/account/two-factor"
    page.wait_for_load_state("load")
    check(page)

    # The QR code is drawn by our own server, as SVG, and loads.
    assert evaluate(page, "document.querySelector('img.qr').naturalWidth") > 0
    assert qr_responses, "the QR image was never requested"
    qr = qr_responses[-1]
    assert urlsplit(qr.url).netloc == urlsplit(page.url).netloc
    assert qr.status == 200
    assert qr.headers["content-type"].startswith("image/svg+xml")

    turn_on_second_factor(page)

    page.goto("/staff")
    assert path_of(page) == "/staff"
    assert page.get_by_role("heading", level=1).inner_text() == "Staff tools"
    check(page)


def turn_on_second_factor(page: Page, at: datetime | None = None) -> None:
    """Type the key shown (in groups of four) into an 'app', then the code it gives (at
    `at`, the app's clock when the test controls it; else now)."""
    shown = page.locator("code.secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", shown), shown
    link = page.get_by_role("link", name="Open in your authenticator app").get_attribute("href")
    assert link.startswith("otpauth://totp/")
    app = pyotp.TOTP(shown.replace(" ", ""))
    page.get_by_label("6-digit code from your app").fill(app.at(at) if at else app.now())
    press(page, "Turn on")
    assert "Your second factor is on." in flashes(page)


# 5b: a mentor who lost their phone gets in with a recovery code and sets up a new factor


def test_lost_phone_recovery_code_then_a_new_second_factor(app, phone, check):
    page = phone
    mentor = make_account(app, "heron-mentor", role=Role.MENTOR)
    with app.app_context():
        seed = recovery.issue_recovery_codes(db.session.get(Account, mentor.id))
        db.session.commit()
        codes = recovery.derive_recovery_codes(seed)

    sign_in(page, mentor.pseudonym, mentor.password)
    assert path_of(page) == "/login/code"
    check(page)
    page.get_by_label("Recovery code").fill("not a code")
    press(page, "Use a recovery code")
    assert "That code didn't work" in page.locator("main").inner_text()
    check(page)

    page.get_by_label("Recovery code").fill(codes[0].lower())
    press(page, "Use a recovery code")
    assert path_of(page) == "/account/two-factor"
    assert "You have 9 recovery codes left" in flashes(page)
    page.goto("/moderation")
    assert path_of(page) == "/account/two-factor"  # no page of the role before a new factor
    check(page)  # setup opens on a new key and its QR code
    turn_on_second_factor(page)
    page.goto("/moderation")
    assert path_of(page) == "/moderation"
    check(page)


# 6: quick exit while signed in


@pytest.mark.parametrize(
    ("javascript", "how"),
    [(True, "link"), (False, "link"), (True, "escape")],
    ids=["js-link", "no-js-link", "js-escape"],
)
def test_quick_exit_while_signed_in(app, phone, javascript, how, neutral_url):
    page = phone
    member = make_account(app, "river-member")
    sign_in(page, member.pseudonym, PASSWORD)
    open_account(page, member.pseudonym)
    copied = session_cookies(page)
    assert copied

    if how == "link":
        page.get_by_role("link", name="Quick exit").click()
    else:
        for _ in range(3):
            page.keyboard.press("Escape")
    page.wait_for_url(neutral_url)
    assert session_cookies(page) == []

    # Back, again and again: the account page never comes back.
    for step in range(3):
        go_back(page)
        if javascript and step == 0:
            # location.replace: the account page left no history entry.
            assert path_of(page) != "/account"
        assert_account_not_shown(page, member.pseudonym)

    page.goto("/account")
    assert path_of(page) == "/login"
    # Ended on the server too: the cookie copied before the exit no longer signs in.
    page.context.add_cookies(copied)
    page.goto("/account")
    assert path_of(page) == "/login"
    assert member.pseudonym not in page.content()
