"""Where signing in comes back to: kept in the session, never in the URL; a page, never a form.

Written from the rules: a signed-out visitor asking for a page is sent to /login (that
exact address, nothing added to it) with "Please sign in to see that page." said as
information, and the page they asked for, with its query, waits in the session as
"next". A form answers only POST, so for a form the address kept is the page the form
was on, read from a Referer of this same site (Referrer-Policy: same-origin sends it);
a Referer of another site (another host or port), one without a path, or none at all
leaves nothing to come back to, and forgets any address kept before. A client may send
an empty Host (RFC 9112 §3.2), and that still makes nothing out of no Referer.
"""

from __future__ import annotations

import pytest
from flask import get_flashed_messages, session

from advocacy.accounts import sessions

SITE = "http://localhost"  # where the test client's requests are addressed
SIGN_IN_FIRST = ("info", "Please sign in to see that page.")


def return_address(app, method: str, path: str = "/account/password", **headers: str):
    """The return address of a request made with this method, path and headers."""
    with app.test_request_context(path, method=method, headers=headers):
        return sessions.return_address()


@pytest.mark.parametrize("page", ["/account", "/events/5", "/"])
def test_a_page_comes_back_to_itself(app, page):
    assert return_address(app, "GET", page) == page


@pytest.mark.parametrize("page", ["/stories?after=3", "/events?day=2026-11-27&page=2"])
def test_a_page_comes_back_to_itself_with_its_query(app, page):
    assert return_address(app, "GET", page) == page


def test_a_page_comes_back_to_itself_not_to_where_it_was_reached_from(app):
    assert return_address(app, "GET", "/account", Referer=f"{SITE}/events/5") == "/account"


@pytest.mark.parametrize("page", ["/account", "/stories?after=3", "/events/5"])
def test_a_form_comes_back_to_the_page_it_was_on(app, page):
    assert return_address(app, "POST", Referer=SITE + page) == page


@pytest.mark.parametrize(
    "referrer",
    [
        "https://evil.example/account",
        "http://evil.example/stories?after=3",
        "http://localhost.evil.example/account",
        "http://localhost:8080/account",
        SITE,  # this site, but no page
        "",
    ],
)
def test_a_form_from_anywhere_else_comes_back_nowhere(app, referrer):
    assert return_address(app, "POST", Referer=referrer) is None


def test_a_form_without_a_referrer_comes_back_nowhere(app):
    assert return_address(app, "POST") is None


def test_an_empty_host_and_no_referrer_come_back_nowhere(app):
    with app.test_request_context("/account/password", method="POST", headers={"Host": ""}):
        assert sessions.return_address() is None
        sessions.remember_return_address()
        assert "next" not in session


def test_the_return_address_is_kept_in_the_session(app):
    with app.test_request_context("/stories?after=3"):
        session["next"] = "/account"  # an older one gives way
        sessions.remember_return_address()
        assert session["next"] == "/stories?after=3"
        assert set(session) == {"next"}


def test_a_form_with_nowhere_to_come_back_to_forgets_an_older_address(app):
    with app.test_request_context(
        "/account/password", method="POST", headers={"Referer": "https://evil.example/"}
    ):
        session["next"] = "/account"
        sessions.remember_return_address()
        assert "next" not in session
        assert dict(session) == {}


def test_send_to_sign_in_says_why_as_information_and_keeps_the_page(app):
    with app.test_request_context("/account/export?part=stories"):
        response = sessions.send_to_sign_in()
        assert response.status_code == 302
        assert response.headers["Location"] == "/login"  # nothing about the page in the URL
        assert session["next"] == "/account/export?part=stories"
        assert get_flashed_messages(with_categories=True) == [SIGN_IN_FIRST]


def test_signing_in_comes_back_to_the_page_asked_for(client, auth, member):
    response = client.get("/account/export?part=stories")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert f'<p class="flash flash-info">{SIGN_IN_FIRST[1]}</p>' in page

    response = auth.login(member)
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/export?part=stories"


def test_signing_in_after_a_form_comes_back_to_its_page(client, auth, member):
    response = client.post("/account/preferences", headers={"Referer": f"{SITE}/account"})
    assert response.headers["Location"] == "/login"
    assert auth.login(member).headers["Location"] == "/account"


def test_signing_in_after_a_form_from_another_site_goes_home(client, auth, member):
    response = client.post("/account/preferences", headers={"Referer": "https://evil.example/x"})
    assert response.headers["Location"] == "/login"
    assert auth.login(member).headers["Location"] == "/"


def test_signing_in_with_a_code_comes_back_to_the_page_asked_for(client, auth, staff):
    # The password step and the code step each start a new session: the page waits
    # through both.
    assert client.get("/account/export?part=stories").headers["Location"] == "/login"
    response = auth.login(staff)
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/export?part=stories"
