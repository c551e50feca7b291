"""Page checks for browser tests with JavaScript off (as in tests/browser/test_accounts_journey).

With JavaScript off, Playwright's `page.evaluate` (and so axe) never returns: scripts run
through the DevTools protocol instead, and axe checks a twin of the page: the same HTML,
written into a page of our origin (same stylesheet, same CSP) with JavaScript on.

axe takes about a second a page, so markup already checked is not checked again: two
pages that differ only in their per-request form tokens (CSRF and sent-once marks) are
the same to axe.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.support.browser import PHONE, assert_accessible
from tests.support.ceiling import CEILING_SECONDS

# The value of a per-request hidden input: a fresh CSRF token or sent-once mark each render.
PER_REQUEST_VALUE = re.compile(r'(name="(?:csrf_token|once)"[^>]*\bvalue=")[^"]*"')


def evaluate(page: Page, expression: str):
    """Evaluate in the page over the DevTools protocol: works with JavaScript off too."""
    session = page.context.new_cdp_session(page)
    try:
        result = session.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
    finally:
        session.detach()
    assert "exceptionDetails" not in result, result
    return result["result"].get("value")


def evaluate_when(page: Page, expression: str, ready: Callable[[Any], bool]):
    """Evaluate until `ready(value)` holds (or the ceiling passes), and return the value.

    For what Chromium does after the load event, in a later frame: focusing an
    `autofocus` field and scrolling it into view.
    """
    give_up = time.monotonic() + CEILING_SECONDS
    value = evaluate(page, expression)
    while not ready(value) and time.monotonic() < give_up:
        time.sleep(0.05)
        value = evaluate(page, expression)
    return value


class NoScriptPageChecks:
    """axe-core (zero violations) and no sideways scroll, for pages with JavaScript off."""

    def __init__(self, new_page) -> None:
        self.new_page = new_page
        self.twin: Page | None = None
        self.checked: list[str] = []
        self.markup_seen: set[str] = set()

    def __call__(self, page: Page) -> None:
        self.checked.append(urlsplit(page.url).path)
        overflow = evaluate(
            page, "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
        html = "<!doctype html>" + evaluate(page, "document.documentElement.outerHTML")
        markup = PER_REQUEST_VALUE.sub(r'\1"', html)
        if markup not in self.markup_seen:
            assert_accessible(self.twin_of(html))
            self.markup_seen.add(markup)

    def twin_of(self, html: str) -> Page:
        """Write a page's HTML into a same-origin page where axe can run."""
        if self.twin is None:
            self.twin = self.new_page(javascript=True, viewport=PHONE)
            # A page of ours first, so the twin has our origin and our CSP; set_content
            # rewrites that same document, which keeps both, so one load is enough.
            self.twin.goto("/privacy")
        self.twin.set_content(html)
        return self.twin
