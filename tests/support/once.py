"""Sending one create form twice, in a row or at once, through the real routes.

`CREATES` holds, for each route whose POST makes something, who sends it, the form, how
many rows of what it makes there are, and where a copy is sent (written here from the
rule, never read from the code). `Sender` signs in, reads the form's mark from the page
and sends; `copies_of` gives a second test client on the same session cookie (two tabs,
or a browser retrying), and `held_after_check` makes two copies both pass the check for
an earlier send before either writes.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import advocacy.once
from advocacy.accounts.models import Account, Invite
from advocacy.events.models import Event
from advocacy.extensions import db
from advocacy.help.models import Resource
from advocacy.notices.models import Notice
from advocacy.once import SentForm
from advocacy.programs.models import Program, ProgramSession
from advocacy.stories.models import Story
from tests.support.accounts import PASSWORD, AuthActions, MadeAccount
from tests.support.ceiling import CEILING_SECONDS
from tests.support.help import resource_form

# The hidden input each create form carries: a fresh token_urlsafe(16) per render.
MARK_INPUT = re.compile(r'<input type="hidden" name="once" value="([A-Za-z0-9_-]{22})">')
# How every answer to a copy begins (the calm message on the page it is sent to).
COPY_SAID = "That was already sent"
COOKIE = "advocacy_session"
SAVED_ONCE = "That was already sent, and it was saved once. Here it is."
POSTED_ONCE = "That was already sent, and it was done once. Here is where it stands."
# Joining: the copy's browser may not be signed in, nor have seen the recovery codes.
JOINED = (
    "That was already sent, and your account is made. If you are not signed in, sign in "
    "with the pseudonym and password you chose; you can make new recovery codes on your "
    "account page."
)
# An invite's code is shown once, in the answer the copy's browser may not have seen.
INVITE_MADE = (
    "That was already sent, and the invite is made. Its code is shown only once: if you "
    "didn't see it, revoke that invite below and make another."
)


def marks_on(body: str) -> list[str]:
    """Return the marks of the forms on a page."""
    return MARK_INPUT.findall(body)


def event_form(now: datetime) -> dict:
    return {
        "title": "Thursday circle",
        "mode": "online",
        "area": "Online",
        "venue": "https://meet.example/abc",
        "timezone": "America/New_York",
        "language": "en",
        "day": (now + timedelta(days=3)).date().isoformat(),
        "starts": "18:00",
        "ends": "19:00",
        "recurrence": "none",
    }


def program_form(now: datetime) -> dict:
    today = now.date()
    return {
        "title": "Leading together",
        "kind": "leadership",
        "summary": "Twelve weeks.",
        "capacity": "5",
        "enrollment_opens_on": today.isoformat(),
        "enrollment_closes_on": (today + timedelta(days=10)).isoformat(),
        "starts_on": (today + timedelta(days=11)).isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
        "status": "open",
    }


SESSION_FORM = {
    "title": "Arriving",
    "body": "Notice your feet on the floor.",
    "prompt": "",
    "minutes": "15",
}

STORY_FORM = {
    "title": "A quiet morning",
    "body": "Plain words, nothing that names anyone.",
    "audience": "members",
    "byline": "pseudonym",
    "action": "save",
}


def join_form(invite: str) -> dict:
    return {
        "invite_code": invite,
        "pseudonym": "Quiet Fern",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "action": "join",
    }


def count(model, *where) -> Callable[[], int]:
    return lambda: db.session.scalar(select(func.count()).select_from(model).where(*where))


@dataclass(frozen=True)
class Create:
    """One create route: `path` and `then` may name {program_id} or {story_id}.

    sender: the fixture account that sends it (None: a visitor); made: the status of the
    answer to the send that makes it; form(now, invite): what the form holds.
    """

    path: str
    sender: str | None
    made: int
    then: str
    form: Callable[[datetime, str], dict]
    rows: Callable[[], int]
    said: str = SAVED_ONCE  # what the page a copy is sent to says


CREATES = {
    "stories.new": Create(
        "/stories/new",
        "member",
        303,
        "/stories/mine",
        lambda *_: dict(STORY_FORM),
        count(Story, Story.title == STORY_FORM["title"]),
    ),
    "accounts.join": Create(
        "/join",
        None,
        303,
        "/login",
        lambda _now, invite: join_form(invite),
        count(Account),
        said=JOINED,
    ),
    "accounts.invites": Create(
        "/invites",
        "mentor",
        200,
        "/invites",
        lambda *_: {"role": "member", "uses": "1", "days": "14"},
        count(Invite),
        said=INVITE_MADE,
    ),
    "events.new": Create(
        "/events/new",
        "staff",
        303,
        "/events",
        lambda now, _: event_form(now),
        count(Event, Event.program_id.is_(None)),
    ),
    "programs.new": Create(
        "/programs/new",
        "staff",
        303,
        "/programs",
        lambda now, _: program_form(now),
        count(Program),
    ),
    "programs.new_meeting": Create(
        "/programs/{program_id}/meetings/new",
        "staff",
        303,
        "/programs/{program_id}/roster",
        lambda now, _: event_form(now),
        count(Event, Event.program_id.is_not(None)),
    ),
    "programs.new_session": Create(
        "/programs/{program_id}/sessions/new",
        "staff",
        303,
        "/programs/{program_id}/sessions",
        lambda *_: dict(SESSION_FORM),
        count(ProgramSession),
    ),
}

CREATES["moderation.posting"] = Create(
    "/moderation/stories/{story_id}/posting",
    "mentor",
    303,
    "/moderation/stories/{story_id}/posting",
    lambda *_: {"action": "stop", "days": "7"},
    count(Notice, Notice.kind == "posting_stopped"),  # the author is told once
    said=POSTED_ONCE,
)
CREATES["help.new"] = Create(
    "/help/new",
    "staff",
    303,
    "/help",
    lambda *_: resource_form(),
    count(Resource),
)
creates = {"argnames": "endpoint", "argvalues": sorted(CREATES)}


@dataclass
class Sender:
    """Someone about to send one create form: signed in, the form's page read."""

    app: Flask
    client: FlaskClient
    create: Create
    path: str
    data: dict
    ids: dict

    def rows(self) -> int:
        with self.app.app_context():
            return self.create.rows()

    def sent_forms(self) -> int:
        with self.app.app_context():
            return count(SentForm)()

    def page_marks(self) -> list[str]:
        response = self.client.get(self.path)
        assert response.status_code == 200
        return marks_on(response.get_data(as_text=True))

    def with_mark(self) -> dict:
        """The form as the page gives it: its fields and the page's one mark."""
        (mark,) = self.page_marks()
        return {**self.data, "once": mark}

    def send(self, data: dict, client: FlaskClient | None = None):
        return (client or self.client).post(self.path, data=data)

    def then(self) -> str:
        return self.create.then.format(**self.ids)

    def kind_of(self, response, client: FlaskClient) -> str:
        """ "copy" for the calm answer to a copy, "made" for the one that made it."""
        where = urlsplit(response.headers.get("Location", "")).path
        if response.status_code == 303 and where == self.then():
            shown = html.unescape(client.get(where, follow_redirects=True).get_data(as_text=True))
            if COPY_SAID in shown:
                assert self.create.said in shown
                return "copy"
        assert response.status_code == self.create.made, response.get_data(as_text=True)[:2000]
        return "made"


def sender_for(
    app: Flask, auth: AuthActions, people: dict[str, MadeAccount], endpoint: str, **ids
) -> Sender:
    """Sign the route's sender in (visitors stay out) and build its form."""
    create = CREATES[endpoint]
    if create.sender:
        response = auth.login(people[create.sender])
        assert response.status_code == 303
    clock = app.config["CLOCK"]
    return Sender(
        app,
        auth.client,
        create,
        create.path.format(**ids),
        create.form(clock(), ids.get("invite", "")),
        ids,
    )


def copies_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another test client on the same session cookie: a second tab, or a retry."""
    other = app.test_client()
    cookie = client.get_cookie(COOKIE)
    if cookie is not None:
        other.set_cookie(COOKIE, cookie.value)
    return other


def held_after_check(monkeypatch, parties: int = 2) -> None:
    """Hold each request after its first check for an earlier send until all have checked.

    Only where checks do not wait for each other (PostgreSQL): on SQLite a request that
    may write holds the write lock from its first statement, so the other waits there.
    """
    real = advocacy.once.was_sent
    everyone = threading.Barrier(parties, timeout=CEILING_SECONDS)
    checked = threading.local()

    def was_sent(key_hash: str) -> bool:
        found = real(key_hash)
        if not getattr(checked, "once", False):
            checked.once = True
            everyone.wait()
        return found

    monkeypatch.setattr(advocacy.once, "was_sent", was_sent)
