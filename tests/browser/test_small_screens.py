"""Phones in Chromium (issue 18): the first screen shows the page's heading, the menu opens
with and without JavaScript, Tab and Shift+Tab never leave focus under the sticky exit bar
(WCAG 2.4.11 Focus Not Obscured), and the keyboard hint shows only where a keyboard is.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from advocacy.accounts.models import Role
from advocacy.database import utcnow
from advocacy.extensions import db
from advocacy.notices.services import notify
from tests.support.accounts import make_account
from tests.support.browser import (
    PHONE,
    SMALL_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    sign_in,
)
from tests.support.events import make_event
from tests.support.help import make_resource

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
# The link each role's menu ends with the most of: an admin's is the longest menu.
LINKS = {
    "member": ["Home", "Stories", "Programs", "Events", "Notices", "Account"],
    "staff": ["Home", "Stories", "Programs", "Events", "Invites", "Staff", "Notices", "Account"],
    "admin": ["Invites", "Moderation", "Staff", "Admin", "Notices", "Account"],
}


def signed_in_page(app, new_page, role: str, **options) -> Page:
    account = make_account(app, f"wren-{role}", role=Role(role))
    page = new_page(**options)
    sign_in(page, account)
    return page


def in_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [SMALL_PHONE, PHONE], ids=["320x640", "390x844"])
@pytest.mark.parametrize("role", ["member", "staff", "admin"])
def test_the_first_screen_shows_the_heading_and_the_menu_opens(
    app, new_page, role, viewport, javascript
):
    page = signed_in_page(app, new_page, role, viewport=viewport, javascript=javascript)
    for path in ("/", "/account", "/events"):
        page.goto(path)
        assert in_first_screen(page, "main h1"), path
        menu = page.locator("details.menu > summary")
        assert menu.is_visible()
        nav = page.get_by_role("navigation", name="Main")
        assert not nav.get_by_role("link", name=LINKS[role][-1]).is_visible()
    menu.click()  # a <details>: opens with no script
    for name in LINKS[role]:
        assert nav.get_by_role("link", name=name, exact=True).is_visible(), name
    assert nav.get_by_role("button", name="Sign out").is_visible()
    if javascript:  # axe and the width are read by script (the same page either way)
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
    with page.expect_navigation():
        nav.get_by_role("link", name="Account", exact=True).click()
    assert page.url.endswith("/account")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_first_meeting_shows_on_the_first_screen_of_events(app, new_page, javascript):
    staff = make_account(app, "maple-staff", role=Role.STAFF)
    for days in (1, 2, 3):
        make_event(app, staff.id, now=utcnow(), in_days=days, title=f"Circle in {days} days")
    page = signed_in_page(app, new_page, "member", viewport=SMALL_PHONE, javascript=javascript)
    page.goto("/events")
    assert in_first_screen(page, ".event-list h3 a")  # the filters are folded above it
    assert page.locator(".event-list h3 a").first.inner_text() == "Circle in 1 days"
    page.get_by_text("Showing: every upcoming event").click()
    page.get_by_label("Where").select_option("online")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url("**/events?*")
    # None is online: the filters stay open, to choose again.
    assert page.get_by_label("Where").is_visible()
    assert "No upcoming events match" in page.locator("main").inner_text()


def test_a_visitor_sees_the_heading_and_a_wide_screen_needs_no_menu(new_page):
    phone = new_page(viewport=SMALL_PHONE, javascript=False)
    phone.goto("/privacy")
    assert in_first_screen(phone, "main h1")
    assert not phone.get_by_role("link", name="Sign in").is_visible()
    wide = new_page(viewport=DESKTOP)
    wide.goto("/privacy")
    assert not wide.locator("details.menu > summary").is_visible()
    for name in ("Home", "Stories", "Sign in", "Join"):
        assert wide.get_by_role("link", name=name, exact=True).is_visible(), name
    wide.keyboard.press("Tab")  # quick exit
    wide.keyboard.press("Tab")  # skip link
    wide.keyboard.press("Tab")  # the site's name
    wide.keyboard.press("Tab")  # the other language's button, beside the name
    assert wide.evaluate("document.activeElement.textContent") == "Español"
    wide.keyboard.press("Tab")
    assert wide.evaluate("document.activeElement.textContent") == "Home"
    assert_accessible(wide)


# Where the focused element and the exit bar lie, and whether focus is inside the bar.
FOCUS = """() => {
  const bar = document.querySelector(".exit-bar").getBoundingClientRect();
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return {inBar: el.closest(".exit-bar") !== null, top: box.top, bottom: box.bottom,
          barBottom: bar.bottom, screen: window.innerHeight, tag: el.tagName,
          text: (el.textContent || el.name || "").trim().slice(0, 40)};
}"""


def assert_focus_clear_of_the_bar(page: Page, key: str, until: str) -> int:
    """Press key until `until` (a selector) has focus; after each press, the focused
    element lies below the exit bar. Returns how many elements outside the bar were seen."""
    checked = 0
    while not page.evaluate(f"document.activeElement.matches({until!r})"):
        assert checked < 200, "focus never reached " + until
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS)
        if focus["inBar"] or focus["tag"] == "BODY":
            continue
        checked += 1
        if focus["bottom"] - focus["top"] > focus["screen"] - focus["barBottom"]:
            # Taller than the room below the bar (a long table): part of it shows below.
            assert focus["bottom"] > focus["barBottom"] + 44, (key, focus)
        else:
            assert focus["top"] >= focus["barBottom"] - 0.5, (key, focus)
    return checked


@pytest.mark.parametrize("path", ["/privacy", "/account", "/events/new"])
def test_tab_and_shift_tab_never_leave_focus_under_the_exit_bar(app, new_page, path):
    page = signed_in_page(app, new_page, "staff", viewport=SMALL_PHONE)
    page.goto(path)
    page.locator("details.menu > summary").click()  # the longest way through: menu open
    forward = assert_focus_clear_of_the_bar(page, "Tab", ".site-footer li:last-child a")
    assert page.evaluate("window.scrollY") > 640  # the walk went down the page
    backward = assert_focus_clear_of_the_bar(page, "Shift+Tab", "#quick-exit")
    assert forward > 10
    assert backward >= forward  # the same elements, and the menu's button it began on


def hint_shown(page: Page) -> bool:
    """The hint takes room on the screen (not display: none, not clipped to a pixel)."""
    box = page.locator("#quick-exit-hint").bounding_box()
    return box is not None and box["width"] > 1


def test_the_keyboard_hint_shows_only_where_a_keyboard_is_likely(new_page):
    desktop = new_page(viewport=DESKTOP)
    desktop.goto("/")
    assert desktop.evaluate("matchMedia('(hover: hover) and (pointer: fine)').matches")
    assert hint_shown(desktop)
    tablet = new_page(viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True)
    tablet.goto("/")
    assert not tablet.evaluate("matchMedia('(hover: hover) and (pointer: fine)').matches")
    assert not hint_shown(tablet)
    # A screen reader on the touch screen hears what the link does, never of keys.
    link = "#quick-exit"
    expect(tablet.locator(link)).to_have_accessible_description("Leaves this site at once.")
    expect(desktop.locator(link)).to_have_accessible_description(
        "Leaves this site at once. Or press Esc, or Shift, three times."
    )
    # Without JavaScript the keys do nothing: neither said nor shown.
    no_script = new_page(viewport=DESKTOP, javascript=False)
    no_script.goto("/")
    expect(no_script.locator(link)).to_have_accessible_description("Leaves this site at once.")
    assert not no_script.locator(".exit-keys").is_visible()
    assert tablet.locator("#quick-exit").is_visible()
    phone = new_page(viewport=SMALL_PHONE, has_touch=True, is_mobile=True)
    phone.goto("/")
    assert not hint_shown(phone)
    assert_accessible(phone)


# The boxes of the site's name, the other language's button and the menu's button.
HEADER_BOXES = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const parts = {name: box(".site-name"), language: box(".language button"),
                 menu: box("details.menu > summary")};
  const json = {};
  for (const [key, r] of Object.entries(parts)) {
    json[key] = {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  }
  return json;
}"""


def apart(one: dict, other: dict) -> bool:
    return (
        one["right"] <= other["left"]
        or other["right"] <= one["left"]
        or one["bottom"] <= other["top"]
        or other["bottom"] <= one["top"]
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_on_a_320_px_phone_the_name_language_and_menu_share_one_row(app, new_page, clock, language):
    # The header takes less of a small screen: the other language's button sits beside the
    # site's name, clear of the menu's button; with a count of new notices the button is
    # wider and the language may go below, never under it.
    headers = {"Accept-Language": language}
    visitor = new_page(viewport=SMALL_PHONE, extra_http_headers=headers)
    member = make_account(app, "wren-member")
    signed = new_page(viewport=SMALL_PHONE)
    sign_in(signed, member)
    if language == "es":  # the member's own choice, as they would make it
        with signed.expect_navigation():
            signed.get_by_role("button", name="Español").click()
    for page in (visitor, signed):
        page.goto("/privacy")
        boxes = page.evaluate(HEADER_BOXES)
        assert apart(boxes["language"], boxes["menu"]), boxes
        assert apart(boxes["name"], boxes["menu"]), boxes
        assert boxes["language"]["top"] < boxes["name"]["bottom"], boxes  # the same row
    with app.app_context():
        for _ in range(12):
            notify(member.id, "event_changed", now=clock(), title="Circle")
        db.session.commit()
    signed.goto("/privacy")
    assert signed.locator("details.menu > summary .badge").is_visible()
    boxes = signed.evaluate(HEADER_BOXES)
    assert apart(boxes["language"], boxes["menu"]), boxes
    assert apart(boxes["name"], boxes["menu"]), boxes
    # On a 390 px phone the count leaves room for one row.
    signed.set_viewport_size(PHONE)
    signed.goto("/privacy")
    boxes = signed.evaluate(HEADER_BOXES)
    assert apart(boxes["language"], boxes["menu"]), boxes
    assert boxes["language"]["top"] < boxes["name"]["bottom"], boxes


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_a_long_word_in_a_button_wraps_on_the_smallest_phone(app, new_page, locale):
    """A link's site name is one long word ("Continuar a humantraffickinghotline.org"): on a
    320 px phone it breaks inside the button instead of pushing the page sideways."""
    resource = make_resource(
        app, title="Hotline", outside_url="https://humantraffickinghotline.org/en/get-help"
    )
    page = new_page(viewport=SMALL_PHONE, locale=locale)
    for path in (f"/help/{resource}", f"/help/{resource}/leave"):
        page.goto(path)
        assert_no_horizontal_scroll(page)
        button = page.locator("main a.button").first.bounding_box()
        assert button["x"] + button["width"] <= SMALL_PHONE["width"], path
