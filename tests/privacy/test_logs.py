"""Logs hold no secret and no content, even with every logger at DEBUG (checklist P2).

A member joins with an invite, fails a sign-in, signs in, recovers with a recovery code,
writes a story, RSVPs, exports and deletes their account, through the test client with
CSRF on and a client address of 203.0.113.9 (also sent as X-Forwarded-For). Nothing
typed or issued on the way (passwords, recovery codes, the invite code, session cookies,
CSRF tokens, the story) and neither address appears in any log record.
(The production server's own request log is covered by tests/test_logging.py.)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from advocacy.accounts.invites import create_invite
from advocacy.accounts.models import Role
from advocacy.extensions import db
from tests.accounts.helpers import codes_in
from tests.support.accounts import make_account
from tests.support.events import make_event

CLIENT_IP = "203.0.113.9"
FORWARDED_IP = "198.51.100.77"
PSEUDONYM = "Quiet Heron"
PASSWORD = "amber kettle harbour violet"
WRONG_PASSWORD = "copper meadow thistle lantern"
NEW_PASSWORD = "silver orchard pebble twilight"
STORY_TITLE = "The winter I found the library"
STORY_TEXT = (
    "Every afternoon I sat by the radiator and read until closing. "
    "Slowly the words came back to me, and then my own voice."
)


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def debug_everywhere(app, caplog) -> Iterator[None]:
    """Every logger, the root included, at DEBUG, and every record into caplog."""
    caplog.set_level(logging.DEBUG)
    extra: list[logging.Logger] = []
    for name in sorted(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
        logger = logging.getLogger(name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
            extra.append(logger)
    yield
    for logger in extra:
        logger.removeHandler(caplog.handler)


class Page(HTMLParser):
    """The CSRF tokens on a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tokens: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrf_token":
            self.tokens.append(attributes["value"])


class Journey:
    """A client that remembers every secret it sees, so the test can look for them."""

    def __init__(self, app, client: FlaskClient) -> None:
        self.client = client
        self.cookies = app.session_interface.get_signing_serializer(app)
        self.secrets: dict[str, set[str]] = {
            "password": {PASSWORD, WRONG_PASSWORD, NEW_PASSWORD},
            "recovery code": set(),
            "invite code": set(),
            "session cookie": set(),
            "CSRF token": set(),
            "session token": set(),
            "story": {STORY_TITLE, STORY_TEXT},
            "pseudonym": {PSEUDONYM, PSEUDONYM.lower()},
            "address": {CLIENT_IP, FORWARDED_IP},
        }

    def remember(self, response) -> None:
        cookie = self.client.get_cookie("advocacy_session")
        if cookie is not None and cookie.value:
            self.secrets["session cookie"].add(cookie.value)
            # What the cookie carries: the account's session token, the bearer credential.
            token = self.cookies.loads(cookie.value).get("_user_id")
            if token:
                self.secrets["session token"].add(token)
        if response.mimetype == "text/html":
            self.secrets["CSRF token"].update(Page(response.get_data(as_text=True)).tokens)

    def get(self, path: str, status: int = 200):
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code)
        self.remember(response)
        return response

    def token(self, path: str) -> str:
        tokens = Page(self.get(path).get_data(as_text=True)).tokens
        assert tokens, f"no csrf_token on {path}"
        return tokens[0]

    def post(self, path: str, data: dict, *, token_from: str, status: int = 303):
        response = self.client.post(path, data={**data, "csrf_token": self.token(token_from)})
        assert response.status_code == status, (
            path,
            response.status_code,
            response.get_data(as_text=True)[:800],
        )
        self.remember(response)
        return response


def test_a_whole_journey_logs_no_secret_content_or_address(app, clock, caplog, debug_everywhere):
    now = clock()
    staff = make_account(app, "maple-staff", role=Role.STAFF)
    event = make_event(app, staff.id, title="Evening circle", now=now)
    with app.app_context():
        invite = create_invite(
            role=Role.MEMBER, uses=1, expires_in=timedelta(days=7), now=now, inviter=None
        )
        db.session.commit()

    client = app.test_client()
    client.environ_base.update(
        {"REMOTE_ADDR": CLIENT_IP, "HTTP_X_FORWARDED_FOR": f"{FORWARDED_IP}, {CLIENT_IP}"}
    )
    journey = Journey(app, client)
    journey.secrets["invite code"].update({invite, invite.replace("-", "")})

    # Join with the invite; keep the recovery codes.
    joined = journey.post(
        "/join",
        {
            "invite_code": invite,
            "pseudonym": PSEUDONYM,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "action": "join",
        },
        token_from="/join",
    )
    joined = journey.get("/account/recovery-codes")
    codes = codes_in(joined)
    assert len(codes) == 10
    # As shown, and as stored before hashing (no dashes).
    journey.secrets["recovery code"].update(codes + [code.replace("-", "") for code in codes])
    journey.remember(joined)
    journey.post("/account/recovery-codes/confirm", {"kept": "y"}, token_from="/")
    journey.post("/logout", {}, token_from="/account")

    # A failed sign-in, then the right one.
    journey.post(
        "/login",
        {"pseudonym": PSEUDONYM, "password": WRONG_PASSWORD},
        token_from="/login",
        status=200,
    )
    journey.post("/login", {"pseudonym": PSEUDONYM, "password": PASSWORD}, token_from="/login")
    journey.get("/account")
    journey.post("/logout", {}, token_from="/account")

    # Recover with a recovery code, and sign in with the new password.
    journey.post(
        "/recover",
        {
            "pseudonym": PSEUDONYM,
            "code": codes[4],
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        token_from="/recover",
    )
    # Recovery signs in on this browser; sign out and in again with the new password.
    journey.post("/logout", {}, token_from="/account")
    journey.post("/login", {"pseudonym": PSEUDONYM, "password": NEW_PASSWORD}, token_from="/login")

    # Write a story and send it for review.
    story = {
        "title": STORY_TITLE,
        "body": STORY_TEXT,
        "audience": "members",
        "byline": "pseudonym",
        "action": "submit",
    }
    written = journey.post("/stories/new", story, token_from="/stories/new", status=303)
    assert written.headers["Location"].endswith("/stories/mine")

    # RSVP, export, delete.
    path = f"/events/{event.first}"
    journey.post(f"{path}/rsvp", {}, token_from=path)
    exported = journey.post(
        "/account/export", {"password": NEW_PASSWORD}, token_from="/account/export", status=200
    )
    assert STORY_TEXT in exported.get_data(as_text=True)
    journey.post(
        "/account/delete",
        {"password": NEW_PASSWORD, "published_stories": "delete"},
        token_from="/account/delete",
    )
    journey.get("/account", status=302)

    # The journey logged something (else the capture would prove nothing) ...
    assert caplog.records, "nothing was logged at all: is the capture working?"
    assert len(journey.secrets["session cookie"]) >= 3
    assert len(journey.secrets["CSRF token"]) >= 3
    # ... and none of it holds a secret, the story, the pseudonym or an address.
    leaks: dict[str, set[str]] = {}
    for record in caplog.records:
        text = caplog.handler.format(record)
        for what, values in journey.secrets.items():
            if any(value in text for value in values):
                leaks.setdefault(record.name, set()).add(what)
    assert leaks == {}, f"secrets in the logs, by logger: {leaks}"


def test_the_codes_page_after_joining_has_a_working_csrf_token(app, clock):
    with app.app_context():
        invite = create_invite(
            role=Role.MEMBER, uses=1, expires_in=timedelta(days=7), now=clock(), inviter=None
        )
        db.session.commit()
    journey = Journey(app, app.test_client())
    joined = journey.post(
        "/join",
        {
            "invite_code": invite,
            "pseudonym": PSEUDONYM,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "action": "join",
        },
        token_from="/join",
    )
    assert joined.headers["Location"] == "/account/recovery-codes"
    token = Page(journey.get("/account/recovery-codes").get_data(as_text=True)).tokens[0]
    confirmed = journey.client.post(
        "/account/recovery-codes/confirm", data={"kept": "y", "csrf_token": token}
    )
    assert confirmed.status_code == 303
