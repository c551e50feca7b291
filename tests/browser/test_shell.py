"""The safety shell in Chromium: accessible, no sideways scroll, no other hosts, quick exit."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.support.browser import (
    PHONE,
    SMALL_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
)

pytestmark = pytest.mark.browser
CLOCK_START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390x844", "320x640"])
@pytest.mark.parametrize("path", ["/", "/safety", "/privacy", "/no-such-page"])
def test_shell_pages_are_accessible_and_fit_the_screen(new_page, viewport, path):
    page = new_page(viewport=viewport)
    response = page.goto(path)
    assert response.status == (404 if path == "/no-such-page" else 200)
    assert page.locator("#quick-exit").is_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_css_and_script_arrive_compressed_and_the_page_does_not(new_page):
    """Chromium accepts brotli (issue 18): our CSS and script come as br, the page as is."""
    page = new_page()
    with (
        page.expect_response(lambda r: r.url.endswith("/static/css/site.css")) as css,
        page.expect_response(lambda r: r.url.endswith("/static/js/quick-exit.js")) as script,
    ):
        response = page.goto("/")
    assert response.header_value("content-encoding") is None
    assert css.value.header_value("content-encoding") == "br"
    assert script.value.header_value("content-encoding") == "br"
    # The browser read the decompressed stylesheet: all its rules, not an empty sheet.
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 50


def test_quick_exit_is_first_in_keyboard_order(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    name = page.locator("#quick-exit").get_attribute("aria-describedby")
    assert "Esc" in page.locator(f"#{name}").inner_text()


def open_with_session(page, path: str, base_url: str) -> None:
    """Open path in a browser that holds a session cookie, as a signed-in member's does."""
    page.context.add_cookies([{"name": "advocacy_session", "value": "private", "url": base_url}])
    page.goto(path)


def app_cookies(page) -> list:
    return [c for c in page.context.cookies() if c["name"] == "advocacy_session"]


@pytest.mark.parametrize("key", ["Escape", "Shift"])
def test_quick_exit_by_keys_leaves_no_history_entry(page, key, live_server, neutral_url):
    open_with_session(page, "/safety", live_server.url)
    for _ in range(3):
        page.keyboard.press(key)
    page.wait_for_url(neutral_url)
    assert app_cookies(page) == []
    # location.replace: the app page is gone from history; Back has nowhere to go.
    page.go_back(wait_until="commit")
    assert page.url in (neutral_url, "about:blank")
    assert "Staying safe" not in page.content()


def still_here(page) -> bool:
    """Quick exit has not fired: it hides the page at once, before it navigates away."""
    try:
        hidden = page.evaluate("document.body.hidden")
    except PlaywrightError:  # the page is already going: quick exit fired
        return False
    return hidden is False and page.url.endswith("/safety")


def test_two_escapes_do_not_leave_three_within_two_seconds_do(page, neutral_url):
    # The page's clock moves only when the test says, so "within two seconds" is exact.
    page.clock.install(time=CLOCK_START)
    page.goto("/safety")
    page.clock.pause_at(CLOCK_START + timedelta(minutes=1))
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert still_here(page)
    # A third press after the two-second window starts the count again...
    page.clock.fast_forward(2500)
    page.keyboard.press("Escape")
    assert still_here(page)
    page.keyboard.press("Escape")
    assert still_here(page)
    # ...and the third press within it leaves: the handler was listening all along.
    page.clock.fast_forward(1000)
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_url)


def test_quick_exit_link_with_javascript_replaces_the_page(page, live_server, neutral_url):
    open_with_session(page, "/safety", live_server.url)
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(neutral_url)
    assert app_cookies(page) == []
    page.go_back(wait_until="commit")
    assert page.url in (neutral_url, "about:blank")


def test_quick_exit_link_without_javascript_and_back_refetches(new_page, live_server, neutral_url):
    page = new_page(javascript=False)
    open_with_session(page, "/safety", live_server.url)
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(neutral_url)
    assert app_cookies(page) == []
    refetched = []
    page.on("request", lambda request: refetched.append(request.url))
    page.go_back(wait_until="commit")
    page.wait_for_load_state()
    # no-store: Back asks the server again (no stored copy), and no session goes with it.
    assert f"{live_server.url}/safety" in refetched
    assert app_cookies(page) == []
