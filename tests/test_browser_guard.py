"""The browser tests' guard (tests/support/browser.py) is routed only what it must judge:
every address but the app's own hosts, data:, blob: and about:."""

from __future__ import annotations

import pytest

from tests.support.browser import ForeignRequestGuard

APP, NEUTRAL = "http://127.0.0.1:4567", "http://127.0.0.1:4568"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://fonts.googleapis.com/css",
        "http://127.0.0.1:4569/",  # another port on the same machine
        "http://127.0.0.1:45678/",  # a port that begins like the app's
        "http://127.0.0.1:4567.evil.example/",  # a host that begins like the app's
        "ws://127.0.0.1:4567/",
    ],
)
def test_every_other_address_goes_to_the_guard(url):
    assert ForeignRequestGuard(APP, NEUTRAL).pattern.search(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:4567/",
        "http://127.0.0.1:4567",
        "http://127.0.0.1:4567/static/site.css?v=1",
        "http://127.0.0.1:4568/neutral",
        "http://127.0.0.1:4567#top",
        "data:image/png;base64,AAAA",
        "about:blank",
        "blob:http://127.0.0.1:4567/0f2c",
    ],
)
def test_the_apps_own_addresses_never_wait_on_the_guard(url):
    assert not ForeignRequestGuard(APP, NEUTRAL).pattern.search(url)
