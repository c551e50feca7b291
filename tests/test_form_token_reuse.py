"""The sign-out form on every signed-in page carries a CSRF token signed at most once a
minute per session, and never one of another session (issue 17, item 2).

Flask-WTF signs a token (its time and the session's secret) for each page that renders a
form; the header's sign-out form made every page pay for that. A token signed less than a
minute ago is reused instead: it is the same session's, checked by the same rule
(WTF_CSRF_TIME_LIMIT, an hour from its signing), so a page shows one at most a minute
older than before. Nothing about the check changes (tests/test_csrf.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import session

from advocacy import csrf_token
from advocacy.accounts import sessions
from tests.test_csrf import TokenFinder

TIME_LIMIT = 3600  # Config.WTF_CSRF_TIME_LIMIT: an hour
COOKIE = "advocacy_session"  # TestConfig.SESSION_COOKIE_NAME


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def sign_in(client, account) -> None:
    """Sign in through the form, with the sign-in page's own token."""
    token = tokens_on(client, "/login")[0]
    response = client.post(
        "/login",
        data={"pseudonym": account.pseudonym, "password": account.password, "csrf_token": token},
    )
    assert response.status_code == 303


def tokens_on(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    finder = TokenFinder()
    finder.feed(response.get_data(as_text=True))
    return list(dict.fromkeys(finder.tokens))  # each distinct token once (forms share one)


REAL_TIME = time.time


def stopped_clock(monkeypatch) -> Callable[[float], None]:
    """Stop the wall clock (what tokens are signed with) at the real time now, and return
    how to move it `seconds` past that instant. Stopped, so the seconds a slow machine
    takes between two pages never count: only the seconds a test names do."""
    start = REAL_TIME()

    def move(seconds: float) -> None:
        monkeypatch.setattr(time, "time", lambda: start + seconds)

    move(0)
    return move


def test_pages_within_a_minute_share_one_token_that_signs_out(
    app, client, clock, member, monkeypatch
):
    sign_in(client, member)
    with monkeypatch.context() as patched:
        later = stopped_clock(patched)
        first = tokens_on(client, "/safety")
        assert len(first) == 1  # the sign-out and language forms' one token
        paths = ("/", "/events", "/stories", "/programs", "/notices", "/privacy")
        for seconds, path in zip((2, 10, 20, 35, 50, 59), paths, strict=True):
            later(seconds)
            assert set(tokens_on(client, path)) == {first[0]}, path
    assert client.post("/logout", data={"csrf_token": first[0]}).status_code == 303
    assert client.get("/account").headers["Location"] == "/login"


def test_a_minute_later_the_token_is_signed_again_and_both_still_work(
    app, client, clock, member, monkeypatch
):
    sign_in(client, member)
    with monkeypatch.context() as patched:
        later = stopped_clock(patched)
        (first,) = tokens_on(client, "/safety")
        later(csrf_token.REUSE_FOR_SECONDS)
        (second,) = tokens_on(client, "/safety")
        assert second != first
        later(TIME_LIMIT - 1)  # the first is an hour old less a second: still good
        assert client.post("/logout", data={"csrf_token": first}).status_code == 303


def test_a_reused_token_is_still_refused_after_the_hour(app, client, clock, member, monkeypatch):
    sign_in(client, member)
    with monkeypatch.context() as patched:
        later = stopped_clock(patched)
        (token,) = tokens_on(client, "/safety")
        later(TIME_LIMIT + 1)
        refused = client.post("/logout", data={"csrf_token": token})
    assert refused.status_code == 400
    assert client.get("/account").status_code == 200  # still signed in


def test_a_new_session_never_gets_the_last_ones_token(app, client, clock, member, other_member):
    sign_in(client, member)
    (before,) = tokens_on(client, "/safety")
    assert client.post("/logout", data={"csrf_token": before}).status_code == 303
    sign_in(client, member)
    (after,) = tokens_on(client, "/safety")
    assert after != before
    other = app.test_client()
    sign_in(other, other_member)
    (theirs,) = tokens_on(other, "/safety")
    assert theirs not in (before, after)
    # Each session's token works for that session only.
    assert client.post("/logout", data={"csrf_token": theirs}).status_code == 400
    assert client.post("/logout", data={"csrf_token": after}).status_code == 303


def test_the_token_a_page_reuses_sends_no_cookie(app, client, clock, member):
    sign_in(client, member)
    tokens_on(client, "/safety")  # keeps the session's secret: the one cookie it needs
    response = client.get("/events")
    assert not any(h.startswith(f"{COOKIE}=") for h in response.headers.getlist("Set-Cookie"))


def test_the_kept_tokens_stay_few(app, client):
    """Visitors' sessions each keep a token too; the store never grows without bound."""
    with app.test_request_context("/login"):
        for n in range(csrf_token.KEPT_AT_MOST + 50):
            session["csrf_token"] = f"secret-{n}"
            sessions.forget_csrf_token()
            csrf_token.page_token()
        assert len(csrf_token.kept(app)) <= csrf_token.KEPT_AT_MOST
