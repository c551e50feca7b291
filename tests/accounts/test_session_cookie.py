"""The session cookie is sent again only when what it says has moved (issue 17, item 2).

Each signed-in request renews the idle deadline: 30 minutes after the time the cookie
says the session was last seen (README, DESIGN §3). A deadline moved by less than a minute
is not worth a new cookie, so a request less than a minute after that time sends no
Set-Cookie, and one a minute or more after it sends the new time. The idle limit is
counted from the time the cookie holds, so a session never lasts longer than 30 idle
minutes: at most a minute less, never more. The absolute limit (12 h), freshness
(15 min) and every way a session ends are unchanged (test_session_limit_rules.py,
test_session_ends.py, test_sessions.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

COOKIE = "advocacy_session"  # TestConfig.SESSION_COOKIE_NAME
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)
IDLE_LIMIT = timedelta(minutes=30)
FRESH_FOR = timedelta(minutes=15)
PAGES = ("/", "/account", "/stories", "/events", "/programs", "/notices", "/safety")


def sends_cookie(response) -> bool:
    """Whether the answer sets the session cookie."""
    return any(header.startswith(f"{COOKIE}=") for header in response.headers.getlist("Set-Cookie"))


def cookie_says(client) -> dict:
    """The session as the browser holds it."""
    with client.session_transaction() as session:
        return dict(session)


def at(clock, moment) -> None:
    clock.current = moment


@pytest.fixture
def signed_in_at(client, auth, clock, member):
    """Sign in, then open one page (which keeps the session's form secret); return when."""
    auth.login(member)
    client.get("/account")
    return clock()


def test_pages_less_than_a_minute_later_send_no_cookie(client, clock, signed_in_at):
    for seconds in (0, 1, 30, 59):
        at(clock, signed_in_at + timedelta(seconds=seconds))
        for page in PAGES:
            response = client.get(page)
            assert response.status_code == 200, page
            assert not sends_cookie(response), (page, seconds)
    assert cookie_says(client)["seen_at"] == signed_in_at.timestamp()


def test_a_page_a_minute_later_sends_the_new_time(client, clock, signed_in_at):
    at(clock, signed_in_at + MINUTE)
    response = client.get("/events")
    assert sends_cookie(response)
    assert cookie_says(client)["seen_at"] == (signed_in_at + MINUTE).timestamp()
    # The next minute counts from the time just sent.
    at(clock, signed_in_at + 2 * MINUTE - SECOND)
    assert not sends_cookie(client.get("/events"))
    at(clock, signed_in_at + 2 * MINUTE)
    assert sends_cookie(client.get("/events"))


def test_a_member_reading_steadily_stays_signed_in(client, clock, signed_in_at):
    for step in range(1, 60):  # a page every 50 seconds for 49 minutes
        at(clock, signed_in_at + step * timedelta(seconds=50))
        assert client.get("/events").status_code == 200, step


def test_idle_never_lasts_longer_than_30_minutes_after_the_cookies_time(
    client, clock, signed_in_at
):
    at(clock, signed_in_at + 30 * SECOND)
    client.get("/account")
    at(clock, signed_in_at + IDLE_LIMIT + SECOND)
    ended = client.get("/account")
    assert ended.headers["Location"] == "/login"


def test_a_stale_sign_in_is_written_once(client, clock, signed_in_at):
    stale = signed_in_at + FRESH_FOR + SECOND
    at(clock, stale)
    assert sends_cookie(client.get("/account"))
    assert cookie_says(client)["_fresh"] is False
    at(clock, stale + 30 * SECOND)
    assert not sends_cookie(client.get("/account"))  # still stale: nothing new to say


def test_signing_out_still_clears_the_cookie_at_once(client, auth, clock, signed_in_at):
    at(clock, signed_in_at + SECOND)
    response = auth.logout()
    assert sends_cookie(response)
    assert "_user_id" not in cookie_says(client)
    assert client.get("/account").headers["Location"] == "/login"
