"""Sessions end after 30 idle minutes or 12 hours in all, each with its own calm reason.

The limits are written here from the rules (README: idle 30 min, old 12 h); the app's
clock is moved, never waited for. At the limit itself the session still holds.
"""

from __future__ import annotations

import pytest

IDLE = "You were signed out after a while without activity, to keep you safe."
TOO_OLD = "You were signed out because your session had lasted a long time."


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def sign_in_page_after_expiry(client) -> str:
    """Ask for a private page; return the sign-in page it sends to (with its one notice)."""
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert not signed_in(client)
    return page


@pytest.fixture
def signed_in_member(auth, member, client):
    auth.login(member)
    assert signed_in(client)


def test_30_idle_minutes_keep_the_session(client, clock, signed_in_member):
    clock.advance(minutes=30)
    assert signed_in(client)


def test_a_second_more_than_30_idle_minutes_ends_it(client, clock, signed_in_member):
    clock.advance(minutes=30, seconds=1)
    page = sign_in_page_after_expiry(client)
    assert IDLE in page
    assert TOO_OLD not in page


def test_12_busy_hours_keep_the_session_and_a_second_more_ends_it(client, clock, signed_in_member):
    for _ in range(24):
        clock.advance(minutes=30)
        assert signed_in(client)
    clock.advance(seconds=1)
    page = sign_in_page_after_expiry(client)
    assert TOO_OLD in page
    assert IDLE not in page


def test_idle_is_said_when_the_session_is_also_too_old(client, clock, signed_in_member):
    clock.advance(hours=13)
    page = sign_in_page_after_expiry(client)
    assert IDLE in page
    assert TOO_OLD not in page
