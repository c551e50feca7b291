"""The browser tests' guard (tests/support/browser.py) is routed only what it must judge:
every address but the app's own hosts, data:, blob: and about:; their live server, once
stopped, answers nothing more."""

from __future__ import annotations

import socket
import threading
import time
from urllib.request import urlopen

import pytest

from tests.support.browser import ForeignRequestGuard, LiveServer
from tests.support.ceiling import CEILING_SECONDS

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


def test_a_stopped_live_server_has_answered_every_request_it_was_answering():
    """A request still being answered when the test ends would write into the next test's
    database: stop() returns only after it has been answered."""
    entered, release, order = threading.Event(), threading.Event(), []

    def slow_app(environ, start_response):
        entered.set()
        release.wait(CEILING_SECONDS)
        order.append("answered")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = LiveServer(slow_app).start()
    asker = threading.Thread(target=urlopen, args=(server.url,), daemon=True)
    asker.start()
    assert entered.wait(CEILING_SECONDS)
    stopper = threading.Thread(target=lambda: (server.stop(), order.append("stopped")))
    stopper.start()
    server.thread.join(CEILING_SECONDS)  # the server takes no new connection
    stopper.join(0.5)  # time for a stop that does not wait to return (it must not)
    assert stopper.is_alive()
    release.set()
    stopper.join(CEILING_SECONDS)
    asker.join(CEILING_SECONDS)
    assert order == ["answered", "stopped"]


def test_a_request_that_reaches_a_stopped_live_server_never_reaches_the_app():
    """One still on its way in when the test ended (its headers half sent) is refused."""
    reached = []

    def app(environ, start_response):
        reached.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    def request_threads() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name.endswith("(process_request_thread)")}

    server = LiveServer(app).start()
    before = request_threads()
    with socket.create_connection(("127.0.0.1", server.server.server_port)) as late:
        late.sendall(b"GET /late HTTP/1.1\r\nHost: x\r\n")
        # taken in: a new thread of the server's reads it (else closing the port drops it)
        waited_since = time.monotonic()
        while not request_threads() - before:
            assert time.monotonic() - waited_since < CEILING_SECONDS
            time.sleep(0.01)
        server.stop()
        late.sendall(b"\r\n")
        answer = late.makefile("rb").readline()
    assert answer.startswith(b"HTTP/1.1 503")
    assert reached == []
