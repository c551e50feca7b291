"""Double submits make one thing (the hardening issue; the rule: advocacy/once.py).

A create form sent twice, one copy after the other or both at once (a double tap, a
retry on a slow connection, two tabs on one session), makes one story, invite, event,
program, set of program meetings or account; the copy is answered with a calm 303 to
where the first went. Each render carries a fresh mark; a malformed mark is a 400 and
nothing is written; a form without one (a page rendered before marks) is acted on as
before. RSVPs, places and story reports, which the database already holds to one per
member, stay at one row and a calm answer when sent twice at once.

Runs unchanged on SQLite and, in the PostgreSQL pass, on PostgreSQL. On PostgreSQL the
two copies are also held until both have checked for an earlier send, so the second
fails on what the first wrote; SQLite's write lock makes the second wait for the first.
"""

from __future__ import annotations

import hashlib
import hmac
import html
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from advocacy.events.models import Rsvp
from advocacy.extensions import db
from advocacy.once import SentForm
from advocacy.programs.models import Enrollment
from advocacy.stories.models import StoryReport
from tests.accounts.helpers import invite_code
from tests.conftest import ON_POSTGRES
from tests.events.test_concurrency import all_at_once
from tests.support.accounts import make_account
from tests.support.events import make_event
from tests.support.once import (
    STORY_FORM,
    copies_of,
    creates,
    held_after_check,
    marks_on,
    sender_for,
)
from tests.support.programs import make_program
from tests.support.stories import make_story

# Every route whose POST makes a row of its own, and where a copy of its form is sent.
CREATE_ENDPOINTS = {
    "stories.new": "stories.mine",
    "accounts.join": "accounts.login",
    "accounts.invites": "accounts.invites",
    "events.new": "events.index",
    "programs.new": "programs.index",
    "programs.new_meeting": "programs.roster",
    "programs.new_session": "programs.sessions",
    "programs.past_meeting": "programs.roster",
    "programs.complete": "programs.completion_page",
    "programs.undo": "programs.completion_page",
    "moderation.posting": "moderation.posting",
    "help.new": "help.index",
}
# token_urlsafe(16): 22 characters of A-Z a-z 0-9 - _; anything else is refused.
MALFORMED = {
    "empty": "",
    "21 characters": "A" * 21,
    "23 characters": "A" * 23,
    "plus": "A" * 21 + "+",
    "slash": "A" * 21 + "/",
    "padding": "A" * 21 + "=",
    "space": "A" * 21 + " ",
    "accented letter": "A" * 21 + "é",
    "Arabic digit": "A" * 21 + "٣",
}


@pytest.fixture
def people(app, clock):
    return {
        "member": make_account(app, "river-member"),
        "mentor": make_account(app, "heron-mentor", role="mentor"),
        "staff": make_account(app, "maple-staff", role="staff"),
    }


@pytest.fixture
def ids(app, clock, people):
    """What the routes' paths and forms name: the staff member's program, an invite, the
    member's published story (its author stopped posting from it)."""
    return {
        "program_id": make_program(app, people["staff"].id, now=clock()).id,
        "story_id": make_story(app, people["member"].id),
        "invite": invite_code(app, clock()),
    }


def test_every_route_that_makes_a_row_acts_on_each_sent_form_once(app):
    marked = {
        endpoint: view.once_then
        for endpoint, view in app.view_functions.items()
        if hasattr(view, "once_then")
    }
    assert marked == CREATE_ENDPOINTS


@pytest.mark.parametrize(**creates)
def test_each_render_of_a_create_form_has_a_new_mark(app, auth, people, ids, endpoint):
    sender = sender_for(app, auth, people, endpoint, **ids)
    (first,), (second,) = sender.page_marks(), sender.page_marks()
    assert first != second


@pytest.mark.parametrize(**creates)
def test_a_form_sent_twice_in_a_row_makes_one_thing(app, auth, people, ids, endpoint):
    sender = sender_for(app, auth, people, endpoint, **ids)
    before = sender.rows()
    form = sender.with_mark()
    # A retry whose first answer never arrived: the browser still holds the cookie it
    # sent the form with (a join's first answer would have signed it in).
    retry = copies_of(app, sender.client)

    made = sender.send(form)
    assert sender.kind_of(made, sender.client) == "made"
    again = sender.send(form, client=retry)
    assert again.status_code == 303
    assert urlsplit(again.headers["Location"]).path == sender.then()
    assert sender.kind_of(again, retry) == "copy"

    assert sender.rows() == before + 1
    assert sender.sent_forms() == 1


@pytest.mark.parametrize(**creates)
def test_a_form_sent_twice_at_once_makes_one_thing(app, auth, people, ids, monkeypatch, endpoint):
    sender = sender_for(app, auth, people, endpoint, **ids)
    before = sender.rows()
    form = sender.with_mark()
    tabs = [sender.client, copies_of(app, sender.client)]
    if ON_POSTGRES:
        held_after_check(monkeypatch)

    answers = all_at_once([lambda tab=tab: sender.send(form, tab) for tab in tabs])

    kinds = [sender.kind_of(answer, tab) for answer, tab in zip(answers, tabs, strict=True)]
    assert sorted(kinds) == ["copy", "made"]
    assert sender.rows() == before + 1
    assert sender.sent_forms() == 1


def test_a_form_corrected_after_a_refusal_gets_a_new_mark_and_the_refusal_records_none(
    app, auth, people, ids
):
    sender = sender_for(app, auth, people, "stories.new", **ids)
    form = sender.with_mark()
    refused = sender.send({**form, "title": ""})
    assert refused.status_code == 400
    (new_mark,) = marks_on(refused.get_data(as_text=True))
    assert new_mark != form["once"]
    assert (sender.rows(), sender.sent_forms()) == (0, 0)
    # The refused send made nothing, so its mark does not stop the corrected form.
    assert sender.kind_of(sender.send(form), sender.client) == "made"
    assert sender.rows() == 1


@pytest.mark.parametrize("mark", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_mark_is_refused_and_nothing_is_written(app, auth, people, ids, mark):
    sender = sender_for(app, auth, people, "stories.new", **ids)
    response = sender.send({**STORY_FORM, "once": mark})
    assert response.status_code == 400
    assert "Something in that request didn't work" in response.get_data(as_text=True)
    assert (sender.rows(), sender.sent_forms()) == (0, 0)


def test_two_marks_in_one_form_are_refused_and_nothing_is_written(app, auth, people, ids):
    sender = sender_for(app, auth, people, "stories.new", **ids)
    (mark,) = sender.page_marks()
    response = sender.send({**STORY_FORM, "once": [mark, "B" * 22]})
    assert response.status_code == 400
    assert (sender.rows(), sender.sent_forms()) == (0, 0)


def test_a_form_without_a_mark_is_acted_on_as_before(app, auth, people, ids):
    """A page rendered before marks existed still works (each send is acted on)."""
    sender = sender_for(app, auth, people, "stories.new", **ids)
    for _ in range(2):
        assert sender.kind_of(sender.send(dict(STORY_FORM)), sender.client) == "made"
    assert (sender.rows(), sender.sent_forms()) == (2, 0)


def test_only_the_marks_keyed_hash_and_the_sending_time_are_kept(app, auth, people, ids, clock):
    """HMAC-SHA256 under SHA-256("sent-form:" + SECRET_KEY) of four lines: endpoint,
    address arguments (sorted pairs), sender (the account id) and mark; and the time."""
    sender = sender_for(app, auth, people, "stories.new", **ids)
    sender.send({**STORY_FORM, "once": "A" * 22})
    key = hashlib.sha256(b"sent-form:" + app.config["SECRET_KEY"].encode()).digest()
    said = f"stories.new\n[]\n{people['member'].id}\n{'A' * 22}".encode()
    with app.app_context():
        rows = db.session.execute(select(SentForm.key_hash, SentForm.sent_at)).all()
        columns = {column.name for column in SentForm.__table__.columns}
    assert rows == [(hmac.new(key, said, hashlib.sha256).hexdigest(), clock())]
    assert columns == {"key_hash", "sent_at"}  # nothing that could say who sent it


def test_a_mark_read_off_a_device_neither_cancels_nor_reveals_someone_elses_send(
    app, auth, people, ids, clock
):
    """Another member sending the mark first changes nothing for its owner: the owner's
    story is still made (marks are bound to their sender), and the same mark on another
    form is another send."""
    owner = sender_for(app, auth, people, "stories.new", **ids)
    form = owner.with_mark()
    auth.logout()
    intruder = make_account(app, "cedar-member")
    auth.login(intruder)
    assert owner.kind_of(owner.send(dict(form)), owner.client) == "made"
    auth.logout()
    auth.login(people["member"])
    assert owner.kind_of(owner.send(dict(form)), owner.client) == "made"
    assert owner.rows() == 2  # the intruder's story and the owner's


# RSVPs, places and story reports: one per member already; twice at once stays calm.

# What each answer says: the one that made the row, and the one that found it made.
ONE_PER_MEMBER = {
    "rsvp": (Rsvp, "You have a place.", "You have already RSVP'd to this meeting."),
    "enrollment": (
        Enrollment,
        "You have a place. Welcome!",
        "You have already asked for a place in this program.",
    ),
    "report": (
        StoryReport,
        "Thank you. A mentor will look at the story",
        "You have already reported this story. A mentor will look at it.",
    ),
}


def rows_of(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("kind", ONE_PER_MEMBER)
def test_a_one_per_member_form_sent_twice_at_once_leaves_one_row_and_a_calm_answer(
    app, auth, clock, people, kind
):
    model, made_said, repeat_said = ONE_PER_MEMBER[kind]
    if kind == "rsvp":
        occurrence = make_event(app, people["staff"].id, now=clock()).first
        path, data, back = f"/events/{occurrence}/rsvp", {}, f"/events/{occurrence}"
    elif kind == "enrollment":
        program = make_program(app, people["staff"].id, now=clock()).id
        path, data, back = f"/programs/{program}/enroll", {}, f"/programs/{program}"
    else:
        story = make_story(app, make_account(app, "cedar-member").id)
        path, data, back = f"/stories/{story}/report", {"category": "harassment"}, "/stories"
    auth.login(people["member"])
    tabs = [auth.client, copies_of(app, auth.client)]

    answers = all_at_once([lambda tab=tab: tab.post(path, data=data) for tab in tabs])

    assert [(a.status_code, urlsplit(a.headers["Location"]).path) for a in answers] == [
        (303, back),
        (303, back),
    ]
    shown = [
        html.unescape(tab.get(answer.headers["Location"]).get_data(as_text=True))
        for answer, tab in zip(answers, tabs, strict=True)
    ]
    said = sorted((made_said in page, repeat_said in page) for page in shown)
    assert said == [(False, True), (True, False)]
    assert rows_of(app, model) == 1
