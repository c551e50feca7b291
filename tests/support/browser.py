"""Browser fixtures: a live server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from werkzeug.serving import make_server

from tests.support.ceiling import CEILING_SECONDS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright gives up on a navigation, click or wait after 30 s by default; a loaded
# machine can be slower than that, so every page waits up to the shared ceiling instead.
CEILING_MS = CEILING_SECONDS * 1000
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}


class InFlight:
    """Count the requests the live server is answering; close, then wait until it
    answers none.

    A browser can leave while a request is still being answered (quick exit, a test that
    ends on a click); the answer would go on writing into the database after the test
    ended, while the next test's database is made. `buffered` apps ask to `enter` (refused
    once closed: a request still on its way in gets a 503, never the app) and `leave`;
    `close_and_wait` blocks until none is left (ceiling: CEILING_SECONDS).
    """

    def __init__(self) -> None:
        self.count = 0
        self.closed = False
        self.changed = threading.Condition()

    def enter(self) -> bool:
        with self.changed:
            if self.closed:
                return False
            self.count += 1
            return True

    def leave(self) -> None:
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def close_and_wait(self) -> None:
        with self.changed:
            self.closed = True
            none_left = self.changed.wait_for(lambda: self.count == 0, CEILING_SECONDS)
        assert none_left, f"{self.count} requests still answered after {CEILING_SECONDS} s"


def buffered(app, in_flight: InFlight):
    """Wrap a WSGI app so each body is read (and its file closed) before it is sent, and
    each request is counted in `in_flight` until then.

    A browser that leaves mid-response (quick exit while the favicon loads) then drops
    bytes only: no open file is left behind for the ResourceWarning check to find.
    """

    def wsgi(environ, start_response):
        if not in_flight.enter():
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"The test is over."]
        try:
            body = app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            in_flight.leave()

    return wsgi


class LiveServer:
    """The test app served over HTTP in a background thread; once stopped, no request is
    still being answered (none goes on writing into the next test's database)."""

    def __init__(self, app) -> None:
        self.in_flight = InFlight()
        self.server = make_server("127.0.0.1", 0, buffered(app, self.in_flight), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()  # serve_forever has returned: shutdown() waited for it
        self.in_flight.close_and_wait()  # requests run in threads of their own


class NeutralPage(BaseHTTPRequestHandler):
    """Stands in for the everyday site quick exit leads to."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        body = b"<!doctype html><title>Weather</title><p>Sunny</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        """Stay quiet."""


@pytest.fixture(scope="session")
def neutral_url() -> Iterator[str]:
    """A local stand-in for the neutral exit site, on another origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), NeutralPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def live_server(app, neutral_url) -> Iterator[LiveServer]:
    """Serve the test app on a free local port; quick exit leads to the neutral page."""
    app.config["EXIT_URL"] = neutral_url
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium with the back/forward cache ON, as on a real phone."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            # Playwright disables the bfcache by default, which would hide Back-button leaks.
            ignore_default_args=["--disable-back-forward-cache"],
        )
        yield browser
        browser.close()


class ForeignRequestGuard:
    """Record and block every request to a host other than the app's.

    `pattern` matches every address but the allowed hosts' and data:, blob: and about:
    ones: routed with it, the app's own requests never wait on this Python process.
    """

    def __init__(self, *allowed_urls: str) -> None:
        self.allowed = {urlsplit(url).netloc for url in allowed_urls}
        self.foreign: list[str] = []
        hosts = "|".join(re.escape(netloc) for netloc in sorted(self.allowed))
        self.pattern = re.compile(rf"^(?!(?:data|blob|about):|https?://(?:{hosts})(?:[/?#]|$))")

    def handle(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"} or parts.netloc in self.allowed:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


@pytest.fixture
def new_page(browser, live_server, neutral_url) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts; fail the test if any touched another host."""
    contexts: list[tuple[BrowserContext, ForeignRequestGuard]] = []

    def open_page(*, javascript: bool = True, viewport: dict | None = None, **device) -> Page:
        """device: more of Playwright's context options (has_touch, is_mobile…)."""
        context = browser.new_context(
            viewport=viewport or PHONE,
            java_script_enabled=javascript,
            base_url=live_server.url,
            **device,
        )
        context.set_default_timeout(CEILING_MS)
        context.set_default_navigation_timeout(CEILING_MS)
        guard = ForeignRequestGuard(live_server.url, neutral_url)
        context.route(guard.pattern, guard.handle)
        contexts.append((context, guard))
        return context.new_page()

    yield open_page
    foreign = [url for _, guard in contexts for url in guard.foreign]
    for context, _ in contexts:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture
def page(new_page) -> Page:
    """A phone-sized page with JavaScript on."""
    return new_page()


def open_menu_holding(page: Page, role: str, name: str) -> None:
    """A phone folds the site's links into a menu (a closed <details>): open it, as a
    person would, when the link or button named `name` lies in it."""
    closed = page.locator("details.menu:not([open])")
    if closed.get_by_role(role, name=name, exact=True, include_hidden=True).count():
        closed.locator("summary").click()


def sign_in(page: Page, account) -> None:
    """Sign in through the form, with a code from the account's app when it has one."""
    page.goto("/login")
    page.get_by_label("Pseudonym").fill(account.pseudonym)
    page.get_by_label("Password", exact=True).fill(account.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    if account.totp_secret:
        page.get_by_label("6-digit code from your app").fill(pyotp.TOTP(account.totp_secret).now())
        with page.expect_navigation():
            page.get_by_role("button", name="Continue", exact=True).click()


def assert_accessible(page: Page) -> None:
    """Fail with a readable list if axe-core finds any violation on the page."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_no_horizontal_scroll(page: Page) -> None:
    """Fail if the page is wider than the viewport."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"
